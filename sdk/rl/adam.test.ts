import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam.js';
import { useNodeBackend } from './backend.node.js';
import { Rng } from '../core/rng.js';

beforeAll(async () => { await useNodeBackend('cpu'); });

describe('Adam with global grad-norm clipping', () => {
  it('matches tf.train.adam step for step when the norm is under the limit', () => {
    const init = [0.5, -1, 2, 0.25];
    const params = Float32Array.from(init);
    const adam = new Adam(4, 1e-5);
    const v = tf.variable(tf.tensor1d(init));
    const opt = tf.train.adam(0.01, 0.9, 0.999, 1e-5);
    for (let step = 0; step < 5; step++) {
      const g = Float32Array.from([0.1 * (step + 1), -0.05, 0.02, 0.3 / (step + 1)]);
      adam.step(params, g, 0.01, 100);
      const gt = tf.tensor1d(g);
      opt.applyGradients([{ name: v.name, tensor: gt }]);
      gt.dispose();
    }
    const ref = v.dataSync();
    // tfjs adds ε to √v_t rather than √v̂_t; with ε = 1e-5 the two agree to ~1e-5.
    for (let i = 0; i < 4; i++) expect(params[i]).toBeCloseTo(ref[i]!, 4);
    v.dispose();
    opt.dispose();
  });

  it('scales gradients so their global norm is maxNorm, and reports the norm before clipping', () => {
    const adam = new Adam(2);
    const g = Float32Array.from([3, 4]);
    const norm = adam.step(new Float32Array(2), g, 0.1, 0.5);
    expect(norm).toBeCloseTo(5, 6);
    expect(Math.hypot(g[0]!, g[1]!)).toBeCloseTo(0.5, 5);
  });

  it('first step moves each parameter by lr against the sign of its gradient', () => {
    const adam = new Adam(3, 1e-8);
    const p = new Float32Array(3);
    adam.step(p, Float32Array.from([0.2, -3, 1e-3]), 0.01, 1e9);
    expect(Array.from(p).map((x) => +x.toFixed(5))).toEqual([-0.01, 0.01, -0.01]);
  });
});

describe('Adam on the WASM SIMD kernels', () => {
  it('runs on the kernels in Node by default and agrees with the JS loop to float32 rounding over 200 steps', () => {
    // 4,099 parameters: not a multiple of 4, so the padded tail is exercised.
    const size = 4099;
    const rng = new Rng(11);
    const init = Float32Array.from({ length: size }, () => rng.normal());
    const simd = new Adam(size, 1e-5);
    const js = new Adam(size, 1e-5, 0.9, 0.999, undefined, false);
    expect(simd.device).toBe('kernels');
    expect(js.device).toBe('js');
    const ps = Float32Array.from(init);
    const pj = Float32Array.from(init);
    for (let step = 0; step < 200; step++) {
      const g = Float32Array.from({ length: size }, () => rng.normal() * (1 + (step % 7)));
      const ns = simd.step(ps, Float32Array.from(g), 3e-3, 40);
      const nj = js.step(pj, Float32Array.from(g), 3e-3, 40);
      expect(ns).toBe(nj);
    }
    let maxDiff = 0;
    let moved = 0;
    for (let i = 0; i < size; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(ps[i]! - pj[i]!));
      moved = Math.max(moved, Math.abs(pj[i]! - init[i]!));
    }
    // 200 steps of up to 3e-3 each moved parameters by ~0.1–0.6; float32 vs float64 arithmetic leaves ~1e-5
    // (a wrong bias correction or β would leave ≥ 1e-3).
    expect(moved).toBeGreaterThan(0.1);
    expect(maxDiff).toBeLessThan(3e-5);
    expect(simd.state.t).toBe(200);
    for (let i = 0; i < size; i += 97) {
      expect(Math.abs(simd.state.m[i]! - js.state.m[i]!) / Math.max(1, Math.abs(js.state.m[i]!))).toBeLessThan(5e-5);
      expect(Math.abs(simd.state.v[i]! - js.state.v[i]!) / js.state.v[i]!).toBeLessThan(5e-5);
    }
  });

  it('resumes from given moments and keeps state changes made in place (a fault guard restores them so)', () => {
    const m = Float32Array.from([0.1, -0.2, 0.3]);
    const v = Float32Array.from([0.01, 0.04, 0.09]);
    const step = (adam: Adam) => { const p = new Float32Array(3); adam.step(p, Float32Array.from([0.5, 0.5, -0.5]), 0.01, 100); return p; };
    const a = new Adam(3, 1e-8, 0.9, 0.999, { m: Float32Array.from(m), v: Float32Array.from(v), t: 5 });
    const b = new Adam(3, 1e-8, 0.9, 0.999, { m: Float32Array.from(m), v: Float32Array.from(v), t: 5 }, false);
    const pa = step(a);
    const pb = step(b);
    for (let i = 0; i < 3; i++) expect(pa[i]).toBeCloseTo(pb[i]!, 6);
    // Put the moments back in place, as FaultGuard.restore does, and redo the step: same result.
    a.state.m.set(m);
    a.state.v.set(v);
    a.state.t = 5;
    expect(step(a)).toEqual(pa);
  });
});
