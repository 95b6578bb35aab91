/**
 * The acting side of an agent: the actor and critic forward pass over the flat weights, for a
 * batch of agents or envs at once. Acting batches are small (one row per env or NPC), where a
 * tfjs call would cost more in kernel dispatch than the arithmetic: this runs in microseconds,
 * needs no tfjs, and is what a game ships for inference.
 *
 * It computes on the WASM SIMD kernels ({@link KernelsForward}) where they instantiate
 * synchronously (Node, workers, a page's main thread after `preloadKernels()`), else in plain JS
 * ({@link forwardMlp}); `forward` says which. The two agree to float32 rounding (a sampled action
 * can differ only when its uniform draw lies within ~1e-6 of a category boundary); each is
 * deterministic on its own. A new array assigned to `params` acts from the next call on; weights
 * changed in place do after {@link Policy.paramsChanged} (the kernels keep a copy of them, made
 * again only then: acting between updates copies nothing).
 *
 * With grid inputs each net first runs its conv stacks ({@link ConvEncoder}, buffers sized to
 * maxBatch: nothing allocated per decision) on the same side as the MLP (the WASM SIMD conv
 * kernels, or plain TS), then the MLP on the assembled rows.
 */
import type { Rng } from '../core/rng.js';
import { ActionDistribution } from './distributions.js';
import { KernelsForward } from './kernels-forward.js';
import { forwardMlp, widestLayer, type ActorCriticLayout } from './network.js';
import { ConvEncoder } from './conv-encoder.js';

/** Where {@link Policy} computes: `auto` (default) the kernels where they load, else JS. */
export type PolicyForward = 'auto' | 'kernels' | 'js';

export class Policy {
  readonly dist: ActionDistribution;
  private readonly actorOut: Float32Array;
  private readonly scratch: [Float32Array, Float32Array];
  /** The critic's rows (maxBatch × valueHeads) when it has a head per reward signal; empty with one head. */
  private readonly valueRows: Float32Array;
  private readonly kernels: KernelsForward | null;
  /** The actor's and the critic's conv encoders, or null without grid inputs. */
  private readonly conv: { actor: ConvEncoder; critic: ConvEncoder } | null;

  /**
   * `forward`: `kernels` throws if the WASM SIMD kernels cannot instantiate here, `js` never
   * tries them, `auto` falls back to JS quietly.
   */
  constructor(readonly layout: ActorCriticLayout, dist: ActionDistribution, public params: Float32Array, readonly maxBatch: number, forward: PolicyForward = 'auto') {
    this.dist = dist;
    // The kernels run the MLPs; with conv their input rows are the assembled MLP inputs.
    const mlp = { observationSize: layout.mlpInputSize, size: layout.size, actor: layout.actor, critic: layout.critic };
    this.kernels = forward === 'js' ? null : forward === 'kernels' ? new KernelsForward(mlp, maxBatch) : tryKernels(mlp, maxBatch);
    const k = this.kernels !== null;
    this.conv = layout.hasConv ? { actor: new ConvEncoder(layout, 'actor', maxBatch, k), critic: new ConvEncoder(layout, 'critic', maxBatch, k) } : null;
    this.actorOut = new Float32Array(maxBatch * layout.actorOutputSize);
    const width = Math.max(widestLayer(layout.actor), widestLayer(layout.critic));
    this.scratch = [new Float32Array(maxBatch * width), new Float32Array(maxBatch * width)];
    this.valueRows = new Float32Array(layout.valueHeads > 1 ? maxBatch * layout.valueHeads : 0);
  }

  /**
   * Chooses actions for `batch` rows of (normalized) observations: sampled with `rng`, or the
   * mode when `rng` is null. Writes actions, their log-probs and the critic's values (the other
   * value heads' into `signalValues`, see {@link values}).
   */
  act(obs: Float32Array, batch: number, rng: Rng | null, masks: Uint8Array | null,
    actions: Float32Array, logProbs: Float32Array | null, values: Float32Array | null, signalValues: Float32Array | null = null): void {
    this.checkBatch(batch);
    const { layout, dist, params } = this;
    const x = this.conv ? this.conv.actor.encode(params, obs, batch) : obs;
    if (this.kernels) this.kernels.actor(params, x, batch, this.actorOut);
    else forwardMlp(params, layout.actor, x, batch, this.actorOut, this.scratch);
    const logStd = layout.logStd >= 0 ? params.subarray(layout.logStd, layout.logStd + layout.logStdSize) : null;
    const outW = layout.actorOutputSize;
    for (let n = 0; n < batch; n++) {
      if (rng) {
        const lp = dist.sample(this.actorOut, n * outW, logStd, masks, n * dist.maskSize, rng, actions, n * dist.actionSize);
        if (logProbs) logProbs[n] = lp;
      } else {
        dist.mode(this.actorOut, n * outW, masks, n * dist.maskSize, actions, n * dist.actionSize);
        if (logProbs) {
          dist.evaluate(this.actorOut, n * outW, actions, n * dist.actionSize, logStd, masks, n * dist.maskSize);
          logProbs[n] = dist.logProb;
        }
      }
    }
    if (values) this.values(obs, batch, values, signalValues);
  }

  /**
   * The critic's V(s) for `batch` rows of (normalized) observations into `out`. With a value head
   * per reward signal (layout.valueHeads H > 1) `out` still gets the extrinsic value (head 0) and
   * `signalValues`, when given, heads 1..H−1 head-major (head h of row n at (h − 1)·batch + n).
   */
  values(obs: Float32Array, batch: number, out: Float32Array, signalValues: Float32Array | null = null): void {
    this.checkBatch(batch);
    const x = this.conv ? this.conv.critic.encode(this.params, obs, batch) : obs;
    const H = this.layout.valueHeads;
    // One head writes straight into `out`; several come row-major (n·H + h) and are split below.
    const rows = H > 1 ? this.valueRows : out;
    if (this.kernels) this.kernels.values(this.params, x, batch, rows);
    else forwardMlp(this.params, this.layout.critic, x, batch, rows, this.scratch);
    if (H === 1) return;
    for (let n = 0; n < batch; n++) {
      out[n] = rows[n * H]!;
      if (signalValues) for (let h = 1; h < H; h++) signalValues[(h - 1) * batch + n] = rows[n * H + h]!;
    }
  }

  /** Call after changing `params` in place: the next decision acts with the new values. */
  paramsChanged(): void {
    this.kernels?.paramsChanged();
  }

  /** Where this policy computes: the WASM SIMD kernels or plain JS. */
  get forward(): 'kernels' | 'js' {
    return this.kernels ? 'kernels' : 'js';
  }

  private checkBatch(batch: number): void {
    if (batch > this.maxBatch) throw new RangeError(`Policy: batch of ${batch} rows exceeds maxBatch ${this.maxBatch}`);
  }
}

/** The kernels' forward pass, or null where they cannot instantiate synchronously (a page's main thread before `preloadKernels()`). */
function tryKernels(layout: ConstructorParameters<typeof KernelsForward>[0], maxBatch: number): KernelsForward | null {
  try {
    return new KernelsForward(layout, maxBatch);
  } catch {
    return null;
  }
}
