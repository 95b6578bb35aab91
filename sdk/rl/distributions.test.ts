import { describe, it, expect, vi } from 'vitest';
import { ActionDistribution } from './distributions.js';
import { Rng } from '../core/rng.js';
import { loadOracle } from '../../test-fixtures/oracle.js';

const oracle = loadOracle();
const f32 = (a: number[]) => Float32Array.from(a);

describe('diagonal Gaussian against the PyTorch oracle', () => {
  for (const [k, c] of oracle.gaussian.entries()) {
    it(`case ${k}: log-prob, entropy and their gradients`, () => {
      const [B, D] = c.shape;
      const dist = new ActionDistribution({ kind: 'box', size: D, low: Array(D).fill(-1), high: Array(D).fill(1) });
      const mean = f32(c.mean);
      const logStd = f32(c.logStd);
      const actions = f32(c.actions);
      const dMean = new Float32Array(B * D);
      const dLogStd = new Float32Array(D);
      for (let i = 0; i < B; i++) {
        dist.evaluate(mean, i * D, actions, i * D, logStd, null, 0);
        expect(dist.logProb).toBeCloseTo(c.expected.logProb[i]!, 4);
        expect(dist.entropy).toBeCloseTo(c.expected.entropy[i]!, 4);
        // The oracle differentiates Σ_i (logπ_i + H_i).
        dist.accumulateGrad(mean, i * D, actions, i * D, logStd, null, 0, 1, 1, dMean, dLogStd);
      }
      for (let j = 0; j < B * D; j++) expect(dMean[j]).toBeCloseTo(c.expected.gradMeanOfSumLogProbPlusEntropy[j]!, 3);
      for (let d = 0; d < D; d++) expect(dLogStd[d]).toBeCloseTo(c.expected.gradLogStdOfSumLogProbPlusEntropy[d]!, 3);
    });
  }

  it('samples with the configured mean and std', () => {
    const dist = new ActionDistribution({ kind: 'box', size: 1, low: [-1], high: [1] });
    const rng = new Rng(3);
    const act = new Float32Array(1);
    let sum = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      dist.sample(f32([2]), 0, f32([Math.log(0.5)]), null, 0, rng, act, 0);
      sum += act[0]!;
      sq += act[0]! ** 2;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(sq / n - mean * mean)).toBeCloseTo(0.5, 1);
  });
});

describe('categorical', () => {
  const logits = f32([1, 2, 0.5]);
  const p = (() => { const e = Array.from(logits, Math.exp); const s = e.reduce((a, b) => a + b); return e.map((x) => x / s); })();

  it('log-prob and entropy match the closed forms', () => {
    const dist = new ActionDistribution({ kind: 'discrete', n: 3 });
    dist.evaluate(logits, 0, f32([1]), 0, null, null, 0);
    expect(dist.logProb).toBeCloseTo(Math.log(p[1]!), 6);
    expect(dist.entropy).toBeCloseTo(-p.reduce((s, q) => s + q * Math.log(q), 0), 6);
  });

  it('gradients match finite differences', () => {
    const dist = new ActionDistribution({ kind: 'discrete', n: 3 });
    const act = f32([2]);
    const grad = new Float32Array(3);
    dist.accumulateGrad(logits, 0, act, 0, null, null, 0, 0.7, -0.3, grad, null);
    const f = (z: Float32Array) => { dist.evaluate(z, 0, act, 0, null, null, 0); return 0.7 * dist.logProb - 0.3 * dist.entropy; };
    for (let j = 0; j < 3; j++) {
      const up = Float32Array.from(logits); up[j]! += 1e-3;
      const down = Float32Array.from(logits); down[j]! -= 1e-3;
      expect(grad[j]).toBeCloseTo((f(up) - f(down)) / 2e-3, 3);
    }
  });

  it('a mask removes actions from sampling, the mode, the log-prob and the entropy', () => {
    const dist = new ActionDistribution({ kind: 'discrete', n: 3 });
    const mask = Uint8Array.from([1, 0, 1]);
    const rng = new Rng(1);
    const act = new Float32Array(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) { dist.sample(logits, 0, null, mask, 0, rng, act, 0); counts[act[0]!]!++; }
    expect(counts[1]).toBe(0);
    const pm0 = Math.exp(1) / (Math.exp(1) + Math.exp(0.5));
    expect(counts[0]! / 3000).toBeCloseTo(pm0, 1);
    dist.mode(logits, 0, mask, 0, act, 0);
    expect(act[0]).toBe(0);
    dist.evaluate(logits, 0, f32([0]), 0, null, mask, 0);
    expect(dist.logProb).toBeCloseTo(Math.log(pm0), 6);
    expect(dist.entropy).toBeCloseTo(-(pm0 * Math.log(pm0) + (1 - pm0) * Math.log(1 - pm0)), 6);
    const grad = new Float32Array(3);
    dist.accumulateGrad(logits, 0, f32([0]), 0, null, mask, 0, 1, 1, grad, null);
    expect(grad[1]).toBe(0);
  });

  it('a mask that allows nothing is an error, not a silent NaN', () => {
    const dist = new ActionDistribution({ kind: 'discrete', n: 3 });
    expect(() => dist.evaluate(logits, 0, f32([0]), 0, null, Uint8Array.from([0, 0, 0]), 0)).toThrow(/allows no action/);
  });

  it('multi-discrete sums branch log-probs and entropies', () => {
    const dist = new ActionDistribution({ kind: 'multiDiscrete', nvec: [3, 2] });
    expect(dist.outputSize).toBe(5);
    expect(dist.actionSize).toBe(2);
    const out = f32([1, 2, 0.5, 0.1, -0.1]);
    dist.evaluate(out, 0, f32([1, 0]), 0, null, null, 0);
    const q0 = Math.exp(0.1) / (Math.exp(0.1) + Math.exp(-0.1));
    expect(dist.logProb).toBeCloseTo(Math.log(p[1]!) + Math.log(q0), 6);
    const h = -p.reduce((s, q) => s + q * Math.log(q), 0) - (q0 * Math.log(q0) + (1 - q0) * Math.log(1 - q0));
    expect(dist.entropy).toBeCloseTo(h, 6);
  });
});

describe('hybrid (Gaussian part, then categorical branches)', () => {
  const space = { kind: 'hybrid', continuous: { kind: 'box', size: 2, low: [-1, -1], high: [1, 1] }, discrete: { kind: 'multiDiscrete', nvec: [3, 2] } } as const;
  // Actor row: means (2), logits of branch 0 (3), logits of branch 1 (2). Action row: 2 reals, 2 choices.
  const out = f32([0.3, -0.5, 1, 2, 0.5, 0.1, -0.1]);
  const logStd = f32([-0.2, 0.4]);
  const act = f32([0.1, 0.7, 2, 1]);

  it('has the sizes the network, the rollout and the masks need', () => {
    const dist = new ActionDistribution(space);
    expect(dist.outputSize).toBe(7);
    expect(dist.actionSize).toBe(4);
    expect(dist.maskSize).toBe(5);
    expect(dist.continuous).toBe(true);
    expect(dist.numContinuous).toBe(2);
    expect(dist.logStdSize).toBe(2);
    expect(dist.branches).toEqual([3, 2]);
    // The existing kinds keep their sizes.
    const box = new ActionDistribution({ kind: 'box', size: 3, low: [-1, -1, -1], high: [1, 1, 1] });
    expect([box.outputSize, box.actionSize, box.maskSize, box.continuous, box.logStdSize]).toEqual([3, 3, 0, true, 3]);
    const md = new ActionDistribution({ kind: 'multiDiscrete', nvec: [3, 2] });
    expect([md.outputSize, md.actionSize, md.maskSize, md.continuous, md.logStdSize]).toEqual([5, 2, 5, false, 0]);
  });

  it('log-prob and entropy are the Gaussian and categorical sums', () => {
    const hybrid = new ActionDistribution(space);
    const gauss = new ActionDistribution(space.continuous);
    const cat = new ActionDistribution(space.discrete);
    hybrid.evaluate(out, 0, act, 0, logStd, null, 0);
    gauss.evaluate(out, 0, act, 0, logStd, null, 0);
    cat.evaluate(out, 2, act, 2, null, null, 0);
    expect(hybrid.logProb).toBeCloseTo(gauss.logProb + cat.logProb, 6);
    expect(hybrid.entropy).toBeCloseTo(gauss.entropy + cat.entropy, 6);
  });

  for (const masked of [false, true]) {
    it(`gradients of log-prob and entropy match finite differences${masked ? ' (with a mask on the branches)' : ''}`, () => {
      const dist = new ActionDistribution(space);
      // The mask covers the logits only: 5 entries, not 7.
      const mask = masked ? Uint8Array.from([1, 0, 1, 1, 1]) : null;
      const gLP = 0.7;
      const gH = -0.3;
      const dOut = new Float32Array(7);
      const dLogStd = new Float32Array(2);
      dist.accumulateGrad(out, 0, act, 0, logStd, mask, 0, gLP, gH, dOut, dLogStd);
      const f = (z: Float32Array, ls: Float32Array) => { dist.evaluate(z, 0, act, 0, ls, mask, 0); return gLP * dist.logProb + gH * dist.entropy; };
      const h = 1e-3;
      for (let j = 0; j < 7; j++) {
        const up = Float32Array.from(out); up[j]! += h;
        const down = Float32Array.from(out); down[j]! -= h;
        expect(dOut[j], `d/dout[${j}]`).toBeCloseTo((f(up, logStd) - f(down, logStd)) / (2 * h), 3);
      }
      if (masked) expect(dOut[3]).toBe(0); // logit 1 of branch 0 is masked out
      for (let d = 0; d < 2; d++) {
        const up = Float32Array.from(logStd); up[d]! += h;
        const down = Float32Array.from(logStd); down[d]! -= h;
        expect(dLogStd[d], `d/dlogStd[${d}]`).toBeCloseTo((f(out, up) - f(out, down)) / (2 * h), 3);
      }
    });
  }

  it('samples the Gaussian part around the means and never a masked choice; the mode is mean + argmax', () => {
    const dist = new ActionDistribution(space);
    const mask = Uint8Array.from([1, 0, 1, 0, 1]);
    const rng = new Rng(7);
    const a = new Float32Array(4);
    let sum0 = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const lp = dist.sample(out, 0, logStd, mask, 0, rng, a, 0);
      sum0 += a[0]!;
      expect(a[2]).not.toBe(1);
      expect(a[3]).toBe(1);
      dist.evaluate(out, 0, a, 0, logStd, mask, 0);
      expect(lp).toBeCloseTo(dist.logProb, 4);
    }
    expect(sum0 / n).toBeCloseTo(0.3, 1);
    dist.mode(out, 0, mask, 0, a, 0);
    expect(Array.from(a)).toEqual([out[0], out[1], 0, 1]);
    dist.mode(out, 0, null, 0, a, 0);
    expect(Array.from(a.subarray(2))).toEqual([1, 0]);
  });
});

describe('accumulateGrad after evaluate (the loss heads evaluate, then differentiate, each row)', () => {
  const dist = new ActionDistribution({ kind: 'multiDiscrete', nvec: [9, 2] });
  const rng = new Rng(3);
  const out = Float32Array.from({ length: 3 * 11 }, () => rng.uniform(-3, 3));
  const act = f32([4, 1, 0, 0, 8, 1]);
  const mask = Uint8Array.from({ length: 3 * 11 }, (_, i) => (i % 7 === 3 ? 0 : 1));
  /** The gradient of row `i` by a fresh distribution that never evaluated anything. */
  const fresh = (z: Float32Array, i: number) => {
    const g = new Float32Array(z.length);
    new ActionDistribution({ kind: 'multiDiscrete', nvec: [9, 2] }).accumulateGrad(z, i * 11, act, i * 2, null, mask, i * 11, 0.7, -0.3, g, null);
    return g;
  };

  it('reuses the softmax evaluate computed: no Math.exp, and the same gradient bit for bit', () => {
    for (let i = 0; i < 3; i++) {
      dist.evaluate(out, i * 11, act, i * 2, null, mask, i * 11);
      const g = new Float32Array(out.length);
      const exp = vi.spyOn(Math, 'exp');
      try {
        dist.accumulateGrad(out, i * 11, act, i * 2, null, mask, i * 11, 0.7, -0.3, g, null);
        expect(exp).not.toHaveBeenCalled();
      } finally {
        exp.mockRestore();
      }
      expect(Array.from(g)).toEqual(Array.from(fresh(out, i)));
    }
  });

  it('recomputes when the row differs from the one evaluated: another row, changed logits, a changed mask', () => {
    dist.evaluate(out, 0, act, 0, null, mask, 0);
    const other = new Float32Array(out.length);
    dist.accumulateGrad(out, 11, act, 2, null, mask, 11, 0.7, -0.3, other, null);
    expect(Array.from(other)).toEqual(Array.from(fresh(out, 1)));

    const changed = Float32Array.from(out);
    dist.evaluate(changed, 0, act, 0, null, mask, 0);
    changed[2]! += 1.5;
    const g = new Float32Array(out.length);
    dist.accumulateGrad(changed, 0, act, 0, null, mask, 0, 0.7, -0.3, g, null);
    expect(Array.from(g)).toEqual(Array.from(fresh(changed, 0)));

    dist.evaluate(out, 0, act, 0, null, mask, 0);
    mask[5] = 0;
    try {
      const gm = new Float32Array(out.length);
      dist.accumulateGrad(out, 0, act, 0, null, mask, 0, 0.7, -0.3, gm, null);
      expect(Array.from(gm)).toEqual(Array.from(fresh(out, 0)));
      expect(gm[5]).toBe(0);
    } finally {
      mask[5] = 1;
    }
  });
});
