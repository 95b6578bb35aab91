/** Copies with many agents of several behaviors (teams), trained and evaluated through the one collector. */
import { describe, it, expect } from 'vitest';
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import { Agent } from '../adapter/agent.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import { FastTrainer } from './fast-trainer.js';
import { nodeBackends } from './backend.node.js';
import { evaluateGame } from './evaluate.js';
import type { CopyContext, HeadlessGame } from './game.js';
import { chaseGame } from '../../games/chase/headless.js';
import { CHASE_PACK } from '../../games/chase/pack.js';
import { Collector } from './collector.js';
import { BehaviorRunner } from '../adapter/runner.js';
import { Curriculum } from './curriculum.js';
import { resolveConfig } from '../rl/config.js';

/** A point on a line that walks toward (hunter) or away from (prey) a target; episodes end after `length` ticks, or never. */
class Walker extends Agent {
  x = 0;
  move = 0;
  constructor(name: string, private readonly goal: number, private readonly length: number, private readonly extra: number) {
    super({ name });
  }
  override onEpisodeBegin(): void { this.x = 0; }
  override collectObservations(obs: ObservationWriter): void {
    obs.add(this.x / 10);
    for (let i = 0; i < this.extra; i++) obs.add(0);
  }
  override onActionReceived(a: ActionBuffers): void { this.move = a.discrete[0]! - 1; }
  override heuristic(out: ActionBuffers): void { out.discrete[0] = this.goal > this.x ? 2 : 0; }
  judge(): void {
    this.x += this.move;
    this.addReward(-Math.abs(this.goal - this.x) / 10);
    if (this.length > 0 && this.stepCount >= this.length) this.endEpisode();
  }
}

/** Two teams per copy: 3 hunters (1 observation) and 1 prey (2 observations); a 4th hunter joins copy 0 at tick 100 and leaves at 300. */
function twoTeams(length: number): HeadlessGame & { joined: Walker[] } {
  const joined: Walker[] = [];
  return {
    name: 'teams',
    copies: 2,
    joined,
    behaviors: [
      { name: 'hunter', observationSize: 1, actionSpec: ActionSpec.discrete(3), config: { numSteps: 16, hiddenSizes: [8], numMinibatches: 2 } },
      { name: 'prey', observationSize: 2, actionSpec: ActionSpec.discrete(3), config: { numSteps: 32, hiddenSizes: [8], numMinibatches: 2 } },
    ],
    createCopy(index: number, seed: number, ctx: CopyContext) {
      const walkers: Walker[] = [];
      const add = (behavior: string, w: Walker) => { walkers.push(w); ctx.addAgent(behavior, w); };
      for (let i = 0; i < 3; i++) add('hunter', new Walker(`hunter-${index}-${i}`, 5, length, 0));
      add('prey', new Walker(`prey-${index}`, -5, length, 1));
      let ticks = 0;
      let late: Walker | null = null;
      return {
        step: () => {
          for (const w of walkers) w.judge();
          ticks++;
          if (index === 0 && ticks === 100) {
            late = new Walker('late-hunter', 5, length, 0);
            joined.push(late);
            add('hunter', late);
          }
          if (late && ticks === 300) {
            walkers.splice(walkers.indexOf(late), 1);
            ctx.removeAgent(late);
          }
        },
      };
    },
  };
}

describe('Collector', () => {
  it('builds every copy with all its agents, one runner per behavior, in declaration order', () => {
    const game = twoTeams(20);
    const c = new Collector(game, {
      copies: 3, seed: 1,
      runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config) }),
    });
    expect(c.runners.map((r) => r.name)).toEqual(['hunter', 'prey']);
    expect(c.runner('hunter').agents.map((a) => a.name)).toEqual(['hunter-0-0', 'hunter-0-1', 'hunter-0-2', 'hunter-1-0', 'hunter-1-1', 'hunter-1-2', 'hunter-2-0', 'hunter-2-1', 'hunter-2-2']);
    expect(c.runner('prey').agents).toHaveLength(3);
    for (let t = 0; t < 150; t++) c.tick();
    // The late hunter joined through the copy's context while it stepped.
    expect(c.runner('hunter').agents).toHaveLength(10);
    expect(() => c.runner('nobody')).toThrow('game "teams" has no behavior "nobody"; its behaviors: "hunter", "prey"');
  });

  it('names the behavior a copy adds an agent to when the game does not declare it', () => {
    const game = { ...twoTeams(20), createCopy: (_i: number, _s: number, ctx: CopyContext) => { ctx.addAgent('runner', new Walker('w', 1, 1, 0)); return { step: () => {} }; } };
    expect(() => new Collector(game, { copies: 1, seed: 1, runner: () => { throw new Error('unreachable'); } }))
      .toThrow('game "teams": an agent was added to behavior "runner", which the game does not declare; its behaviors: "hunter", "prey"');
  });
});

describe('FastTrainer with two behaviors', () => {
  it('trains each behavior with its own spec, learner and metrics while an agent joins and leaves', async () => {
    const game = twoTeams(20);
    const t = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
    await t.start();
    const updates = Array.from({ length: 12 }, () => t.runUpdate());
    const of = (b: string) => updates.filter((u) => u.behavior === b);
    // Hunters fill 6 agents × 16 decisions every 16 ticks, prey 2 × 32 every 32: twice as many hunter updates.
    expect(of('hunter').length).toBeGreaterThan(of('prey').length);
    expect(of('prey').length).toBeGreaterThan(0);
    expect(of('hunter').map((u) => u.update)).toEqual(of('hunter').map((_, i) => i + 1));
    expect(of('prey').map((u) => u.update)).toEqual(of('prey').map((_, i) => i + 1));
    expect(updates.every((u) => u.policyLag === 0)).toBe(true);
    // 6 hunters, 7 while the late one is in (a rollout it joined mid-way is dropped when it leaves).
    expect(new Set(of('hunter').map((u) => u.step - (u.update > 1 ? of('hunter')[u.update - 2]!.step : 0)))).toEqual(new Set([6 * 16, 7 * 16]));
    expect(game.joined).toHaveLength(1);
    const hunter = t.brain('hunter');
    const prey = t.brain('prey');
    expect([hunter.env, hunter.observationSpace.size, hunter.policyVersion]).toEqual(['hunter', 1, of('hunter').length]);
    expect([prey.env, prey.observationSpace.size, prey.policyVersion]).toEqual(['prey', 2, of('prey').length]);
    // Each brain evaluates in its own behavior while the other team plays its brain too.
    const r = evaluateGame(game, prey, { episodes: 4, seed: 2, others: [hunter] });
    expect([r.behavior, r.episodes, r.lengthTicks]).toEqual(['prey', 4, [20, 20, 20, 20]]);
  }, 60_000);
});

describe('chase: one arena per copy, with its whole pack', () => {
  it('gives each copy its own arena of CHASE_PACK chasers, whatever order or number copies are built in', () => {
    const arenas = (copies: number) => {
      const added: { behavior: string; arena: unknown }[] = [];
      const ctx: CopyContext = { addAgent: (behavior, a) => { added.push({ behavior, arena: (a as unknown as { arena: unknown }).arena }); }, removeAgent: () => false, params: new Curriculum({}, ['chase'], 1) };
      // Built backwards: nothing may depend on copy 0 coming first.
      for (let i = copies - 1; i >= 0; i--) chaseGame.createCopy(i, 1, ctx);
      return added;
    };
    const one = arenas(1);
    expect(one).toHaveLength(CHASE_PACK);
    expect(new Set(one.map((a) => a.arena)).size).toBe(1);
    const three = arenas(3);
    expect(three.every((a) => a.behavior === 'chase')).toBe(true);
    expect(new Set(three.map((a) => a.arena)).size).toBe(3);
  });
});

describe('evaluateGame', () => {
  it('cuts an episode that never ends at maxEpisodeTicks and says so, in ticks and decisions', async () => {
    const game = twoTeams(0);
    const t = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
    await t.start();
    const r = evaluateGame(game, t.brain('hunter'), { episodes: 3, seed: 1, maxEpisodeTicks: 50 });
    expect(r.ends).toEqual(['cut', 'cut', 'cut']);
    expect([r.cut, r.terminated, r.truncated]).toEqual([3, 0, 0]);
    // The cap ends the episode at the next decision (every tick here).
    expect(r.lengthTicks).toEqual([50, 50, 50]);
    expect(r.lengthDecisions).toEqual([50, 50, 50]);
  }, 60_000);
});
