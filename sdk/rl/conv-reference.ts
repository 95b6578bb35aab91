/**
 * The conv encoder (conv-contract.md) and its backward pass in float64, written for clarity
 * rather than speed: the yardstick the float32 implementations (plain-TS convForward, the WASM
 * SIMD kernels, tfjs) are checked against, itself checked against central finite differences
 * (conv-reference.test.ts). Used by tests and benchmarks only; not part of the package.
 *
 * Square kernel k, stride s, 'valid' padding, ReLU after every layer, channels-last HWC; weights
 * [kh][kw][inC][outC] row-major then bias [outC], at the slice's offsets in `params`.
 */
import type { ConvLayerSlice } from './conv.js';

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
