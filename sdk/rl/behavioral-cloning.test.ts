import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from './backend.node.js';
import { checkDemonstrations, demonstrationStats, pretrainBehavioralCloning } from './behavioral-cloning.js';
import { ActionDistribution } from './distributions.js';
import { KernelsEngine } from './kernels-engine.js';
import { TfjsEngine } from './tfjs-engine.js';
import { ActorCriticLayout } from './network.js';
import { Box, Discrete, Hybrid, MultiDiscrete, type Space } from '../core/spaces.js';
import { Rng } from '../core/rng.js';
import { syntheticDemo, syntheticDemoRollout } from '../io/test-demo.js';
import { PPOLearner } from './learner.js';
import { resolveConfig } from './config.js';
import type { ComputeEngine } from './engine.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

describe('behaviour-cloning pre-training', () => {
  it('fits a masked hybrid demonstrator on both engines alike: held-out accuracy and error far better than chance', () => {
    const demo = syntheticDemo(1);
    const dist = new ActionDistribution(demo.actionSpace);
    const layout = ActorCriticLayout.forDistribution(5, [32, 32], dist);
    const reports = [(l: ActorCriticLayout) => new KernelsEngine(l, 64), (l: ActorCriticLayout) => new TfjsEngine(l)].map((make) => {
      const engine = make(layout);
      const policy = { engine, layout, dist, params: layout.initialize(new Rng(2), -0.5), version: 0 };
      const report = pretrainBehavioralCloning(policy, demo, { epochs: 15, batchSize: 50, learningRate: 3e-3, seed: 4 });
      engine.dispose();
      expect(policy.version).toBe(1);
      return report;
    });
    const [k, t] = reports as [typeof reports[0], typeof reports[0]];
    // 4 of 40 episodes held out; chance accuracy among 3 allowed choices is 1/3.
    expect(k.heldOutRows).toBe(100);
    expect(k.trainRows).toBe(900);
    expect(k.steps).toBe(15 * 18);
    expect(k.heldOut!.accuracy).toBeGreaterThan(0.8);
    expect(k.heldOut!.meanAbsError).toBeLessThan(0.25);
    expect(k.nllHistory[14]!).toBeLessThan(k.nllHistory[0]!);
    // The same seed on the other engine: the same fit up to float32 rounding.
    expect(Math.abs(k.heldOut!.nll - t.heldOut!.nll)).toBeLessThan(2e-3);
    expect(Math.abs(k.heldOut!.accuracy - t.heldOut!.accuracy)).toBeLessThanOrEqual(0.02);
  }, 60_000);

  it('refuses demonstrations that do not fit the behavior, naming the field', () => {
    const demo = syntheticDemo(3);
    const space: Space = demo.actionSpace;
    const where = 'demos.bin';
    expect(() => checkDemonstrations(demo, 5, space, where)).not.toThrow();
    expect(() => checkDemonstrations(demo, 5, Discrete(4), where)).toThrow(/^demos\.bin: actionSpace is Hybrid\(Box\(1\),MultiDiscrete\(\[4\]\)\) but the behavior acts in Discrete\(4\)$/);
    expect(() => checkDemonstrations({ ...demo, steps: 0 }, 5, space, where)).toThrow(/steps must be a positive integer/);
    expect(() => checkDemonstrations({ ...demo, actions: demo.actions.subarray(2) }, 5, space, where)).toThrow(/actions holds 1998 values, expected 2000 \(1000 steps\)/);
    expect(() => checkDemonstrations({ ...demo, masks: new Uint8Array(3) }, 5, space, where)).toThrow(/masks holds 3 values, expected 4000/);
    expect(() => checkDemonstrations({ ...demo, ends: new Float32Array(1000) as unknown as Uint8Array }, 5, space, where)).toThrow(/ends must be a Uint8Array/);
    const outOfRange = Float32Array.from(demo.actions);
    outOfRange[3] = 4;
    expect(() => checkDemonstrations({ ...demo, actions: outOfRange }, 5, space, where)).toThrow(/actions of step 1, branch 0: 4 is no choice in \[0, 4\)/);
    const masked = Uint8Array.from(demo.masks!);
    masked[demo.actions[1]!] = 0;
    expect(() => checkDemonstrations({ ...demo, masks: masked }, 5, space, where)).toThrow(/step 0, branch 0: the recorded choice \d is masked out/);
    const badEnd = Uint8Array.from(demo.ends);
    badEnd[7] = 3;
    expect(() => checkDemonstrations({ ...demo, ends: badEnd }, 5, space, where)).toThrow(/ends\[7\] is 3; expected 0 \(continuing\), 1 \(terminated\) or 2 \(truncated\)/);
  });
});

describe('demonstrationStats', () => {
  it('leaves a grid input at mean 0, variance 1 (as the runner normalizer does) and gathers the vector input', () => {
    // syntheticDemo's rows: 4 normal values then a 5th; read them as a 2×2×1 grid and a vector of 1.
    const demo = syntheticDemo(5);
    const stats = demonstrationStats(demo, [{ name: 'grid', kind: 'grid', shape: [2, 2, 1] }, { name: 'speed', kind: 'vector', size: 1 }]);
    expect(Array.from(stats.mean.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(stats.var.subarray(0, 4))).toEqual([1, 1, 1, 1]);
    let sum = 0;
    for (let i = 0; i < demo.steps; i++) sum += demo.observations[i * 5 + 4]!;
    expect(stats.mean[4]).toBeCloseTo(sum / (demo.steps + 1e-4), 9);
    expect(stats.mean[4]).not.toBe(0);
    expect(stats.count).toBeCloseTo(demo.steps, 3);
    // Vector inputs only: every dimension gathered.
    const all = demonstrationStats(demo, [{ name: 'obs', kind: 'vector', size: 5 }]);
    expect(all.mean[0]).not.toBe(0);
    expect(all.var[0]).not.toBe(1);
  });
});

describe('PPO with behaviour cloning and GAIL, on both engines', () => {
  it('three updates give the same weights on kernels and tfjs, and differ from plain PPO', () => {
    const demo = syntheticDemo(5);
    const dist = new ActionDistribution(demo.actionSpace);
    // With GAIL's own value head (gail.gamma, default 0.99) the rollout carries that head's values too; plain PPO ignores them.
    const r = syntheticDemoRollout(new Rng(8));
    const rewards = Float32Array.from(r.rewards);
    const base = { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2, totalSteps: 64 * 2 * 10, hiddenSizes: [32, 32], seed: 3 };
    const train = (engine: (l: ActorCriticLayout) => ComputeEngine, demos: boolean) => {
      const config = resolveConfig({ ...base, ...(demos ? { behavioralCloning: { strength: 0.5, steps: 1000, batchSize: 32 }, gail: { strength: 0.2, useActions: true } } : {}) });
      const layout = ActorCriticLayout.forBehavior(5, undefined, config, dist);
      expect(layout.valueHeads).toBe(demos ? 2 : 1);
      const e = engine(layout);
      const learner = new PPOLearner({ observationSize: 5, actionSpace: demo.actionSpace, config, engine: e });
      if (demos) learner.setDemonstrations(demo, null);
      const stats = [];
      for (let u = 0; u < 3; u++) { r.policyVersion = learner.version; stats.push(learner.train(r)); }
      e.dispose();
      return { params: learner.params, stats, actorEnd: layout.actorEnd };
    };
    const kernels = train((l) => new KernelsEngine(l), true);
    const tfjs = train((l) => new TfjsEngine(l), true);
    const plain = train((l) => new KernelsEngine(l), false);
    let maxDiff = 0;
    let fromPlain = 0;
    expect(kernels.params.length).toBe(tfjs.params.length);
    for (let i = 0; i < kernels.params.length; i++) maxDiff = Math.max(maxDiff, Math.abs(kernels.params[i]! - tfjs.params[i]!));
    // The actors line up (the critics differ in shape: GAIL's own value head).
    expect(kernels.actorEnd).toBe(plain.actorEnd);
    for (let i = 0; i < plain.actorEnd; i++) fromPlain = Math.max(fromPlain, Math.abs(kernels.params[i]! - plain.params[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(fromPlain).toBeGreaterThan(1e-3);
    // The strength anneals over 1,000 transitions: 128 per update.
    expect(kernels.stats.map((s) => s.bcStrength)).toEqual([0.5, 0.5 * (1 - 128 / 1000), 0.5 * (1 - 256 / 1000)].map((x) => expect.closeTo(x, 6)));
    for (const s of kernels.stats) {
      expect(Number.isFinite(s.bcLoss)).toBe(true);
      expect(s.gailRewardShare).toBeGreaterThan(0);
      expect(Number.isFinite(s.gailLoss)).toBe(true);
      expect(s.gailValue).toBeCloseTo(mean(r.signalValues!.values), 5);
    }
    expect(plain.stats[0]!.gailValue).toBeUndefined();
    expect(plain.stats[0]!.bcLoss).toBeUndefined();
    // The rollout's rewards are left as they came (GAIL mixes into a copy).
    expect(Array.from(r.rewards)).toEqual(Array.from(rewards));
  }, 60_000);
});

function mean(a: Float32Array): number {
  return a.reduce((x, y) => x + y, 0) / a.length;
}
