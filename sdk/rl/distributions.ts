/**
 * Action distributions over rows of the actor's output, in plain Float32Array loops: sampling
 * and log-probs for acting, and the log-prob/entropy gradients the PPO loss head needs.
 *
 * - Discrete and MultiDiscrete: one categorical per branch over that branch's logits, with an
 *   optional action mask (1 = allowed) that removes choices from the softmax.
 * - Box: a diagonal Gaussian whose mean is the actor's output and whose log-std is a
 *   state-independent parameter vector (PPO.md, "Continuous actions"). Log-prob and entropy are
 *   summed over dimensions.
 */
import type { Rng } from '../core/rng.js';
import type { Space } from '../core/spaces.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class ActionDistribution {
  /** Width of the actor network's output row. */
  readonly outputSize: number;
  /** Width of one action row (branches, or dimensions). */
  readonly actionSize: number;
  /** Width of an action-mask row (sum of branch sizes); 0 for continuous actions. */
  readonly maskSize: number;
  readonly continuous: boolean;
  /** Choices per categorical branch (empty for continuous actions). */
  readonly branches: readonly number[];
  /** Log-prob of the action passed to the last {@link evaluate} call. */
  logProb = 0;
  /** Entropy of the distribution passed to the last {@link evaluate} call. */
  entropy = 0;

  private readonly scratch: Float64Array;

  constructor(space: Space) {
    if (space.kind === 'box') {
      this.continuous = true;
      this.branches = [];
      this.outputSize = space.size;
      this.actionSize = space.size;
      this.maskSize = 0;
    } else {
      this.continuous = false;
      this.branches = space.kind === 'discrete' ? [space.n] : [...space.nvec];
      this.outputSize = this.branches.reduce((s, n) => s + n, 0);
      this.actionSize = this.branches.length;
      this.maskSize = this.outputSize;
    }
    this.scratch = new Float64Array(Math.max(1, ...this.branches));
  }

  /**
   * Sets {@link logProb} and {@link entropy} for the action at `act[a..]` under the distribution at
   * `out[o..]` (`logStd` for continuous actions, `mask[m..]` optional for discrete ones).
   */
  evaluate(out: Float32Array, o: number, act: Float32Array, a: number, logStd: Float32Array | null, mask: Uint8Array | null, m: number): void {
    let logProb = 0;
    let entropy = 0;
    if (this.continuous) {
      const ls = logStd!;
      for (let d = 0; d < this.actionSize; d++) {
        const s = ls[d]!;
        const z = (act[a + d]! - out[o + d]!) * Math.exp(-s);
        logProb += -0.5 * z * z - s - HALF_LOG_2PI;
        entropy += 0.5 + HALF_LOG_2PI + s;
      }
    } else {
      let off = 0;
      for (let b = 0; b < this.branches.length; b++) {
        const n = this.branches[b]!;
        const lse = this.logSumExp(out, o + off, n, mask, m + off);
        const choice = act[a + b]!;
        logProb += out[o + off + choice]! - lse;
        entropy += this.categoricalEntropy(out, o + off, n, lse, mask, m + off);
        off += n;
      }
    }
    this.logProb = logProb;
    this.entropy = entropy;
  }

  /**
   * Adds `gLogProb · ∂logπ(a)/∂out + gEntropy · ∂H/∂out` into `dOut[o..]` (and the log-std part
   * into `dLogStd`). Uses the same arguments as {@link evaluate}.
   */
  accumulateGrad(out: Float32Array, o: number, act: Float32Array, a: number, logStd: Float32Array | null, mask: Uint8Array | null, m: number,
    gLogProb: number, gEntropy: number, dOut: Float32Array, dLogStd: Float32Array | null): void {
    if (this.continuous) {
      const ls = logStd!;
      for (let d = 0; d < this.actionSize; d++) {
        const invVar = Math.exp(-2 * ls[d]!);
        const diff = act[a + d]! - out[o + d]!;
        dOut[o + d]! += gLogProb * diff * invVar;
        // ∂logπ/∂logσ = z² − 1; ∂H/∂logσ = 1.
        dLogStd![d]! += gLogProb * (diff * diff * invVar - 1) + gEntropy;
      }
      return;
    }
    let off = 0;
    const p = this.scratch;
    for (let b = 0; b < this.branches.length; b++) {
      const n = this.branches[b]!;
      const lse = this.logSumExp(out, o + off, n, mask, m + off);
      let h = 0;
      for (let j = 0; j < n; j++) {
        const allowed = !mask || mask[m + off + j] !== 0;
        const logp = out[o + off + j]! - lse;
        p[j] = allowed ? Math.exp(logp) : 0;
        if (allowed) h -= p[j]! * logp;
      }
      const choice = act[a + b]!;
      for (let j = 0; j < n; j++) {
        if (p[j] === 0) continue;
        const logp = out[o + off + j]! - lse;
        // ∂logπ(a)/∂z_j = 1[j = a] − p_j; ∂H/∂z_j = −p_j (log p_j + H).
        dOut[o + off + j]! += gLogProb * ((j === choice ? 1 : 0) - p[j]!) - gEntropy * p[j]! * (logp + h);
      }
      off += n;
    }
  }

  /** Draws an action into `act[a..]` and returns its log-prob. */
  sample(out: Float32Array, o: number, logStd: Float32Array | null, mask: Uint8Array | null, m: number, rng: Rng, act: Float32Array, a: number): number {
    if (this.continuous) {
      const ls = logStd!;
      let logProb = 0;
      for (let d = 0; d < this.actionSize; d++) {
        const eps = rng.normal();
        act[a + d] = out[o + d]! + Math.exp(ls[d]!) * eps;
        logProb += -0.5 * eps * eps - ls[d]! - HALF_LOG_2PI;
      }
      return logProb;
    }
    let off = 0;
    let logProb = 0;
    for (let b = 0; b < this.branches.length; b++) {
      const n = this.branches[b]!;
      const lse = this.logSumExp(out, o + off, n, mask, m + off);
      const u = rng.next();
      let cumulative = 0;
      let choice = -1;
      for (let j = 0; j < n; j++) {
        if (mask && mask[m + off + j] === 0) continue;
        choice = j;
        cumulative += Math.exp(out[o + off + j]! - lse);
        if (u < cumulative) break;
      }
      act[a + b] = choice;
      logProb += out[o + off + choice]! - lse;
      off += n;
    }
    return logProb;
  }

  /** Writes the most likely action (argmax per branch, or the mean) into `act[a..]`. */
  mode(out: Float32Array, o: number, mask: Uint8Array | null, m: number, act: Float32Array, a: number): void {
    if (this.continuous) {
      for (let d = 0; d < this.actionSize; d++) act[a + d] = out[o + d]!;
      return;
    }
    let off = 0;
    for (let b = 0; b < this.branches.length; b++) {
      const n = this.branches[b]!;
      let best = -1;
      for (let j = 0; j < n; j++) {
        if (mask && mask[m + off + j] === 0) continue;
        if (best < 0 || out[o + off + j]! > out[o + off + best]!) best = j;
      }
      act[a + b] = best;
      off += n;
    }
  }

  private logSumExp(out: Float32Array, o: number, n: number, mask: Uint8Array | null, m: number): number {
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (!mask || mask[m + j] !== 0) max = Math.max(max, out[o + j]!);
    if (max === -Infinity) throw new RangeError('action mask allows no action in a branch: at least one choice must stay allowed');
    let sum = 0;
    for (let j = 0; j < n; j++) if (!mask || mask[m + j] !== 0) sum += Math.exp(out[o + j]! - max);
    return max + Math.log(sum);
  }

  private categoricalEntropy(out: Float32Array, o: number, n: number, lse: number, mask: Uint8Array | null, m: number): number {
    let h = 0;
    for (let j = 0; j < n; j++) {
      if (mask && mask[m + j] === 0) continue;
      const logp = out[o + j]! - lse;
      h -= Math.exp(logp) * logp;
    }
    return h;
  }
}
