/**
 * The live-mode loop without a browser: a Behavior with a deliberately slow learner, ticked like
 * a game loop. The game never waits, weights arrive versioned, stale rollouts report their lag.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { EventEmitter } from 'node:events';
import type Phaser from 'phaser';
import { Behavior, type LiveMetrics } from './behavior.js';
import { inProcessLearner, type LearnerClient } from '../runtime/learner-client.js';
import { LearnerHost } from '../runtime/learner-host.js';
import { nodeBackends } from '../runtime/backend.node.js';
import { useNodeBackend } from '../rl/backend.node.js';
import { balanceGame } from '../../games/balance/headless.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/** A learner whose every reply takes `delayMs`, like a busy worker. */
function slowLearner(delayMs: number): LearnerClient {
  const inner = inProcessLearner(new LearnerHost(nodeBackends));
  const later = <T>(v: T) => new Promise<T>((r) => setTimeout(() => r(v), delayMs));
  return { ...inner, train: async (r) => later(await inner.train(r)) };
}

describe('Behavior (live mode)', () => {
  it('keeps ticking while the learner trains, swaps versioned weights between frames and reports policy lag', async () => {
    const events = new EventEmitter() as unknown as Phaser.Events.EventEmitter;
    const metrics: LiveMetrics[] = [];
    (events as unknown as EventEmitter).on('metrics', (m: LiveMetrics) => metrics.push(m));
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, backend: 'wasm',
      config: { ...balanceGame.config, numSteps: 16 }, learner: () => slowLearner(30),
    }, events);
    const copies = Array.from({ length: 4 }, (_, i) => balanceGame.createCopy(i, 1));
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
    const copy = balanceGame.createCopy(0, 1);
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
});
