/**
 * A run that learns from demonstrations (GAIL and behaviour cloning during PPO) resumes exactly:
 * the checkpoint keeps the discriminator (weights, Adam, RNG) and the cloning batches' position,
 * through the brain format (encode, decode) as `--resume` reads it.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from './backend.node.js';
import { TfjsEngine } from './tfjs-engine.js';
import type { ComputeEngine } from './engine.js';
import { Rng } from '../core/rng.js';
import { Box } from '../core/spaces.js';
import { brainOf, decodeBrain, encodeBrain, learnerStateOf, type Brain } from '../io/brain.js';
import { syntheticDemo, syntheticDemoRollout } from '../io/test-demo.js';
import { resolveConfig, type PPOConfig } from './config.js';
import { ActionDistribution } from './distributions.js';
import { KernelsEngine } from './kernels-engine.js';
import { ActorCriticLayout } from './network.js';
import { discriminatorSize } from './gail.js';
import { PPOLearner, type LearnerState } from './learner.js';
import type { Rollout } from './rollout.js';

const demo = syntheticDemo(5);
const dist = new ActionDistribution(demo.actionSpace);

/** A different rollout per update (seeded), as a run plays them. */
function rolloutAt(update: number): Rollout {
  return syntheticDemoRollout(new Rng(100 + update));
}

// 4 cloning steps of 96 rows per update over 1,000 demo rows: update 3 starts a second pass.
const fields: Partial<PPOConfig> = {
  numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2, totalSteps: 64 * 2 * 10, hiddenSizes: [16, 16], seed: 3,
  behavioralCloning: { strength: 0.5, steps: 1000, batchSize: 96 }, gail: { strength: 0.2, useActions: true, encodingSize: 8 },
};

beforeAll(async () => { await useNodeBackend('wasm'); });

const engines: Record<string, (l: ActorCriticLayout) => ComputeEngine> = { kernels: (l) => new KernelsEngine(l), tfjs: (l) => new TfjsEngine(l) };

function learner(state?: LearnerState, config = resolveConfig(fields), engine = engines.kernels!): PPOLearner {
  const l = new PPOLearner({ observationSize: 5, actionSpace: demo.actionSpace, config, engine: engine(ActorCriticLayout.forBehavior(5, undefined, config, dist)), ...(state ? { state } : {}) });
  l.setDemonstrations(demo, null);
  return l;
}

function train(l: PPOLearner, from: number, to: number) {
  const stats = [];
  for (let u = from; u < to; u++) {
    const r = rolloutAt(u);
    r.policyVersion = l.version;
    stats.push(l.train(r));
  }
  return stats;
}

/** The learner as a checkpoint on disk holds it: brain assembly, then its two files decoded again. */
function checkpoint(l: PPOLearner): Brain {
  const brain = brainOf({
    name: 'synthetic', observationSpace: Box(-Infinity, Infinity, 5), actionSpace: demo.actionSpace, config: l.config, observationStats: null, steps: l.updates * 128,
    source: { learner: l.getState(), rewardStats: null, actingRng: null },
  });
  const { manifest, weights } = encodeBrain(brain);
  return decodeBrain(JSON.parse(JSON.stringify(manifest)), weights);
}

const plain = (s: LearnerState) => ({
  params: Array.from(s.params), m: Array.from(s.adam.m), v: Array.from(s.adam.v), t: s.adam.t, rng: s.rngState,
  gail: s.demonstrations?.gail ? { params: Array.from(s.demonstrations.gail.params), m: Array.from(s.demonstrations.gail.adam.m), v: Array.from(s.demonstrations.gail.adam.v), t: s.demonstrations.gail.adam.t, rng: s.demonstrations.gail.rng } : null,
  bc: s.demonstrations?.bc ?? null,
});

describe('resuming a run that learns from demonstrations', () => {
  it.each(Object.keys(engines))('continues bit for bit on %s: the resumed learner\'s next updates equal the uninterrupted run\'s (weights, Adam, discriminator, metrics)', (name) => {
    const engine = engines[name]!;
    const whole = learner(undefined, undefined, engine);
    const wholeStats = train(whole, 0, 5);

    const first = learner(undefined, undefined, engine);
    train(first, 0, 3);
    const saved = checkpoint(first);
    // The discriminator and the cloning position travel in the checkpoint.
    expect(saved.training!.demonstrations!.gail!.params.length).toBe(discriminatorSize(5 + 2, 8));
    expect(saved.training!.demonstrations!.bc!.cursor).toBe(3 * 4 * 96 - 1000);
    const resumed = learner(learnerStateOf(saved), undefined, engine);
    expect(plain(resumed.getState())).toEqual(plain(first.getState()));
    const resumedStats = train(resumed, 3, 5);

    expect(plain(resumed.getState())).toEqual(plain(whole.getState()));
    for (let i = 0; i < 2; i++) {
      for (const key of ['gailLoss', 'gailRewardShare', 'bcLoss', 'policyLoss', 'valueLoss'] as const) expect(resumedStats[i]![key]).toBe(wholeStats[3 + i]![key]);
    }
    for (const l of [whole, first, resumed]) l.engine.dispose();
  });

  it('a checkpoint without the discriminator (as written before it was kept) does not continue exactly: the test above can fail', () => {
    const whole = learner();
    train(whole, 0, 5);
    const first = learner();
    train(first, 0, 3);
    const { demonstrations: _d, ...withoutDemoState } = learnerStateOf(checkpoint(first));
    const old = learner(withoutDemoState);
    train(old, 3, 5);
    expect(plain(old.getState()).params).not.toEqual(plain(whole.getState()).params);
  });

  it('a discarded (non-finite) update leaves the discriminator and cloning batches as they were', () => {
    const l = learner();
    train(l, 0, 2);
    const before = plain(l.getState());
    const bad = rolloutAt(2);
    bad.policyVersion = l.version;
    // Finite data whose advantages overflow: the update's losses go non-finite and it is discarded.
    bad.rewards.fill(3e38);
    const s = l.train(bad);
    expect(s.fault).not.toBeNull();
    expect(plain(l.getState())).toEqual(before);
  });

  it('refuses a saved discriminator that config.gail no longer describes, naming both sizes', () => {
    const first = learner();
    train(first, 0, 1);
    const state = first.getState();
    const config = resolveConfig({ ...fields, gail: { strength: 0.2, useActions: true, encodingSize: 16 } });
    expect(() => learner(state, config)).toThrow(/saved GAIL discriminator has 145 parameters, this one \(7 inputs, encodingSize 16\) has 417/);
  });

  it('the brain loader checks the saved discriminator: its tensors against config.gail, a config without gail, negative second moments', () => {
    const l = learner();
    train(l, 0, 1);
    const brain = brainOf({
      name: 'synthetic', observationSpace: Box(-Infinity, Infinity, 5), actionSpace: demo.actionSpace, config: l.config, observationStats: null, steps: 128,
      source: { learner: l.getState(), rewardStats: null, actingRng: null },
    });
    const { manifest, weights } = encodeBrain(brain);
    const json = () => JSON.parse(JSON.stringify(manifest)) as Record<string, any>;
    const names = (manifest.weightsManifest[0]!.weights).map((w) => w.name);
    expect(names.slice(-3)).toEqual(['training/gail/params', 'training/gail/adam_m', 'training/gail/adam_v']);
    const noGail = json();
    noGail.config.gail = null;
    expect(() => decodeBrain(noGail, weights)).toThrow(/^brain\.json: training\.demonstrations\.gail: a GAIL discriminator is saved, but config\.gail is null$/);
    const wider = json();
    wider.config.gail.encodingSize = 9;
    expect(() => decodeBrain(wider, weights)).toThrow(/weightsManifest\[0\]\.weights\[\d+\] is .*training\/gail\/params.* expected/);
    const bytes = new Float32Array(weights.slice(0));
    bytes[bytes.length - 1] = -1;
    expect(() => decodeBrain(json(), bytes.buffer)).toThrow(/\(training\/gail\/adam_v\[144\]\) is negative: Adam's second moment cannot be/);
    l.engine.dispose();
  });
});
