import { describe, it, expect } from 'vitest';
import { KernelsForward } from './kernels-forward.js';
import { ActorCriticLayout, forwardMlp, widestLayer } from './network.js';
import { Policy } from './policy.js';
import { ActionDistribution } from './distributions.js';
import { Discrete, Box } from '../core/spaces.js';
import { Rng } from '../core/rng.js';

/** Random (not freshly initialized: bigger activations) weights and rows for a layout. */
function setup(obs: number, hidden: number[], out: number, batch: number, seed = 1) {
  const rng = new Rng(seed);
  const layout = new ActorCriticLayout(obs, hidden, out, false);
  const params = layout.initialize(rng, 0);
  for (let i = 0; i < params.length; i++) params[i]! += 0.3 * rng.normal();
  const x = Float32Array.from({ length: batch * obs }, () => rng.normal());
  return { layout, params, x, rng };
}

/** forwardMlp, the JS path and reference. */
function jsForward(layout: ActorCriticLayout, params: Float32Array, x: Float32Array, batch: number) {
  const width = Math.max(widestLayer(layout.actor), widestLayer(layout.critic));
  const scratch: [Float32Array, Float32Array] = [new Float32Array(batch * width), new Float32Array(batch * width)];
  const actor = new Float32Array(batch * layout.actorOutputSize);
  const values = new Float32Array(batch);
  forwardMlp(params, layout.actor, x, batch, actor, scratch);
  forwardMlp(params, layout.critic, x, batch, values, scratch);
  return { actor, values };
}

/** Largest |a − b| / max(1, |a|). */
function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return d;
}

describe('KernelsForward (acting on the WASM SIMD kernels)', () => {
  // Widths on and off multiples of 4 (padded observation rows and padded heads), odd batches.
  const shapes: [number, number[], number, number][] = [[4, [64, 64], 2, 4], [130, [64, 64], 11, 16], [3, [6], 5, 1], [7, [10, 12], 1, 9], [8, [16], 4, 5]];
  for (const [obs, hidden, out, batch] of shapes) {
    it(`matches forwardMlp to float32 rounding: ${obs}-${hidden.join('-')}→${out}, batch ${batch}`, () => {
      const { layout, params, x } = setup(obs, hidden, out, batch);
      const ref = jsForward(layout, params, x, batch);
      const k = new KernelsForward(layout, batch);
      const actor = new Float32Array(batch * out);
      const values = new Float32Array(batch);
      k.actor(params, x, batch, actor);
      k.values(params, x, batch, values);
      // Float32 sums of ≤ 130 terms against float64 ones, tanh approximations 3.6e-7 apart: a few ulps.
      expect(maxRelDiff(ref.actor, actor)).toBeLessThan(1e-5);
      expect(maxRelDiff(ref.values, values)).toBeLessThan(1e-5);
      // A row's result does not depend on the batch it is computed in.
      const one = new Float32Array(out);
      k.actor(params, x.subarray((batch - 1) * obs), 1, one);
      expect(one).toEqual(actor.subarray((batch - 1) * out));
    });
  }

  it('copies the weights again after paramsChanged or for a new array, and only then', () => {
    const { layout, params, x } = setup(5, [8], 3, 2);
    const k = new KernelsForward(layout, 2);
    const before = new Float32Array(6);
    k.actor(params, x, 2, before);
    // The head's bias (a padded layer) and a first-layer weight (read in place from the flat copy).
    params[layout.actor[1]!.b + 2]! += 1;
    params[layout.actor[0]!.w]! += 0.5;
    // Changed in place but not announced: the copy made at the first call still acts.
    const stale = new Float32Array(6);
    k.actor(params, x, 2, stale);
    expect(Array.from(stale)).toEqual(Array.from(before));
    k.paramsChanged();
    const after = new Float32Array(6);
    k.actor(params, x, 2, after);
    const ref = jsForward(layout, params, x, 2);
    expect(maxRelDiff(ref.actor, after)).toBeLessThan(1e-5);
    expect(maxRelDiff(before, after)).toBeGreaterThan(0.5);
    const other = Float32Array.from(params, (p) => -p);
    k.actor(other, x, 2, after);
    expect(maxRelDiff(jsForward(layout, other, x, 2).actor, after)).toBeLessThan(1e-5);
  });

  it('refuses a batch above maxBatch, naming both', () => {
    const { layout, params, x } = setup(4, [8], 2, 3);
    expect(() => new KernelsForward(layout, 2).actor(params, x, 3, new Float32Array(6))).toThrow('KernelsForward: batch of 3 rows exceeds maxBatch 2');
  });
});

describe('Policy on the kernels', () => {
  it('computes on the kernels in Node by default, and on request in JS', () => {
    const { layout, params } = setup(4, [8], 2, 1);
    const dist = new ActionDistribution(Discrete(2));
    expect(new Policy(layout, dist, params, 4).forward).toBe('kernels');
    expect(new Policy(layout, dist, params, 4, 'js').forward).toBe('js');
  });

  it('samples the same actions and log-probs as the JS path from the same seed (discrete and Gaussian)', () => {
    for (const space of [Discrete(5), Box(-1, 1, 3)]) {
      const dist = new ActionDistribution(space);
      const rng = new Rng(7);
      const layout = ActorCriticLayout.forDistribution(6, [64, 64], dist);
      const params = layout.initialize(rng, 0);
      for (let i = 0; i < params.length; i++) params[i]! += 0.2 * rng.normal();
      const batch = 8;
      const kernels = new Policy(layout, dist, params, batch, 'kernels');
      const js = new Policy(layout, dist, params, batch, 'js');
      const rngK = new Rng(3);
      const rngJ = new Rng(3);
      const out = () => ({ a: new Float32Array(batch * dist.actionSize), lp: new Float32Array(batch), v: new Float32Array(batch) });
      const k = out();
      const j = out();
      let sameActions = 0;
      let maxLp = 0;
      const rounds = 250;
      for (let r = 0; r < rounds; r++) {
        const obs = Float32Array.from({ length: batch * 6 }, () => 2 * rng.normal());
        kernels.act(obs, batch, rngK, null, k.a, k.lp, k.v);
        js.act(obs, batch, rngJ, null, j.a, j.lp, j.v);
        if (space.kind === 'discrete') sameActions += k.a.every((a, i) => a === j.a[i]) ? 1 : 0;
        else sameActions += maxRelDiff(j.a, k.a) < 1e-5 ? 1 : 0;
        maxLp = Math.max(maxLp, maxRelDiff(j.lp, k.lp), maxRelDiff(j.v, k.v));
      }
      // 2,000 decisions: an action differs only if a draw lands within ~1e-6 of a boundary.
      expect(sameActions).toBe(rounds);
      expect(maxLp).toBeLessThan(1e-4);
    }
  });
});
