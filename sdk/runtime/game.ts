/**
 * A game without a view, as fast mode, evaluation and the CLI run it: the behaviors (teams) it
 * declares, and how to build one copy of its world with its agents. A copy may hold any number of
 * agents of any of its behaviors, added (and removed) through the {@link CopyContext} at any time.
 */
import type { ActionSpec } from '../adapter/action-spec.js';
import type { Agent } from '../adapter/agent.js';
import { EnvError } from '../core/errors.js';
import type { BoxSpace } from '../core/spaces.js';
import type { PPOConfig } from '../rl/config.js';
import type { EnvironmentParameters, EnvParams } from './env-params.js';

/** One behavior (team) of a game: one spec, one policy, one learner, its own metrics. */
export interface GameBehavior {
  /** Names the behavior: brains trained for it carry it as their `env`. */
  name: string;
  /** Values each agent's `collectObservations` writes (sensors come on top). */
  observationSize: number;
  actionSpec: ActionSpec;
  /** The tuned config (merged over the defaults); `numEnvs` is set to the behavior's agent count. */
  config: Partial<PPOConfig>;
  /** Mean return that counts as solved. */
  solvedAt?: number;
  /**
   * The observation space its brains record (an Env's own bounds); default an unbounded Box of
   * the observation size (what `collectObservations` and the sensors write).
   */
  observationSpace?: BoxSpace;
  /**
   * Its agents' `heuristic` plays by itself headless (a script, not the keyboard): `phaser-ppo
   * record` can record demonstrations of it. Default false.
   */
  scriptedHeuristic?: boolean;
}

/** What a copy uses to put agents into behaviors, while it is built or later (an NPC joining). */
export interface CopyContext {
  /** Adds `agent` to the behavior named `behavior`; it begins its first episode on the next tick. */
  addAgent(behavior: string, agent: Agent): void;
  /** Removes `agent` from its behavior (see `BehaviorRunner.removeAgent`); false if it was in none. */
  removeAgent(agent: Agent): boolean;
  /**
   * `next` takes `old`'s place in its behavior (see `BehaviorRunner.replaceAgent`): a scene that
   * restarts builds new agents for the same seats, and the rollouts recording them are kept. False
   * if `old` was in none. Optional: without it, a copy removes `old` and adds `next`.
   */
  replaceAgent?(old: Agent, next: Agent): boolean;
  /**
   * The run's environment parameters (the same object for every copy): read them with
   * `params.get(name)` when an episode begins, so samplers draw anew and new lessons apply.
   */
  params: EnvParams;
}

/** One headless copy of a game's world. */
export interface HeadlessCopy {
  /** Steps physics one fixed tick and applies the game's rules (rewards, episode ends). */
  step(): void;
}

/**
 * A game as fast mode, evaluation and the CLI see it.
 *
 * @example
 * const arenaGame: HeadlessGame = {
 *   name: 'arena', copies: 4,
 *   behaviors: [{ name: 'hunter', observationSize: 4, actionSpec: ActionSpec.discrete(5), config: {} },
 *               { name: 'prey', observationSize: 4, actionSpec: ActionSpec.discrete(5), config: {} }],
 *   createCopy(index, seed, ctx) {
 *     const world = new ArenaWorld(seed * 1000 + index);
 *     for (let i = 0; i < 3; i++) ctx.addAgent('hunter', world.addHunter());
 *     ctx.addAgent('prey', world.addPrey());
 *     return { step: () => world.step() };
 *   },
 * };
 */
export interface HeadlessGame {
  name: string;
  /** The behaviors its copies add agents to; each trains its own brain. */
  behaviors: readonly GameBehavior[];
  /** Copies fast mode and the CLI run when not told otherwise. */
  copies: number;
  /** Builds copy `index`; `seed` makes its episodes reproducible. Adds its agents through `ctx`. */
  createCopy(index: number, seed: number, ctx: CopyContext): HeadlessCopy;
  /**
   * The parameters its copies read through `ctx.params` and their defaults (constants, samplers or
   * curricula); a run's `environmentParameters` replace them parameter by parameter.
   */
  environmentParameters?: EnvironmentParameters;
}

/** A copy of a one-behavior game with one agent: the agent, and the step of its world. */
export interface OneAgentCopy extends HeadlessCopy {
  agent: Agent;
}

/**
 * A game with one behavior, named after the game (any number of its agents per copy): its
 * behavior's fields are also on the game itself.
 */
export interface OneBehaviorGame extends HeadlessGame, GameBehavior {
  solvedAt: number;
}

/**
 * A one-behavior game with one agent per copy: the common case, and still a {@link HeadlessGame}
 * (its `createCopy` adds the agent when given a context).
 */
export interface OneAgentGame extends OneBehaviorGame {
  createCopy(index: number, seed: number, ctx?: CopyContext): OneAgentCopy;
}

/**
 * Declares a one-behavior game from a function that builds one world with its agent.
 *
 * @example
 * export const balanceGame = oneAgentGame({
 *   name: 'balance', observationSize: 0, actionSpec: BALANCE_ACTIONS, config: {}, solvedAt: 450, copies: 8,
 *   build: (index, seed) => { const sim = new BalanceSim(); const agent = new BalanceAgent(sim);
 *     return { agent, step: () => { sim.step(); agent.judge(); } }; },
 * });
 */
export function oneAgentGame(def: GameBehavior & { solvedAt: number; copies: number; build(index: number, seed: number): OneAgentCopy }): OneAgentGame {
  const { build, copies, ...behavior } = def;
  return {
    ...behavior,
    copies,
    behaviors: [behavior],
    createCopy(index, seed, ctx) {
      const copy = build(index, seed);
      ctx?.addAgent(behavior.name, copy.agent);
      return copy;
    },
  };
}

/** The behavior named `name`, or an error that lists the game's behaviors. */
export function behaviorOf(game: HeadlessGame, name: string): GameBehavior {
  const b = game.behaviors.find((x) => x.name === name);
  if (!b) throw new EnvError(`game "${game.name}" has no behavior "${name}"; its behaviors: ${game.behaviors.map((x) => `"${x.name}"`).join(', ')}`);
  return b;
}

/** Checks what a game declares before anything is built: behaviors named once each, a copy count. */
export function checkGame(game: HeadlessGame): void {
  if (!Array.isArray(game.behaviors) || game.behaviors.length === 0) {
    throw new EnvError(`game "${game.name}": behaviors must list at least one behavior ({ name, observationSize, actionSpec, config })`);
  }
  const seen = new Set<string>();
  for (const b of game.behaviors) {
    if (typeof b.name !== 'string' || b.name === '') throw new EnvError(`game "${game.name}": every behavior needs a non-empty name`);
    if (seen.has(b.name)) throw new EnvError(`game "${game.name}": behavior "${b.name}" is declared twice`);
    seen.add(b.name);
  }
  if (!Number.isInteger(game.copies) || game.copies < 1) throw new EnvError(`game "${game.name}": copies must be a positive integer, got ${game.copies}`);
}
