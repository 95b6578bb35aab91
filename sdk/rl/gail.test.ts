import { describe, it, expect } from 'vitest';
import { Discriminator, softplus } from './gail.js';
import { Rng } from '../core/rng.js';

describe('GAIL discriminator', () => {
  it('its hand-derived gradient of the cross-entropy matches central finite differences', () => {
    const rng = new Rng(4);
    const d = new Discriminator(5, 6, rng);
    for (let i = 0; i < d.params.length; i++) d.params[i]! += 0.2 * rng.normal();
    const nE = 4, nP = 3;
    const xE = Float32Array.from({ length: nE * 5 }, () => rng.normal());
    const xP = Float32Array.from({ length: nP * 5 }, () => rng.normal());
    const grads = new Float32Array(d.params.length);
    const loss0 = d.lossAndGrad(xE, nE, xP, nP, grads);
    const sink = new Float32Array(d.params.length);
    const loss = () => d.lossAndGrad(xE, nE, xP, nP, sink);
    expect(loss()).toBeCloseTo(loss0, 6);
    const h = 5e-3;
    let checked = 0;
    for (let k = 0; k < d.params.length; k++) {
      const x = d.params[k]!;
      d.params[k] = x + h; const up = loss();
      d.params[k] = x - h; const down = loss();
      d.params[k] = x;
      expect(Math.abs(grads[k]! - (up - down) / (2 * h)), `grad[${k}]`).toBeLessThan(3e-4 * Math.max(1, Math.abs(grads[k]!)));
      if (Math.abs(grads[k]!) > 1e-4) checked++;
    }
    // Every layer's weights are exercised, not only the last.
    expect(checked).toBeGreaterThan(d.params.length / 2);
  });

  it('learns to tell demonstration rows from policy rows, and rewards the demo-like ones more', () => {
    const rng = new Rng(8);
    const d = new Discriminator(2, 16, rng);
    const B = 64;
    const expert = new Float32Array(B * 2);
    const policy = new Float32Array(B * 2);
    let first = 0, last = 0;
    for (let step = 0; step < 300; step++) {
      for (let r = 0; r < B; r++) {
        expert[r * 2] = 1 + 0.3 * rng.normal(); expert[r * 2 + 1] = 0.3 * rng.normal();
        policy[r * 2] = -1 + 0.3 * rng.normal(); policy[r * 2 + 1] = 0.3 * rng.normal();
      }
      const loss = d.train(expert, B, policy, B, 3e-3);
      if (step === 0) first = loss;
      last = loss;
    }
    // 2·log 2 ≈ 1.386 is chance (the random init starts nearer it than 0); separable clusters go far below.
    expect(first).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(0.1);
    const r = new Float32Array(2);
    d.reward(Float32Array.of(1, 0, -1, 0), 2, r);
    expect(r[0]!).toBeGreaterThan(2);
    expect(r[1]!).toBeLessThan(0.1);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
  });
});
