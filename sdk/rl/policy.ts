/**
 * The acting side of an agent: the actor and critic forward pass in plain JS over the flat
 * weights, for a batch of agents or envs at once. Acting batches are small (one row per env or
 * NPC), where a tfjs call would cost more in kernel dispatch than the arithmetic: this runs in
 * microseconds, needs no tfjs, and is what a game ships for inference.
 */
import type { Rng } from '../core/rng.js';
import { ActionDistribution } from './distributions.js';
import { forwardMlp, widestLayer, type ActorCriticLayout } from './network.js';

export class Policy {
  readonly dist: ActionDistribution;
  private readonly actorOut: Float32Array;
  private readonly scratch: [Float32Array, Float32Array];

  constructor(readonly layout: ActorCriticLayout, dist: ActionDistribution, public params: Float32Array, readonly maxBatch: number) {
    this.dist = dist;
    this.actorOut = new Float32Array(maxBatch * layout.actorOutputSize);
    const width = Math.max(widestLayer(layout.actor), widestLayer(layout.critic));
    this.scratch = [new Float32Array(maxBatch * width), new Float32Array(maxBatch * width)];
  }

  /**
   * Chooses actions for `batch` rows of (normalized) observations: sampled with `rng`, or the
   * mode when `rng` is null. Writes actions, their log-probs and the critic's values.
   */
  act(obs: Float32Array, batch: number, rng: Rng | null, masks: Uint8Array | null,
    actions: Float32Array, logProbs: Float32Array | null, values: Float32Array | null): void {
    this.checkBatch(batch);
    const { layout, dist, params } = this;
    forwardMlp(params, layout.actor, obs, batch, this.actorOut, this.scratch);
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
    if (values) this.values(obs, batch, values);
  }

  /** The critic's V(s) for `batch` rows of (normalized) observations. */
  values(obs: Float32Array, batch: number, out: Float32Array): void {
    this.checkBatch(batch);
    forwardMlp(this.params, this.layout.critic, obs, batch, out, this.scratch);
  }

  private checkBatch(batch: number): void {
    if (batch > this.maxBatch) throw new RangeError(`Policy: batch of ${batch} rows exceeds maxBatch ${this.maxBatch}`);
  }
}
