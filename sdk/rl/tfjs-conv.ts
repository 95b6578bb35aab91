/**
 * A 'valid' 2-D convolution in tfjs whose gradients work on every backend (conv-contract.md's
 * conv layer, before bias and ReLU): x [batch, H, W, inC], filter [k, k, inC, outC], square
 * stride.
 *
 * Why not plain tf.conv2d: tfjs-backend-wasm 4.22 (the Node default) registers no
 * Conv2DBackpropFilter kernel, so the filter gradient of tf.conv2d throws there; and its
 * Conv3DBackpropFilterV2 gives wrong filter gradients at strides above 1 (it agrees with cpu at
 * stride 1; kernels-conv.test.ts checks both paths against a float64 reference). So where
 * Conv2DBackpropFilter is missing this runs conv3d over a depth of 1 at stride 1 and keeps every
 * `stride`-th row and column with pad/reshape/slice, whose gradients every backend has. That
 * costs stride² times the arithmetic at stride > 1; on the other backends it is tf.conv2d.
 */
import * as tf from '@tensorflow/tfjs';

export function conv2dValid(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (tf.getKernel('Conv2DBackpropFilter', tf.getBackend())) return tf.conv2d(x, filter, stride, 'valid');
  return tf.tidy(() => {
    const full = tf.squeeze<tf.Tensor4D>(tf.conv3d(tf.expandDims<tf.Tensor5D>(x, 1), tf.expandDims<tf.Tensor5D>(filter, 0), 1, 'valid'), [1]);
    if (stride === 1) return full;
    const [batch, h1, w1, c] = full.shape;
    const outH = Math.floor((h1 - 1) / stride) + 1;
    const outW = Math.floor((w1 - 1) / stride) + 1;
    // Rows and columns 0, s, 2s, …: pad or cut to outH·s × outW·s, view as [outH, s, outW, s], keep offset 0.
    const fitted = tf.slice(tf.pad(full, [[0, 0], [0, Math.max(0, outH * stride - h1)], [0, Math.max(0, outW * stride - w1)], [0, 0]]),
      [0, 0, 0, 0], [batch, outH * stride, outW * stride, c]);
    const picked = tf.slice(tf.reshape(fitted, [batch, outH, stride, outW, stride, c]), [0, 0, 0, 0, 0, 0], [batch, outH, 1, outW, 1, c]);
    return tf.reshape(picked, [batch, outH, outW, c]);
  });
}
