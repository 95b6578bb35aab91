/**
 * Loads the WebAssembly kernels of assembly/mlp.ts and conv.ts from the generated mlp-wasm.ts (see build.ts
 * for why the binary is a committed module rather than a file to fetch).
 *
 * Compilation is synchronous (`new WebAssembly.Module`), which Node and workers allow for any
 * size; a browser main thread refuses it above 4 KB, so there call {@link preloadKernels} first.
 */
import { MLP_WASM_BASE64 } from './mlp-wasm.js';

/**
 * The exports of assembly/mlp.ts and conv.ts. Addresses are byte offsets into the engine's memory; row
 * strides and widths are in floats. Each function's contract is documented beside its source.
 */
/** Bytes in a WebAssembly memory page. */
const WASM_PAGE = 65536;

/** `n` rounded up to whole f32x4 vectors (the kernels' row stride). */
export const pad4 = (n: number): number => (n + 3) & ~3;

/** Grows `memory` so that it holds at least `bytes` bytes (views made before must be made again). */
export function growMemoryTo(memory: WebAssembly.Memory, bytes: number): void {
  const need = Math.ceil(bytes / WASM_PAGE) - memory.buffer.byteLength / WASM_PAGE;
  if (need > 0) memory.grow(need);
}

export interface Kernels {
  denseTanh(x: number, w: number, b: number, y: number, rows: number, k: number, xs: number, n: number): void;
  denseLinear(x: number, w: number, b: number, y: number, rows: number, k: number, xs: number, n: number): void;
  backTanh(dz: number, wT: number, h: number, dh: number, rows: number, k: number, dzs: number, n: number): void;
  gradients(x: number, dz: number, dW: number, db: number, batch: number, m: number, n: number): void;
  copy(src: number, dst: number, rows: number, cols: number, srcStride: number, dstStride: number): void;
  transpose(src: number, dst: number, rows: number, cols: number, srcStride: number, dstStride: number): void;
  tanh(x: number, y: number, n: number): void;
  /** Conv encoder kernels (assembly/conv.ts; kernels-conv.ts lays out their buffers). */
  convRelu(x: number, w: number, b: number, y: number, batch: number, xStride: number, inW: number, cs: number, k: number, s: number, outH: number, outW: number, nPad: number): void;
  convGradients(x: number, dz: number, dW: number, db: number, batch: number, xStride: number, inW: number, cs: number, k: number, s: number, outH: number, outW: number, nPad: number): void;
  convBackInput(dz: number, wT: number, dIn: number, batch: number, inH: number, inW: number, cs: number, k: number, s: number, outH: number, outW: number, outC: number, nPad: number): void;
  reluMask(g: number, h: number, n: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, stepSize: number, sqrtBc2: number, eps: number, beta1: number, beta2: number): void;
  /** The first byte the engine may use; the kernels' constants lie below it. */
  heapBase(): number;
}

let compiled: WebAssembly.Module | undefined;

/** The raw kernel binary. */
export function kernelsBinary(): Uint8Array<ArrayBuffer> {
  // atob exists in Node ≥ 16, browsers and workers alike; Buffer would tie this to Node.
  const text = atob(MLP_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Compiles the kernels off the main thread's sync-compile limit; later loads reuse the result. */
export async function preloadKernels(): Promise<void> {
  compiled ??= await WebAssembly.compile(kernelsBinary());
}

/** Instantiates the kernels on `memory` (the engine's one linear memory). */
export function instantiateKernels(memory: WebAssembly.Memory): Kernels {
  compiled ??= new WebAssembly.Module(kernelsBinary());
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as Kernels;
}
