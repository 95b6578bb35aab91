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
  /**
   * The critic's other value heads (one per reward signal with its own discount: GAIL with
   * `config.gail.gamma`) as the acting critic computed them; absent or null with one head.
   */
  signalValues?: SignalValues | null;
}

/**
 * V(s_t), V(final observation) and V(s_N) of the value heads after the extrinsic one, head-major:
 * signal s's block starts at s·N (s·numEnvs for lastValues), laid out as {@link Rollout.values}.
 */
export interface SignalValues {
  /** The number of signals (value heads after the first). */
  count: number;
  values: Float32Array;
  finalValues: Float32Array;
  lastValues: Float32Array;
}

/**
 * A zeroed rollout; `versions` adds the per-row weights versions (see {@link Rollout.versions}),
 * `signals` the value blocks of that many extra value heads ({@link Rollout.signalValues}).
 */
export function allocateRollout(numSteps: number, numEnvs: number, observationSize: number, actionSize: number, maskSize: number, versions = false, signals = 0): Rollout {
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
    versions: versions ? new Int32Array(numSteps) : null,
    ...(signals > 0 ? { signalValues: { count: signals, values: new Float32Array(n * signals), finalValues: new Float32Array(n * signals), lastValues: new Float32Array(numEnvs * signals) } } : {}),
  };
}
