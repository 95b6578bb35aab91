/**
 * Behaviors and brains: an inference behavior ships a brain and never loads the learner; a train
 * behavior given a brain continues its training; `brain()` hands back what a Save button stores.
 */
import { describe, it, expect, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import type Phaser from 'phaser';
import { Behavior, type BehaviorOptions } from './behavior.js';
import { inProcessLearner } from '../runtime/learner-client.js';
import { LearnerHost } from '../runtime/learner-host.js';
import { nodeBackends } from '../runtime/backend.node.js';
import { FastTrainer } from '../runtime/fast-trainer.js';
import { decodeBrain, encodeBrain, learnerStateOf, type Brain } from '../io/brain.js';
import { loadBrain } from '../io/brain.node.js';
import type { LearnerState } from '../rl/learner.js';
import { balanceGame } from '../../games/balance/headless.js';
import { balanceCart } from '../../games/balance/cart.js';
import type { BalanceAgent } from '../../games/balance/agent.js';

// Records whether the learner worker's module was ever evaluated (a static import would do it at once).
const worker = vi.hoisted(() => ({ loaded: false }));
vi.mock('./learner-worker.js', () => {
  worker.loaded = true;
  return { startLearnerWorker: () => { throw new Error('no workers in this test'); } };
});

const events = () => new EventEmitter() as unknown as Phaser.Events.EventEmitter;
const shipped = loadBrain('games/balance/brain.json');

/** Plays `frames` fixed steps with `n` balance copies; returns each copy's pushes (the actions taken). */
function play(behavior: Behavior, n: number, frames: number): number[][] {
  const copies = Array.from({ length: n }, (_, i) => balanceCart(i, 7));
  const pushes = copies.map((c) => {
    const log: number[] = [];
    const sim = (c.agent as BalanceAgent).sim;
    const push = sim.push.bind(sim);
    sim.push = (dir: -1 | 0 | 1) => { log.push(dir); push(dir); };
    return log;
  });
  for (const c of copies) behavior.addAgent(c.agent);
  for (let f = 0; f < frames; f++) {
    behavior.applyPendingWeights();
    behavior.tick();
    for (const c of copies) c.step();
  }
  return pushes;
}

const inference = (extra: Partial<BehaviorOptions>) => new Behavior({
  name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, type: 'inference', brain: shipped,
  learner: () => { throw new Error('an inference behavior must not start a learner'); }, ...extra,
}, events());

describe('inference-only deployment', () => {
  it('acts from a shipped brain without loading or starting the learner; mode is deterministic, sample is not', async () => {
    const mode = play(inference({}), 2, 300);
    // Same observations (same seed), different sampling seeds: mode acts the same, sample does not.
    expect(play(inference({ config: { seed: 99 } }), 2, 300)).toEqual(mode);
    const sampled = play(inference({ inferenceAction: 'sample' }), 2, 300);
    const sampledOther = play(inference({ inferenceAction: 'sample', config: { seed: 99 } }), 2, 300);
    expect(sampled).not.toEqual(sampledOther);
    expect(mode[0]!.length).toBeGreaterThan(0);
    expect(worker.loaded).toBe(false);
  });

  it('brain() of an inference behavior is the brain it acts with, without training state', async () => {
    const b = inference({});
    play(b, 1, 2);
    const brain = await b.brain();
    expect(brain.training).toBeUndefined();
    expect(Array.from(brain.params)).toEqual(Array.from(shipped.params));
    const { manifest, weights } = encodeBrain(brain);
    expect(decodeBrain(JSON.parse(JSON.stringify(manifest)), weights).policyVersion).toBe(shipped.policyVersion);
    await expect(inference({}).brain()).rejects.toThrow('behavior "balance": no brain yet: add an agent first');
  });
});

describe('train mode from a brain', () => {
  async function checkpoint(): Promise<Brain> {
    const t = new FastTrainer(balanceGame, nodeBackends, { copies: 2, seed: 2, backend: 'kernels', config: { numSteps: 32, hiddenSizes: [16] } });
    await t.start();
    t.runUpdate();
    return t.brain();
  }

  async function started(brain: Brain): Promise<{ behavior: Behavior; host: LearnerHost }> {
    const host = new LearnerHost(nodeBackends);
    const behavior = new Behavior({
      name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, backend: 'kernels', brain: structuredClone(brain),
      learner: () => inProcessLearner(host),
    }, events());
    play(behavior, 2, 1);
    for (let i = 0; i < 50 && !behavior.backend; i++) await new Promise((r) => setTimeout(r, 10));
    return { behavior, host };
  }

  const plain = (s: LearnerState) => ({ params: Array.from(s.params), m: Array.from(s.adam.m), v: Array.from(s.adam.v), t: s.adam.t, updates: s.updates, version: s.version, rng: s.rngState });

  it('continues the optimizer, schedules and RNG of a checkpoint, and brain() hands them back', async () => {
    const brain = await checkpoint();
    const { behavior, host } = await started(brain);
    expect(plain(host.getState())).toEqual(plain(learnerStateOf(brain)));
    const back = await behavior.brain();
    expect(plain(learnerStateOf(back))).toEqual(plain(learnerStateOf(brain)));
    expect(back.training!.rewardStats).toBeNull();
    expect(back.steps).toBe(brain.steps);
    behavior.dispose();
  });

  it('fine-tunes a brain without training state: its weights and version, a fresh optimizer', async () => {
    const { training: _t, ...forPlay } = await checkpoint();
    const { behavior, host } = await started(forPlay);
    const s = host.getState();
    expect(Array.from(s.params)).toEqual(Array.from(forPlay.params));
    expect([s.version, s.updates, s.adam.t]).toEqual([forPlay.policyVersion, 0, 0]);
    behavior.dispose();
  });
});

describe('the learner module check itself', () => {
  it('sees a train behavior load the learner worker module on its first tick (so the inference check can fail)', async () => {
    const ev = new EventEmitter();
    const errors: Error[] = [];
    ev.on('error', (e: Error) => errors.push(e));
    const b = new Behavior({ name: 'balance', observationSize: 0, actionSpec: balanceGame.actionSpec, config: balanceGame.config }, ev as unknown as Phaser.Events.EventEmitter);
    play(b, 1, 1);
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(worker.loaded).toBe(true);
    expect(errors[0]?.message).toMatch(/the learner failed to start: no workers in this test/);
    b.dispose();
  });
});
