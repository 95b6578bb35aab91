/**
 * One net's (actor's or critic's) conv encoder on the CPU: runs its conv stacks over the grids of
 * a batch of observation rows and assembles the MLP input rows (acting only: the engines train the
 * stacks, kernels-engine.ts and tfjs-conv.ts).
 * Buffers are sized once per capacity ({@link reserve}), so acting allocates nothing per call. What {@link Policy} acts through.
 *
 * `kernels`: the forward pass runs on the WASM SIMD conv kernels ({@link KernelsConv}; Policy asks
 * for them where its MLP runs on the kernels): 10-25× plain TS on 7×7×4 to 15×15×4 grids
 * (`npm run bench:conv`), what keeps a grid NPC's decision in tens of microseconds. The kernels
 * engine does not use this class: it runs the conv stacks inside its own memory (kernels-conv.ts).
 */
import { convForward, convOutSize, type ConvStack } from './conv.js';
import { KernelsConv } from './kernels-conv.js';
import { assembleMlpInput, type ActorCriticLayout } from './network.js';

export class ConvEncoder {
  readonly stacks: readonly ConvStack[];
  /** acts[k][l]: stack k's layer-l activations [capacity × size]. */
  private acts: Float32Array[][] = [];
  /** Each stack's last activations (its output). */
  private outs: Float32Array[] = [];
  /** The assembled MLP input rows [capacity × mlpInputSize]. */
  mlpIn = new Float32Array(0);
  private capacity = 0;

  /** The stacks on the WASM SIMD kernels, or null for plain TS. */
  private readonly kernels: KernelsConv[] | null;

  /** `kernels`: forward on the WASM SIMD kernels (throws where they cannot instantiate). */
  constructor(readonly layout: ActorCriticLayout, net: 'actor' | 'critic', capacity: number, kernels = false) {
    this.stacks = net === 'actor' ? layout.actorConv : layout.criticConv;
    this.kernels = kernels ? this.stacks.map((s) => new KernelsConv(s.layers, Math.max(1, capacity))) : null;
    this.reserve(capacity);
  }

  /** Makes room for `capacity` rows (allocates only when it grows). */
  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    const cap = capacity;
    this.acts = this.stacks.map((s) => s.layers.map((L) => new Float32Array(cap * convOutSize(L))));
    this.outs = this.acts.map((a) => a[a.length - 1]!);
    this.mlpIn = new Float32Array(cap * this.layout.mlpInputSize);
    this.capacity = cap;
  }

  /** Runs the stacks on `batch` observation rows and returns the MLP input rows (a reused buffer: batch × mlpInputSize at its start). */
  encode(params: Float32Array, obs: Float32Array, batch: number): Float32Array {
    if (batch > this.capacity) throw new RangeError(`ConvEncoder: batch of ${batch} rows exceeds its capacity ${this.capacity}`);
    const { layout } = this;
    for (let k = 0; k < this.stacks.length; k++) {
      const stack = this.stacks[k]!;
      if (this.kernels) this.kernels[k]!.forward(params, obs, layout.observationSize, stack.xOffset, batch, this.acts[k]!);
      else convForward(params, stack.layers, obs, layout.observationSize, stack.xOffset, batch, this.acts[k]!);
    }
    assembleMlpInput(layout, obs, batch, this.outs, this.mlpIn);
    return this.mlpIn;
  }
}
