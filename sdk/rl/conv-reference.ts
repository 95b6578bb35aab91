/**
 * The actor-critic in float64, forward and backward, written for clarity rather than speed: the
 * one yardstick the float32 implementations (plain TS, the WASM SIMD kernels, tfjs) are checked
 * against. The conv encoder (conv-contract.md) is itself checked against central finite
 * differences (conv-reference.test.ts), the whole net too (conv-engines.test.ts). Used by tests and
 * benchmarks only; not part of the package.
 *
 * Conv layers: square kernel k, stride s, 'valid' padding, ReLU after every layer, channels-last
 * HWC; weights [kh][kw][inC][outC] row-major then bias [outC], at the slice's offsets in `params`.
 * MLP layers: weights [in][out] row-major then bias, tanh on hidden layers, the head linear.
 */
import type { ConvLayerSlice, ConvStack } from './conv.js';
import type { ActorCriticLayout, LayerSlice } from './network.js';

/** The value at (row, col, ch) of an HWC grid of `cols` columns and `ch` channels. */
const at = (row: number, col: number, c: number, cols: number, chans: number) => (row * cols + col) * chans + c;

/**
 * Every layer's post-ReLU output for `batch` rows (row n's grid at x[n·xStride + xOffset ..]),
 * in float64, each batch × outH·outW·outC in HWC order.
 */
export function convForwardReference(params: ArrayLike<number>, layers: readonly ConvLayerSlice[], x: ArrayLike<number>,
  xStride: number, xOffset: number, batch: number): Float64Array[] {
  const acts: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  let inRow = xStride;
  let inBase = xOffset;
  for (const { inW, inC, outH, outW, outC, kernel, stride, w, b } of layers) {
    const outRow = outH * outW * outC;
    const y = new Float64Array(batch * outRow);
    for (let n = 0; n < batch; n++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          for (let oc = 0; oc < outC; oc++) {
            let z = params[b + oc]!;
            for (let ky = 0; ky < kernel; ky++) {
              for (let kx = 0; kx < kernel; kx++) {
                for (let ic = 0; ic < inC; ic++) {
                  const xi = input[n * inRow + inBase + at(oy * stride + ky, ox * stride + kx, ic, inW, inC)]!;
                  z += xi * params[w + ((ky * kernel + kx) * inC + ic) * outC + oc]!;
                }
              }
            }
            y[n * outRow + at(oy, ox, oc, outW, outC)] = Math.max(0, z);
          }
        }
      }
    }
    acts.push(y);
    input = y;
    inRow = outRow;
    inBase = 0;
  }
  return acts;
}

/**
 * The gradient of Σ dOut · (the last layer's output) with respect to every W and b, in float64,
 * written into `grads` at the parameters' offsets (other entries untouched). `acts` is
 * {@link convForwardReference}'s result for the same inputs.
 */
export function convBackwardReference(params: ArrayLike<number>, layers: readonly ConvLayerSlice[], x: ArrayLike<number>,
  xStride: number, xOffset: number, batch: number, acts: readonly Float64Array[], dOut: ArrayLike<number>, grads: Float64Array): void {
  let g = Float64Array.from({ length: acts[acts.length - 1]!.length }, (_, i) => dOut[i]!);
  for (let l = layers.length - 1; l >= 0; l--) {
    const { inH, inW, inC, outH, outW, outC, kernel, stride, w, b } = layers[l]!;
    const outRow = outH * outW * outC;
    const a = acts[l]!;
    // Through the ReLU: its output is positive exactly where its input was.
    const dz = g.map((v, i) => (a[i]! > 0 ? v : 0));
    const input = l === 0 ? x : acts[l - 1]!;
    const inRow = l === 0 ? xStride : inH * inW * inC;
    const inBase = l === 0 ? xOffset : 0;
    const dIn = new Float64Array(batch * inH * inW * inC);
    for (let oc = 0; oc < outC; oc++) {
      let db = 0;
      for (let n = 0; n < batch; n++) for (let p = 0; p < outH * outW; p++) db += dz[n * outRow + p * outC + oc]!;
      grads[b + oc] = db;
    }
    for (let ky = 0; ky < kernel; ky++) {
      for (let kx = 0; kx < kernel; kx++) {
        for (let ic = 0; ic < inC; ic++) {
          for (let oc = 0; oc < outC; oc++) {
            const wi = w + ((ky * kernel + kx) * inC + ic) * outC + oc;
            let dw = 0;
            for (let n = 0; n < batch; n++) {
              for (let oy = 0; oy < outH; oy++) {
                for (let ox = 0; ox < outW; ox++) {
                  const d = dz[n * outRow + at(oy, ox, oc, outW, outC)]!;
                  const cell = at(oy * stride + ky, ox * stride + kx, ic, inW, inC);
                  dw += input[n * inRow + inBase + cell]! * d;
                  dIn[n * inH * inW * inC + cell]! += params[wi]! * d;
                }
              }
            }
            grads[wi] = dw;
          }
        }
      }
    }
    g = dIn;
  }
}

/** The MLP's activations for `batch` rows in float64: [x, h1, ..., head] (x copied from `x`'s first rows). */
export function mlpForwardReference(params: ArrayLike<number>, layers: readonly LayerSlice[], x: ArrayLike<number>, batch: number): Float64Array[] {
  const acts: Float64Array[] = [Float64Array.from({ length: batch * layers[0]!.inSize }, (_, i) => x[i]!)];
  layers.forEach(({ inSize, outSize, w, b }, l) => {
    const h = acts[l]!;
    const y = new Float64Array(batch * outSize);
    for (let n = 0; n < batch; n++) {
      for (let j = 0; j < outSize; j++) {
        let z = params[b + j]!;
        for (let i = 0; i < inSize; i++) z += h[n * inSize + i]! * params[w + i * outSize + j]!;
        y[n * outSize + j] = l === layers.length - 1 ? z : Math.tanh(z);
      }
    }
    acts.push(y);
  });
  return acts;
}

/**
 * The gradient of Σ dOut · head with respect to every MLP W and b, written into `grads` at their
 * offsets; returns d/d the MLP input rows. `acts` is {@link mlpForwardReference}'s result.
 */
export function mlpBackwardReference(params: ArrayLike<number>, layers: readonly LayerSlice[], acts: readonly Float64Array[],
  dOut: ArrayLike<number>, batch: number, grads: Float64Array): Float64Array {
  let g = Float64Array.from({ length: batch * layers[layers.length - 1]!.outSize }, (_, i) => dOut[i]!);
  for (let l = layers.length - 1; l >= 0; l--) {
    const { inSize, outSize, w, b } = layers[l]!;
    const h = acts[l]!;
    for (let j = 0; j < outSize; j++) {
      let db = 0;
      for (let n = 0; n < batch; n++) db += g[n * outSize + j]!;
      grads[b + j] = db;
      for (let i = 0; i < inSize; i++) {
        let dw = 0;
        for (let n = 0; n < batch; n++) dw += h[n * inSize + i]! * g[n * outSize + j]!;
        grads[w + i * outSize + j] = dw;
      }
    }
    const below = new Float64Array(batch * inSize);
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < inSize; i++) {
        let s = 0;
        for (let j = 0; j < outSize; j++) s += g[n * outSize + j]! * params[w + i * outSize + j]!;
        // Hidden layers' inputs are tanh outputs; the first layer's input (the MLP input row) is not squashed.
        below[n * inSize + i] = l > 0 ? s * (1 - h[n * inSize + i]! ** 2) : s;
      }
    }
    g = below;
  }
  return g;
}

/**
 * One net (actor or critic) of `layout` in float64 on `batch` observation rows: its conv stacks,
 * the MLP input rows assembled per layout.mlpInput, the MLP; returns the head rows (row-major).
 * With `backward`, also writes the gradients of Σ dHead · head (conv stacks and MLP) into `grads`.
 */
export function netReference(layout: ActorCriticLayout, params: ArrayLike<number>, net: 'actor' | 'critic', obs: ArrayLike<number>, batch: number,
  backward?: { dHead: ArrayLike<number>; grads: Float64Array }): Float64Array {
  const stacks: readonly ConvStack[] = net === 'actor' ? layout.actorConv : layout.criticConv;
  const mlp = net === 'actor' ? layout.actor : layout.critic;
  const obsSize = layout.observationSize;
  const M = layout.mlpInputSize;
  const convActs = stacks.map((s) => convForwardReference(params, s.layers, obs, obsSize, s.xOffset, batch));
  const x = new Float64Array(batch * M);
  for (const part of layout.mlpInput) {
    const out = part.conv < 0 ? null : convActs[part.conv]![stacks[part.conv]!.layers.length - 1]!;
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < part.size; i++) x[n * M + part.mlpOffset + i] = out ? out[n * part.size + i]! : obs[n * obsSize + part.xOffset + i]!;
    }
  }
  const acts = mlpForwardReference(params, mlp, x, batch);
  if (backward) {
    const dx = mlpBackwardReference(params, mlp, acts, backward.dHead, batch, backward.grads);
    for (const part of layout.mlpInput) {
      if (part.conv < 0) continue;
      const dOut = new Float64Array(batch * part.size);
      for (let n = 0; n < batch; n++) for (let i = 0; i < part.size; i++) dOut[n * part.size + i] = dx[n * M + part.mlpOffset + i]!;
      const s = stacks[part.conv]!;
      convBackwardReference(params, s.layers, obs, obsSize, s.xOffset, batch, convActs[part.conv]!, dOut, backward.grads);
    }
  }
  return acts[mlp.length]!;
}
