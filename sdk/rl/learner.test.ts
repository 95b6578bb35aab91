import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from './backend.node.js';
import { TfjsEngine } from './tfjs-engine.js';
import { KernelsEngine } from './kernels-engine.js';
import { Trainer } from '../runtime/trainer.js';
import { PPOLearner } from './learner.js';
import { resolveConfig } from './config.js';
import { ActorCriticLayout } from './network.js';
import { allocateRollout, type Rollout } from './rollout.js';
import { createCartPole, createPendulum } from '../envs/index.js';
import { Box } from '../core/spaces.js';
import { EnvError } from '../core/errors.js';
import type { Env } from '../core/env.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

const small = { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2, totalSteps: 64 * 2 * 30 };
const engine = (l: ActorCriticLayout) => new TfjsEngine(l);

describe('PPOLearner through the Trainer', () => {
  for (const [name, create] of [['discrete (cartpole)', createCartPole], ['continuous (pendulum)', createPendulum]] as const) {
    it(`keeps tf.memory().numTensors flat across 20 updates after the first: ${name}`, () => {
      const trainer = new Trainer({ env: create, envName: name, config: { ...small, normalizeObs: true, normalizeReward: true }, engine });
      trainer.runUpdate();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) trainer.runUpdate();
      expect(tf.memory().numTensors).toBe(before);
      trainer.dispose();
    });
  }

  it('gives the same learning curve for the same seed, and a different one for another seed', () => {
    const curve = (seed: number) => {
      const trainer = new Trainer({ env: createCartPole, envName: 'cartpole', config: { ...small, seed }, engine });
      const out = Array.from({ length: 4 }, () => {
        const m = trainer.runUpdate();
        return [m.policyLoss, m.valueLoss, m.entropy, m.returnMean];
      });
      trainer.dispose();
      return out;
    };
    const a = curve(5);
    expect(curve(5)).toEqual(a);
    expect(curve(6)).not.toEqual(a);
  });

  it('reports each diagnostic as a finite number with the expected schedule', () => {
    const trainer = new Trainer({ env: createCartPole, envName: 'cartpole', config: { ...small, annealClip: true }, engine });
    const first = trainer.runUpdate();
    const second = trainer.runUpdate();
    for (const key of ['policyLoss', 'valueLoss', 'entropy', 'approxKl', 'clipFraction', 'explainedVariance', 'gradNorm', 'sps'] as const) {
      expect(Number.isFinite(first[key]), key).toBe(true);
    }
    expect(first.learningRate).toBeCloseTo(2.5e-4, 10);
    expect(second.learningRate).toBeCloseTo(2.5e-4 * (1 - 1 / 30), 10);
    expect(second.clipCoef).toBeCloseTo(0.2 * (1 - 1 / 30), 10);
    expect(first.entropy).toBeGreaterThan(0.68); // near ln 2 from the 0.01-gain policy head
    expect([first.engine, first.device]).toEqual(['tfjs', 'wasm']);
    expect(first.step).toBe(128);
    trainer.dispose();
  });

  it("stops after the epoch whose last minibatch's KL passes targetKl with targetKlCheck 'epoch' (CleanRL)", () => {
    const trainer = new Trainer({ env: createCartPole, envName: 'cartpole', config: { ...small, updateEpochs: 10, learningRate: 0.05, schedule: 'constant', targetKl: 1e-6, targetKlCheck: 'epoch' }, engine });
    const m = trainer.runUpdate();
    expect(m.klStop).toBe(true);
    expect(m.epochs).toBeLessThan(10);
    expect(m.minibatches).toBe(m.epochs * small.numMinibatches); // epochs are never cut short
    trainer.dispose();
  });

  it("stops before the Adam step of the first minibatch whose KL passes 1.5 × targetKl, even with updateEpochs 1 (Stable-Baselines3, the default)", () => {
    const config = { ...small, numMinibatches: 4, updateEpochs: 1, learningRate: 0.05, schedule: 'constant' as const };
    const stopped = new Trainer({ env: createCartPole, envName: 'cartpole', config: { ...config, targetKl: 1e-6 }, engine });
    const m = stopped.runUpdate();
    // The first minibatch measures KL 0 (the weights acted this rollout): its step is taken; the
    // second measures the moved weights, passes the target and ends the update unstepped.
    expect(m.klStop).toBe(true);
    expect(m.epochs).toBe(1);
    expect(m.minibatches).toBe(1);
    expect(m.approxKl).toBeGreaterThan(0);
    stopped.dispose();
    const free = new Trainer({ env: createCartPole, envName: 'cartpole', config, engine });
    const f = free.runUpdate();
    expect([f.klStop, f.minibatches]).toEqual([false, 4]);
    free.dispose();
  });
});

describe('PPOLearner on a stale rollout', () => {
  it('reports the lag and still trains; zero lag takes the plain-GAE path', () => {
    const config = resolveConfig({ numEnvs: 1, numSteps: 8, numMinibatches: 2, updateEpochs: 1 });
    const layout = new ActorCriticLayout(3, config.hiddenSizes, 2, false);
    const learner = new PPOLearner({ observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, config, engine: new TfjsEngine(layout) });
    const r = allocateRollout(8, 1, 3, 1, 0);
    r.observations.forEach((_, i) => { r.observations[i] = Math.sin(i); });
    r.actions.forEach((_, i) => { r.actions[i] = i % 2; });
    r.logProbs.fill(Math.log(0.5));
    r.rewards.fill(1);
    expect(learner.train(r).policyLag).toBe(0);
    // Two updates later the same weights-version-0 data is two versions old.
    learner.train({ ...r, policyVersion: 1 });
    const stats = learner.train(r);
    expect(stats.policyLag).toBe(2);
    expect(Number.isFinite(stats.policyLoss)).toBe(true);
    learner.engine.dispose();
  });

  it('trains on rollouts of another size than numSteps × numEnvs (agents come and go in a game)', () => {
    const config = resolveConfig({ numEnvs: 2, numSteps: 8, numMinibatches: 4, updateEpochs: 2, hiddenSizes: [8] });
    const layout = new ActorCriticLayout(3, config.hiddenSizes, 2, false);
    const learner = new PPOLearner({ observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, config, engine: new TfjsEngine(layout) });
    // 16 as configured, 40, and 21 (minibatches of 5 and 6).
    for (const [steps, envs] of [[8, 2], [8, 5], [7, 3]] as const) {
      const r = allocateRollout(steps, envs, 3, 1, 0);
      r.observations.forEach((_, i) => { r.observations[i] = Math.sin(i); });
      r.logProbs.fill(Math.log(0.5));
      r.rewards.fill(1);
      r.policyVersion = learner.version;
      expect(Number.isFinite(learner.train(r).policyLoss)).toBe(true);
    }
    expect(learner.version).toBe(3);
    learner.engine.dispose();
  });

  it('rejects a rollout whose sizes do not match the config, naming the field', () => {
    const config = resolveConfig({ numEnvs: 1, numSteps: 8, numMinibatches: 2 });
    const layout = new ActorCriticLayout(3, config.hiddenSizes, 2, false);
    const learner = new PPOLearner({ observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, config, engine: new TfjsEngine(layout) });
    const r = allocateRollout(8, 1, 4, 1, 0);
    expect(() => learner.train(r)).toThrow(/rollout\.observations has 32 entries, expected 24/);
    expect(() => learner.train(allocateRollout(1, 3, 3, 1, 0))).toThrow(/1 steps × 3 envs = 3 transitions; 2 minibatches need at least 4/);
    learner.engine.dispose();
  });
});

describe('Trainer on a broken environment', () => {
  class Glitchy implements Env {
    readonly observationSpace = Box(-1, 1, 2);
    readonly actionSpace = Box(-1, 1, 1);
    private t = 0;
    reset(): Float32Array { this.t = 0; return new Float32Array(2); }
    step() {
      this.t++;
      return { observation: Float32Array.from([0, this.t === 5 ? NaN : 0]), reward: 0, terminated: false, truncated: false };
    }
  }
  it('raises a clear error naming the env, the step and the index', () => {
    const trainer = new Trainer({ env: () => new Glitchy(), envName: 'glitchy', config: small, engine });
    expect(() => trainer.runUpdate()).toThrow(EnvError);
    expect(() => new Trainer({ env: () => new Glitchy(), envName: 'glitchy', config: small, engine }).runUpdate())
      .toThrow(/glitchy\[0\] step 5: observation\[1\] is NaN/);
  });
});

describe('PPOLearner when the agent count grows mid-run', () => {
  /**
   * A rollout the learner's current weights acted (log-probs and values from its own engine, under
   * the masks), `steps × envs` transitions; action 2 is masked out on odd transitions.
   */
  function actedRollout(learner: PPOLearner, steps: number, envs: number) {
    const N = steps * envs;
    const r = allocateRollout(steps, envs, 3, 1, 3);
    r.observations.forEach((_, i) => { r.observations[i] = Math.sin(0.7 * i); });
    for (let i = 0; i < N; i++) {
      r.masks!.set(i % 2 === 1 ? [1, 1, 0] : [1, 1, 1], i * 3);
      r.actions[i] = i % 2 === 1 ? i % 4 === 1 ? 0 : 1 : 2;
    }
    const { actorOut, values } = learner.engine.forward(r.observations, N);
    for (let i = 0; i < N; i++) {
      learner.dist.evaluate(actorOut, i * 3, r.actions, i, null, r.masks, i * 3);
      r.logProbs[i] = learner.dist.logProb;
      r.values[i] = values[i]!;
      r.rewards[i] = Math.cos(i);
    }
    r.policyVersion = learner.version;
    return r;
  }

  for (const [name, makeEngine] of [['tfjs', (l: ActorCriticLayout) => new TfjsEngine(l)], ['kernels', (l: ActorCriticLayout) => new KernelsEngine(l, 4)]] as const) {
    it(`keeps clipFraction and KL at 0 with masks and with lag at learning rate ≈ 0, whatever the order of sizes (${name})`, () => {
      const config = resolveConfig({ numEnvs: 2, numSteps: 8, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [8], learningRate: 1e-9, schedule: 'constant', staleRollouts: 'decoupled' });
      const layout = new ActorCriticLayout(3, config.hiddenSizes, 3, false);
      const learner = new PPOLearner({ observationSize: 3, actionSpace: { kind: 'discrete', n: 3 }, config, engine: makeEngine(layout) });
      // Fewer agents than configured first (the per-minibatch buffers are sized then), then the
      // configured 2, then 5 (a respawn), then 3; each once on-policy and once a version late.
      for (const envs of [1, 2, 5, 3]) {
        const onPolicy = actedRollout(learner, 8, envs);
        const stale = actedRollout(learner, 8, envs);
        const fresh = learner.train(onPolicy);
        stale.policyVersion = learner.version - 1;
        const lagged = learner.train(stale);
        for (const [name, s] of [['on-policy', fresh], ['lagged', lagged]] as const) {
          expect(s.fault, `${name}, ${envs} agents`).toBeNull();
          expect(s.clipFraction, `${name}, ${envs} agents`).toBe(0);
          expect(s.approxKl, `${name}, ${envs} agents`).toBeLessThan(1e-6);
        }
        expect(lagged.policyLag).toBe(1);
      }
      learner.engine.dispose();
    });
  }
});

describe('PPOLearner with per-row policy versions', () => {
  /** A learner at learning rate ≈ 0 and a rollout its weights acted, 8 rows × 2 agents. */
  function setup(staleRollouts: 'ppo' | 'decoupled' = 'decoupled') {
    const config = resolveConfig({ numEnvs: 2, numSteps: 8, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [8], learningRate: 1e-9, schedule: 'constant', staleRollouts });
    const layout = new ActorCriticLayout(3, config.hiddenSizes, 2, false);
    const learner = new PPOLearner({ observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, config, engine: new TfjsEngine(layout) });
    const warm = allocateRollout(8, 2, 3, 1, 0);
    warm.rewards.fill(1);
    learner.train(warm); // version 1: rows can now be a version old
    const r = allocateRollout(8, 2, 3, 1, 0);
    r.observations.forEach((_, i) => { r.observations[i] = Math.sin(0.3 * i); });
    r.actions.forEach((_, i) => { r.actions[i] = i % 2; });
    const { actorOut, values } = learner.engine.forward(r.observations, 16);
    for (let i = 0; i < 16; i++) {
      learner.dist.evaluate(actorOut, i * 2, r.actions, i, null, null, 0);
      r.logProbs[i] = learner.dist.logProb;
      r.values[i] = values[i]!;
      r.rewards[i] = Math.cos(i);
    }
    r.policyVersion = learner.version;
    return { learner, r };
  }
  const clone = (r: Rollout, versions: number[] | null): Rollout => ({
    ...r, logProbs: Float32Array.from(r.logProbs), versions: versions ? Int32Array.from(versions) : null,
    policyVersion: versions ? Math.min(...versions) : r.policyVersion,
  });

  it('reports lag exactly 0 and takes the on-policy path when every row acted with the current weights', () => {
    const { learner, r } = setup();
    const state = learner.getState();
    const plain = learner.train(clone(r, null));
    const again = new PPOLearner({ observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, config: learner.config, engine: new TfjsEngine(learner.layout), state });
    const perRow = again.train(clone(r, Array(8).fill(1)));
    expect([perRow.policyLag, perRow.policyLagMean]).toEqual([0, 0]);
    expect(perRow).toEqual(plain);
    learner.engine.dispose();
    again.engine.dispose();
  });

  it('corrects exactly the rows that lag, and reports the largest and the mean lag', () => {
    // Rows 0-2 acted with weights μ that gave their actions less probability (log μ = log π − 0.5);
    // the rest acted with the current weights.
    const { learner, r } = setup();
    const stale = clone(r, [0, 0, 0, 1, 1, 1, 1, 1]);
    for (let i = 0; i < 6; i++) stale.logProbs[i]! -= 0.5;
    const s = learner.train(stale);
    expect(s.policyLag).toBe(1);
    expect(s.policyLagMean).toBe(3 / 8);
    // Lagging rows are clipped around π_prox, not μ: ratio 1 everywhere at learning rate ≈ 0.
    expect(s.clipFraction).toBe(0);
    expect(s.approxKl).toBeLessThan(1e-6);

    // The same data declared the other way round: the shifted rows claim the current weights, so
    // the learner trusts their log μ (ratio e^0.5, clipped: 6 of 16 transitions), and the honest
    // rows, said to lag, are corrected to themselves.
    const { learner: other, r: r2 } = setup();
    const liar = clone(r2, [1, 1, 1, 0, 0, 0, 0, 0]);
    for (let i = 0; i < 6; i++) liar.logProbs[i]! -= 0.5;
    const l = other.train(liar);
    expect([l.policyLag, l.policyLagMean]).toEqual([1, 5 / 8]);
    expect(l.clipFraction).toBeCloseTo(6 / 16, 6);
    learner.engine.dispose();
    other.engine.dispose();
  });

  it("staleRollouts 'ppo' (the default): lagging rows train against the policy that acted, and the lag is still reported", () => {
    // The rows of the test above: 0-2 acted with weights μ that gave their actions less probability.
    // PPO's own objective takes μ's log-probs as they came: ratio e^0.5, clipped (6 of 16
    // transitions), where 'decoupled' re-centres them on the learner's weights (none clipped).
    expect(resolveConfig().staleRollouts).toBe('ppo');
    const { learner, r } = setup('ppo');
    const stale = clone(r, [0, 0, 0, 1, 1, 1, 1, 1]);
    for (let i = 0; i < 6; i++) stale.logProbs[i]! -= 0.5;
    const s = learner.train(stale);
    expect([s.policyLag, s.policyLagMean]).toEqual([1, 3 / 8]);
    expect(s.clipFraction).toBeCloseTo(6 / 16, 6);
    learner.engine.dispose();
  });

  it('rejects versions of the wrong type or length, or a policyVersion that is not the oldest, naming the field', () => {
    const { learner, r } = setup();
    expect(() => learner.train({ ...r, versions: Float32Array.from(Array(8).fill(1)) as unknown as Int32Array })).toThrow(/rollout\.versions must be an Int32Array \(one weights version per row\) or null, got Float32Array/);
    expect(() => learner.train({ ...r, versions: new Int32Array(16).fill(1) })).toThrow(/rollout\.versions has 16 entries, expected numSteps = 8 \(one per row\)/);
    expect(() => learner.train({ ...r, policyVersion: 1, versions: Int32Array.from([0, 1, 1, 1, 1, 1, 1, 1]) })).toThrow(/rollout\.policyVersion is 1 but the oldest of rollout\.versions is 0/);
    expect(() => learner.train({ ...r, versions: undefined as unknown as null })).toThrow(/rollout\.versions must be an Int32Array .* got undefined/);
    learner.engine.dispose();
  });
});

describe('PPOLearner schedules', () => {
  const config = (schedule: 'anneal' | 'constant') => resolveConfig({ numEnvs: 1, numSteps: 8, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [4], totalSteps: 16, schedule });
  const run = (schedule: 'anneal' | 'constant') => {
    const c = config(schedule);
    const layout = new ActorCriticLayout(3, c.hiddenSizes, 2, false);
    const learner = new PPOLearner({ observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, config: c, engine: new TfjsEngine(layout) });
    const r = allocateRollout(8, 1, 3, 1, 0);
    r.observations.forEach((_, i) => { r.observations[i] = Math.sin(i); });
    r.logProbs.fill(Math.log(0.5));
    r.rewards.fill(1);
    const out = Array.from({ length: 4 }, () => {
      r.policyVersion = learner.version;
      const before = Float32Array.from(learner.params);
      const s = learner.train(r);
      return { lr: s.learningRate, done: s.scheduleDone, moved: learner.params.some((p, i) => p !== before[i]) };
    });
    learner.engine.dispose();
    return out;
  };

  it("says when an annealed schedule has ended (totalSteps used), on that update and every later one, whose weights no longer move", () => {
    // totalSteps 16 = 2 updates of 8: the third update runs at learning rate 0.
    expect(run('anneal')).toEqual([
      { lr: 2.5e-4, done: false, moved: true }, { lr: 1.25e-4, done: false, moved: true },
      { lr: 0, done: true, moved: false }, { lr: 0, done: true, moved: false },
    ]);
  });

  it("keeps learning after totalSteps with the 'constant' schedule", () => {
    expect(run('constant')).toEqual(Array(4).fill({ lr: 2.5e-4, done: false, moved: true }));
  });
});
