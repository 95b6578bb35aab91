/**
 * Action distributions over rows of the actor's output, in plain Float32Array loops: sampling
 * and log-probs for acting, and the log-prob/entropy gradients the PPO loss head needs.
 *
 * Every space is a (possibly empty) diagonal Gaussian part followed by a (possibly empty) set of
 * categorical branches, and log-prob and entropy are sums over both (the parts are independent):
 *
 * - Discrete and MultiDiscrete: one categorical per branch over that branch's logits, with an
 *   optional action mask (1 = allowed) that removes choices from the softmax.
 * - Box: a diagonal Gaussian whose mean is the actor's output and whose log-std is a
 *   state-independent parameter vector (PPO.md, "Continuous actions"). Log-prob and entropy are
 *   summed over dimensions.
 * - Hybrid: actor output row `[means(C), logits(Σ branches)]`, action row `[reals(C), choices]`,
 *   log-std of size C; masks cover the logits only.
 */
import type { Rng } from '../core/rng.js';
import type { Space } from '../core/spaces.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class ActionDistribution {
  /** Width of the actor network's output row: Gaussian means, then branch logits. */
  readonly outputSize: number;
  /** Width of one action row: continuous dimensions, then one choice per branch. */
  readonly actionSize: number;
  /** Width of an action-mask row (sum of branch sizes); 0 when there are no branches. */
  readonly maskSize: number;
  /** Whether there is a Gaussian part, and so a log-std parameter vector (Box and Hybrid). */
  readonly continuous: boolean;
  /** Dimensions of the Gaussian part (0 for Discrete and MultiDiscrete). */
  readonly numContinuous: number;
  /** Length of the log-std vector the Gaussian part reads: `numContinuous`. */
  readonly logStdSize: number;
  /** Choices per categorical branch (empty for Box). */
  readonly branches: readonly number[];
  /** Log-prob of the action passed to the last {@link evaluate} call. */
  logProb = 0;
  /** Entropy of the distribution passed to the last {@link evaluate} call. */
  entropy = 0;

  private readonly scratch: Float64Array;
  /**
   * The categorical part of the last {@link evaluate}: where it read (`out`, `o`, `mask`, `m`), the
   * logits and mask it read, and per choice p = exp(logit − lse) (0 where masked), per branch lse
   * and entropy. {@link accumulateGrad} on the same row reuses them instead of a second softmax:
   * the PPO and imitation loss heads evaluate then differentiate each row. It checks the logits
   * and mask still hold the same values, so a changed row is recomputed; reused or not, the
   * numbers are the same ones (the same expressions on the same inputs).
   */
  private readonly evaluated: {
    out: Float32Array | null; o: number; mask: Uint8Array | null; m: number;
    logits: Float32Array; allowed: Uint8Array; p: Float64Array; lse: Float64Array; entropy: Float64Array;
  };

  constructor(space: Space) {
    switch (space.kind) {
      case 'box': this.numContinuous = space.size; this.branches = []; break;
      case 'discrete': this.numContinuous = 0; this.branches = [space.n]; break;
      case 'multiDiscrete': this.numContinuous = 0; this.branches = [...space.nvec]; break;
      case 'hybrid': this.numContinuous = space.continuous.size; this.branches = [...space.discrete.nvec]; break;
    }
    this.continuous = this.numContinuous > 0;
    this.logStdSize = this.numContinuous;
    this.maskSize = this.branches.reduce((s, n) => s + n, 0);
    this.outputSize = this.numContinuous + this.maskSize;
    this.actionSize = this.numContinuous + this.branches.length;
    this.scratch = new Float64Array(Math.max(1, ...this.branches));
    this.evaluated = {
      out: null, o: 0, mask: null, m: 0, logits: new Float32Array(this.maskSize), allowed: new Uint8Array(this.maskSize),
      p: new Float64Array(this.maskSize), lse: new Float64Array(this.branches.length), entropy: new Float64Array(this.branches.length),
    };
  }

  /**
   * Sets {@link logProb} and {@link entropy} for the action at `act[a..]` under the distribution at
   * `out[o..]` (`logStd` when there is a Gaussian part, `mask[m..]` optional over the branches).
   */
  evaluate(out: Float32Array, o: number, act: Float32Array, a: number, logStd: Float32Array | null, mask: Uint8Array | null, m: number): void {
    let logProb = 0;
    let entropy = 0;
    const C = this.numContinuous;
    if (C > 0) {
      const ls = logStd!;
      for (let d = 0; d < C; d++) {
        const s = ls[d]!;
        const z = (act[a + d]! - out[o + d]!) * Math.exp(-s);
        logProb += -0.5 * z * z - s - HALF_LOG_2PI;
        entropy += 0.5 + HALF_LOG_2PI + s;
      }
    }
    const e = this.evaluated;
    e.out = out; e.o = o; e.mask = mask; e.m = m;
    let off = 0;
    for (let b = 0; b < this.branches.length; b++) {
      const n = this.branches[b]!;
      const lo = o + C + off;
      const lse = this.logSumExp(out, lo, n, mask, m + off);
      const choice = act[a + C + b]!;
      logProb += out[lo + choice]! - lse;
      // The branch's entropy, keeping each p for accumulateGrad.
      let h = 0;
      for (let j = 0; j < n; j++) {
        const allowed = !mask || mask[m + off + j] !== 0;
        e.logits[off + j] = out[lo + j]!;
        e.allowed[off + j] = allowed ? 1 : 0;
        if (!allowed) { e.p[off + j] = 0; continue; }
        const logp = out[lo + j]! - lse;
        const pj = Math.exp(logp);
        e.p[off + j] = pj;
        h -= pj * logp;
      }
      e.lse[b] = lse;
      e.entropy[b] = h;
      entropy += h;
      off += n;
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
    const C = this.numContinuous;
    if (C > 0) {
      const ls = logStd!;
      for (let d = 0; d < C; d++) {
        const invVar = Math.exp(-2 * ls[d]!);
        const diff = act[a + d]! - out[o + d]!;
        dOut[o + d]! += gLogProb * diff * invVar;
        // ∂logπ/∂logσ = z² − 1; ∂H/∂logσ = 1.
        dLogStd![d]! += gLogProb * (diff * diff * invVar - 1) + gEntropy;
      }
    }
    const e = this.evaluated;
    const reuse = e.out === out && e.o === o && e.mask === mask && e.m === m && this.sameAsEvaluated(out, o + C, mask, m);
    let off = 0;
    const p = reuse ? e.p : this.scratch;
    for (let b = 0; b < this.branches.length; b++) {
      const n = this.branches[b]!;
      const lo = o + C + off;
      // p and h as evaluate computed them (the same expressions: its values when reused).
      const base = reuse ? off : 0;
      let lse: number;
      let h = 0;
      if (reuse) {
        lse = e.lse[b]!;
        h = e.entropy[b]!;
      } else {
        lse = this.logSumExp(out, lo, n, mask, m + off);
        for (let j = 0; j < n; j++) {
          const allowed = !mask || mask[m + off + j] !== 0;
          const logp = out[lo + j]! - lse;
          p[j] = allowed ? Math.exp(logp) : 0;
          if (allowed) h -= p[j]! * logp;
        }
      }
      const choice = act[a + C + b]!;
      for (let j = 0; j < n; j++) {
        const pj = p[base + j]!;
        if (pj === 0) continue;
        const logp = out[lo + j]! - lse;
        // ∂logπ(a)/∂z_j = 1[j = a] − p_j; ∂H/∂z_j = −p_j (log p_j + H).
        dOut[lo + j]! += gLogProb * ((j === choice ? 1 : 0) - pj) - gEntropy * pj * (logp + h);
      }
      off += n;
    }
  }

  /** Whether the logits at `out[lo..]` and the mask at `mask[m..]` hold what the last evaluate read. */
  private sameAsEvaluated(out: Float32Array, lo: number, mask: Uint8Array | null, m: number): boolean {
    const e = this.evaluated;
    for (let j = 0; j < this.maskSize; j++) {
      if (out[lo + j] !== e.logits[j]) return false;
      if ((!mask || mask[m + j] !== 0 ? 1 : 0) !== e.allowed[j]) return false;
    }
    return true;
  }

  /** Draws an action into `act[a..]` and returns its log-prob (Gaussian draws first, then branches). */
  sample(out: Float32Array, o: number, logStd: Float32Array | null, mask: Uint8Array | null, m: number, rng: Rng, act: Float32Array, a: number): number {
    let logProb = 0;
    const C = this.numContinuous;
    if (C > 0) {
      const ls = logStd!;
      for (let d = 0; d < C; d++) {
        const eps = rng.normal();
        act[a + d] = out[o + d]! + Math.exp(ls[d]!) * eps;
        logProb += -0.5 * eps * eps - ls[d]! - HALF_LOG_2PI;
      }
    }
    let off = 0;
    for (let b = 0; b < this.branches.length; b++) {
      const n = this.branches[b]!;
      const lo = o + C + off;
      const lse = this.logSumExp(out, lo, n, mask, m + off);
      const u = rng.next();
      let cumulative = 0;
      let choice = -1;
      for (let j = 0; j < n; j++) {
        if (mask && mask[m + off + j] === 0) continue;
        choice = j;
        cumulative += Math.exp(out[lo + j]! - lse);
        if (u < cumulative) break;
      }
      act[a + C + b] = choice;
      logProb += out[lo + choice]! - lse;
      off += n;
    }
    return logProb;
  }

  /** Writes the most likely action (the mean, and the argmax per branch) into `act[a..]`. */
  mode(out: Float32Array, o: number, mask: Uint8Array | null, m: number, act: Float32Array, a: number): void {
    const C = this.numContinuous;
    for (let d = 0; d < C; d++) act[a + d] = out[o + d]!;
    let off = 0;
    for (let b = 0; b < this.branches.length; b++) {
      const n = this.branches[b]!;
      const lo = o + C + off;
      let best = -1;
      for (let j = 0; j < n; j++) {
        if (mask && mask[m + off + j] === 0) continue;
        if (best < 0 || out[lo + j]! > out[lo + best]!) best = j;
      }
      act[a + C + b] = best;
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

}
