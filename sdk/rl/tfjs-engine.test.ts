import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from './backend.node.js';
import { TfjsEngine } from './tfjs-engine.js';
import { ActorCriticLayout, type LayerSlice } from './network.js';
import { Rng } from '../core/rng.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/** The same MLP written with tfjs autograd ops, as the reference for the hand-derived backward. */
function autogradMlp(params: tf.Tensor1D, layers: readonly LayerSlice[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach(({ inSize, outSize, w, b }, l) => {
    const W = params.slice(w, inSize * outSize).reshape([inSize, outSize]);
    const bias = params.slice(b, outSize);
    const z = tf.add(tf.matMul(h, W), bias) as tf.Tensor2D;
    h = l === layers.length - 1 ? z : tf.tanh(z);
  });
  return h;
}

describe('TfjsEngine', () => {
  const layout = new ActorCriticLayout(5, [16, 8], 3, true);
  const rng = new Rng(7);
  const params = layout.initialize(rng, -0.5);
  // Bigger head weights and biases than the 0.01-gain init so every gradient term is exercised.
  for (let i = 0; i < params.length; i++) params[i]! += 0.3 * rng.normal();
  const B = 6;
  const obs = Float32Array.from({ length: B * 5 }, () => rng.normal());
  const dOut = Float32Array.from({ length: B * 3 }, () => rng.normal());
  const dV = Float32Array.from({ length: B }, () => rng.normal());

  it('forward matches an autograd MLP and backward matches tf.grad', () => {
    const engine = new TfjsEngine(layout);
    engine.setParams(params);
    const { actorOut, values } = engine.forward(obs, B);
    const grads = new Float32Array(layout.size).fill(123);
    engine.backward(dOut, dV, grads);

    const [refOut, refV, refGrad] = tf.tidy(() => {
      const x = tf.tensor2d(obs, [B, 5]);
      const p = tf.tensor1d(params);
      const f = (q: tf.Tensor) => tf.add(
        tf.sum(tf.mul(autogradMlp(q as tf.Tensor1D, layout.actor, x), tf.tensor2d(dOut, [B, 3]))),
        tf.sum(tf.mul(autogradMlp(q as tf.Tensor1D, layout.critic, x), tf.tensor2d(dV, [B, 1])))) as tf.Scalar;
      return [autogradMlp(p, layout.actor, x).dataSync(), autogradMlp(p, layout.critic, x).dataSync(), tf.grad(f)(p).dataSync()];
    });
    for (let i = 0; i < actorOut.length; i++) expect(actorOut[i]).toBeCloseTo(refOut[i]!, 5);
    for (let i = 0; i < B; i++) expect(values[i]).toBeCloseTo(refV[i]!, 5);
    for (let i = 0; i < layout.size; i++) {
      if (i >= layout.logStd && i < layout.logStd + layout.logStdSize) {
        expect(grads[i], 'the log-std slot is the loss head\'s to fill').toBe(123);
        continue;
      }
      expect(Math.abs(grads[i]! - refGrad[i]!), `grad[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(refGrad[i]!)));
    }
    engine.dispose();
  });

  it('keeps the tensor count flat across many forward/backward/setParams rounds', () => {
    const engine = new TfjsEngine(layout);
    engine.setParams(params);
    const grads = new Float32Array(layout.size);
    const round = () => { engine.forward(obs, B); engine.backward(dOut, dV, grads); engine.setParams(params); };
    round();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) round();
    expect(tf.memory().numTensors).toBe(before);
    engine.dispose();
  });
});
