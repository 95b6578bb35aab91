/**
 * One net's (actor's or critic's) conv encoder on the CPU: runs its conv stacks over the grids of
 * a batch of observation rows and assembles the MLP input rows; and the stacks' backward pass.
 * Buffers are sized once per capacity ({@link reserve}), so acting and training allocate nothing
 * per call. Shared by plain-JS/kernels acting ({@link Policy}) and the kernels engine.
 */
import { convBackward, convForward, convOutSize, convScratchSize, type ConvStack } from './conv.js';
import { assembleMlpInput, type ActorCriticLayout } from './network.js';

export class ConvEncoder {
  readonly stacks: readonly ConvStack[];
  /** acts[k][l]: stack k's layer-l activations [capacity × size]. */
  private acts: Float32Array[][] = [];
  /** Each stack's last activations (its output). */
  private outs: Float32Array[] = [];
  /** d loss / d each stack's output [capacity × outSize]. */
  private dOuts: Float32Array[] = [];
  private scratch: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  /** The assembled MLP input rows [capacity × mlpInputSize]. */
  mlpIn = new Float32Array(0);
  private capacity = 0;

  constructor(readonly layout: ActorCriticLayout, net: 'actor' | 'critic', capacity: number) {
    this.stacks = net === 'actor' ? layout.actorConv : layout.criticConv;
    this.reserve(capacity);
  }

  /** Makes room for `capacity` rows (allocates only when it grows). */
  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    const cap = capacity;
    this.acts = this.stacks.map((s) => s.layers.map((L) => new Float32Array(cap * convOutSize(L))));
    this.outs = this.acts.map((a) => a[a.length - 1]!);
    this.dOuts = this.stacks.map((s) => new Float32Array(cap * s.outSize));
    const size = Math.max(0, ...this.stacks.map((s) => convScratchSize(s.layers, cap)));
    this.scratch = [new Float32Array(size), new Float32Array(size)];
    this.mlpIn = new Float32Array(cap * this.layout.mlpInputSize);
    this.capacity = cap;
  }

  /** Runs the stacks on `batch` observation rows and returns the MLP input rows (a reused buffer: batch × mlpInputSize at its start). */
  encode(params: Float32Array, obs: Float32Array, batch: number): Float32Array {
    if (batch > this.capacity) throw new RangeError(`ConvEncoder: batch of ${batch} rows exceeds its capacity ${this.capacity}`);
    const { layout } = this;
    for (let k = 0; k < this.stacks.length; k++) {
      const stack = this.stacks[k]!;
      convForward(params, stack.layers, obs, layout.observationSize, stack.xOffset, batch, this.acts[k]!);
    }
    assembleMlpInput(layout, obs, batch, this.outs, this.mlpIn);
    return this.mlpIn;
  }

  /**
   * The stacks' backward pass after {@link encode} on the same `obs`: `dMlpIn(k, d)` writes d loss /
   * d stack k's output (batch × its outSize) into `d`; the stacks' d W, b are WRITTEN (not added)
   * into `grads` at their layout offsets.
   */
  backward(params: Float32Array, obs: Float32Array, batch: number, dMlpIn: (stack: ConvStack, d: Float32Array) => void, grads: Float32Array): void {
    for (let k = 0; k < this.stacks.length; k++) {
      const stack = this.stacks[k]!;
      const d = this.dOuts[k]!;
      dMlpIn(stack, d);
      const last = stack.layers[stack.layers.length - 1]!;
      grads.fill(0, stack.layers[0]!.w, last.b + last.outC);
      convBackward(params, stack.layers, obs, this.layout.observationSize, stack.xOffset, batch, this.acts[k]!, d, grads, this.scratch);
    }
  }
}
