import { describe, it, expect } from 'vitest';
import { ActorCriticLayout, forwardMlp, tanh, widestLayer, type LayerSlice } from './network.js';
import { Rng } from '../core/rng.js';

/**
 * The plain triple loop: float64 sums (a Float64Array accumulator) in input order, rounded to
 * float32 once per output, hidden layers through the same {@link tanh}. The bits forwardMlp must keep.
 */
function naiveForward(params: Float32Array, layers: readonly LayerSlice[], x: Float32Array, batch: number, out: Float32Array): void {
  let input = x;
  layers.forEach(({ inSize, outSize, w, b }, l) => {
    const last = l === layers.length - 1;
    const y = last ? out : new Float32Array(batch * outSize);
    const acc = new Float64Array(outSize);
    for (let n = 0; n < batch; n++) {
      for (let j = 0; j < outSize; j++) acc[j] = params[b + j]!;
      for (let i = 0; i < inSize; i++) {
        const xi = input[n * inSize + i]!;
        for (let j = 0; j < outSize; j++) acc[j]! += xi * params[w + i * outSize + j]!;
      }
      for (let j = 0; j < outSize; j++) y[n * outSize + j] = last ? acc[j]! : tanh(acc[j]!);
    }
    input = y;
  });
}

describe('tanh (the rational approximation acting uses)', () => {
  it('is within 2.5e-7 of Math.tanh after float32 rounding over [-12, 12], odd, bounded by 1, and keeps NaN', () => {
    let worst = 0;
    let worstRelSmall = 0;
    let notOdd = 0;
    let aboveOne = 0;
    for (let i = -240_000; i <= 240_000; i++) {
      const x = i / 20_000;
      const t = Math.fround(tanh(x));
      const ref = Math.fround(Math.tanh(x));
      worst = Math.max(worst, Math.abs(t - ref));
      if (Math.abs(x) < 0.5 && x !== 0) worstRelSmall = Math.max(worstRelSmall, Math.abs(t - ref) / Math.abs(ref));
      if (tanh(-x) !== -tanh(x)) notOdd++;
      if (Math.abs(t) > 1) aboveOne++;
    }
    expect(notOdd).toBe(0);
    expect(aboveOne).toBe(0);
    expect(worst).toBeLessThan(2.5e-7);
    // Near 0 it is relatively exact too: ≤ ~2 float32 ulps (2⁻²³ ≈ 1.2e-7 relative each).
    expect(worstRelSmall).toBeLessThan(2.5e-7);
    expect(tanh(1e-30)).toBeCloseTo(1e-30, 36);
    expect(tanh(1e9)).toBeLessThanOrEqual(1);
    expect(tanh(1e9)).toBeGreaterThan(0.9999997);
    expect(tanh(Number.NaN)).toBeNaN();
  });
});

describe('forwardMlp', () => {
  it('gives the same bits as the plain triple loop on odd sizes, odd batches and zero inputs', () => {
    const rng = new Rng(9);
    for (let t = 0; t < 60; t++) {
      const obs = 1 + rng.int(9);
      const hidden = Array.from({ length: 1 + rng.int(3) }, () => 1 + rng.int(70));
      const layout = new ActorCriticLayout(obs, hidden, 1 + rng.int(6), rng.int(2) === 1);
      const params = layout.initialize(rng, 0);
      for (let i = 0; i < params.length; i++) params[i]! += rng.normal();
      const batch = 1 + rng.int(9);
      const x = Float32Array.from({ length: batch * obs }, () => (rng.int(5) === 0 ? 0 : 2 * rng.normal()));
      const width = Math.max(widestLayer(layout.actor), widestLayer(layout.critic));
      for (const layers of [layout.actor, layout.critic]) {
        const outSize = layers[layers.length - 1]!.outSize;
        const expected = new Float32Array(batch * outSize);
        const actual = new Float32Array(batch * outSize);
        naiveForward(params, layers, x, batch, expected);
        forwardMlp(params, layers, x, batch, actual, [new Float32Array(batch * width), new Float32Array(batch * width)]);
        expect(actual).toEqual(expected);
      }
    }
  });

  it('keeps small terms a float32 accumulator would drop (one rounding per output)', () => {
    // y = 1 + Σ 16 × (2⁻¹² · 2⁻¹³): each term is below half an ulp of 1 in float32, so a float32
    // running sum stays at 1; the exact sum 1 + 2⁻²¹ is a float32 and must come out.
    const layers: LayerSlice[] = [{ inSize: 16, outSize: 1, w: 0, b: 16 }];
    const params = new Float32Array(17).fill(2 ** -12);
    params[16] = 1;
    const x = new Float32Array(16).fill(2 ** -13);
    const out = new Float32Array(1);
    forwardMlp(params, layers, x, 1, out, [new Float32Array(16), new Float32Array(16)]);
    expect(out[0]).toBe(1 + 2 ** -21);
  });
});

describe('ActorCriticLayout.initialize (orthogonal init)', () => {
  /** WᵀW (cols ≤ rows) or WWᵀ (rows < cols): the Gram matrix of the smaller side, in float64. */
  function gram(params: Float32Array, { inSize, outSize, w }: LayerSlice): number[][] {
    const small = Math.min(inSize, outSize);
    const at = (r: number, c: number) => params[w + r * outSize + c]!;
    return Array.from({ length: small }, (_, a) => Array.from({ length: small }, (_, b) => {
      let dot = 0;
      if (outSize <= inSize) for (let r = 0; r < inSize; r++) dot += at(r, a) * at(r, b);
      else for (let c = 0; c < outSize; c++) dot += at(a, c) * at(b, c);
      return dot;
    }));
  }

  for (const [obs, hidden, out] of [[4, [64, 64], 2], [80, [16, 32], 5], [3, [7], 1]] as const) {
    it(`gives every layer WᵀW (or WWᵀ) = gain²·I and zero biases: ${obs}-${hidden.join('-')}-${out}`, () => {
      const layout = new ActorCriticLayout(obs, hidden, out, true);
      const params = layout.initialize(new Rng(3), -0.5);
      for (const [net, layers, headGain] of [['actor', layout.actor, 0.01], ['critic', layout.critic, 1]] as const) {
        layers.forEach((layer, l) => {
          const gain = l === layers.length - 1 ? headGain : Math.SQRT2;
          const g = gram(params, layer);
          let worst = 0;
          g.forEach((row, a) => row.forEach((v, b) => { worst = Math.max(worst, Math.abs(v - (a === b ? gain * gain : 0))); }));
          // float32 weights: entries of W carry ~6e-8 relative error, a dot of n of them ~n·6e-8.
          expect(worst / (gain * gain), `${net} layer ${l + 1} (${layer.inSize}×${layer.outSize})`).toBeLessThan(1e-5);
          expect(params.subarray(layer.b, layer.b + layer.outSize).every((b) => b === 0), `${net} layer ${l + 1} biases`).toBe(true);
        });
      }
      expect(Array.from(params.subarray(layout.logStd, layout.logStd + layout.logStdSize))).toEqual(Array(out).fill(-0.5));
    });
  }

  it('draws different weights for different seeds (the test above is not about zeros)', () => {
    const layout = new ActorCriticLayout(4, [8], 2, false);
    expect(layout.initialize(new Rng(1), 0)).not.toEqual(layout.initialize(new Rng(2), 0));
  });
});
