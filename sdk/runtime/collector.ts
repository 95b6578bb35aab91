/**
 * The one collector: every way of running a headless game (fast-mode training in a page worker or
 * the CLI, evaluation, tests, benchmarks) goes through this loop, once per tick:
 *
 *   each behavior's runner ticks (its agents observe, decide, act) → each copy steps its world
 *   (physics, rewards, episode ends) → a behavior whose rollout is full hands it to its
 *   `onRollout` (train mode), which may train and set new weights before the next decision.
 *
 * What differs between the users is only how each behavior's runner is built (train, inference
 * or heuristic; which weights; what happens to rollouts and episodes).
 */
import type { Agent } from '../adapter/agent.js';
import type { BehaviorRunner } from '../adapter/runner.js';
import { EnvError } from '../core/errors.js';
import { Curriculum } from './curriculum.js';
import type { EnvParams } from './env-params.js';
import { checkGame, type CopyContext, type GameBehavior, type HeadlessCopy, type HeadlessGame } from './game.js';

export interface CollectorOptions {
  /** Copies of the game's world to build (copy `i` is built with `createCopy(firstCopy + i, seed, ctx)`). */
  copies: number;
  /**
   * Index of the first copy (default 0): a worker that steps copies 8–15 of a run builds them as
   * they would be built in one thread, each seeded by its own index.
   */
  firstCopy?: number;
  seed: number;
  /**
   * Builds the runner of one behavior, once the copies are built: `agents` is how many agents
   * they gave it (the first rollout's columns).
   */
  runner(behavior: GameBehavior, agents: number): BehaviorRunner;
  /** The environment parameters the copies read; default the game's own (`environmentParameters`), seeded by `seed`. */
  params?: EnvParams;
}

/** Builds a game's copies and one runner per behavior, and ticks them all in lockstep. */
export class Collector {
  readonly copies: readonly HeadlessCopy[];
  /** One runner per behavior, in the game's `behaviors` order. */
  readonly runners: readonly BehaviorRunner[];
  /** Each behavior's agents, in the order they joined (kept as agents join and leave). */
  readonly members: ReadonlyMap<string, readonly Agent[]>;
  /** The environment parameters every copy reads. */
  readonly params: EnvParams;
  private readonly byName = new Map<string, BehaviorRunner>();
  /** A tick paused by remote behaviors awaiting actions: the next tick resumes only those. */
  private paused = false;

  constructor(readonly game: HeadlessGame, options: CollectorOptions) {
    checkGame(game);
    if (!Number.isInteger(options.copies) || options.copies < 1) throw new EnvError(`game "${game.name}": copies must be a positive integer, got ${options.copies}`);
    const members = new Map<string, Agent[]>(game.behaviors.map((b) => [b.name, []]));
    this.members = members;
    const listOf = (behavior: string): Agent[] => {
      const list = members.get(behavior);
      if (!list) throw new EnvError(`game "${game.name}": an agent was added to behavior "${behavior}", which the game does not declare; its behaviors: ${game.behaviors.map((b) => `"${b.name}"`).join(', ')}`);
      return list;
    };
    this.params = options.params ?? new Curriculum(game.environmentParameters ?? {}, game.behaviors.map((b) => b.name), options.seed);
    const ctx: CopyContext = {
      params: this.params,
      addAgent: (behavior, agent) => {
        const list = listOf(behavior);
        // While the copies are built the runners do not exist yet: they take the list below.
        this.byName.get(behavior)?.addAgent(agent);
        list.push(agent);
      },
      removeAgent: (agent) => {
        for (const [name, list] of members) {
          const i = list.indexOf(agent);
          if (i < 0) continue;
          list.splice(i, 1);
          this.byName.get(name)?.removeAgent(agent);
          return true;
        }
        return false;
      },
      replaceAgent: (old, next) => {
        for (const [name, list] of members) {
          const i = list.indexOf(old);
          if (i < 0) continue;
          const runner = this.byName.get(name);
          if (runner && !runner.replaceAgent(old, next)) return false;
          list[i] = next;
          return true;
        }
        return false;
      },
    };
    const first = options.firstCopy ?? 0;
    if (!Number.isInteger(first) || first < 0) throw new EnvError(`game "${game.name}": firstCopy must be a non-negative integer, got ${first}`);
    this.copies = Array.from({ length: options.copies }, (_, i) => game.createCopy(first + i, options.seed, ctx));
    this.runners = game.behaviors.map((b) => {
      const agents = members.get(b.name)!;
      if (agents.length === 0) {
        throw new EnvError(`game "${game.name}": its copies added no agent to behavior "${b.name}"; each behavior needs an agent when the copies are built (its sizes come from it)`);
      }
      const runner = options.runner(b, agents.length);
      for (const a of agents) runner.addAgent(a);
      this.byName.set(b.name, runner);
      return runner;
    });
  }

  /** The runner of behavior `name`. */
  runner(name: string): BehaviorRunner {
    const r = this.byName.get(name);
    if (!r) throw new EnvError(`game "${this.game.name}" has no behavior "${name}"; its behaviors: ${[...this.byName.keys()].map((n) => `"${n}"`).join(', ')}`);
    return r;
  }

  /** Agents in all behaviors now. */
  get agentCount(): number {
    let n = 0;
    for (const list of this.members.values()) n += list.length;
    return n;
  }

  /**
   * One tick of every copy: the behaviors' agents act, then every world steps. A `remote`
   * behavior (the bridge) may pause the tick at its decision: then the worlds do not step and
   * this returns false; the next call, once its actions are supplied, ticks only the paused
   * behaviors and completes the tick (each behavior acts once per world step).
   */
  tick(): boolean {
    const { runners, copies } = this;
    const resuming = this.paused;
    let paused = false;
    for (let i = 0; i < runners.length; i++) {
      const r = runners[i]!;
      if (resuming && !r.awaitingActions) continue;
      r.tick();
      if (r.awaitingActions) paused = true;
    }
    this.paused = paused;
    if (paused) return false;
    for (let i = 0; i < copies.length; i++) copies[i]!.step();
    return true;
  }
}
