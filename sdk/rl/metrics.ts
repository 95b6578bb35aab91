/** Diagnostics for one learner update: one line of `metrics.jsonl`, one point on the charts. */
export interface UpdateMetrics {
  /** 1-based index of this update. */
  update: number;
  /** Environment steps (transitions over all envs) consumed so far. */
  step: number;
  /** Seconds since training started. */
  time: number;
  /** Episodes finished so far. */
  episodes: number;
  /** Mean return of the last 20 finished episodes (NaN before the first one ends). */
  returnMean: number;
  returnMin: number;
  returnMax: number;
  /** Mean length of the last 20 finished episodes. */
  episodeLength: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /** Mean of (ratio − 1) − log ratio over the last epoch's minibatches (Schulman's k3 estimator). */
  approxKl: number;
  /** Fraction of samples whose ratio left [1 − ε, 1 + ε]. */
  clipFraction: number;
  /** 1 − Var(returns − values) / Var(returns): how much of the return the critic explains. */
  explainedVariance: number;
  /** Global gradient norm before clipping, averaged over minibatches. */
  gradNorm: number;
  learningRate: number;
  clipCoef: number;
  /** Epochs actually run (fewer than configured when the target-KL early stop fires). */
  epochs: number;
  /** Environment steps per second over the whole run so far (acting + learning). */
  sps: number;
  /** The learner's compute engine: `tfjs` or `kernels` (WebAssembly SIMD). */
  engine: string;
  /** The device the engine computes on: the tfjs backend (`wasm`, `cpu`, `webgl`, ...), or `wasm-simd`. */
  backend: string;
}
