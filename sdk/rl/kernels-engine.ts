/**
 * The kernels compute engine: the actor and critic forward and backward passes as hand-written
 * WebAssembly SIMD kernels (kernels/assembly/mlp.ts), for the NPC-sized MLPs where tfjs spends
 * its time dispatching kernels rather than computing.
 *
 * All buffers live in one linear memory owned by the engine. Weights are kept in a padded copy
 * (row stride rounded up to 4 floats, zero padding) so every kernel works on whole f32x4
 * vectors, plus a transposed copy for the backward pass of each layer above the first; both are
 * rebuilt on setParams from the flat vector (~9k floats for 4-64-64-2: microseconds). Gradients
 * come back the same way. The optimizer stays in JS (adam.ts), as for the tfjs engine, so the
 * ComputeEngine interface and the learner's checkpoints stay engine-independent; it costs ~60 µs
 * of the ~0.45 ms a B = 128 minibatch update takes on 4-64-64 nets.
 *
 * Grid inputs with conv layers (layout.hasConv) run their conv stacks on the conv kernels
 * (kernels-conv.ts) in the same memory; the MLP's first layer then reads an assembled input row
 * (vector inputs copied, conv outputs placed) per network, and the backward pass carries the
 * gradient on to that row (a product with the first layer's Wᵀ) and down each conv stack.
 *
 * Only plain float32 arithmetic, in a fixed order: results are deterministic on any machine.
 */

/** One network's conv encoders: the stacks' kernels beside the layout's descriptions. */
interface NetConv {
  readonly stacks: readonly ConvStack[];
  readonly kernels: readonly ConvStackKernels[];
  /** The MLP input rows [capacity × mlpPad]; placed by {@link KernelsEngine.reserve}. */
  xm: number;
}
import type { ComputeEngine, ForwardResult } from './engine.js';
import { growMemoryTo, instantiateKernels, pad4, type Kernels } from './kernels/load.js';
import type { ActorCriticLayout, LayerSlice } from './network.js';
import type { ConvStack } from './conv.js';
import { ConvStackKernels } from './kernels-conv.js';


/** Byte addresses of one layer's buffers in the engine memory. */
interface LayerBuffers {
  readonly slice: LayerSlice;
  /** Padded widths (floats) of the layer's input and output rows. */
  readonly inPad: number;
  readonly outPad: number;
  /** W [in × outPad], Wᵀ [out × inPad] (layers above the first; 0 otherwise), b [outPad]. */
  readonly w: number;
  readonly wT: number;
  readonly b: number;
  /** dW [inPad × outPad] (rows past `in` unused), db [outPad]. */
  readonly dW: number;
  readonly db: number;
  /** Output activations [capacity × outPad]; placed by {@link KernelsEngine.reserve}. */
  out: number;
}

export class KernelsEngine implements ComputeEngine {
  readonly name = 'kernels';
  readonly device = 'wasm-simd';
  private readonly memory: WebAssembly.Memory;
  private readonly k: Kernels;
  private f32: Float32Array;
  private readonly actor: LayerBuffers[];
  private readonly critic: LayerBuffers[];
  /** The actor's and critic's conv encoders, or null without conv layers. */
  private readonly actorConv: NetConv | null;
  private readonly criticConv: NetConv | null;
  /** Padded width of the MLP input row (= obsPad without conv). */
  private readonly mlpPad: number;
  /** pad4(mlp input) zeros: the bias of the input-gradient product (a linear layer with no bias). */
  private readonly zeros: number;
  /** Flat parameters and gradients in the layout's order. */
  private readonly flatParams: number;
  private readonly flatGrads: number;
  /** End of the fixed-size part; activations follow. */
  private readonly staticEnd: number;
  private readonly obsPad: number;
  private readonly widest: number;
  /** Rows the activation buffers hold (a multiple of 4). */
  private capacity = 0;
  private x = 0;
  /** Ping-pong buffers for the gradient flowing down a network, [capacity × widest]. */
  private g0 = 0;
  private g1 = 0;
  private batch = 0;
  private hasParams = false;
  private actorOut = new Float32Array(0);
  private values = new Float32Array(0);

  /**
   * Instantiates the kernels (synchronously: call `preloadKernels()` first on a browser main
   * thread). `maxBatch` sizes the activation buffers; a bigger batch later grows them.
   */
  constructor(readonly layout: ActorCriticLayout, maxBatch = 128) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.k = instantiateKernels(this.memory);
    // Every buffer starts on 16 bytes, so f32x4 loads never straddle a cache line.
    let top = (this.k.heapBase() + 15) & ~15;
    const alloc = (floats: number) => { const at = top; top += pad4(floats) * 4; return at; };
    this.flatParams = alloc(layout.size);
    this.flatGrads = alloc(layout.size);
    const conv = layout.hasConv;
    const buffers = (slices: readonly LayerSlice[]) => slices.map((slice, l): LayerBuffers => {
      const inPad = pad4(slice.inSize);
      const outPad = pad4(slice.outSize);
      return {
        slice, inPad, outPad,
        // Wᵀ of the first layer too with conv: the gradient goes on to the conv outputs.
        w: alloc(slice.inSize * outPad), wT: l > 0 || conv ? alloc(slice.outSize * inPad) : 0, b: alloc(outPad),
        dW: alloc(inPad * outPad), db: alloc(outPad), out: 0,
      };
    });
    this.actor = buffers(layout.actor);
    this.critic = buffers(layout.critic);
    const netConv = (stacks: readonly ConvStack[]): NetConv | null => conv
      ? { stacks, kernels: stacks.map((s) => new ConvStackKernels(this.k, s.layers, alloc)), xm: 0 }
      : null;
    this.actorConv = netConv(layout.actorConv);
    this.criticConv = netConv(layout.criticConv);
    this.mlpPad = pad4(layout.mlpInputSize);
    this.zeros = alloc(this.mlpPad);
    this.staticEnd = top;
    this.obsPad = pad4(layout.observationSize);
    this.widest = Math.max(this.obsPad, this.mlpPad, ...[...this.actor, ...this.critic].map((l) => l.outPad));
    this.f32 = new Float32Array(this.memory.buffer);
    this.reserve(maxBatch);
  }

  setParams(params: Float32Array): void {
    const { layout, k } = this;
    if (params.length !== layout.size) throw new RangeError(`KernelsEngine.setParams: got ${params.length} parameters, the layout has ${layout.size}`);
    this.f32.set(params, this.flatParams >> 2);
    const flat = this.flatParams;
    for (const net of [this.actor, this.critic]) {
      for (const L of net) {
        const { inSize, outSize, w, b } = L.slice;
        k.copy(flat + 4 * w, L.w, inSize, outSize, outSize, L.outPad);
        k.copy(flat + 4 * b, L.b, 1, outSize, outSize, L.outPad);
        if (L.wT) k.transpose(flat + 4 * w, L.wT, inSize, outSize, outSize, L.inPad);
      }
    }
    for (const nc of [this.actorConv, this.criticConv]) for (const s of nc?.kernels ?? []) s.load(flat);
    this.hasParams = true;
  }

  forward(obs: Float32Array, batch: number): ForwardResult {
    if (!this.hasParams) throw new Error('KernelsEngine.forward: call setParams first');
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`KernelsEngine.forward: batch must be a positive integer, got ${batch}`);
    const { layout, k } = this;
    const obsSize = layout.observationSize;
    if (obs.length < batch * obsSize) throw new RangeError(`KernelsEngine.forward: ${batch} rows need ${batch * obsSize} observation floats, got ${obs.length}`);
    this.reserve(batch);
    this.batch = batch;
    const rows = pad4(batch);
    const f32 = this.f32;
    const x = this.x >> 2;
    if (this.obsPad === obsSize) {
      f32.set(obs.subarray(0, batch * obsSize), x);
    } else {
      // Row by row into the padded stride; a wide row as a memcpy of a view (~3× faster than by element).
      const wide = obsSize >= 16;
      for (let n = 0; n < batch; n++) {
        if (wide) f32.set(obs.subarray(n * obsSize, n * obsSize + obsSize), x + n * this.obsPad);
        else for (let i = 0; i < obsSize; i++) f32[x + n * this.obsPad + i] = obs[n * obsSize + i]!;
      }
    }
    for (const [net, nc] of [[this.actor, this.actorConv], [this.critic, this.criticConv]] as const) {
      let input = this.x;
      let inStride = this.obsPad;
      if (nc) {
        this.encode(nc, batch);
        input = nc.xm;
        inStride = this.mlpPad;
      }
      for (let l = 0; l < net.length; l++) {
        const L = net[l]!;
        const dense = l === net.length - 1 ? k.denseLinear : k.denseTanh;
        dense(input, L.w, L.b, L.out, rows, L.slice.inSize, inStride, L.outPad);
        input = L.out;
        inStride = L.outPad;
      }
    }

    const outSize = layout.actorOutputSize;
    const H = layout.valueHeads;
    if (this.values.length !== batch * H) {
      this.actorOut = new Float32Array(batch * outSize);
      this.values = new Float32Array(batch * H);
    }
    const actorHead = this.actor[this.actor.length - 1]!;
    const criticHead = this.critic[this.critic.length - 1]!;
    const a = actorHead.out >> 2;
    const v = criticHead.out >> 2;
    for (let n = 0; n < batch; n++) {
      for (let j = 0; j < outSize; j++) this.actorOut[n * outSize + j] = f32[a + n * actorHead.outPad + j]!;
      for (let h = 0; h < H; h++) this.values[h * batch + n] = f32[v + n * criticHead.outPad + h]!;
    }
    return { actorOut: this.actorOut, values: this.values };
  }

  backward(dActorOut: Float32Array, dValues: Float32Array, grads: Float32Array): void {
    if (this.batch === 0) throw new Error('KernelsEngine.backward: call forward first');
    const { layout, f32, batch } = this;
    if (grads.length !== layout.size) throw new RangeError(`KernelsEngine.backward: grads has ${grads.length} entries, the layout has ${layout.size}`);
    const outSize = layout.actorOutputSize;
    const actorHead = this.actor[this.actor.length - 1]!;
    const criticHead = this.critic[this.critic.length - 1]!;
    const g = this.g0 >> 2;
    for (let n = 0; n < batch; n++) for (let j = 0; j < outSize; j++) f32[g + n * actorHead.outPad + j] = dActorOut[n * outSize + j]!;
    this.backwardNet(this.actor, this.actorConv);
    const H = layout.valueHeads;
    if (dValues.length < batch * H) throw new RangeError(`KernelsEngine.backward: dValues has ${dValues.length} entries, ${batch} rows × ${H} value heads need ${batch * H}`);
    for (let n = 0; n < batch; n++) for (let h = 0; h < H; h++) f32[g + n * criticHead.outPad + h] = dValues[h * batch + n]!;
    this.backwardNet(this.critic, this.criticConv);

    // Copy out around the log-std slot, which is the loss head's to fill.
    const flat = this.flatGrads >> 2;
    const { actorEnd, criticStart } = layout;
    grads.set(f32.subarray(flat, flat + actorEnd), 0);
    grads.set(f32.subarray(flat + criticStart, flat + layout.size), criticStart);
  }

  dispose(): void {
    // The memory is garbage-collected with the engine: nothing to release by hand. Forget the
    // weights so a use after dispose fails loudly instead of computing on stale ones.
    this.hasParams = false;
    this.batch = 0;
  }

  /**
   * Runs a network's conv stacks on the observation rows in x and assembles its MLP input rows
   * in xm: vector runs copied from x, each conv output (channels padded to nPad inside the
   * stack) copied to its place.
   */
  private encode(nc: NetConv, batch: number): void {
    const { k, obsPad, mlpPad } = this;
    nc.stacks.forEach((s, i) => nc.kernels[i]!.forward(this.x + 4 * s.xOffset, obsPad, batch));
    for (const part of this.layout.mlpInput) {
      const to = nc.xm + 4 * part.mlpOffset;
      if (part.conv < 0) {
        k.copy(this.x + 4 * part.xOffset, to, batch, part.size, obsPad, mlpPad);
        continue;
      }
      const stack = nc.kernels[part.conv]!;
      const last = stack.layers[stack.layers.length - 1]!;
      const area = last.slice.outH * last.slice.outW;
      if (last.nPad === last.slice.outC) k.copy(stack.out, to, batch, part.size, area * last.nPad, mlpPad);
      else for (let n = 0; n < batch; n++) k.copy(stack.out + 4 * n * area * last.nPad, to + 4 * n * mlpPad, area, last.slice.outC, last.nPad, last.slice.outC);
    }
  }

  /** Carries the gradient at the MLP input rows (dx, row stride mlpPad) into each conv stack and down it. */
  private backwardConv(nc: NetConv, dx: number): void {
    const { k, batch, mlpPad } = this;
    for (const part of this.layout.mlpInput) {
      if (part.conv < 0) continue;
      const stack = nc.kernels[part.conv]!;
      const last = stack.layers[stack.layers.length - 1]!;
      const area = last.slice.outH * last.slice.outW;
      const from = dx + 4 * part.mlpOffset;
      if (last.nPad === last.slice.outC) k.copy(from, stack.dOut, batch, part.size, mlpPad, area * last.nPad);
      else for (let n = 0; n < batch; n++) k.copy(from + 4 * n * mlpPad, stack.dOut + 4 * n * area * last.nPad, area, last.slice.outC, last.slice.outC, last.nPad);
      stack.backward(this.x + 4 * nc.stacks[part.conv]!.xOffset, this.obsPad, batch, this.flatGrads);
    }
  }

  /** Backpropagates the head gradient in g0 through `net` (and its conv encoders) into its dW/db, then into flatGrads. */
  private backwardNet(net: LayerBuffers[], nc: NetConv | null): void {
    const { k, batch } = this;
    const rows = pad4(batch);
    let g = this.g0;
    let spare = this.g1;
    for (let l = net.length - 1; l >= 0; l--) {
      const L = net[l]!;
      const below = l > 0 ? net[l - 1]! : undefined;
      const input = below ? below.out : nc ? nc.xm : this.x;
      k.gradients(input, g, L.dW, L.db, batch, L.inPad, L.outPad);
      if (below) {
        // The input of this layer is the tanh output of the layer below: dz_below = (g·Wᵀ) ⊙ (1 − h²).
        k.backTanh(g, L.wT, input, spare, rows, L.slice.outSize, L.outPad, L.inPad);
        [g, spare] = [spare, g];
      }
      const { inSize, outSize, w, b } = L.slice;
      k.copy(L.dW, this.flatGrads + 4 * w, inSize, outSize, L.outPad, outSize);
      k.copy(L.db, this.flatGrads + 4 * b, 1, outSize, L.outPad, outSize);
    }
    if (nc) {
      // The first layer is linear in its input: d input = g·Wᵀ (the zero bias keeps it a plain product).
      const first = net[0]!;
      k.denseLinear(g, first.wT, this.zeros, spare, rows, first.slice.outSize, first.outPad, first.inPad);
      this.backwardConv(nc, spare);
    }
  }

  /** Makes room for `batch` rows of activations, growing the memory if needed. */
  private reserve(batch: number): void {
    if (batch <= this.capacity) return;
    const cap = pad4(Math.max(batch, 4));
    let top = this.staticEnd;
    const alloc = (floats: number) => { const at = top; top += floats * 4; return at; };
    this.x = alloc(cap * this.obsPad);
    for (const L of [...this.actor, ...this.critic]) L.out = alloc(cap * L.outPad);
    for (const nc of [this.actorConv, this.criticConv]) {
      if (!nc) continue;
      nc.xm = alloc(cap * this.mlpPad);
      for (const s of nc.kernels) s.reserve(cap, alloc);
    }
    this.g0 = alloc(cap * this.widest);
    this.g1 = alloc(cap * this.widest);
    const before = this.memory.buffer;
    growMemoryTo(this.memory, top);
    // Growing detaches the old ArrayBuffer.
    if (this.memory.buffer !== before) this.f32 = new Float32Array(this.memory.buffer);
    this.capacity = cap;
    this.batch = 0;
  }
}
