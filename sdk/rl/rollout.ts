/**
 * One rollout: numSteps × numEnvs transitions, time-major (index t·numEnvs + e), as Float32Arrays
 * that can be transferred to a worker without copying. Filled by whoever acts (the CLI's trainer,
 * the scene plugin), consumed once by the learner.
 */
export interface Rollout {
  numSteps: number;
  numEnvs: number;
  /** Observations as the policy saw them (already normalized), N × observationSize. */
  observations: Float32Array;
  /** Actions as sampled (unclipped), N × actionSize. */
  actions: Float32Array;
  /** log μ(a|s) of the policy that acted. */
  logProbs: Float32Array;
  /** V(s) of the critic that acted. */
  values: Float32Array;
  /** Rewards as the learner should see them (already scaled). */
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** V(final observation) where truncated. */
  finalValues: Float32Array;
  /** V(s_N) per environment. */
  lastValues: Float32Array;
  /** Action masks (N × maskSize, 1 = allowed), or null when the game masks nothing. */
  masks: Uint8Array | null;
  /**
   * Version of the weights that acted: the oldest one when {@link versions} is set. The learner's
   * version minus the acting version is the policy lag of a row.
   */
  policyVersion: number;
  /**
   * Per rollout row t (length numSteps): the weights version that acted at row t (all numEnvs
   * transitions of a row act in one batched decision). Null when every row acted with
   * {@link policyVersion}. A runner whose weights change mid-rollout (asynchronous learning) fills
   * it, so only the rows that really lag take the off-policy correction.
   */
  versions: Int32Array | null;
}

/** A zeroed rollout of `numSteps × numEnvs` transitions; `versions` null (one acting version). */
export function allocateRollout(numSteps: number, numEnvs: number, observationSize: number, actionSize: number, maskSize: number): Rollout {
  const n = numSteps * numEnvs;
  return {
    numSteps,
    numEnvs,
    observations: new Float32Array(n * observationSize),
    actions: new Float32Array(n * actionSize),
    logProbs: new Float32Array(n),
    values: new Float32Array(n),
    rewards: new Float32Array(n),
    terminated: new Uint8Array(n),
    truncated: new Uint8Array(n),
    finalValues: new Float32Array(n),
    lastValues: new Float32Array(numEnvs),
    masks: maskSize > 0 ? new Uint8Array(n * maskSize) : null,
    policyVersion: 0,
    versions: null,
  };
}
