import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from './backend.node.js';
import { TfjsEngine } from './tfjs-engine.js';
import { KernelsEngine } from './kernels-engine.js';
import { PPOLearner } from './learner.js';
import { resolveConfig } from './config.js';
import { ActorCriticLayout } from './network.js';
import { allocateRollout, type Rollout } from './rollout.js';
import type { ComputeEngine, ForwardResult } from './engine.js';
import type { DeviceName, EngineName } from './metrics.js';
import { FaultGuard, TrainingFaultError, describeParam, firstNonFinite } from './fault-guard.js';
import { Rng } from '../core/rng.js';
import { Trainer } from '../runtime/trainer.js';
import { createCartPole } from '../envs/index.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

const OBS = 3;
const config = resolveConfig({ numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16], maxConsecutiveFaults: 3 });
const layout = new ActorCriticLayout(OBS, config.hiddenSizes, 2, false);

/** A plausible discrete rollout from seed `seed`, gathered by weights `version`. */
function rollout(seed: number, version: number, rewardScale = 1): Rollout {
  const rng = new Rng(seed);
  const r = allocateRollout(config.numSteps, config.numEnvs, OBS, 1, 0);
  r.observations.forEach((_, i) => { r.observations[i] = rng.normal(); });
  r.actions.forEach((_, i) => { r.actions[i] = rng.next() < 0.5 ? 0 : 1; });
  r.logProbs.fill(Math.log(0.5));
  r.rewards.forEach((_, i) => { r.rewards[i] = rewardScale * rng.normal(); });
  r.policyVersion = version;
  return r;
}

/** Wraps an engine and corrupts chosen calls: the faults a broken backend or a driver bug would cause. */
class FaultyEngine implements ComputeEngine {
  readonly name: EngineName;
  readonly device: DeviceName;
  readonly layout: ActorCriticLayout;
  /** What the next affected call does. */
  mode: 'none' | 'nan-grads' | 'nan-forward' | 'throw' = 'none';
  /** Backward calls before `mode` kicks in (so some minibatches have already stepped). */
  after = 0;
  private backwards = 0;
  constructor(readonly inner: ComputeEngine) {
    this.name = inner.name;
    this.device = inner.device;
    this.layout = inner.layout;
  }
  setParams(params: Float32Array): void { this.inner.setParams(params); }
  forward(obs: Float32Array, batch: number): ForwardResult {
    const out = this.inner.forward(obs, batch);
    if (this.mode === 'nan-forward' && this.backwards >= this.after) out.values[0] = NaN;
    return out;
  }
  backward(dActorOut: Float32Array, dValues: Float32Array, grads: Float32Array): void {
    this.inner.backward(dActorOut, dValues, grads);
    if (this.backwards++ < this.after) return;
    if (this.mode === 'nan-grads') grads[7] = NaN;
    if (this.mode === 'throw') throw new Error('engine lost its device');
  }
  arm(mode: FaultyEngine['mode'], after: number): void { this.mode = mode; this.after = after; this.backwards = 0; }
  dispose(): void { this.inner.dispose(); }
}

const engines = [
  ['kernels', () => new KernelsEngine(layout, config.minibatchSize)],
  ['tfjs-wasm', () => new TfjsEngine(layout)],
] as const;

for (const [name, makeEngine] of engines) {
  describe(`numerical fault guard (${name} engine)`, () => {
    const setup = () => {
      const engine = new FaultyEngine(makeEngine());
      const learner = new PPOLearner({ observationSize: OBS, actionSpace: { kind: 'discrete', n: 2 }, config, engine });
      learner.train(rollout(1, 0));
      return { engine, learner };
    };
    const snapshot = (learner: PPOLearner) => learner.getState();

    for (const [fault, inject, expected] of [
      ['a reward of 1e38 (advantages overflow)', (e: FaultyEngine, l: PPOLearner) => { e.arm('none', 0); return rollout(2, l.version, 1e38); }, /loss = NaN|loss = Infinity|gradient norm/],
      ['NaN gradients from the engine after 2 minibatches', (e: FaultyEngine, l: PPOLearner) => { e.arm('nan-grads', 2); return rollout(2, l.version); }, /gradient norm = NaN \(epoch 2, minibatch 1\)/],
      ['a NaN value from the forward pass', (e: FaultyEngine, l: PPOLearner) => { e.arm('nan-forward', 1); return rollout(2, l.version); }, /value loss = NaN \(epoch 1, minibatch 2\)/],
    ] as const) {
      it(`discards an update with ${fault}, restores weights and Adam state, then trains on`, () => {
        const { engine, learner } = setup();
        const before = snapshot(learner);
        const stats = learner.train(inject(engine, learner));
        expect(stats.fault).toMatch(expected);
        expect(stats.faults).toBe(1);
        expect(stats.consecutiveFaults).toBe(1);
        const after = snapshot(learner);
        expect(after.params).toEqual(before.params);
        expect(after.adam).toEqual(before.adam);
        expect(after.version).toBe(before.version);
        expect(after.updates).toBe(before.updates);
        // The engine acts with the restored weights, not the poisoned ones.
        engine.arm('none', 0);
        const obs = rollout(9, 0).observations;
        const fresh = new PPOLearner({ observationSize: OBS, actionSpace: { kind: 'discrete', n: 2 }, config, engine: makeEngine(), state: before });
        expect(Array.from(learner.engine.forward(obs, 4).values)).toEqual(Array.from(fresh.engine.forward(obs, 4).values));
        fresh.engine.dispose();

        const good = learner.train(rollout(3, learner.version));
        expect(good.fault).toBeNull();
        expect(good.consecutiveFaults).toBe(0);
        expect(good.faults).toBe(1);
        expect(learner.version).toBe(before.version + 1);
        expect(firstNonFinite(learner.params)).toBe(-1);
        learner.engine.dispose();
      });
    }

    it('restores the state when the engine throws mid-update, and lets the error through', () => {
      const { engine, learner } = setup();
      const before = snapshot(learner);
      engine.arm('throw', 3);
      expect(() => learner.train(rollout(2, learner.version))).toThrow(/engine lost its device/);
      expect(snapshot(learner)).toEqual(before);
      engine.arm('none', 0);
      expect(learner.train(rollout(3, learner.version)).fault).toBeNull();
      learner.engine.dispose();
    });

    it('with rebuildEngine, replaces an engine that throws mid-update and retries: the same update as without the crash', () => {
      const crashing = new FaultyEngine(makeEngine());
      crashing.arm('throw', 3);
      const learner = new PPOLearner({
        observationSize: OBS, actionSpace: { kind: 'discrete', n: 2 }, config, engine: crashing, rebuildEngine: () => new FaultyEngine(makeEngine()),
      });
      const control = new PPOLearner({ observationSize: OBS, actionSpace: { kind: 'discrete', n: 2 }, config, engine: makeEngine() });
      for (let u = 0; u < 3; u++) {
        const stats = learner.train(rollout(u + 1, learner.version));
        control.train(rollout(u + 1, control.version));
        expect(stats.engineRestarts).toBe(1);
        expect(stats.fault).toBeNull();
      }
      expect(learner.engine).not.toBe(crashing);
      expect(learner.version).toBe(3);
      expect(learner.getState()).toEqual(control.getState());
      learner.engine.dispose();
      control.engine.dispose();
    });

    it(`stops with a TrainingFaultError after maxConsecutiveFaults (${config.maxConsecutiveFaults}) in a row, keeping the last good weights`, () => {
      const { engine, learner } = setup();
      const good = snapshot(learner);
      engine.arm('nan-grads', 0);
      expect(learner.train(rollout(2, learner.version)).consecutiveFaults).toBe(1);
      expect(learner.train(rollout(3, learner.version)).consecutiveFaults).toBe(2);
      let error: unknown;
      try { learner.train(rollout(4, learner.version)); } catch (err) { error = err; }
      expect(error).toBeInstanceOf(TrainingFaultError);
      expect((error as Error).message).toMatch(/3 updates in a row went non-finite.*gradient norm = NaN.*last good weights/);
      expect(snapshot(learner).params).toEqual(good.params);
      learner.engine.dispose();
    });

    it('rejects non-finite rollout data before it reaches the update, naming the field and where', () => {
      const { learner } = setup();
      const r = rollout(2, learner.version);
      r.observations[2 * OBS + 1] = NaN;
      expect(() => learner.train(r)).toThrow(/rollout\.observations holds NaN at transition 2, value 1/);
      const r2 = rollout(2, learner.version);
      r2.rewards[5] = Infinity;
      expect(() => learner.train(r2)).toThrow(/rollout\.rewards holds Infinity at index 5/);
      expect(learner.train(rollout(3, learner.version)).faults).toBe(0);
      learner.engine.dispose();
    });
  });
}

describe('Trainer (the CLI learner) on an engine that crashes', () => {
  it('rebuilds the engine from its factory and the update goes through', () => {
    let built = 0;
    const trainer = new Trainer({
      env: createCartPole, envName: 'cartpole', config: { numEnvs: 2, numSteps: 32, numMinibatches: 2, updateEpochs: 1, totalSteps: 6400 },
      engine: (l) => { const e = new FaultyEngine(new KernelsEngine(l, 32)); if (built++ === 0) e.arm('throw', 1); return e; },
    });
    const m = trainer.runUpdate();
    expect(built).toBe(2);
    expect(m.engineRestarts).toBe(1);
    expect(m.update).toBe(1);
    expect(trainer.runUpdate().update).toBe(2);
    trainer.dispose();
  });
});

describe('numerical fault guard: tensors', () => {
  it('leaks no tfjs tensors across discarded updates', () => {
    const engine = new FaultyEngine(new TfjsEngine(layout));
    const learner = new PPOLearner({ observationSize: OBS, actionSpace: { kind: 'discrete', n: 2 }, config: { ...config, maxConsecutiveFaults: 100 }, engine });
    learner.train(rollout(1, 0));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) {
      engine.arm(i % 2 ? 'nan-grads' : 'none', 1);
      learner.train(rollout(i + 2, learner.version));
    }
    engine.arm('throw', 0);
    expect(() => learner.train(rollout(20, learner.version))).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    learner.engine.dispose();
  });
});

describe('FaultGuard', () => {
  it('names the first non-finite weight by layer', () => {
    const params = new Float32Array(layout.size);
    expect(FaultGuard.checkState(layout, params)).toBeNull();
    params[layout.critic[1]!.b] = Infinity;
    expect(FaultGuard.checkState(layout, params)).toBe('weight critic layer 2 b[0] = Infinity');
    params[layout.actor[0]!.w + 5] = NaN;
    expect(FaultGuard.checkState(layout, params)).toBe(`weight actor layer 1 W[5] (of ${OBS}×16) = NaN`);
    const cont = new ActorCriticLayout(2, [4], 2, true);
    expect(describeParam(cont, cont.logStd + 1)).toBe('log-std[1]');
  });

  it('firstNonFinite finds NaN and ±Infinity, not large finite values', () => {
    expect(firstNonFinite(Float32Array.from([3.4e38, -3.4e38, 0]))).toBe(-1);
    expect(firstNonFinite(Float32Array.from([1, -Infinity]))).toBe(1);
    expect(firstNonFinite(Float32Array.from([NaN]))).toBe(0);
  });
});
