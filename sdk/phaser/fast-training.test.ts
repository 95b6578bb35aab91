/**
 * Fast mode's page side with a stub fast-mode worker (a FastWorkerApi served by comlink over an
 * in-process MessageChannel): updates' weights reach the scene's behavior, their metrics reach the
 * training log as live metrics, and a worker terminated from outside is replaced from the last
 * checkpoint.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import * as Comlink from 'comlink';
import type Phaser from 'phaser';
import { Behavior } from './behavior.js';
import { FastTraining } from './fast-training.js';
import { enableTrainingLog, trainingLog, TESTING_FLAGS_KEY, TRAINING_LOG_KEY } from './training-log.js';
import { brainOf, type Brain } from '../io/brain.js';
import { loadBrain } from '../io/brain.node.js';
import type { FastUpdate } from '../runtime/fast-trainer.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import type { FastTrainOptions, FastWorkerApi } from '../runtime/fast-worker.js';
import { balanceGame } from '../../games/balance/headless.js';
import { balanceCart } from '../../games/balance/cart.js';

vi.mock('./learner-worker.js', () => ({ startLearnerWorker: () => { throw new Error('no learner worker in this test'); } }));

const shipped = loadBrain('games/balance/brain.json');
const STEPS_PER_UPDATE = 100;

function brainAt(u: FastUpdate): Brain {
  return brainOf({ name: 'balance', observationSpace: shipped.observationSpace, actionSpace: shipped.actionSpace, config: shipped.config,
    observationStats: null, steps: u.step, source: { params: u.params, version: u.policyVersion } });
}

/**
 * A stub worker: each update's weights are all `policyVersion`; it resumes from `opts.brain`.
 * Update v is of behavior `names[v % names.length]` (a game of several behaviors streams them in turn).
 */
function stubWorker(trainCalls: FastTrainOptions[], names: readonly string[] = ['worker-side name']): Worker {
  const { port1, port2 } = new MessageChannel();
  let last: FastUpdate | null = null;
  let stopped = false;
  const api: FastWorkerApi = {
    async train(opts, onUpdate) {
      trainCalls.push(opts);
      const from = opts.brain?.policyVersion ?? 0;
      // As exposeFastTrainer does with demonstrations: update 0 first, the cloned weights (all -1 here).
      if (opts.demonstrations) {
        await onUpdate({
          behavior: 'worker-side name', backend: 'kernels', backendReason: 'stub', engine: 'kernels', device: 'wasm',
          policyVersion: 0, update: 0, step: 0, returnMean: NaN, episodeLength: NaN, sps: 0, policyLoss: NaN,
          params: new Float32Array(shipped.params.length).fill(-1), observationStats: null,
          pretrain: { epochs: 3, steps: 6, trainRows: opts.demonstrations.data.steps, heldOutRows: 0, train: { nll: 0.5, accuracy: 0.9, meanAbsError: NaN }, heldOut: null, nllHistory: [0.9, 0.7, 0.5] },
        } as unknown as FastUpdate);
      }
      for (let v = from + 1; !stopped && v <= (opts.maxSteps ?? Infinity) / STEPS_PER_UPDATE; v++) {
        last = {
          behavior: names[v % names.length]!, backend: 'kernels', backendReason: 'stub', engine: 'kernels', device: 'wasm',
          policyVersion: v, update: v, step: v * STEPS_PER_UPDATE, returnMean: v, episodeLength: 10, sps: 1000,
          params: new Float32Array(shipped.params.length).fill(v), observationStats: null,
        } as unknown as FastUpdate;
        // As exposeFastTrainer does: every `checkpointEvery`-th update carries the brain at it.
        const every = opts.checkpointEvery ?? 0;
        await onUpdate(every > 0 && v % every === 0 ? { ...last, checkpoint: brainAt(last) } : last);
      }
    },
    stop() { stopped = true; },
    async act() {},
    async brain(): Promise<Brain> {
      if (!last) throw new Error('no brain yet');
      return brainAt(last);
    },
  };
  Comlink.expose(api, port1);
  const worker = {
    postMessage: port2.postMessage.bind(port2),
    addEventListener: port2.addEventListener.bind(port2),
    removeEventListener: port2.removeEventListener.bind(port2),
    start: () => port2.start(),
    terminate: () => { stopped = true; port1.close(); port2.close(); },
  };
  return worker as unknown as Worker;
}

function behavior(name = 'balance'): Behavior {
  const b = new Behavior({
    name, observationSize: 0, actionSpec: balanceGame.actionSpec, type: 'inference', brain: shipped,
    learner: () => { throw new Error('fast mode must not start a live learner'); },
  }, new EventEmitter() as unknown as Phaser.Events.EventEmitter);
  b.addAgent(balanceCart(0, 7).agent);
  return b;
}

afterEach(() => {
  const g = globalThis as Record<string, unknown>;
  delete g[TESTING_FLAGS_KEY];
  delete g[TRAINING_LOG_KEY];
});

describe('FastTraining', () => {
  it('plays every update in the behavior and logs it as live metrics', async () => {
    enableTrainingLog();
    const b = behavior();
    const calls: FastTrainOptions[] = [];
    const fast = new FastTraining(b, () => stubWorker(calls));
    const seen: number[] = [];
    await new Promise<void>((done) => fast.start({ seed: 1, backend: 'auto', maxSteps: 8 * STEPS_PER_UPDATE, onUpdate: (m) => {
      seen.push(m.policyVersion);
      if (m.policyVersion === 8) done();
    } }));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    b.applyPendingWeights();
    const acting = await b.brain();
    expect(acting.policyVersion).toBe(8);
    expect(acting.params.every((x) => x === 8)).toBe(true);
    const log = trainingLog()!.behaviors.balance!;
    expect(log.metrics.map((m) => m.policyVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Live metrics' record: the scene's behavior name, engine and device, no weights riding along.
    expect(log.metrics.at(-1)).toMatchObject({ behavior: 'balance', engine: 'kernels', device: 'wasm', droppedRollouts: 0 });
    expect(log.metrics.at(-1)).not.toHaveProperty('params');
    expect(log.backend).toEqual({ backend: 'kernels', reason: 'stub' });
    expect(b.latest?.policyVersion).toBe(8);
    fast.stop();
    expect(fast.running).toBe(false);
  });

  it('replaces a worker terminated from outside, resuming from the last checkpoint', async () => {
    const b = behavior();
    const calls: FastTrainOptions[] = [];
    const workers: Worker[] = [];
    const fast = new FastTraining(b, () => {
      const w = stubWorker(calls);
      workers.push(w);
      return w;
    });
    const restarts: string[] = [];
    let killed = false;
    await new Promise<void>((done) => fast.start({ seed: 1, backend: 'auto', maxSteps: 20 * STEPS_PER_UPDATE,
      onRestart: (reason, n) => restarts.push(`${n}: ${reason}`),
      onUpdate: (m) => {
        // Kill the first worker right after the update that carries its checkpoint (the 5th): a
        // checkpoint fetched from the worker afterwards never arrives (the old way resumed from 0).
        if (!killed && m.policyVersion === 5) {
          killed = true;
          workers[0]!.terminate();
        }
        if (m.policyVersion === 20) done();
      } }));
    expect(restarts).toEqual(['1: terminated from outside']);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.brain).toBeUndefined();
    // Resumed from the checkpoint of update 5, not from scratch.
    expect(calls[1]!.brain?.policyVersion).toBe(5);
    expect(calls[1]!.brain?.params.every((x) => x === 5)).toBe(true);
    b.applyPendingWeights();
    expect((await b.brain()).policyVersion).toBe(20);
    fast.stop();
  });

  it('with demonstrations, plays update 0 (the cloned weights) in the behavior but leaves it out of the training log', async () => {
    enableTrainingLog();
    const b = behavior();
    const calls: FastTrainOptions[] = [];
    const fast = new FastTraining(b, () => stubWorker(calls));
    const steps = 4;
    const data: DemonstrationData = {
      behavior: 'balance', observationSize: 0, actionSpace: shipped.actionSpace, steps, observations: new Float32Array(0),
      actions: new Float32Array([0, 1, 2, 1]), masks: null, rewards: new Float32Array(steps).fill(1), ends: new Uint8Array([0, 0, 0, 1]),
    };
    const seen: { update: number; pretrainRows: number | null; logged: number; latest: number | null }[] = [];
    // The brain acting after each update (read at once: the behavior has no learner).
    const acting: Promise<Brain>[] = [];
    await new Promise<void>((done) => fast.start({ seed: 1, backend: 'auto', maxSteps: 2 * STEPS_PER_UPDATE, demonstrations: { data }, onUpdate: (m, u) => {
      b.applyPendingWeights();
      acting.push(b.brain());
      seen.push({ update: u.update, pretrainRows: u.pretrain?.trainRows ?? null, logged: trainingLog()!.behaviors.balance!.metrics.length, latest: b.latest?.policyVersion ?? null });
      if (u.update === 2) done();
    } }));
    // The demonstration reached the worker whole (copied: the page keeps its own).
    expect(calls[0]!.demonstrations!.data.actions).toEqual(data.actions);
    expect(data.actions.length).toBe(steps);
    expect(seen).toEqual([
      { update: 0, pretrainRows: steps, logged: 0, latest: null },
      { update: 1, pretrainRows: null, logged: 1, latest: 1 },
      { update: 2, pretrainRows: null, logged: 2, latest: 2 },
    ]);
    expect((await Promise.all(acting)).map((x) => [x.policyVersion, x.params[0]])).toEqual([[0, -1], [1, 1], [2, 2]]);
    expect(fast.last?.update).toBe(2);
    fast.stop();
  });

  /** The version and first weight of the brain `b` acts with now. */
  async function acting(b: Behavior): Promise<[number, number]> {
    b.applyPendingWeights();
    const x = await b.brain();
    return [x.policyVersion, x.params[0]!];
  }

  it('given a behavior lookup, plays each update in the behavior of its name (a game of several behaviors)', async () => {
    enableTrainingLog();
    const scene = { balance: behavior('balance'), other: behavior('other') };
    const fast = new FastTraining((name) => scene[name as keyof typeof scene] ?? null, () => stubWorker([], ['balance', 'other']));
    const seen: string[] = [];
    await new Promise<void>((done) => fast.start({ seed: 1, backend: 'auto', maxSteps: 5 * STEPS_PER_UPDATE, onUpdate: (m, u) => {
      seen.push(`${m.behavior} ${u.update}`);
      if (u.update === 5) done();
    } }));
    fast.stop();
    expect(seen).toEqual(['other 1', 'balance 2', 'other 3', 'balance 4', 'other 5']);
    expect(await acting(scene.balance)).toEqual([4, 4]);
    expect(await acting(scene.other)).toEqual([5, 5]);
    const log = trainingLog()!.behaviors;
    expect(log.balance!.metrics.map((m) => m.policyVersion)).toEqual([2, 4]);
    expect(log.other!.metrics.map((m) => m.policyVersion)).toEqual([1, 3, 5]);
    // The worker is gone: each behavior's brain comes from its own newest update.
    expect((await fast.brain(undefined, 'balance'))?.policyVersion).toBe(4);
    expect((await fast.brain(undefined, 'other'))?.policyVersion).toBe(5);
  });

  it('holds updates while the lookup gives no behavior (a scene restarting); replay() plays the newest in the new behavior, logging it once', async () => {
    enableTrainingLog();
    let current: Behavior | null = behavior();
    const first = current;
    const fast = new FastTraining(() => current, () => stubWorker([]));
    await new Promise<void>((done) => fast.start({ seed: 1, backend: 'auto', maxSteps: 4 * STEPS_PER_UPDATE, onUpdate: (_m, u) => {
      // The scene restarts after update 2: updates 3 and 4 arrive with no behavior to play them.
      if (u.update === 2) current = null;
      if (u.update === 4) done();
    } }));
    fast.stop();
    expect(await acting(first)).toEqual([2, 2]);
    const log = () => trainingLog()!.behaviors.balance!.metrics.map((m) => m.policyVersion);
    expect(log()).toEqual([1, 2]);
    current = behavior();
    fast.replay();
    expect(await acting(current)).toEqual([4, 4]);
    expect(log()).toEqual([1, 2, 4]);
    // Again (another restart): the weights again, the log unchanged.
    current = behavior();
    fast.replay();
    expect(await acting(current)).toEqual([4, 4]);
    expect(log()).toEqual([1, 2, 4]);
  });
});
