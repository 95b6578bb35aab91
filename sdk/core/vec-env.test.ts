import { describe, it, expect } from 'vitest';
import type { Env, EnvFactory, StepResult } from './env.js';
import { EnvError } from './errors.js';
import { Box, Discrete, Hybrid, MultiDiscrete, type Action, type BoxSpace, type Space } from './spaces.js';
import { VecEnv } from './vec-env.js';
import { createCartPole } from '../envs/cartpole.js';

interface FakeOptions {
  /** Episode length; the last step terminates, or truncates when `truncate` is set. */
  length?: number;
  truncate?: boolean;
  actionSpace?: Space;
  obsSize?: number;
  /** Misbehave at this step (1-based within the episode; 0 means at reset). */
  badAt?: number;
  bad?: 'nan' | 'short' | 'infReward';
}

/** Observation `[episodesStarted, t, lastAction]`; reward is `t`; reuses one buffer like real envs. */
class FakeEnv implements Env {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  episodes = 0;
  t = 0;
  received: Action[] = [];
  private obs: Float32Array;
  constructor(readonly o: FakeOptions = {}) {
    this.observationSpace = Box(-Infinity, Infinity, o.obsSize ?? 3);
    this.actionSpace = o.actionSpace ?? Discrete(2);
    this.obs = new Float32Array(this.observationSpace.size);
  }
  reset(): Float32Array {
    this.episodes++;
    this.t = 0;
    return this.write(0);
  }
  step(action: Action): StepResult {
    this.received.push(typeof action === 'number' ? action : Float32Array.from(action));
    this.t++;
    const ended = this.t >= (this.o.length ?? 3);
    const reward = this.o.bad === 'infReward' && this.o.badAt === this.t ? Infinity : this.t;
    return { observation: this.write(typeof action === 'number' ? action : action[0]!), reward, terminated: ended && !this.o.truncate, truncated: ended && !!this.o.truncate };
  }
  private write(lastAction: number): Float32Array {
    const badNow = this.o.badAt === this.t;
    if (badNow && this.o.bad === 'short') return new Float32Array(this.observationSpace.size - 1);
    this.obs[0] = this.episodes;
    this.obs[1] = this.t;
    this.obs[2] = badNow && this.o.bad === 'nan' ? NaN : lastAction;
    return this.obs;
  }
}

const fakes = (opts: FakeOptions | ((i: number) => FakeOptions)) => {
  const envs: FakeEnv[] = [];
  const factory: EnvFactory = (i) => {
    const env = new FakeEnv(typeof opts === 'function' ? opts(i) : opts);
    envs.push(env);
    return env;
  };
  return { envs, factory };
};

describe('VecEnv', () => {
  it('exposes sizes and spaces from env 0', () => {
    const vec = new VecEnv(fakes({ actionSpace: MultiDiscrete([2, 3]) }).factory, 4);
    expect([vec.numEnvs, vec.observationSize, vec.actionSize]).toEqual([4, 3, 2]);
    expect(vec.actionSpace).toEqual(MultiDiscrete([2, 3]));
  });

  it('auto-resets, keeping the final observation, and records episodes in completion order', () => {
    // Env 0 lasts 2 steps (terminates), env 1 lasts 3 (truncates).
    const { factory } = fakes((i) => ({ length: 2 + i, truncate: i === 1 }));
    const vec = new VecEnv(factory, 2);
    expect(Array.from(vec.reset())).toEqual([1, 0, 0, 1, 0, 0]);

    let s = vec.step(Float32Array.of(1, 0));
    expect(Array.from(s.observations)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(s.terminated)).toEqual([0, 0]);

    s = vec.step(Float32Array.of(0, 1));
    expect(Array.from(s.terminated)).toEqual([1, 0]);
    expect(Array.from(s.truncated)).toEqual([0, 0]);
    expect(Array.from(s.finalObservations.subarray(0, 3))).toEqual([1, 2, 0]); // last obs of episode 1
    expect(Array.from(s.observations)).toEqual([2, 0, 0, 1, 2, 1]); // env 0 already in episode 2
    expect(Array.from(s.rewards)).toEqual([2, 2]);

    s = vec.step(Float32Array.of(1, 1));
    expect(Array.from(s.terminated)).toEqual([0, 0]);
    expect(Array.from(s.truncated)).toEqual([0, 1]);
    expect(Array.from(s.finalObservations.subarray(3, 6))).toEqual([1, 3, 1]);
    expect(Array.from(s.observations.subarray(3, 6))).toEqual([2, 0, 0]);

    expect(vec.drainEpisodes()).toEqual([{ return: 3, length: 2 }, { return: 6, length: 3 }]);
    expect(vec.drainEpisodes()).toEqual([]);
  });

  it('reuses its output buffers', () => {
    const vec = new VecEnv(fakes({}).factory, 2);
    const obs = vec.reset();
    const a = vec.step(Float32Array.of(0, 0));
    const b = vec.step(Float32Array.of(0, 0));
    expect(a.observations).toBe(obs);
    expect(b.rewards).toBe(a.rewards);
    expect(b.finalObservations).toBe(a.finalObservations);
  });

  it('passes discrete actions as numbers and other actions as per-env row copies', () => {
    const d = fakes({});
    const vd = new VecEnv(d.factory, 2);
    vd.reset();
    vd.step(Float32Array.of(1, 0));
    expect(d.envs.map((e) => e.received[0])).toEqual([1, 0]);

    const c = fakes({ actionSpace: Box(-1, 1, 2) });
    const vc = new VecEnv(c.factory, 2);
    vc.reset();
    vc.step(Float32Array.of(0.5, 7, -3, 0)); // out of bounds passes unchanged: clipping is the learner's job
    expect(c.envs.map((e) => Array.from(e.received[0] as Float32Array))).toEqual([[0.5, 7], [-3, 0]]);
  });

  it('sets truncated only when not also terminated', () => {
    class Both extends FakeEnv {
      override step(action: Action): StepResult { return { ...super.step(action), terminated: true, truncated: true }; }
    }
    const vec = new VecEnv(() => new Both(), 1);
    vec.reset();
    const s = vec.step(Float32Array.of(0));
    expect([s.terminated[0], s.truncated[0]]).toEqual([1, 0]);
  });

  it('seeds env i with seed + i, reproducibly', () => {
    const run = (seed: number) => {
      const vec = new VecEnv(createCartPole, 3, 'cartpole');
      const out = [Array.from(vec.reset(seed))];
      for (let t = 0; t < 40; t++) out.push(Array.from(vec.step(Float32Array.of(t % 2, 1, 0)).observations));
      return out;
    };
    expect(run(10)).toEqual(run(10));
    expect(run(10)).not.toEqual(run(11));
    // Env 1 seeded with 10 + 1 starts where env 0 seeded with 11 starts.
    const a = new VecEnv(createCartPole, 2).reset(10).slice(4, 8);
    const b = new VecEnv(createCartPole, 1).reset(11);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('VecEnv errors', () => {
  const stepUntilThrow = (vec: VecEnv, steps: number) => () => {
    vec.reset();
    for (let t = 0; t < steps; t++) vec.step(new Float32Array(vec.numEnvs * vec.actionSize));
  };

  it('names env, index, step and the NaN entry', () => {
    const { factory } = fakes((i) => (i === 2 ? { length: 100, badAt: 57, bad: 'nan' } : { length: 100 }));
    const vec = new VecEnv(factory, 3, 'cartpole');
    expect(stepUntilThrow(vec, 60)).toThrow(EnvError);
    expect(stepUntilThrow(vec, 60)).toThrow('cartpole[2] step 57: observation[2] is NaN (expected 3 finite numbers)');
  });

  it('reports a wrong observation length, at reset too', () => {
    const vec = new VecEnv(fakes({ badAt: 4, bad: 'short', length: 10 }).factory, 1);
    expect(stepUntilThrow(vec, 5)).toThrow('env[0] step 4: observation has length 2, expected 3 (observationSpace.size)');
    const atReset = new VecEnv(fakes({ badAt: 0, bad: 'short' }).factory, 2, 'game');
    expect(() => atReset.reset()).toThrow('game[0] reset: observation has length 2, expected 3 (observationSpace.size)');
  });

  it('reports a non-finite reward', () => {
    const vec = new VecEnv(fakes((i) => (i === 1 ? { badAt: 2, bad: 'infReward' } : {})).factory, 2, 'g');
    expect(stepUntilThrow(vec, 3)).toThrow('g[1] step 2: reward is Infinity');
  });

  it('rejects discrete actions out of range or fractional', () => {
    const vec = new VecEnv(fakes({}).factory, 2, 'cartpole');
    vec.reset();
    expect(() => vec.step(Float32Array.of(0, 5))).toThrow('cartpole[1] step 1: action 5 is out of range for Discrete(2)');
    expect(() => vec.step(Float32Array.of(0.5, 0))).toThrow('action 0.5 is out of range for Discrete(2)');
    const md = new VecEnv(fakes({ actionSpace: MultiDiscrete([2, 3]) }).factory, 1);
    md.reset();
    expect(() => md.step(Float32Array.of(1, 3))).toThrow('env[0] step 1: action[1] = 3 is out of range for MultiDiscrete([2,3])');
  });

  it('checks a hybrid row as reals, then branch choices', () => {
    const { factory, envs } = fakes({ actionSpace: Hybrid(Box(-1, 1, 2), MultiDiscrete([3])) });
    const vec = new VecEnv(factory, 1);
    vec.reset();
    vec.step(Float32Array.of(5, -0.5, 2)); // reals pass unclipped, as for Box
    expect(Array.from(envs[0]!.received[0] as Float32Array)).toEqual([5, -0.5, 2]);
    expect(() => vec.step(Float32Array.of(0, NaN, 0))).toThrow('env[0] step 2: action[1] is NaN');
    expect(() => vec.step(Float32Array.of(0, 0, 3))).toThrow('env[0] step 2: action[2] = 3 is out of range for Hybrid(Box(2),MultiDiscrete([3]))');
  });

  it('rejects a wrongly sized actions array and stepping before reset', () => {
    const vec = new VecEnv(fakes({}).factory, 2);
    expect(() => vec.step(Float32Array.of(0, 0))).toThrow('env: call reset() before step()');
    vec.reset();
    expect(() => vec.step(Float32Array.of(0))).toThrow('env: step() got 1 actions, expected 2 (numEnvs 2 × actionSize 1)');
  });

  it('rejects envs whose spaces differ from env 0', () => {
    expect(() => new VecEnv(fakes((i) => ({ obsSize: 3 + i })).factory, 2, 'g')).toThrow('g[1]: observationSpace.size is 4, but g[0] has 3');
    expect(() => new VecEnv(fakes((i) => ({ actionSpace: Discrete(2 + i) })).factory, 2, 'g')).toThrow("g[1]: actionSpace Discrete(3) differs from g[0]'s Discrete(2)");
    expect(() => new VecEnv(fakes({}).factory, 0)).toThrow(/numEnvs must be a positive integer/);
  });
});
