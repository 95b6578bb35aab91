/**
 * Running statistics for observation normalization and reward scaling (PPO.md, "Other"
 * implementation details; the same as Gymnasium's NormalizeObservation / NormalizeReward and
 * SB3's VecNormalize).
 */

/** Running mean and variance, merged batch by batch (Chan et al.'s parallel algorithm). */
export class RunningMeanStd {
  mean: Float64Array;
  var: Float64Array;
  /** Starts at a tiny ε (as Gymnasium) so the first batch does not divide by zero. */
  count = 1e-4;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
  }

  /** Merges `rows` rows of `x` (rows × size). */
  update(x: Float32Array | Float64Array, rows: number): void {
    const { size } = this;
    for (let d = 0; d < size; d++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += x[r * size + d]!;
      const batchMean = sum / rows;
      let ss = 0;
      for (let r = 0; r < rows; r++) ss += (x[r * size + d]! - batchMean) ** 2;
      const batchVar = ss / rows;
      const delta = batchMean - this.mean[d]!;
      const total = this.count + rows;
      const m2 = this.var[d]! * this.count + batchVar * rows + (delta * delta * this.count * rows) / total;
      this.mean[d] = this.mean[d]! + (delta * rows) / total;
      this.var[d] = m2 / total;
    }
    this.count += rows;
  }

  toJSON(): { mean: number[]; var: number[]; count: number } {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  static fromJSON(s: { mean: number[]; var: number[]; count: number }): RunningMeanStd {
    const r = new RunningMeanStd(s.mean.length);
    r.mean.set(s.mean);
    r.var.set(s.var);
    r.count = s.count;
    return r;
  }
}

/** (x − mean) / √(var + 1e-8), clipped to ±clip. Stats update only while training. */
export class ObservationNormalizer {
  readonly stats: RunningMeanStd;

  constructor(readonly size: number, readonly clip: number, stats?: RunningMeanStd) {
    if (stats && stats.size !== size) throw new RangeError(`normalizer has ${stats.size} dimensions, observations have ${size}`);
    this.stats = stats ?? new RunningMeanStd(size);
  }

  /** Writes the normalized `rows` of `x` into `out` (may be the same array). */
  normalize(x: Float32Array, rows: number, out: Float32Array): void {
    const { size, clip } = this;
    const { mean } = this.stats;
    const v = this.stats.var;
    for (let d = 0; d < size; d++) {
      const m = mean[d]!;
      const inv = 1 / Math.sqrt(v[d]! + 1e-8);
      for (let r = 0; r < rows; r++) {
        const i = r * size + d;
        const y = (x[i]! - m) * inv;
        out[i] = y > clip ? clip : y < -clip ? -clip : y;
      }
    }
  }
}

/**
 * Scales rewards by the running std of the discounted return, per environment, then clips.
 * The return accumulator restarts when an episode ends.
 */
export class RewardScaler {
  readonly stats: RunningMeanStd;
  private readonly returns: Float64Array;
  private readonly one = new Float64Array(1);

  /**
   * `stats` continues a saved run's statistics (a checkpoint); the per-env return accumulators
   * always start at 0, as the episodes in flight when it was saved are not resumed.
   */
  constructor(readonly numEnvs: number, readonly gamma: number, readonly clip: number, stats?: RunningMeanStd) {
    if (stats && stats.size !== 1) throw new RangeError(`reward statistics have ${stats.size} dimensions, expected 1`);
    this.stats = stats ?? new RunningMeanStd(1);
    this.returns = new Float64Array(numEnvs);
  }

  /** Updates the statistics with this step's rewards and scales them in place. */
  scale(rewards: Float32Array, dones: (env: number) => boolean): void {
    for (let e = 0; e < this.numEnvs; e++) {
      this.returns[e] = this.returns[e]! * this.gamma + rewards[e]!;
      this.one[0] = this.returns[e]!;
      this.stats.update(this.one, 1);
    }
    const inv = 1 / Math.sqrt(this.stats.var[0]! + 1e-8);
    for (let e = 0; e < this.numEnvs; e++) {
      const y = rewards[e]! * inv;
      rewards[e] = y > this.clip ? this.clip : y < -this.clip ? -this.clip : y;
      if (dones(e)) this.returns[e] = 0;
    }
  }
}
