/**
 * Conv layer slices for tests and benchmarks, placed from `offset` in a flat vector: each layer
 * `[outC, kernel, stride]`. (conv.ts's convLayerSlices does this for the network layout; this
 * stays separate so the conv kernels' tests do not depend on the layout code.)
 */
import type { ConvLayerSlice } from './kernels-conv.js';

export function convTestStack(shape: readonly [number, number, number], layers: readonly (readonly [number, number, number])[], offset: number):
  { layers: ConvLayerSlice[]; size: number; gridSize: number; outSize: number } {
  let [inH, inW, inC] = shape;
  let at = offset;
  const slices = layers.map(([outC, kernel, stride]) => {
    const outH = Math.floor((inH - kernel) / stride) + 1;
    const outW = Math.floor((inW - kernel) / stride) + 1;
    if (outH < 1 || outW < 1) throw new RangeError(`convTestStack: kernel ${kernel} does not fit ${inH}×${inW}`);
    const slice: ConvLayerSlice = { inH, inW, inC, outH, outW, outC, kernel, stride, w: at, b: at + kernel * kernel * inC * outC };
    at = slice.b + outC;
    [inH, inW, inC] = [outH, outW, outC];
    return slice;
  });
  return { layers: slices, size: at, gridSize: shape[0] * shape[1] * shape[2], outSize: inH * inW * inC };
}
