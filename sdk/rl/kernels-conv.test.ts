import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from './backend.node.js';
import { convStackBackward, convStackForward, uploadConvLayers } from './tfjs-conv.js';
import { KernelsConv } from './kernels-conv.js';
import { convBackward, convForward, convOutSize, convScratchSize } from './conv.js';
import { convBackwardReference, convForwardReference } from './conv-reference.js';
import { convTestStack } from './conv-test-stack.js';
import { Rng } from '../core/rng.js';

/**
 * Tolerances against the float64 reference: max |error| / max(1, |reference|) per output, and per
 * gradient / {@link gradScales}. Measured worst cases over all cases and implementations (wasm,
 * plain TS, tfjs cpu and wasm; `CONV_TOL=1` prints them): forward 1.4e-6, gradients 6.3e-7. The
 * bounds leave 2× and 3× headroom.
 */
const FORWARD_TOL = 3e-6;
const GRAD_TOL = 2e-6;

// [rows, cols, channels], layers [outC, kernel, stride], batch: strides 1 and 2, odd sizes, 1 and
// several channels, outC a multiple of 8, of 4 and of neither, batch 1 and odd batches.
const CASES = [
  { name: '7×7×4, 3×3/1 → 8, 3×3/1 → 16, batch 5', shape: [7, 7, 4], layers: [[8, 3, 1], [16, 3, 1]], batch: 5 },
  { name: '9×11×1, 3×3/2 → 6, 2×2/1 → 5, batch 1', shape: [9, 11, 1], layers: [[6, 3, 2], [5, 2, 1]], batch: 1 },
  { name: '15×15×3, 4×4/2 → 16, 3×3/1 → 32, batch 13', shape: [15, 15, 3], layers: [[16, 4, 2], [32, 3, 1]], batch: 13 },
  { name: '5×5×2, one 5×5 layer → 3 (1×1 output), batch 3', shape: [5, 5, 2], layers: [[3, 5, 1]], batch: 3 },
  { name: '8×6×5, 3×3/1 → 7, 3×3/2 → 9, 1×1/1 → 4, batch 7', shape: [8, 6, 5], layers: [[7, 3, 1], [9, 3, 2], [4, 1, 1]], batch: 7 },
  { name: '15×15×4, 3×3/1 → 16, 3×3/1 → 16, batch 2', shape: [15, 15, 4], layers: [[16, 3, 1], [16, 3, 1]], batch: 2 },
] as const;

/**
 * Random parameters at the scale the orthogonal √2 init gives (weights of std √(2 / fan-in)), so
 * activations stay O(1) through the layers as in training; biases 0.1-sized so they count.
 */
function heScaled(layers: ReturnType<typeof convTestStack>['layers'], length: number, rng: Rng): Float32Array {
  const params = Float32Array.from({ length }, () => 0.1 * rng.normal());
  for (const L of layers) {
    const fanIn = L.kernel * L.kernel * L.inC;
    for (let i = 0; i < fanIn * L.outC; i++) params[L.w + i] = Math.sqrt(2 / fanIn) * rng.normal();
  }
  return params;
}

/**
 * Per-parameter scale for gradient errors: max(1, the largest |reference| in the same tensor (a
 * layer's W or b)). A weight gradient sums ~batch·positions products of random sign, so float32
 * rounding error grows with the magnitude of that sum's terms, not with its (possibly cancelled)
 * value; the tensor's largest entry is a measure of the former.
 */
function gradScales(layers: ReturnType<typeof convTestStack>['layers'], ref: Float64Array): Float64Array {
  const scale = new Float64Array(ref.length).fill(1);
  for (const L of layers) {
    for (const [from, to] of [[L.w, L.b], [L.b, L.b + L.outC]] as const) {
      let m = 1;
      for (let i = from; i < to; i++) m = Math.max(m, Math.abs(ref[i]!));
      scale.fill(m, from, to);
    }
  }
  return scale;
}

describe('KernelsConv (WASM SIMD conv) against the float64 reference', () => {
  const worst = { forward: 0, grad: 0 };
  afterAll(() => { if (process.env.CONV_TOL) console.log('worst relative errors', worst); });
  for (const c of CASES) {
    it(c.name, () => {
      const rng = new Rng(23);
      // The stack sits after other parameters, and each grid inside a longer observation row.
      const offset = 6;
      const { layers, size, gridSize } = convTestStack(c.shape, c.layers, offset);
      const params = heScaled(layers, size + 3, rng);
      const xStride = gridSize + 5;
      const xOffset = 2;
      const x = Float32Array.from({ length: c.batch * xStride }, () => rng.normal());
      const refActs = convForwardReference(params, layers, x, xStride, xOffset, c.batch);
      const dOut = Float32Array.from({ length: refActs[refActs.length - 1]!.length }, () => rng.normal());
      const refGrads = new Float64Array(params.length);
      convBackwardReference(params, layers, x, xStride, xOffset, c.batch, refActs, dOut, refGrads);

      // Grown from a 1-row memory: the buffers move and must still be right.
      const conv = new KernelsConv(layers, 1);
      const acts = refActs.map((a) => new Float32Array(a.length).fill(NaN));
      conv.forward(params, x, xStride, xOffset, c.batch, acts);
      let active = 0;
      for (let l = 0; l < layers.length; l++) {
        for (let i = 0; i < acts[l]!.length; i++) {
          const ref = refActs[l]![i]!;
          if (ref > 0) active++;
          worst.forward = Math.max(worst.forward, Math.abs(acts[l]![i]! - ref) / Math.max(1, Math.abs(ref)));
          expect(Math.abs(acts[l]![i]! - ref), `layer ${l} output[${i}]`).toBeLessThan(FORWARD_TOL * Math.max(1, Math.abs(ref)));
        }
      }
      expect(active, 'some units are active').toBeGreaterThan(0);

      // Gradients are ADDED (as conv.ts's convBackward): start from 1 and expect 1 + reference.
      const grads = new Float32Array(params.length).fill(1);
      conv.backward(params, x, xStride, xOffset, c.batch, dOut, grads);
      const scale = gradScales(layers, refGrads);
      for (let i = 0; i < params.length; i++) {
        const inStack = i >= offset && i < size;
        const want = inStack ? 1 + refGrads[i]! : 1;
        worst.grad = Math.max(worst.grad, Math.abs(grads[i]! - want) / scale[i]!);
        expect(Math.abs(grads[i]! - want), `grad[${i}]${inStack ? '' : ' (outside the stack: untouched)'}`).toBeLessThan(GRAD_TOL * scale[i]!);
      }
    });
  }

  it('runs the forward pass again for a backward on other inputs than the last forward', () => {
    const rng = new Rng(4);
    const { layers, size, gridSize } = convTestStack([6, 6, 2], [[4, 3, 1], [4, 2, 2]], 0);
    const params = Float32Array.from({ length: size }, () => 0.5 * rng.normal());
    const xa = Float32Array.from({ length: 3 * gridSize }, () => rng.normal());
    const xb = Float32Array.from({ length: 3 * gridSize }, () => rng.normal());
    const dOut = Float32Array.from({ length: 3 * 2 * 2 * 4 }, () => rng.normal());
    const acts = layers.map((L) => new Float32Array(3 * L.outH * L.outW * L.outC));
    const conv = new KernelsConv(layers, 3);
    conv.forward(params, xa, gridSize, 0, 3, acts);
    const grads = new Float32Array(size);
    conv.backward(params, xb, gridSize, 0, 3, dOut, grads);
    const fresh = new Float32Array(size);
    const other = new KernelsConv(layers, 3);
    other.forward(params, xb, gridSize, 0, 3, acts);
    other.backward(params, xb, gridSize, 0, 3, dOut, fresh);
    expect(grads).toEqual(fresh);
  });

  it('refuses a stack with no layers and a batch that is not a positive integer', () => {
    expect(() => new KernelsConv([])).toThrow(/at least one layer/);
    const { layers, size } = convTestStack([3, 3, 1], [[4, 3, 1]], 0);
    const conv = new KernelsConv(layers);
    expect(() => conv.forward(new Float32Array(size), new Float32Array(9), 9, 0, 0, [new Float32Array(4)])).toThrow(/batch must be a positive integer, got 0/);
  });
});

describe('the conv encoder: WASM SIMD kernels, plain TS (conv.ts) and tfjs on the same batch', () => {
  beforeAll(async () => { await useNodeBackend('cpu'); await useNodeBackend('wasm'); });
  const worstAll = { forward: 0, grad: 0 };
  afterAll(async () => {
    await useNodeBackend('wasm');
    if (process.env.CONV_TOL) console.log('worst relative errors (all implementations)', worstAll);
  });
  const cases = [
    { name: '15×15×4, 3×3/1 → 16, 3×3/1 → 16, batch 6', shape: [15, 15, 4], layers: [[16, 3, 1], [16, 3, 1]], batch: 6 },
    { name: '9×11×1, 3×3/2 → 6, 2×2/1 → 5, batch 7', shape: [9, 11, 1], layers: [[6, 3, 2], [5, 2, 1]], batch: 7 },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const rng = new Rng(31);
      const { layers, size, gridSize, outSize } = convTestStack(c.shape, c.layers, 0);
      const params = heScaled(layers, size, rng);
      const B = c.batch;
      const x = Float32Array.from({ length: B * gridSize }, () => rng.normal());
      const dOut = Float32Array.from({ length: B * outSize }, () => rng.normal());
      const refActs = convForwardReference(params, layers, x, gridSize, 0, B);
      const refGrads = new Float64Array(size);
      convBackwardReference(params, layers, x, gridSize, 0, B, refActs, dOut, refGrads);
      const refOut = refActs[refActs.length - 1]!;

      const actsOf = () => layers.map((L) => new Float32Array(B * convOutSize(L)));
      const wasmActs = actsOf();
      const wasmGrads = new Float32Array(size);
      const conv = new KernelsConv(layers, B);
      conv.forward(params, x, gridSize, 0, B, wasmActs);
      conv.backward(params, x, gridSize, 0, B, dOut, wasmGrads);

      const tsActs = actsOf();
      const tsGrads = new Float32Array(size);
      convForward(params, layers, x, gridSize, 0, B, tsActs);
      const scratchSize = convScratchSize(layers, B);
      convBackward(params, layers, x, gridSize, 0, B, tsActs, dOut, tsGrads, [new Float32Array(scratchSize), new Float32Array(scratchSize)]);

      // tfjs on both Node backends, through tfjs-conv.ts (TfjsEngine's conv path: tf.conv2d forward, hand backward).
      const tfRuns = (['cpu', 'wasm'] as const).map((backend) => {
        tf.setBackend(backend);
        return [`tfjs-${backend}`, ...tf.tidy(() => {
          const tensors = uploadConvLayers(params, layers);
          const acts = convStackForward(tf.tensor4d(x, [B, ...c.shape]), tensors);
          const out = acts[acts.length - 1]!;
          const grads = convStackBackward(acts, tensors, tf.tensor4d(dOut, out.shape));
          const flat = new Float32Array(size);
          layers.forEach((L, l) => {
            flat.set(grads[2 * l]!.dataSync(), L.w);
            flat.set(grads[2 * l + 1]!.dataSync(), L.b);
          });
          return [Float32Array.from(out.dataSync()), flat] as const;
        })] as const;
      });

      const scale = gradScales(layers, refGrads);
      const within = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
        const grad = want.length === size;
        for (let i = 0; i < want.length; i++) {
          const bound = tol * (grad ? scale[i]! : Math.max(1, Math.abs(want[i]!)));
          worstAll[grad ? 'grad' : 'forward'] = Math.max(worstAll[grad ? 'grad' : 'forward'], Math.abs(got[i]! - want[i]!) / bound * tol);
          expect(Math.abs(got[i]! - want[i]!), `${what}[${i}]`).toBeLessThan(bound);
        }
      };
      for (const [name, out, grads] of [['wasm', wasmActs[layers.length - 1]!, wasmGrads] as const, ['ts', tsActs[layers.length - 1]!, tsGrads] as const, ...tfRuns]) {
        expect(out.length, `${name} output size`).toBe(refOut.length);
        within(out, refOut, FORWARD_TOL, `${name} output vs reference`);
        within(grads, refGrads, GRAD_TOL, `${name} gradient vs reference`);
      }
      // And against each other, pairwise, at twice the bound.
      within(wasmActs[layers.length - 1]!, tsActs[layers.length - 1]!, 2 * FORWARD_TOL, 'wasm vs ts output');
      within(wasmGrads, tsGrads, 2 * GRAD_TOL, 'wasm vs ts gradient');
      for (const [name, out, grads] of tfRuns) {
        within(wasmActs[layers.length - 1]!, out, 2 * FORWARD_TOL, `wasm vs ${name} output`);
        within(wasmGrads, grads, 2 * GRAD_TOL, `wasm vs ${name} gradient`);
      }
    });
  }
});
