/**
 * Conv stacks (conv-contract.md: 'valid' conv + bias + ReLU per layer, HWC) in tfjs, forward and
 * a hand-derived backward: what TfjsEngine runs its grid inputs' stacks with.
 *
 * Why by hand rather than tf.grads through tf.conv2d: tfjs-backend-wasm 4.22 (the Node default)
 * registers no Conv2DBackpropFilter kernel, so conv2d's filter gradient throws there (and its
 * Conv3DBackpropFilterV2 gives wrong filter gradients at strides above 1). Here the input
 * gradient is tf.conv2dTranspose and the filter gradient patchesᵀ·dz over k² strided slices
 * (im2col), which every backend has. It is also the faster of the two tfjs paths there were: an
 * autograd path (tf.grads through conv3d at stride 1, subsampled) took 2-3× as long. Measured by
 * `npm run bench:conv --rounds 3` with both in it (forward + backward, 128 rows, two 3×3 layers
 * → 16, 16; load average 5-11 on 2 shared cores): 7×7×4 hand 22.9 ms vs autograd 48.0 ms on
 * tfjs-wasm, 263 vs 966 ms on tfjs-cpu; 15×15×4 133 vs 404 ms (wasm), 3.06 vs 12.5 s (cpu).
 */
import * as tf from '@tensorflow/tfjs';
import type { ConvLayerSlice } from './conv.js';

/** A conv layer's filter [k, k, inC, outC] (tf.conv2d's layout, the flat vector's too) and bias. */
export interface ConvLayerTensors { slice: ConvLayerSlice; w: tf.Tensor4D; b: tf.Tensor1D }

/** A stack's layers' tensors from the flat parameter vector; the caller disposes them. */
export function uploadConvLayers(params: Float32Array, slices: readonly ConvLayerSlice[]): ConvLayerTensors[] {
  return slices.map((slice) => ({
    slice,
    w: tf.tensor4d(params.subarray(slice.w, slice.b), [slice.kernel, slice.kernel, slice.inC, slice.outC]),
    b: tf.tensor1d(params.subarray(slice.b, slice.b + slice.outC)),
  }));
}

/** [grid, h1, ..., hL] ([B, H, W, C] each) for `grid` [B, inH, inW, inC]. Call inside tf.tidy. */
export function convStackForward(grid: tf.Tensor4D, layers: readonly ConvLayerTensors[]): tf.Tensor4D[] {
  const acts = [grid];
  for (const { slice, w, b } of layers) acts.push(tf.relu(tf.add(tf.conv2d(acts[acts.length - 1]!, w, slice.stride, 'valid'), b)) as tf.Tensor4D);
  return acts;
}

/**
 * The gradients of Σ dOut · hL: [dW1, db1, ..., dWL, dbL] in the flat layout's order, from
 * {@link convStackForward}'s `acts` and d loss / d hL. Call inside tf.tidy.
 */
export function convStackBackward(acts: readonly tf.Tensor4D[], layers: readonly ConvLayerTensors[], dOut: tf.Tensor4D): tf.Tensor[] {
  const B = dOut.shape[0];
  const pieces: tf.Tensor[] = [];
  let g4 = dOut;
  for (let l = layers.length - 1; l >= 0; l--) {
    const { slice, w } = layers[l]!;
    // ReLU'(z) from the stored output: 1 where it is > 0.
    const dz = tf.mul(g4, tf.step(acts[l + 1]!)) as tf.Tensor4D;
    const dzRows = dz.reshape([-1, slice.outC]) as tf.Tensor2D;
    pieces.push(tf.sum(dzRows, 0));
    pieces.push(tf.matMul(tf.transpose(patches(acts[l]!, slice)), dzRows));
    if (l > 0) g4 = tf.conv2dTranspose(dz, w, [B, slice.inH, slice.inW, slice.inC], slice.stride, 'valid');
  }
  return pieces.reverse();
}

/**
 * im2col: the layer's input patches as rows [B·outH·outW, k·k·inC], columns in (ky, kx, ic)
 * order, the filter's row order, so patchesᵀ·dz is d loss/d W in the flat layout.
 */
function patches(input: tf.Tensor4D, slice: ConvLayerSlice): tf.Tensor2D {
  const { kernel: k, stride: s, outH, outW, inC } = slice;
  const B = input.shape[0];
  const cols: tf.Tensor4D[] = [];
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      cols.push(tf.stridedSlice(input, [0, ky, kx, 0], [B, ky + s * (outH - 1) + 1, kx + s * (outW - 1) + 1, inC], [1, s, s, 1]) as tf.Tensor4D);
    }
  }
  return (cols.length === 1 ? cols[0]! : tf.concat(cols, 3)).reshape([B * outH * outW, k * k * inC]) as tf.Tensor2D;
}
