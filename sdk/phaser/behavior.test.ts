/**
 * The live-mode loop without a browser: a Behavior with a deliberately slow learner, ticked like
 * a game loop. The game never waits, weights arrive versioned, stale rollouts report their lag.
 */
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import type Phaser from 'phaser';
import { Behavior, type LiveMetrics } from './behavior.js';
import { inProcessLearner, type LearnerClient } from '../runtime/learner-client.js';
import { LearnerHost } from '../runtime/learner-host.js';
import { nodeBackends } from '../runtime/backend.node.js';
import { useNodeBackend } from '../rl/backend.node.js';
import { balanceGame } from '../../games/balance/headless.js';
import { balanceCart } from '../../games/balance/cart.js';
import { BehaviorError } from './events.js';
import { Rng } from '../core/rng.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/** A learner whose every reply takes `delayMs`, like a busy worker. */
function slowLearner(delayMs: number): LearnerClient {
  const inner = inProcessLearner(new LearnerHost(nodeBackends));
  const later = <T>(v: T) => new Promise<T>((r) => setTimeout(() => r(v), delayMs));
  return { ...inner, train: async (r) => later(await inner.train(r)) };
}

/** Ticks `behavior` and its copies `n` times, like a game loop without frames in between. */
function run(behavior: Behavior, copies: ReturnType<typeof balanceGame.createCopy>[], n: number): void {
  for (let k = 0; k < n; k++) {
    behavior.applyPendingWeights();
    behavior.tick();
    for (const c of copies) c.step();
  }
}

describe('Behavior (live mode): acting before the learner answers', () => {
  it('acts from its first tick with the local seeded init while the learner never answers, and queues the newest rollout', () => {
    const events = new EventEmitter() as unknown as Phaser.Events.EventEmitter;
    const never: LearnerClient = {
      init: () => new Promise(() => undefined), train: () => new Promise(() => undefined),
      getState: () => new Promise(() => undefined), dispose: () => undefined,
    };
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec,
      config: { ...balanceGame.config, numSteps: 8 }, learner: () => never,
    }, events);
    const copies = Array.from({ length: 2 }, (_, i) => balanceCart(i, 1));
    for (const c of copies) behavior.addAgent(c.agent);
    run(behavior, copies, 1);
    expect(behavior.runner.decisions).toBeGreaterThan(0);
    run(behavior, copies, 200);
    expect(behavior.runner.policyVersion).toBe(0);
    const acting = (behavior as unknown as { acting: { params: Float32Array } | null }).acting;
    const spec = behavior.runner.spec!;
    expect(Array.from(acting!.params)).toEqual(Array.from(spec.layout.initialize(new Rng(behavior.config.seed), behavior.config.initLogStd)));
    // Several rollouts filled meanwhile: the newest waits for the learner, the older ones are counted.
    expect((behavior as unknown as { waiting: unknown }).waiting).not.toBeNull();
    expect((behavior as unknown as { dropped: number }).dropped).toBeGreaterThan(0);
    behavior.dispose();
  });

  it("the learner's version 0 is bit-identical to the local init; the run's time and steps/s exclude the backend choice", async () => {
    const events = new EventEmitter() as unknown as Phaser.Events.EventEmitter;
    const metrics: LiveMetrics[] = [];
    (events as unknown as EventEmitter).on('metrics', (m: LiveMetrics) => metrics.push(m));
    // A clock the test moves: the choice "takes" 60 s, the first update arrives 1 s after it.
    let t = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => t);
    (events as unknown as EventEmitter).on('backend', () => { t = 61_000; });
    let release: () => void = () => undefined;
    const chosen = new Promise<void>((r) => { release = r; });
    let learnerV0: Float32Array | null = null;
    const inner = inProcessLearner(new LearnerHost(nodeBackends));
    const learner: LearnerClient = {
      ...inner,
      init: async (s) => { await chosen; const r = await inner.init(s); learnerV0 = Float32Array.from(r.params); return r; },
    };
    try {
      const behavior = new Behavior({
        name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, backend: 'kernels',
        config: { ...balanceGame.config, numSteps: 8 }, learner: () => learner,
      }, events);
      const copies = Array.from({ length: 2 }, (_, i) => balanceCart(i, 1));
      for (const c of copies) behavior.addAgent(c.agent);
      run(behavior, copies, 1);
      const local = Float32Array.from((behavior as unknown as { acting: { params: Float32Array } }).acting.params);
      t = 60_000;
      release();
      for (let frame = 0; frame < 500 && metrics.length === 0; frame++) {
        run(behavior, copies, 4);
        await new Promise((r) => setImmediate(r));
      }
      behavior.dispose();
      expect(Array.from(learnerV0!)).toEqual(Array.from(local));
      expect(metrics.length).toBeGreaterThan(0);
      expect(metrics[0]!.time).toBe(1);
      expect(metrics[0]!.sps).toBe(metrics[0]!.step);
    } finally {
      clock.mockRestore();
    }
  }, 30_000);
});

describe('Behavior (live mode)', () => {
  it('keeps ticking while the learner trains, swaps versioned weights between frames and reports policy lag', async () => {
    const events = new EventEmitter() as unknown as Phaser.Events.EventEmitter;
    const metrics: LiveMetrics[] = [];
    (events as unknown as EventEmitter).on('metrics', (m: LiveMetrics) => metrics.push(m));
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, backend: 'wasm',
      config: { ...balanceGame.config, numSteps: 16 }, learner: () => slowLearner(30),
    }, events);
    const copies = Array.from({ length: 4 }, (_, i) => balanceCart(i, 1));
    for (const c of copies) behavior.addAgent(c.agent);

    let frames = 0;
    const versionsSeen = new Set<number>();
    const deadline = Date.now() + 20_000;
    while (metrics.length < 6 && Date.now() < deadline) {
      // One frame: swap weights, four fixed steps, then let the event loop breathe (like rAF).
      behavior.applyPendingWeights();
      for (let k = 0; k < 4; k++) {
        behavior.tick();
        for (const c of copies) c.step();
      }
      versionsSeen.add(behavior.runner.policyVersion);
      frames++;
      await new Promise((r) => setImmediate(r));
    }
    behavior.dispose();

    expect(metrics.length).toBeGreaterThanOrEqual(6);
    expect(behavior.backend?.backend).toBe('wasm');
    // Versions climb one update at a time, and the game picked them up as they came.
    expect(metrics.map((m) => m.policyVersion)).toEqual(metrics.map((_, i) => i + 1));
    expect(versionsSeen.size).toBeGreaterThan(3);
    // Rollouts fill faster than the slow learner trains: some were gathered by older weights.
    expect(Math.max(...metrics.map((m) => m.policyLag))).toBeGreaterThan(0);
    // Many frames ran per update: the loop did not wait for training.
    expect(frames / metrics.length).toBeGreaterThan(4);
    expect(metrics.at(-1)!.step).toBe(metrics.length * 16 * 4);
  }, 30_000);

  it('inference acts from pushed weights and never starts a learner', async () => {
    const events = new EventEmitter() as unknown as Phaser.Events.EventEmitter;
    let started = 0;
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, type: 'inference',
      config: { ...balanceGame.config, normalizeObs: false }, learner: () => { started++; return slowLearner(0); },
    }, events);
    const copy = balanceCart(0, 1);
    behavior.addAgent(copy.agent);
    behavior.tick(); // no weights yet: nothing acts, nothing throws
    expect(behavior.runner.ready).toBe(false);
    const layout = behavior.runner.spec!.layout;
    behavior.setWeights(new Float32Array(layout.size), 7);
    behavior.applyPendingWeights();
    behavior.tick();
    expect(behavior.runner.policyVersion).toBe(7);
    expect(started).toBe(0);
    behavior.dispose();
  });

  it('fail() stops the behavior for good: an error event naming it, no more ticks, the learner released', async () => {
    const events = new EventEmitter() as unknown as Phaser.Events.EventEmitter;
    const errors: BehaviorError[] = [];
    (events as unknown as EventEmitter).on('error', (e: BehaviorError) => errors.push(e));
    let disposed = 0;
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, backend: 'wasm',
      config: { ...balanceGame.config, numSteps: 16 }, learner: () => ({ ...slowLearner(0), dispose: () => { disposed++; } }),
    }, events);
    const copy = balanceCart(0, 1);
    behavior.addAgent(copy.agent);
    behavior.tick();
    // The learner starts on the first tick; wait for its init reply (event-loop turns, not time).
    for (let turn = 0; !behavior.backend && turn < 10_000; turn++) await new Promise((r) => setImmediate(r));
    expect(behavior.backend).not.toBeNull();
    behavior.fail(new Error("agent 'cart-0': addReward(NaN): reward must be a finite number"), 'agent');
    behavior.fail(new Error('second'), 'agent');
    const ticks = behavior.runner.ticks;
    behavior.tick();
    expect(behavior.runner.ticks).toBe(ticks);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(BehaviorError);
    expect(errors[0]!).toMatchObject({ behavior: 'balance', source: 'agent' });
    expect(errors[0]!.message).toBe("behavior \"balance\" stopped: an agent hook threw: agent 'cart-0': addReward(NaN): reward must be a finite number");
    expect(behavior.failure).toBe(errors[0]);
    expect(disposed).toBeGreaterThan(0);
  });

  it('untrained acts with the weights a learner would start from, sampling, and never starts one', () => {
    const events = new EventEmitter() as unknown as Phaser.Events.EventEmitter;
    let started = 0;
    const config = { ...balanceGame.config, seed: 5 };
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, type: 'train', untrained: true, config,
      learner: () => { started++; return slowLearner(0); },
    }, events);
    const copy = balanceCart(0, 1);
    behavior.addAgent(copy.agent);
    for (let t = 0; t < 50; t++) {
      behavior.tick();
      copy.step();
    }
    expect(started).toBe(0);
    expect(behavior.runner.type).toBe('inference');
    expect(behavior.runner.ready).toBe(true);
    expect(behavior.runner.decisions).toBeGreaterThan(0);
    const layout = behavior.runner.spec!.layout;
    return behavior.brain().then((brain) => {
      expect(Array.from(brain.params)).toEqual(Array.from(layout.initialize(new Rng(5), behavior.config.initLogStd)));
      expect(brain.policyVersion).toBe(0);
    });
  });
});
