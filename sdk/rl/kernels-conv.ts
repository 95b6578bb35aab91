/**
 * Conv encoder stacks on the WASM SIMD kernels (kernels/assembly/conv.ts): the layout of one
 * stack's buffers in a kernels memory ({@link ConvStackKernels}, for an engine that owns the
 * memory), and {@link KernelsConv}, the same computation behind conv.ts's convForward /
 * convBackward signatures on plain Float32Arrays (it owns its memory and copies in and out).
 *
 * Inside the memory a layer's output keeps its channels padded to a multiple of 4 (nPad), so the
 * kernels work on whole f32x4 vectors; the padding lanes stay 0 (zero weight columns and bias),
 * which is what lets the next layer read them as input channels with zero weights. Weights are
 * repacked on load into that padded form, W' [k·k·cs × nPad], plus W'ᵀ for layers above the
 * first (the input gradient); both come from the flat parameter vector in microseconds.
 *
 * Results match the plain-TS convForward to float32 rounding, not bit for bit: the kernels sum in
 * float32 and add the bias last (kernels-conv.test.ts bounds the difference against a float64
 * reference).
 */
import type { ConvLayerSlice } from './conv.js';
import { growMemoryTo, instantiateKernels, pad4, type Kernels } from './kernels/load.js';

/** One layer's addresses (bytes) and padded sizes (floats). */
interface LayerBuffers {
  readonly slice: ConvLayerSlice;
  /** Input channel stride: the grid's channels for the first layer, the padded width below otherwise. */
  readonly cs: number;
  /** Output channels rounded up to 4: the output's channel stride. */
  readonly nPad: number;
  /** Rows of W': k·k·cs. */
  readonly K: number;
  /** W' [K × nPad], W'ᵀ [outC × K] (layers above the first; 0 otherwise), b [nPad], dW' [pad4(K) × nPad], db [nPad]. */
  readonly w: number;
  readonly wT: number;
  readonly b: number;
  readonly dW: number;
  readonly db: number;
  /** Post-ReLU output [pad4(capacity·outH·outW) × nPad]; placed by {@link ConvStackKernels.reserve}. */
  act: number;
}

/** Floats of a layer's padded output for `batch` rows (positions rounded up to 4: the forward kernel's blocks). */
const actFloats = (L: LayerBuffers, batch: number) => pad4(batch * L.slice.outH * L.slice.outW) * L.nPad;

/**
 * One conv stack's buffers in a kernels memory and its forward and backward passes. The owner
 * allocates: the constructor takes the fixed-size buffers from `alloc`, {@link reserve} the
 * per-batch ones; addresses are bytes, 16-byte aligned by the owner's allocator.
 */
export class ConvStackKernels {
  readonly layers: readonly LayerBuffers[];
  /** Where {@link forward} leaves the last layer's output: [batch·outH·outW × {@link outStride}]. */
  get out(): number { return this.layers[this.layers.length - 1]!.act; }
  /** The output's channel stride: the last layer's channels rounded up to 4. */
  readonly outStride: number;
  /** Scratch for the gradient flowing down, two buffers of {@link scratchFloats} each. */
  private g0 = 0;
  private g1 = 0;

  constructor(private readonly k: Kernels, slices: readonly ConvLayerSlice[], alloc: (floats: number) => number) {
    if (slices.length === 0) throw new RangeError('ConvStackKernels: a conv stack needs at least one layer');
    let cs = slices[0]!.inC;
    this.layers = slices.map((slice, l): LayerBuffers => {
      const nPad = pad4(slice.outC);
      const K = slice.kernel * slice.kernel * cs;
      const L: LayerBuffers = {
        slice, cs, nPad, K,
        w: alloc(K * nPad), wT: l > 0 ? alloc(slice.outC * K) : 0, b: alloc(nPad),
        dW: alloc(pad4(K) * nPad), db: alloc(nPad), act: 0,
      };
      cs = nPad;
      return L;
    });
    this.outStride = cs;
  }

  /** Floats each gradient scratch buffer needs for `batch` rows. */
  scratchFloats(batch: number): number {
    return Math.max(...this.layers.map((L) => actFloats(L, batch)));
  }

  /** Places the per-batch buffers for up to `batch` rows (activations and two gradient scratch buffers). */
  reserve(batch: number, alloc: (floats: number) => number): void {
    for (const L of this.layers) L.act = alloc(actFloats(L, batch));
    this.g0 = alloc(this.scratchFloats(batch));
    this.g1 = alloc(this.scratchFloats(batch));
  }

  /**
   * Repacks the weights from the flat parameters at byte address `flat` (offsets as in the
   * slices) into W', b and W'ᵀ. Padding rows and columns are never written, so they keep the
   * zeros of fresh memory.
   */
  load(flat: number): void {
    const { k } = this;
    for (const L of this.layers) {
      const { inC, outC, kernel, w, b } = L.slice;
      if (L.cs === inC) {
        k.copy(flat + 4 * w, L.w, kernel * kernel * inC, outC, outC, L.nPad);
      } else {
        // One block of inC rows per kernel cell, at the padded channel stride.
        for (let cell = 0; cell < kernel * kernel; cell++) {
          k.copy(flat + 4 * (w + cell * inC * outC), L.w + 4 * cell * L.cs * L.nPad, inC, outC, outC, L.nPad);
        }
      }
      k.copy(flat + 4 * b, L.b, 1, outC, outC, L.nPad);
      if (L.wT) k.transpose(L.w, L.wT, L.K, outC, L.nPad, L.K);
    }
  }

  /** Runs the stack on `batch` rows of the grid at `x` (row stride `xStride` floats); the output lands at {@link out}. */
  forward(x: number, xStride: number, batch: number): void {
    let input = x;
    let stride = xStride;
    for (const L of this.layers) {
      const { inW, outH, outW, kernel, stride: s } = L.slice;
      this.k.convRelu(input, L.w, L.b, L.act, batch, stride, inW, L.cs, kernel, s, outH, outW, L.nPad);
      input = L.act;
      stride = outH * outW * L.nPad;
    }
  }

  /**
   * The gradient address to fill before {@link backward}: d loss / d the last layer's output,
   * [batch·outH·outW × {@link outStride}] (padding lanes may hold anything).
   */
  get dOut(): number { return this.g0; }

  /**
   * Backpropagates {@link dOut} through the stack that {@link forward} last ran on the same `x`
   * and `batch`, and writes d loss/d W, b into the flat gradients at byte address `flatGrads`
   * (same offsets as the parameters; overwritten, not added).
   */
  backward(x: number, xStride: number, batch: number, flatGrads: number): void {
    const { k } = this;
    let g = this.g0;
    let spare = this.g1;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l]!;
      const { inH, inW, inC, outH, outW, outC, kernel, stride: s, w, b } = L.slice;
      k.reluMask(g, L.act, batch * outH * outW * L.nPad);
      const below = l > 0 ? this.layers[l - 1]! : undefined;
      const input = below ? below.act : x;
      const inStride = below ? inH * inW * below.nPad : xStride;
      k.convGradients(input, g, L.dW, L.db, batch, inStride, inW, L.cs, kernel, s, outH, outW, L.nPad);
      if (L.cs === inC) {
        k.copy(L.dW, flatGrads + 4 * w, kernel * kernel * inC, outC, L.nPad, outC);
      } else {
        for (let cell = 0; cell < kernel * kernel; cell++) {
          k.copy(L.dW + 4 * cell * L.cs * L.nPad, flatGrads + 4 * (w + cell * inC * outC), inC, outC, L.nPad, outC);
        }
      }
      k.copy(L.db, flatGrads + 4 * b, 1, outC, L.nPad, outC);
      if (below) {
        k.convBackInput(g, L.wT, spare, batch, inH, inW, L.cs, kernel, s, outH, outW, outC, L.nPad);
        [g, spare] = [spare, g];
      }
    }
  }
}

/**
 * conv.ts's convForward / convBackward on the WASM SIMD kernels, on plain Float32Arrays: for the
 * acting path and for cross-checks. It owns a kernels memory sized for `maxBatch` rows (grown for
 * bigger batches) and copies the stack's slice of the parameters in at every call, so the
 * caller's array stays the source of truth (unlike {@link KernelsForward}, which copies only after
 * a change); nothing is allocated per call once the memory is big enough.
 */
export class KernelsConv {
  private readonly memory: WebAssembly.Memory;
  private readonly k: Kernels;
  private f32: Float32Array;
  private readonly stack: ConvStackKernels;
  /** The stack's contiguous slice of the flat parameters: [lo, hi). */
  private readonly lo: number;
  private readonly hi: number;
  /** The params slice and the grads slice copies; the flat base addresses are these minus 4·lo. */
  private readonly params: number;
  private readonly grads: number;
  private readonly staticEnd: number;
  private readonly gridSize: number;
  private capacity = 0;
  /** Grid rows copied contiguously [capacity × gridSize]. */
  private x = 0;
  /** What the last forward ran on, so a backward on the same batch reuses its activations (batch 0: none). */
  private lastParams: Float32Array | null = null;
  private lastX: Float32Array | null = null;
  private lastXStride = 0;
  private lastXOffset = 0;
  private lastBatch = 0;
  /** The params array last copied from and a view of the stack's slice of it (kept: a view per call would allocate). */
  private source: Float32Array | null = null;
  private slice: Float32Array = new Float32Array(0);

  /** Instantiates the kernels synchronously (see KernelsForward); throws where WebAssembly SIMD is missing. */
  constructor(readonly layers: readonly ConvLayerSlice[], maxBatch = 1) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.k = instantiateKernels(this.memory);
    let top = (this.k.heapBase() + 15) & ~15;
    const alloc = (floats: number) => { const at = top; top += pad4(floats) * 4; return at; };
    const first = layers[0];
    if (!first) throw new RangeError('KernelsConv: a conv stack needs at least one layer');
    this.lo = Math.min(...layers.map((L) => L.w));
    this.hi = Math.max(...layers.map((L) => L.b + L.outC));
    this.gridSize = first.inH * first.inW * first.inC;
    // The slice copies start 16-byte aligned at index lo's position: flat base + 4·lo.
    this.params = alloc(this.hi - this.lo);
    this.grads = alloc(this.hi - this.lo);
    this.stack = new ConvStackKernels(this.k, layers, alloc);
    this.staticEnd = top;
    growMemoryTo(this.memory, top);
    this.f32 = new Float32Array(this.memory.buffer);
    this.reserve(maxBatch);
  }

  /** conv.ts's convForward: each layer's post-ReLU activations into acts[l] (batch × outH·outW·outC). */
  forward(params: Float32Array, x: Float32Array, xStride: number, xOffset: number, batch: number, acts: Float32Array[]): void {
    this.run(params, x, xStride, xOffset, batch);
    const { f32 } = this;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.stack.layers[l]!;
      const { outH, outW, outC } = L.slice;
      const a = acts[l]!;
      const from = L.act >> 2;
      const n = batch * outH * outW;
      if (L.nPad === outC) for (let i = 0; i < n * outC; i++) a[i] = f32[from + i]!;
      else for (let p = 0; p < n; p++) for (let c = 0; c < outC; c++) a[p * outC + c] = f32[from + p * L.nPad + c]!;
    }
  }

  /**
   * conv.ts's convBackward: ADDS d loss/d W, b of Σ dOut · output into `grads`. Reuses the
   * activations of the last {@link forward} when it ran on the same arrays and batch (the caller's
   * `acts` are then not read), else runs the forward again.
   */
  backward(params: Float32Array, x: Float32Array, xStride: number, xOffset: number, batch: number, dOut: Float32Array, grads: Float32Array): void {
    if (this.lastBatch !== batch || this.lastParams !== params || this.lastX !== x || this.lastXStride !== xStride || this.lastXOffset !== xOffset) {
      this.run(params, x, xStride, xOffset, batch);
    }
    const { f32, stack } = this;
    const top = stack.layers[stack.layers.length - 1]!;
    const { outH, outW, outC } = top.slice;
    const n = batch * outH * outW;
    const g = stack.dOut >> 2;
    if (top.nPad === outC) for (let i = 0; i < n * outC; i++) f32[g + i] = dOut[i]!;
    else for (let p = 0; p < n; p++) for (let c = 0; c < outC; c++) f32[g + p * top.nPad + c] = dOut[p * outC + c]!;
    stack.backward(this.x, this.gridSize, batch, this.grads - 4 * this.lo);
    const from = (this.grads >> 2) - this.lo;
    for (const L of this.layers) {
      const size = L.kernel * L.kernel * L.inC * L.outC;
      for (let i = L.w; i < L.w + size; i++) grads[i]! += f32[from + i]!;
      for (let i = L.b; i < L.b + L.outC; i++) grads[i]! += f32[from + i]!;
    }
  }

  /** Copies the weights and the grids in and runs the stack's forward pass. */
  private run(params: Float32Array, x: Float32Array, xStride: number, xOffset: number, batch: number): void {
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`KernelsConv: batch must be a positive integer, got ${batch}`);
    this.reserve(batch);
    const { f32, gridSize } = this;
    if (params !== this.source) {
      this.source = params;
      this.slice = params.subarray(this.lo, this.hi);
    }
    f32.set(this.slice, this.params >> 2);
    this.stack.load(this.params - 4 * this.lo);
    // Element by element: a view per row would allocate on the acting path.
    const to = this.x >> 2;
    for (let n = 0; n < batch; n++) {
      const from = n * xStride + xOffset;
      const at = to + n * gridSize;
      for (let i = 0; i < gridSize; i++) f32[at + i] = x[from + i]!;
    }
    this.stack.forward(this.x, gridSize, batch);
    this.lastParams = params;
    this.lastX = x;
    this.lastXStride = xStride;
    this.lastXOffset = xOffset;
    this.lastBatch = batch;
  }

  /** Makes room for `batch` rows, growing the memory if needed. */
  private reserve(batch: number): void {
    if (batch <= this.capacity) return;
    const cap = pad4(batch);
    let top = this.staticEnd;
    const alloc = (floats: number) => { const at = top; top += pad4(floats) * 4; return at; };
    this.x = alloc(cap * this.gridSize);
    this.stack.reserve(cap, alloc);
    growMemoryTo(this.memory, top);
    if (this.f32.buffer !== this.memory.buffer) this.f32 = new Float32Array(this.memory.buffer);
    this.capacity = cap;
    this.lastBatch = 0;
  }
}
