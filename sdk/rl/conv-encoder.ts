/**
 * The acting side of a network's conv encoders: runs each grid input's conv stack and assembles
 * the MLP's input row (vector inputs as they are, grids as their conv output) for {@link Policy}.
 * On the WASM SIMD kernels ({@link KernelsConv}) where the policy's MLP runs on them, else plain
 * TS (conv.ts's convForward): the kernels are 10-25× faster on 7×7×4 to 15×15×4 grids
 * (`npm run bench:conv`), which is what keeps a grid NPC's decision in tens of microseconds.
 * Buffers are sized for `maxBatch` rows once; nothing is allocated per call.
 */
import { convForward, convOutSize, type ConvStack } from './conv.js';
import { KernelsConv } from './kernels-conv.js';
import { assembleMlpInput, type ActorCriticLayout } from './network.js';

export class ConvEncoder {
  /** Each stack's per-layer activations [maxBatch × layer output]; the last is the stack's output. */
  private readonly acts: Float32Array[][];
  private readonly outs: Float32Array[];
  private readonly kernels: (KernelsConv | null)[];
  /** The MLP input rows [maxBatch × mlpInputSize]. */
  private readonly mlpIn: Float32Array;

  constructor(private readonly layout: ActorCriticLayout, private readonly stacks: readonly ConvStack[], maxBatch: number, useKernels: boolean) {
    this.acts = stacks.map((s) => s.layers.map((L) => new Float32Array(maxBatch * convOutSize(L))));
    this.outs = this.acts.map((a) => a[a.length - 1]!);
    this.kernels = stacks.map((s) => (useKernels ? new KernelsConv(s.layers, maxBatch) : null));
    this.mlpIn = new Float32Array(maxBatch * layout.mlpInputSize);
  }

  /** The MLP input rows for `batch` observation rows (a view valid until the next call). */
  encode(params: Float32Array, obs: Float32Array, batch: number): Float32Array {
    const stride = this.layout.observationSize;
    for (let s = 0; s < this.stacks.length; s++) {
      const stack = this.stacks[s]!;
      const k = this.kernels[s];
      if (k) k.forward(params, obs, stride, stack.xOffset, batch, this.acts[s]!);
      else convForward(params, stack.layers, obs, stride, stack.xOffset, batch, this.acts[s]!);
    }
    assembleMlpInput(this.layout, obs, batch, this.outs, this.mlpIn);
    return this.mlpIn;
  }
}
