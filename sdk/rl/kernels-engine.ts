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
 * Grid inputs' conv stacks (conv.ts) run before the MLPs through {@link ConvEncoder}
 * (convForward/convBackward on JS-side buffers: the plain-TS reference now, which the
 * AssemblyScript conv kernels replace inside); their outputs are assembled into each net's MLP
 * input row, so with conv the actor and the critic have separate input buffers.
 *
 * Only plain float32 arithmetic, in a fixed order: results are deterministic on any machine.
 */
import type { ComputeEngine, ForwardResult } from './engine.js';
import { growMemoryTo, instantiateKernels, pad4, type Kernels } from './kernels/load.js';
import type { ActorCriticLayout, LayerSlice } from './network.js';
import { ConvEncoder } from './conv-encoder.js';


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
  /** Flat parameters and gradients in the layout's order. */
  private readonly flatParams: number;
  private readonly flatGrads: number;
  /** End of the fixed-size part; activations follow. */
  private readonly staticEnd: number;
  /** Padded width of the MLP input rows (the observation's without conv). */
  private readonly obsPad: number;
  private readonly widest: number;
  /** Conv encoders of the actor and the critic, or null without grid inputs. */
  private readonly conv: { actor: ConvEncoder; critic: ConvEncoder } | null;
  /** A copy of the flat parameters (conv weights are read from it) and the conv gradients. */
  private readonly paramsCopy: Float32Array;
  private readonly convGrads: Float32Array;
  /** The last forward pass's observation rows (conv backward reads the grids again). */
  private lastObs = new Float32Array(0);
  /** The critic's MLP input rows (= x without conv). */
  private xCritic = 0;
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
    const hasConv = layout.hasConv;
    const buffers = (slices: readonly LayerSlice[]) => slices.map((slice, l): LayerBuffers => {
      const inPad = pad4(slice.inSize);
      const outPad = pad4(slice.outSize);
      return {
        slice, inPad, outPad,
        w: alloc(slice.inSize * outPad), wT: l > 0 ? alloc(slice.outSize * inPad) : 0, b: alloc(outPad),
        dW: alloc(inPad * outPad), db: alloc(outPad), out: 0,
      };
    });
    this.actor = buffers(layout.actor);
    this.critic = buffers(layout.critic);
    this.staticEnd = top;
    this.obsPad = pad4(layout.mlpInputSize);
    this.conv = hasConv ? { actor: new ConvEncoder(layout, 'actor', 0), critic: new ConvEncoder(layout, 'critic', 0) } : null;
    this.paramsCopy = new Float32Array(hasConv ? layout.size : 0);
    this.convGrads = new Float32Array(hasConv ? layout.size : 0);
    this.widest = Math.max(this.obsPad, ...[...this.actor, ...this.critic].map((l) => l.outPad));
    this.f32 = new Float32Array(this.memory.buffer);
    this.reserve(maxBatch);
  }

  setParams(params: Float32Array): void {
    const { layout, k } = this;
    if (params.length !== layout.size) throw new RangeError(`KernelsEngine.setParams: got ${params.length} parameters, the layout has ${layout.size}`);
    this.f32.set(params, this.flatParams >> 2);
    if (this.conv) this.paramsCopy.set(params);
    const flat = this.flatParams;
    for (const net of [this.actor, this.critic]) {
      for (const L of net) {
        const { inSize, outSize, w, b } = L.slice;
        k.copy(flat + 4 * w, L.w, inSize, outSize, outSize, L.outPad);
        k.copy(flat + 4 * b, L.b, 1, outSize, outSize, L.outPad);
        if (L.wT) k.transpose(flat + 4 * w, L.wT, inSize, outSize, outSize, L.inPad);
      }
    }
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
    if (this.conv) {
      this.lastObs.set(obs.subarray(0, batch * obsSize));
      this.encode(this.conv.actor, this.lastObs, batch, this.x);
      this.encode(this.conv.critic, this.lastObs, batch, this.xCritic);
    } else if (this.obsPad === obsSize) {
      f32.set(obs.subarray(0, batch * obsSize), x);
    } else {
      // Row by row into the padded stride; a wide row as a memcpy of a view (~3× faster than by element).
      const wide = obsSize >= 16;
      for (let n = 0; n < batch; n++) {
        if (wide) f32.set(obs.subarray(n * obsSize, n * obsSize + obsSize), x + n * this.obsPad);
        else for (let i = 0; i < obsSize; i++) f32[x + n * this.obsPad + i] = obs[n * obsSize + i]!;
      }
    }
    for (const net of [this.actor, this.critic]) {
      let input = net === this.actor ? this.x : this.xCritic;
      let inStride = this.obsPad;
      for (let l = 0; l < net.length; l++) {
        const L = net[l]!;
        const dense = l === net.length - 1 ? k.denseLinear : k.denseTanh;
        dense(input, L.w, L.b, L.out, rows, L.slice.inSize, inStride, L.outPad);
        input = L.out;
        inStride = L.outPad;
      }
    }

    const outSize = layout.actorOutputSize;
    if (this.values.length !== batch) {
      this.actorOut = new Float32Array(batch * outSize);
      this.values = new Float32Array(batch);
    }
    const actorHead = this.actor[this.actor.length - 1]!;
    const criticHead = this.critic[this.critic.length - 1]!;
    const a = actorHead.out >> 2;
    const v = criticHead.out >> 2;
    for (let n = 0; n < batch; n++) {
      for (let j = 0; j < outSize; j++) this.actorOut[n * outSize + j] = f32[a + n * actorHead.outPad + j]!;
      this.values[n] = f32[v + n * criticHead.outPad]!;
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
    const gActor = this.backwardNet(this.actor, this.x);
    if (this.conv) this.backwardConv(this.conv.actor, this.actor[0]!, gActor);
    for (let n = 0; n < batch; n++) f32[g + n * criticHead.outPad] = dValues[n]!;
    const gCritic = this.backwardNet(this.critic, this.xCritic);
    if (this.conv) this.backwardConv(this.conv.critic, this.critic[0]!, gCritic);

    // Copy out around the log-std slot, which is the loss head's to fill.
    const flat = this.flatGrads >> 2;
    const actorStart = this.actor[0]!.slice.w;
    const criticStart = this.critic[0]!.slice.w;
    grads.set(f32.subarray(flat + actorStart, flat + layout.actorEnd), actorStart);
    grads.set(f32.subarray(flat + criticStart, flat + layout.size), criticStart);
    if (this.conv) {
      for (const stack of [...this.conv.actor.stacks, ...this.conv.critic.stacks]) {
        const start = stack.layers[0]!.w;
        const last = stack.layers[stack.layers.length - 1]!;
        grads.set(this.convGrads.subarray(start, last.b + last.outC), start);
      }
    }
  }

  /** Runs a net's conv stacks on the observations and writes its MLP input rows (padded) at `to`. */
  private encode(net: ConvEncoder, obs: Float32Array, batch: number, to: number): void {
    const mlpIn = net.encode(this.paramsCopy, obs, batch);
    const m = this.layout.mlpInputSize;
    const f32 = this.f32;
    const at = to >> 2;
    for (let n = 0; n < batch; n++) f32.set(mlpIn.subarray(n * m, n * m + m), at + n * this.obsPad);
  }

  /**
   * The conv stacks' backward pass: d loss/d each stack's output is dz₀·W₀ᵀ restricted to its
   * columns of the MLP input (dz₀ at `g`: the first MLP layer's pre-activation gradient; no tanh
   * below it), then the encoder's backward into convGrads.
   */
  private backwardConv(net: ConvEncoder, first: LayerBuffers, g: number): void {
    const { batch, f32 } = this;
    const gz = g >> 2;
    const outSize = first.slice.outSize;
    const w = this.paramsCopy;
    const w0 = first.slice.w;
    net.backward(w, this.lastObs, batch, (stack, d) => {
      const size = stack.outSize;
      for (let n = 0; n < batch; n++) {
        const row = gz + n * first.outPad;
        for (let c = 0; c < size; c++) {
          const wr = w0 + (stack.mlpOffset + c) * outSize;
          let s = 0;
          for (let j = 0; j < outSize; j++) s += f32[row + j]! * w[wr + j]!;
          d[n * size + c] = s;
        }
      }
    }, this.convGrads);
  }

  dispose(): void {
    // The memory is garbage-collected with the engine: nothing to release by hand. Forget the
    // weights so a use after dispose fails loudly instead of computing on stale ones.
    this.hasParams = false;
    this.batch = 0;
  }

  /** Backpropagates the head gradient in g0 through `net` (input rows at `x`) into its dW/db, then into flatGrads; returns where the first layer's dz is. */
  private backwardNet(net: LayerBuffers[], x: number): number {
    const { k, batch } = this;
    const rows = pad4(batch);
    let g = this.g0;
    let spare = this.g1;
    for (let l = net.length - 1; l >= 0; l--) {
      const L = net[l]!;
      const below = l > 0 ? net[l - 1]! : undefined;
      const input = below ? below.out : x;
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
    return g;
  }

  /** Makes room for `batch` rows of activations, growing the memory if needed. */
  private reserve(batch: number): void {
    if (batch <= this.capacity) return;
    const cap = pad4(Math.max(batch, 4));
    let top = this.staticEnd;
    const alloc = (floats: number) => { const at = top; top += floats * 4; return at; };
    this.x = alloc(cap * this.obsPad);
    this.xCritic = this.conv ? alloc(cap * this.obsPad) : this.x;
    if (this.conv) {
      this.conv.actor.reserve(cap);
      this.conv.critic.reserve(cap);
      this.lastObs = new Float32Array(cap * this.layout.observationSize);
    }
    for (const L of [...this.actor, ...this.critic]) L.out = alloc(cap * L.outPad);
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
