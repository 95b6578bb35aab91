import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from './backend.node.js';
import { checkDemonstrations, pretrainBehavioralCloning } from './behavioral-cloning.js';
import { ActionDistribution } from './distributions.js';
import { KernelsEngine } from './kernels-engine.js';
import { TfjsEngine } from './tfjs-engine.js';
import { ActorCriticLayout } from './network.js';
import { Box, Discrete, Hybrid, MultiDiscrete, type Space } from '../core/spaces.js';
import { Rng } from '../core/rng.js';
import type { DemonstrationData } from '../io/demonstration-data.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/**
 * A demonstrator of Hybrid(Box(1), MultiDiscrete([4])): choice = the largest of obs[0..3] among the
 * allowed ones (one choice masked per row), continuous = obs[4] / 2. 40 episodes of 25 decisions.
 */
function syntheticDemo(seed: number): DemonstrationData {
  const rng = new Rng(seed);
  const steps = 40 * 25;
  const observations = Float32Array.from({ length: steps * 5 }, () => rng.normal());
  const actions = new Float32Array(steps * 2);
  const masks = new Uint8Array(steps * 4).fill(1);
  const ends = new Uint8Array(steps);
  for (let i = 0; i < steps; i++) {
    masks[i * 4 + rng.int(4)] = 0;
    let best = -1;
    for (let j = 0; j < 4; j++) if (masks[i * 4 + j] && (best < 0 || observations[i * 5 + j]! > observations[i * 5 + best]!)) best = j;
    actions[i * 2] = observations[i * 5 + 4]! / 2;
    actions[i * 2 + 1] = best;
    if (i % 25 === 24) ends[i] = i % 50 === 49 ? 2 : 1;
  }
  return { behavior: 'synthetic', observationSize: 5, actionSpace: Hybrid(Box(-10, 10, 1), MultiDiscrete([4])), steps, observations, actions, masks, rewards: new Float32Array(steps), ends };
}

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
