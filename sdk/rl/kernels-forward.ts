/**
 * The acting forward pass on the WASM SIMD kernels (kernels/assembly/mlp.ts): what {@link Policy}
 * runs per decision where the kernels load (Node, workers, a page after `preloadKernels()`),
 * ~8× faster than the plain-JS {@link forwardMlp} on small batches (`npm run bench:acting`).
 *
 * Unlike the kernels engine (which keeps padded and transposed weight copies, rebuilt on
 * setParams, for training), this reads the weights straight from a copy of the flat parameter
 * vector in its memory: one memcpy of each net's slice (~18 KB for CartPole's actor, ~52 KB for
 * chase's), plus a padded block for a layer whose width is not a multiple of 4 (usually the head),
 * since the kernels work on whole f32x4 rows. The copy is made when a call passes another array
 * than the last one, or after {@link KernelsForward.paramsChanged} (weights changed in place):
 * acting between two updates copies nothing. Nothing is allocated per call.
 *
 * Results match forwardMlp to float32 rounding, not bit for bit: the kernels sum in float32 from 0
 * and add the bias last, forwardMlp sums in float64 from the bias (kernels-forward.test.ts bounds
 * the difference).
 */
import { growMemoryTo, instantiateKernels, pad4, type Kernels } from './kernels/load.js';
import type { LayerSlice } from './network.js';


/** One layer's addresses (bytes) in the memory. */
interface Layer {
  readonly slice: LayerSlice;
  /** W and b as the kernels read them: inside the flat copy, or a padded block for a width not a multiple of 4. */
  readonly w: number;
  readonly b: number;
  /** Row stride (floats) of W and of the output: the width rounded up to 4. */
  readonly outPad: number;
  /** Whether W and b need the padded copy at each call. */
  readonly padded: boolean;
  /** Output activations [rows × outPad]. */
  readonly out: number;
}

/** One network's (actor's or critic's) forward pass over its slice of the flat parameters. */
class NetForward {
  private readonly start: number;
  private readonly end: number;
  /** The params array last loaded and a view of the net's slice of it (kept: a view per call would allocate). */
  private source: Float32Array | null = null;
  private slice: Float32Array = new Float32Array(0);
  /** Whether the copy in memory may differ from `source` (set by {@link invalidate}). */
  private stale = true;

  constructor(private readonly k: Kernels, readonly layers: readonly Layer[], private readonly flat: number) {
    // A net's layers are contiguous in the flat vector: copy just them.
    this.start = layers[0]!.slice.w;
    const last = layers[layers.length - 1]!.slice;
    this.end = last.b + last.outSize;
  }

  /** Copies the net's weights from `params` in (the padded layers' too), unless they are already. */
  load(f32: Float32Array, params: Float32Array): void {
    if (params === this.source && !this.stale) return;
    if (params !== this.source) {
      this.source = params;
      this.slice = params.subarray(this.start, this.end);
    }
    this.stale = false;
    f32.set(this.slice, (this.flat >> 2) + this.start);
    for (const L of this.layers) {
      if (!L.padded) continue;
      const { inSize, outSize, w, b } = L.slice;
      this.k.copy(this.flat + 4 * w, L.w, inSize, outSize, outSize, L.outPad);
      this.k.copy(this.flat + 4 * b, L.b, 1, outSize, outSize, L.outPad);
    }
  }

  /** The next {@link load} copies again (the weights changed in place). */
  invalidate(): void {
    this.stale = true;
  }

  /** Runs the layers on `rows` (a multiple of 4) rows at `x` (row stride `xs`); returns the head's output address. */
  run(x: number, xs: number, rows: number): number {
    let input = x;
    let stride = xs;
    const n = this.layers.length;
    for (let l = 0; l < n; l++) {
      const L = this.layers[l]!;
      if (l === n - 1) this.k.denseLinear(input, L.w, L.b, L.out, rows, L.slice.inSize, stride, L.outPad);
      else this.k.denseTanh(input, L.w, L.b, L.out, rows, L.slice.inSize, stride, L.outPad);
      input = L.out;
      stride = L.outPad;
    }
    return input;
  }
}

export class KernelsForward {
  private readonly memory: WebAssembly.Memory;
  private readonly f32: Float32Array;
  private readonly actorNet: NetForward;
  private readonly criticNet: NetForward;
  private readonly obsSize: number;
  private readonly obsPad: number;
  /** Observation rows [rows × obsPad]. */
  private readonly x: number;
  /** Rows the buffers hold (maxBatch rounded up to 4). */
  private readonly rows: number;

  /**
   * Instantiates the kernels synchronously (throws where they cannot be: a browser main thread
   * before `preloadKernels()`, or no WebAssembly SIMD); buffers for up to `maxBatch` rows.
   */
  constructor(layout: { observationSize: number; size: number; actor: readonly LayerSlice[]; critic: readonly LayerSlice[] }, readonly maxBatch: number) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const k = instantiateKernels(this.memory);
    let top = (k.heapBase() + 15) & ~15;
    const alloc = (floats: number) => { const at = top; top += pad4(floats) * 4; return at; };
    const flat = alloc(layout.size);
    this.rows = pad4(Math.max(maxBatch, 1));
    this.obsSize = layout.observationSize;
    this.obsPad = pad4(layout.observationSize);
    this.x = alloc(this.rows * this.obsPad);
    const layers = (slices: readonly LayerSlice[]) => slices.map((slice): Layer => {
      const outPad = pad4(slice.outSize);
      const padded = outPad !== slice.outSize;
      return {
        slice, outPad, padded,
        w: padded ? alloc(slice.inSize * outPad) : flat + 4 * slice.w,
        b: padded ? alloc(outPad) : flat + 4 * slice.b,
        out: alloc(this.rows * outPad),
      };
    });
    const actor = layers(layout.actor);
    const critic = layers(layout.critic);
    growMemoryTo(this.memory, top);
    this.f32 = new Float32Array(this.memory.buffer);
    // Padding columns of padded W and b stay zero (fresh memory), so padding activations stay finite.
    this.actorNet = new NetForward(k, actor, flat);
    this.criticNet = new NetForward(k, critic, flat);
  }

  /**
   * Says the weights array changed in place: the next call copies it again. (A call with another
   * array copies that one anyway.)
   */
  paramsChanged(): void {
    this.actorNet.invalidate();
    this.criticNet.invalidate();
  }

  /** The actor's outputs (`batch` × its output size) from `params` into `out`. */
  actor(params: Float32Array, obs: Float32Array, batch: number, out: Float32Array): void {
    this.forward(this.actorNet, params, obs, batch, out);
  }

  /** The critic's V(s) (`batch` values) from `params` into `out`. */
  values(params: Float32Array, obs: Float32Array, batch: number, out: Float32Array): void {
    this.forward(this.criticNet, params, obs, batch, out);
  }

  private forward(net: NetForward, params: Float32Array, obs: Float32Array, batch: number, out: Float32Array): void {
    if (batch > this.maxBatch) throw new RangeError(`KernelsForward: batch of ${batch} rows exceeds maxBatch ${this.maxBatch}`);
    const { f32, obsSize, obsPad } = this;
    net.load(f32, params);
    const x = this.x >> 2;
    if (obsPad === obsSize) {
      for (let i = 0, n = batch * obsSize; i < n; i++) f32[x + i] = obs[i]!;
    } else {
      for (let r = 0; r < batch; r++) for (let i = 0; i < obsSize; i++) f32[x + r * obsPad + i] = obs[r * obsSize + i]!;
    }
    const head = net.run(this.x, obsPad, pad4(batch)) >> 2;
    const L = net.layers[net.layers.length - 1]!;
    const width = L.slice.outSize;
    const stride = L.outPad;
    for (let r = 0; r < batch; r++) for (let j = 0; j < width; j++) out[r * width + j] = f32[head + r * stride + j]!;
  }
}
