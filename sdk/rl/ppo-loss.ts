/**
 * The PPO loss of one minibatch and its gradient with respect to the networks' outputs
 * (actor output rows, critic values, log-std), derived by hand so the networks only need a
 * backward pass from given output gradients. Checked against PyTorch autograd in
 * ppo-loss.test.ts (../shared/fixtures/ppo-oracle.json).
 *
 *   ratio     = exp(logπ_θ(a|s) − logπ_old(a|s))
 *   pgLoss    = mean(w · max(−A·ratio, −A·clip(ratio, 1−ε, 1+ε)))       (CleanRL's sign convention)
 *   valueLoss = ½·mean(max((V−R)², (V_old + clip(V−V_old, −ε̂, ε̂) − R)²))   (or ½·mean((V−R)²) unclipped)
 *   loss      = pgLoss − c_ent·mean(H) + c_v·valueLoss
 *
 * With a value head per reward signal (`valueHeads` H > 1: GAIL's own discount) the value loss is
 * the mean over heads of each head's loss above, as ML-Agents' trust-region value loss; values,
 * returns, old values and their gradients are then head-major (head h of row i at h·B + i).
 *
 * `w = min(1, π_prox/μ)` is the decoupled-PPO behaviour weight for rollouts gathered by an older
 * policy μ (PPO.md, "Beyond the lecture"); omitted, w = 1 and this is the lecture's PPO.
 */
import type { ActionDistribution } from './distributions.js';

export interface LossCoefficients {
  clipCoef: number;
  clipVloss: boolean;
  valueClipCoef: number;
  entCoef: number;
  vfCoef: number;
  normAdv: boolean;
}

/** One minibatch, gathered row by row from the rollout; `actorOut` and `values` from the forward pass. */
export interface LossBatch {
  size: number;
  actorOut: Float32Array;
  values: Float32Array;
  actions: Float32Array;
  /** log π_old(a|s): the policy the ratio is clipped around. */
  oldLogProbs: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  oldValues: Float32Array;
  masks?: Uint8Array | null;
  behaviourWeights?: Float32Array | null;
  /** The critic's outputs, one per reward signal (1 when omitted); `values`, `returns` and `oldValues` hold `size` per head. */
  valueHeads?: number;
}

export interface LossGrads {
  dActorOut: Float32Array;
  dValues: Float32Array;
  /** Null for discrete actions. */
  dLogStd: Float32Array | null;
}

export interface LossStats {
  loss: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFraction: number;
}

/** Computes the loss of `batch` and writes d loss / d outputs into `grads` (overwriting them). */
export function ppoLoss(dist: ActionDistribution, logStd: Float32Array | null, batch: LossBatch, coef: LossCoefficients, grads: LossGrads): LossStats {
  const { size: B, actorOut, values, actions, oldLogProbs, advantages, returns, oldValues } = batch;
  const masks = batch.masks ?? null;
  const weights = batch.behaviourWeights ?? null;
  const { clipCoef, valueClipCoef, entCoef, vfCoef } = coef;
  const outW = dist.outputSize;
  const actW = dist.actionSize;
  const maskW = dist.maskSize;
  grads.dActorOut.fill(0, 0, B * outW);
  grads.dLogStd?.fill(0);

  // Per-minibatch advantage normalization with the sample std (n − 1), as torch.std.
  let advMean = 0;
  let advStd = 1;
  if (coef.normAdv) {
    for (let i = 0; i < B; i++) advMean += advantages[i]!;
    advMean /= B;
    let ss = 0;
    for (let i = 0; i < B; i++) ss += (advantages[i]! - advMean) ** 2;
    advStd = Math.sqrt(ss / (B - 1)) + 1e-8;
  }

  let pgSum = 0;
  let vSum = 0;
  let entSum = 0;
  let klSum = 0;
  let clipped = 0;
  const invB = 1 / B;
  const H = batch.valueHeads ?? 1;
  const invH = 1 / H;
  for (let i = 0; i < B; i++) {
    dist.evaluate(actorOut, i * outW, actions, i * actW, logStd, masks, i * maskW);
    const logRatio = dist.logProb - oldLogProbs[i]!;
    const ratio = Math.exp(logRatio);
    const adv = coef.normAdv ? (advantages[i]! - advMean) / advStd : advantages[i]!;
    const w = weights ? weights[i]! : 1;
    const clippedRatio = Math.min(Math.max(ratio, 1 - clipCoef), 1 + clipCoef);
    const pg1 = -adv * ratio;
    const pg2 = -adv * clippedRatio;
    // The max picks the clipped branch only where clipping removes the incentive (PPO.md table):
    // there the gradient is zero; elsewhere it is the unclipped one.
    const unclippedActive = pg1 >= pg2;
    pgSum += w * (unclippedActive ? pg1 : pg2);
    entSum += dist.entropy;
    klSum += ratio - 1 - logRatio;
    if (Math.abs(ratio - 1) > clipCoef) clipped++;

    const gLogProb = unclippedActive ? -adv * ratio * w * invB : 0;
    dist.accumulateGrad(actorOut, i * outW, actions, i * actW, logStd, masks, i * maskW, gLogProb, -entCoef * invB, grads.dActorOut, grads.dLogStd);

    for (let h = 0; h < H; h++) {
      const j = h * B + i;
      const v = values[j]!;
      const ret = returns[j]!;
      const vErr = v - ret;
      let dv: number;
      if (coef.clipVloss) {
        const dvRaw = v - oldValues[j]!;
        const dvClipped = Math.min(Math.max(dvRaw, -valueClipCoef), valueClipCoef);
        const vClipErr = oldValues[j]! + dvClipped - ret;
        if (vErr * vErr >= vClipErr * vClipErr) {
          vSum += vErr * vErr;
          dv = vErr;
        } else {
          vSum += vClipErr * vClipErr;
          dv = Math.abs(dvRaw) < valueClipCoef ? vClipErr : 0;
        }
      } else {
        vSum += vErr * vErr;
        dv = vErr;
      }
      // d(½·mean(err²))/dV = err / B, scaled by c_v (and 1/H, the mean over heads: exact 1 for one head).
      grads.dValues[j] = vfCoef * dv * invB * invH;
    }
  }

  const policyLoss = pgSum * invB;
  const valueLoss = 0.5 * vSum * invB * invH;
  const entropy = entSum * invB;
  return {
    loss: policyLoss - entCoef * entropy + vfCoef * valueLoss,
    policyLoss,
    valueLoss,
    entropy,
    approxKl: klSum * invB,
    clipFraction: clipped * invB,
  };
}
