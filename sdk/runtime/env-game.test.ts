/** An Env as a one-agent game: Gymnasium's terminated vs truncated, through the one collector. */
import { describe, it, expect } from 'vitest';
import type { Env } from '../core/env.js';
import { Box, Discrete } from '../core/spaces.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import type { Rollout } from '../rl/rollout.js';
import { Trainer } from './trainer.js';
import { evaluateGame } from './evaluate.js';
import { envGame } from './env-game.js';
import { Curriculum } from './curriculum.js';
import { createCartPole } from '../envs/index.js';

/** Observes its step count; ends after `limit` steps, as a terminal state or a time limit. */
class Countdown implements Env {
  readonly observationSpace = Box(-10, 10, 2);
  readonly actionSpace = Discrete(2);
  private t = 0;
  constructor(private readonly limit: number, private readonly how: 'terminated' | 'truncated') {}
  reset(): Float32Array { this.t = 0; return Float32Array.from([0, 1]); }
  step() {
    this.t++;
    const end = this.t >= this.limit;
    return { observation: Float32Array.from([this.t, 1]), reward: 1, terminated: end && this.how === 'terminated', truncated: end && this.how === 'truncated' };
  }
}

const config = { numEnvs: 1, numSteps: 8, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [8], totalSteps: 800, normalizeObs: false };
function firstRollout(how: 'terminated' | 'truncated'): Rollout {
  const t = new Trainer({ env: () => new Countdown(3, how), envName: 'countdown', config, engine: (l) => new KernelsEngine(l) });
  t.runUpdate();
  return (t as unknown as { rollout: Rollout }).rollout;
}

describe('envGame', () => {
  it('a time limit is a truncation: bootstrapped from V(final observation), and the next row observes the reset', () => {
    const r = firstRollout('truncated');
    expect(Array.from(r.truncated)).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(r.terminated)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.finalValues[2]).not.toBe(0);
    expect(r.finalValues[5]).not.toBe(0);
    expect([r.finalValues[0], r.finalValues[1], r.finalValues[3]]).toEqual([0, 0, 0]);
    // Rows hold the observation acted on: 0, 1, 2, then the reset's 0 again.
    expect(Array.from(r.observations.filter((_, i) => i % 2 === 0))).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
  });

  it('a terminal state is not bootstrapped', () => {
    const r = firstRollout('terminated');
    expect(Array.from(r.terminated)).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(r.truncated)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(r.finalValues)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('evaluates a brain in the env with the game evaluation, naming the episode ends', () => {
    const t = new Trainer({ env: () => new Countdown(3, 'truncated'), envName: 'countdown', config, engine: (l) => new KernelsEngine(l) });
    const r = evaluateGame(envGame('countdown', () => new Countdown(3, 'truncated')), t.brain(), { episodes: 2, seed: 1 });
    expect([r.returns, r.lengthTicks, r.lengthDecisions, r.ends]).toEqual([[3, 3], [3, 3], [3, 3], ['truncated', 'truncated']]);
    // The brain records the env's own observation bounds.
    expect(t.brain().observationSpace).toEqual(Box(-10, 10, 2));
    t.dispose();
  });

  it('keeps CartPole\'s env seeding: copy i is first reset with seed + i', () => {
    const game = envGame('cartpole', createCartPole, { numEnvs: 2 });
    const seen: number[][] = [];
    const ctx = { addAgent: () => {}, removeAgent: () => false, params: new Curriculum({}, ['x'], 1) };
    for (const i of [0, 1]) {
      const copy = game.createCopy(i, 40, ctx);
      copy.agent.onEpisodeBegin();
      const obs: number[] = [];
      copy.agent.collectObservations({ add: (x: number) => obs.push(x), addArray: (xs: ArrayLike<number>) => obs.push(...Array.from(xs)), addOneHot: () => {} });
      seen.push(obs);
    }
    expect(seen[0]).toEqual(Array.from(createCartPole(0).reset(40)));
    expect(seen[1]).toEqual(Array.from(createCartPole(1).reset(41)));
  });
});
