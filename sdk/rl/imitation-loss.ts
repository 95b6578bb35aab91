/**
 * The behaviour-cloning loss of one batch of demonstration rows and its gradient with respect to
 * the actor's outputs and the log-std, derived by hand as the PPO loss head (ppo-loss.ts) so the
 * engines only need their backward pass from given output gradients:
 *
 *   bcLoss = w · mean_i(−log π_θ(a_i | s_i))          (masked choices removed from each softmax)
 *   ∂bcLoss/∂out_i = −(w / B) · ∂log π(a_i|s_i)/∂out_i
 *
 * and ∂log π/∂out is {@link ActionDistribution.accumulateGrad}'s: `1[j = a] − p_j` on a branch's
 * logits, `(a − μ)/σ²` on a Gaussian mean, `z² − 1` on a log-std. Checked against finite
 * differences of the loss in imitation-loss.test.ts. The same log-likelihood for every space, so
 * discrete, multi-discrete, continuous and hybrid actions clone alike.
 */
import type { ActionDistribution } from './distributions.js';

/** Demonstration rows, gathered; `actorOut` from the engine's forward pass on their observations. */
export interface ImitationBatch {
  size: number;
  actorOut: Float32Array;
  /** size × actionSize: the demonstrator's actions. */
  actions: Float32Array;
  /** size × maskSize, or null when nothing was masked. */
  masks: Uint8Array | null;
}

/** How well the policy imitates a batch. */
export interface ImitationStats {
  /** Mean −log π(a|s) of the demonstrator's actions (unweighted). */
  nll: number;
  /**
   * Fraction of the discrete choices (every branch of every row) where the policy's most likely
   * choice is the demonstrator's; NaN without discrete branches.
   */
  accuracy: number;
  /** Mean |μ − a| over the continuous dimensions; NaN without a Gaussian part. */
  meanAbsError: number;
}

/**
 * Computes the behaviour-cloning loss of `batch` weighted by `weight`, and ADDS its gradient into
 * `dActorOut` (rows of `dist.outputSize`) and `dLogStd` (when there is a Gaussian part). With
 * `fitLogStd` false the log-std gets no gradient (the spread stays PPO's to set).
 */
export function imitationLoss(dist: ActionDistribution, logStd: Float32Array | null, batch: ImitationBatch, weight: number,
  dActorOut: Float32Array, dLogStd: Float32Array | null, fitLogStd = true): ImitationStats {
  const { size: B, actorOut, actions, masks } = batch;
  const outW = dist.outputSize;
  const actW = dist.actionSize;
  const maskW = dist.maskSize;
  const C = dist.numContinuous;
  const g = -weight / B;
  // accumulateGrad adds into dLogStd; a scratch copy is discarded when the spread is not fitted.
  const logStdGrads = fitLogStd && dLogStd ? dLogStd : (dist.continuous ? new Float32Array(dist.logStdSize) : null);
  let nll = 0;
  let hits = 0;
  let absError = 0;
  for (let i = 0; i < B; i++) {
    dist.evaluate(actorOut, i * outW, actions, i * actW, logStd, masks, i * maskW);
    nll -= dist.logProb;
    dist.accumulateGrad(actorOut, i * outW, actions, i * actW, logStd, masks, i * maskW, g, 0, dActorOut, logStdGrads);
    for (let d = 0; d < C; d++) absError += Math.abs(actorOut[i * outW + d]! - actions[i * actW + d]!);
    let off = 0;
    for (let b = 0; b < dist.branches.length; b++) {
      const n = dist.branches[b]!;
      const lo = i * outW + C + off;
      let best = -1;
      for (let j = 0; j < n; j++) {
        if (masks && masks[i * maskW + off + j] === 0) continue;
        if (best < 0 || actorOut[lo + j]! > actorOut[lo + best]!) best = j;
      }
      if (best === actions[i * actW + C + b]) hits++;
      off += n;
    }
  }
  const nb = dist.branches.length;
  return {
    nll: nll / B,
    accuracy: nb > 0 ? hits / (B * nb) : NaN,
    meanAbsError: C > 0 ? absError / (B * C) : NaN,
  };
}
