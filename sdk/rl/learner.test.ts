import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from './backend.node.js';
import { TfjsEngine } from './tfjs-engine.js';
import { Trainer } from '../runtime/trainer.js';
import { PPOLearner } from './learner.js';
import { resolveConfig } from './config.js';
import { ActorCriticLayout } from './network.js';
import { allocateRollout } from './rollout.js';
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
    expect(first.backend).toBe('wasm');
    expect(first.step).toBe(128);
    trainer.dispose();
  });

  it('stops the epochs early once approx KL passes targetKl', () => {
    const trainer = new Trainer({ env: createCartPole, envName: 'cartpole', config: { ...small, updateEpochs: 10, learningRate: 0.05, annealLr: false, targetKl: 1e-6 }, engine });
    const m = trainer.runUpdate();
    expect(m.epochs).toBeLessThan(10);
    trainer.dispose();
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
