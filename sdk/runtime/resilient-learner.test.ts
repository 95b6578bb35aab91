/**
 * Learner crashes: a learner "worker" (a LearnerHost behind comlink on a MessageChannel, the same
 * protocol as the browser worker) is terminated from outside, throws, or hangs; the
 * ResilientLearner notices, starts a new one from the last learner state and training goes on.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { EventEmitter } from 'node:events';
import * as Comlink from 'comlink';
import type Phaser from 'phaser';
import { LearnerHost, type LearnerSpec } from './learner-host.js';
import { nodeBackends } from './backend.node.js';
import { inProcessLearner, workerLearner, type LearnerClient } from './learner-client.js';
import { LearnerRestartedError, ResilientLearner } from './resilient-learner.js';
import { allocateRollout, type Rollout } from '../rl/rollout.js';
import { Rng } from '../core/rng.js';
import { useNodeBackend } from '../rl/backend.node.js';
import { Behavior, type LiveMetrics } from '../phaser/behavior.js';
import { balanceGame } from '../../games/balance/headless.js';
import { balanceCart } from '../../games/balance/cart.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/** A stand-in for a module Worker: a LearnerHost exposed with comlink on the far end of a MessageChannel. */
class FakeWorker extends EventTarget {
  static started: FakeWorker[] = [];
  readonly host = new LearnerHost(nodeBackends);
  specs: LearnerSpec[] = [];
  /** Swallow messages without answering (a hung worker). */
  hung = false;
  private readonly port: MessagePort;
  constructor() {
    super();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.addEventListener('message', (e) => this.dispatchEvent(new MessageEvent('message', { data: e.data })));
    port1.start();
    const host = this.host;
    const api = {
      init: async (spec: LearnerSpec) => { this.specs.push(spec); return host.init(spec); },
      train: (r: Rollout) => host.train(r),
      getState: () => host.getState(),
    };
    Comlink.expose(api, port2 as unknown as Comlink.Endpoint);
    FakeWorker.started.push(this);
  }
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.hung) this.port.postMessage(message, transfer as Transferable[]);
  }
  terminate(): void {
    this.port.close();
  }
  /** An uncaught exception inside the worker. */
  crash(): void {
    this.dispatchEvent(new Event('error'));
  }
}

const spec: LearnerSpec = {
  observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, backend: 'kernels',
  config: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [8] },
};

function rollout(seed: number, version: number): Rollout {
  const rng = new Rng(seed);
  const r = allocateRollout(16, 2, 3, 1, 0);
  r.observations.forEach((_, i) => { r.observations[i] = rng.normal(); });
  r.actions.forEach((_, i) => { r.actions[i] = i % 2; });
  r.logProbs.fill(Math.log(0.5));
  r.rewards.forEach((_, i) => { r.rewards[i] = rng.normal(); });
  r.policyVersion = version;
  return r;
}

const fakeWorkerLearner = (): LearnerClient => workerLearner(new FakeWorker() as unknown as Worker);
const latest = () => FakeWorker.started.at(-1)!;

describe('ResilientLearner', () => {
  it('restarts a worker terminated from outside mid-update from the last state; only that rollout is lost', async () => {
    FakeWorker.started = [];
    const restarts: string[] = [];
    const learner = new ResilientLearner(fakeWorkerLearner, { onRestart: (i) => restarts.push(i.reason) });
    await learner.init(spec);
    const first = await learner.train(rollout(1, 0));
    const second = await learner.train(rollout(2, first.version));
    expect(second.version).toBe(2);
    const state = await learner.getState();

    const inFlight = learner.train(rollout(3, 2));
    // The Worker's own terminate(), as a page script or devtools would call it.
    (latest() as unknown as Worker).terminate();
    await expect(inFlight).rejects.toBeInstanceOf(LearnerRestartedError);
    expect(learner.restarts).toBe(1);
    expect(restarts).toEqual(['the learner worker was terminated']);
    // The new worker started from the weights, optimizer and schedules of update 2, on the backend already chosen.
    const resumed = latest().specs[0]!;
    expect(resumed.backend).toBe('kernels');
    expect(resumed.state!.version).toBe(2);
    expect(resumed.state!.params).toEqual(state.params);
    expect(resumed.state!.adam).toEqual(state.adam);
    const next = await learner.train(rollout(4, 2));
    expect(next.version).toBe(3);
    expect(next.stats.policyLag).toBe(0);
    learner.dispose();
  });

  it('restarts after an uncaught error in the worker and after a hang (timeout)', async () => {
    FakeWorker.started = [];
    const learner = new ResilientLearner(fakeWorkerLearner, { callTimeoutMs: 300 });
    await learner.init(spec);
    await learner.train(rollout(1, 0));
    latest().crash();
    // Noticed at the next call: the dead worker is replaced before the rollout goes out.
    expect((await learner.train(rollout(2, 1))).version).toBe(2);
    expect(learner.restarts).toBe(1);
    latest().hung = true;
    // The hung fake never took the rollout (its buffers were not transferred), so it is retried on the new worker.
    expect((await learner.train(rollout(3, 2))).version).toBe(3);
    expect(learner.restarts).toBe(2);
    expect((await learner.train(rollout(4, 3))).version).toBe(4);
    expect(FakeWorker.started).toHaveLength(3);
    learner.dispose();
  });

  it('settles a call in flight when disposed, instead of waiting for its timeout', async () => {
    FakeWorker.started = [];
    const learner = new ResilientLearner(fakeWorkerLearner);
    await learner.init(spec);
    latest().hung = true;
    const inFlight = learner.train(rollout(1, 0));
    await new Promise((r) => setTimeout(r, 10));
    learner.dispose();
    await expect(inFlight).rejects.toThrow(/disposed/);
  });

  it('passes input errors through without restarting', async () => {
    FakeWorker.started = [];
    const learner = new ResilientLearner(fakeWorkerLearner);
    await learner.init(spec);
    const bad = rollout(1, 0);
    bad.rewards[3] = NaN;
    await expect(learner.train(bad)).rejects.toThrow(/rollout\.rewards holds NaN at index 3/);
    expect(learner.restarts).toBe(0);
    expect((await learner.train(rollout(2, 0))).version).toBe(1);
    learner.dispose();
  });

  it('in-process: an exception in an update restarts the learner and retries the same rollout', async () => {
    let calls = 0;
    const flaky = (): LearnerClient => {
      const inner = inProcessLearner(new LearnerHost(nodeBackends));
      return { ...inner, train: async (r) => { if (++calls === 2) throw new TypeError('engine state corrupted'); return inner.train(r); } };
    };
    const learner = new ResilientLearner(flaky);
    await learner.init(spec);
    await learner.train(rollout(1, 0));
    const reply = await learner.train(rollout(2, 1));
    expect(reply.version).toBe(2);
    expect(learner.restarts).toBe(1);
    learner.dispose();
  });

  it('gives up with a clear error when every new learner dies too', async () => {
    let started = 0;
    const doomed = (): LearnerClient => {
      const inner = inProcessLearner(new LearnerHost(nodeBackends));
      return started++ === 0 ? { ...inner, train: async () => { throw new Error('boom'); } } : { ...inner, init: async () => { throw new Error('no device'); } };
    };
    const learner = new ResilientLearner(doomed, { maxRestarts: 2 });
    await learner.init(spec);
    await expect(learner.train(rollout(1, 0))).rejects.toThrow(/died 3 times in a row.*no device.*giving up/);
    learner.dispose();
  });
});

describe('Behavior with a learner worker that gets killed', () => {
  it('keeps the game acting, restarts the learner and keeps training; metrics count the restart', async () => {
    FakeWorker.started = [];
    const emitter = new EventEmitter();
    const events = emitter as unknown as Phaser.Events.EventEmitter;
    const metrics: LiveMetrics[] = [];
    const restarts: unknown[] = [];
    const errors: Error[] = [];
    emitter.on('metrics', (m: LiveMetrics) => metrics.push(m));
    emitter.on('learner-restart', (e: unknown) => restarts.push(e));
    emitter.on('error', (e: Error) => errors.push(e));
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, backend: 'kernels',
      config: { ...balanceGame.config, numSteps: 16 }, learner: fakeWorkerLearner,
    }, events);
    const copies = Array.from({ length: 2 }, (_, i) => balanceCart(i, 1));
    for (const c of copies) behavior.addAgent(c.agent);

    let ticks = 0;
    let killedAt = -1;
    let ticksWhileRestarting = 0;
    const deadline = Date.now() + 20_000;
    while (metrics.length < 8 && Date.now() < deadline) {
      behavior.applyPendingWeights();
      behavior.tick();
      for (const c of copies) c.step();
      ticks++;
      if (killedAt < 0 && metrics.length === 3) {
        killedAt = ticks;
        behavior.debugKillLearner();
      }
      if (killedAt >= 0 && restarts.length === 0) ticksWhileRestarting++;
      await new Promise((r) => setImmediate(r));
    }
    behavior.dispose();

    expect(errors).toEqual([]);
    expect(restarts).toHaveLength(1);
    expect(metrics.length).toBeGreaterThanOrEqual(8);
    expect(metrics.at(-1)!.learnerRestarts).toBe(1);
    expect(metrics[2]!.learnerRestarts).toBe(0);
    // Versions keep climbing from where the dead learner stopped: nothing learned was lost.
    const versions = metrics.map((m) => m.policyVersion);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(ticksWhileRestarting).toBeGreaterThan(0);
    expect(FakeWorker.started).toHaveLength(2);
  }, 30_000);
});
