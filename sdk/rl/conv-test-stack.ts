/**
 * A conv stack placed from `offset` in a flat vector, for tests and benchmarks: each layer
 * `[outC, kernel, stride]` (conv.ts's convLayerSlices, plus the sizes a test needs).
 */
import { convLayerSlices, convOutSize, type ConvLayerSlice } from './conv.js';

export function convTestStack(shape: readonly [number, number, number], layers: readonly (readonly [number, number, number])[], offset: number):
  { layers: ConvLayerSlice[]; size: number; gridSize: number; outSize: number } {
  const slices = convLayerSlices(shape, layers.map(([filters, kernel, stride]) => ({ filters, kernel, stride })), offset);
  const last = slices[slices.length - 1]!;
  return { layers: slices, size: last.b + last.outC, gridSize: shape[0] * shape[1] * shape[2], outSize: convOutSize(last) };
}
