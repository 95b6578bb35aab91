import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam.js';
import { useNodeBackend } from './backend.node.js';

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
