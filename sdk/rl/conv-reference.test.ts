import { describe, it, expect } from 'vitest';
import { convBackwardReference, convForwardReference } from './conv-reference.js';
import { convTestStack } from './conv-test-stack.js';
import { Rng } from '../core/rng.js';

describe('the float64 conv reference', () => {
  // Odd sizes, strides 1 and 2, 1 and several channels, a grid inside a longer row at an offset.
  const cases = [
    { name: '6×5×2 grid, 3×3/1 → 3 then 2×2/2 → 2, batch 2', shape: [6, 5, 2], layers: [[3, 3, 1], [2, 2, 2]], batch: 2 },
    { name: '7×7×1 grid, 3×3/2 → 4, batch 3', shape: [7, 7, 1], layers: [[4, 3, 2]], batch: 3 },
    { name: '5×6×3 grid, 2×2/1 → 2, 2×2/1 → 3, 3×3/1 → 2, batch 1', shape: [5, 6, 3], layers: [[2, 2, 1], [3, 2, 1], [2, 3, 1]], batch: 1 },
  ] as const;
  for (const c of cases) {
    it(`matches central finite differences: ${c.name}`, () => {
      const rng = new Rng(7);
      const offset = 5;
      const { layers, size, gridSize } = convTestStack(c.shape, c.layers, offset);
      const params = Float64Array.from({ length: size }, () => 0.5 * rng.normal());
      const xStride = gridSize + 4;
      const xOffset = 3;
      const x = Float64Array.from({ length: c.batch * xStride }, () => rng.normal());
      const forward = () => convForwardReference(params, layers, x, xStride, xOffset, c.batch);
      const acts = forward();
      const top = acts[acts.length - 1]!;
      // Some units must be active and some not, or the ReLU's two sides go untested.
      expect(top.some((v) => v > 0) && acts[0]!.some((v) => v === 0), 'both sides of the ReLU are exercised').toBe(true);
      const dOut = Float64Array.from({ length: top.length }, () => rng.normal());
      const loss = () => forward()[acts.length - 1]!.reduce((s, v, i) => s + v * dOut[i]!, 0);
      const grads = new Float64Array(size).fill(NaN);
      convBackwardReference(params, layers, x, xStride, xOffset, c.batch, acts, dOut, grads);
      const h = 1e-6;
      let checked = 0;
      for (let i = offset; i < size; i++) {
        const keep = params[i]!;
        params[i] = keep + h;
        const up = loss();
        params[i] = keep - h;
        const down = loss();
        params[i] = keep;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(grads[i]! - numeric), `d loss / d param ${i}: analytic ${grads[i]} vs numeric ${numeric}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
        checked++;
      }
      expect(checked).toBe(size - offset);
      // Entries outside the stack are not the reference's to write.
      for (let i = 0; i < offset; i++) expect(grads[i]).toBeNaN();
    });
  }

  it('computes a hand-worked 3×3×1 grid with a 2×2 kernel', () => {
    // Weights [[1, 2], [3, 4]] (one channel in and out), bias -10.
    const { layers } = convTestStack([3, 3, 1], [[1, 2, 1]], 0);
    const params = [1, 2, 3, 4, -10];
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    // (1·1 + 2·2 + 4·3 + 5·4) − 10 = 27; (2 + 6 + 15 + 24) − 10 = 37; (4 + 10 + 21 + 32) − 10 = 57; (5 + 12 + 24 + 36) − 10 = 67.
    expect(Array.from(convForwardReference(params, layers, x, 9, 0, 1)[0]!)).toEqual([27, 37, 57, 67]);
    params[4] = -50;
    // 27 − 40 < 0 and 37 − 40 < 0 go through ReLU as 0.
    expect(Array.from(convForwardReference(params, layers, x, 9, 0, 1)[0]!)).toEqual([0, 0, 17, 27]);
  });
});
