/**
 * Running statistics for observation normalization and reward scaling (PPO.md, "Other"
 * implementation details; the same as Gymnasium's NormalizeObservation / NormalizeReward and
 * SB3's VecNormalize).
 */
import { inputSize, type ObservationInput } from './conv.js';

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
  update(x: Float32Array | Float64Array, rows: number, frozen: Uint8Array | null = null): void {
    const { size } = this;
    for (let d = 0; d < size; d++) {
      if (frozen && frozen[d]) continue;
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

  /**
   * Merges statistics gathered elsewhere (Chan et al.): actor workers each normalize with a copy
   * and the learner merges what each saw since ({@link since}) into the one set they all act with next.
   */
  merge(other: { mean: ArrayLike<number>; var: ArrayLike<number>; count: number }): void {
    if (other.mean.length !== this.size) throw new RangeError(`statistics have ${other.mean.length} dimensions, expected ${this.size}`);
    const n = other.count;
    if (!(n > 0)) return;
    const total = this.count + n;
    for (let d = 0; d < this.size; d++) {
      const delta = other.mean[d]! - this.mean[d]!;
      const m2 = this.var[d]! * this.count + other.var[d]! * n + (delta * delta * this.count * n) / total;
      this.mean[d] = this.mean[d]! + (delta * n) / total;
      this.var[d] = m2 / total;
    }
    this.count = total;
  }

  /**
   * What these statistics gathered since they were `base` (the inverse of {@link merge}): count,
   * mean and variance of only the rows added after `base`. Zero rows when nothing was added.
   */
  since(base: { mean: ArrayLike<number>; var: ArrayLike<number>; count: number }): { mean: number[]; var: number[]; count: number } {
    const n = this.count - base.count;
    if (!(n > 0)) return { mean: new Array<number>(this.size).fill(0), var: new Array<number>(this.size).fill(0), count: 0 };
    const mean: number[] = [];
    const variance: number[] = [];
    for (let d = 0; d < this.size; d++) {
      const m = (this.mean[d]! * this.count - base.mean[d]! * base.count) / n;
      const delta = m - base.mean[d]!;
      const m2 = this.var[d]! * this.count - base.var[d]! * base.count - (delta * delta * base.count * n) / this.count;
      mean.push(m);
      variance.push(Math.max(0, m2 / n));
    }
    return { mean, var: variance, count: n };
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

  /** Dimensions whose statistics never update (grid inputs), or null. */
  private readonly frozen: Uint8Array | null;

  /**
   * `inputs`: the observation's named inputs. Grid inputs' dimensions are left out of the
   * statistics, which stay at mean 0, variance 1 there, so grids pass through unchanged (up to the
   * clip), wherever these statistics go (brains, demonstrations, a worker): a per-cell statistic
   * would scale each cell differently (a cell rarely occupied would read ~10 when it is), which
   * breaks what a conv layer relies on, the same meaning at every position, and grid sensors
   * already write bounded values (0/1 occupancy, capped counts, distances in [0, 1]).
   */
  constructor(readonly size: number, readonly clip: number, stats?: RunningMeanStd, inputs?: readonly ObservationInput[]) {
    if (stats && stats.size !== size) throw new RangeError(`normalizer has ${stats.size} dimensions, observations have ${size}`);
    this.stats = stats ?? new RunningMeanStd(size);
    let frozen: Uint8Array | null = null;
    let offset = 0;
    for (const input of inputs ?? []) {
      const n = inputSize(input);
      if (input.kind === 'grid' && offset + n <= size) (frozen ??= new Uint8Array(size)).fill(1, offset, offset + n);
      offset += n;
    }
    this.frozen = frozen;
  }

  /** Merges `rows` raw rows of `x` into the statistics (grid dimensions excepted). */
  update(x: Float32Array, rows: number): void {
    this.stats.update(x, rows, this.frozen);
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
 * Scales rewards by the running std of the discounted return, per environment (or per agent),
 * then clips; SB3's VecNormalize reward path. Each return accumulator restarts when its episode
 * ends. The Trainer scales a whole VecEnv step with {@link scale}; the agent runner, whose rows
 * are agents that join and leave, drives the same steps one row at a time ({@link accumulate},
 * {@link scaled}, {@link restart}) and keeps the accumulators aligned with {@link resize} and
 * {@link removeAt}.
 */
export class RewardScaler {
  readonly stats: RunningMeanStd;
  private returns: Float64Array;
  private readonly one = new Float64Array(1);

  /**
   * `stats` continues a saved run's statistics (a checkpoint); the per-env return accumulators
   * always start at 0, as the episodes in flight when it was saved are not resumed.
   */
  constructor(numEnvs: number, readonly gamma: number, readonly clip: number, stats?: RunningMeanStd) {
    if (stats && stats.size !== 1) throw new RangeError(`reward statistics have ${stats.size} dimensions, expected 1`);
    this.stats = stats ?? new RunningMeanStd(1);
    this.returns = new Float64Array(numEnvs);
  }

  /** Number of return accumulators. */
  get numEnvs(): number {
    return this.returns.length;
  }

  /** Updates the statistics with this step's rewards and scales them in place. */
  scale(rewards: Float32Array, dones: (env: number) => boolean): void {
    const n = this.returns.length;
    for (let e = 0; e < n; e++) this.accumulate(e, rewards[e]!);
    for (let e = 0; e < n; e++) {
      rewards[e] = this.scaled(rewards[e]!);
      if (dones(e)) this.restart(e);
    }
  }

  /** Adds `reward` to accumulator `e`'s discounted return and merges that return into the statistics. */
  accumulate(e: number, reward: number): void {
    const ret = this.returns[e]! * this.gamma + reward;
    this.returns[e] = ret;
    this.one[0] = ret;
    this.stats.update(this.one, 1);
  }

  /** `reward` divided by the std of the discounted return as the statistics stand, clipped to ±clip. */
  scaled(reward: number): number {
    const y = reward * (1 / Math.sqrt(this.stats.var[0]! + 1e-8));
    return y > this.clip ? this.clip : y < -this.clip ? -this.clip : y;
  }

  /** Restarts accumulator `e`: its episode ended. */
  restart(e: number): void {
    this.returns[e] = 0;
  }

  /** Grows or shrinks to `numEnvs` accumulators, keeping the first ones; new ones start at 0. */
  resize(numEnvs: number): void {
    if (numEnvs === this.returns.length) return;
    const next = new Float64Array(numEnvs);
    next.set(numEnvs > this.returns.length ? this.returns : this.returns.subarray(0, numEnvs));
    this.returns = next;
  }

  /** Drops accumulator `e` (its agent left): the ones after it move down, the last starts at 0. */
  removeAt(e: number): void {
    const r = this.returns;
    r.copyWithin(e, e + 1);
    r[r.length - 1] = 0;
  }
}
