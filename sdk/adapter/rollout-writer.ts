/**
 * Fills one rollout at a time for a behavior's agents and owns its indexing (as SB3's
 * `RolloutBuffer.add` owns `pos`): the open row, the columns, the per-row weights versions.
 *
 * The columns are the batch rows present when the rollout started, which the agent batch keeps as
 * its first rows (it appends joiners and splices leavers): batch row i is column i, for i below
 * {@link columns}. Agents that joined later act unrecorded until the next rollout; one of the
 * recorded agents leaving drops the rollout, whose column could not be completed.
 *
 * Each decision, in order: {@link close} each recorded agent's transition in the open row (the
 * row that acted at the previous decision), move to the next row ({@link advance}) or hand the
 * full rollout off ({@link finish}) and {@link start} a fresh one, then {@link record} what the
 * policy just did into the new open row.
 */
import { allocateRollout, type Rollout } from '../rl/rollout.js';

export class RolloutWriter {
  /** Rollouts dropped because a recorded agent left before they were full. */
  dropped = 0;
  private rollout: Rollout | null = null;
  /** Row whose transitions are open: acted, reward not yet known. */
  private row = 0;

  /** `signals`: value heads after the extrinsic one, whose values the rollout also keeps ({@link Rollout.signalValues}). */
  constructor(readonly numSteps: number, readonly observationSize: number, readonly actionSize: number, readonly maskSize: number, readonly signals = 0) {}

  /** Whether a rollout is being filled. */
  get open(): boolean {
    return this.rollout !== null;
  }

  /** Agents recorded (the batch's first rows); 0 when no rollout is open. */
  get columns(): number {
    return this.rollout ? this.rollout.numEnvs : 0;
  }

  /** Whether the open row is the rollout's last: the next decision finishes it. */
  get full(): boolean {
    return this.rollout !== null && this.row + 1 === this.rollout.numSteps;
  }

  /**
   * A fresh rollout (never a handed-off one's buffers) recording `columns` agents, with a mask
   * array when `masked`; its row 0 opens.
   */
  start(columns: number, masked: boolean): void {
    this.rollout = allocateRollout(this.numSteps, columns, this.observationSize, this.actionSize, masked ? this.maskSize : 0, true, this.signals);
    this.rollout.policyVersion = Number.MAX_SAFE_INTEGER;
    this.row = 0;
  }

  /**
   * Writes what the policy did for the recorded agents into the open row: observations (as the
   * policy saw them), actions as chosen, their log-probs, the critic's values and masks (rows of
   * the batch arrays), and `version`, the weights that acted. With {@link signals}: the other
   * value heads' values, head-major with `batchSize` rows per head (Policy.values' layout).
   */
  record(obs: Float32Array, actions: Float32Array, logProbs: Float32Array, values: Float32Array, masks: Uint8Array | null, version: number,
    signalValues: Float32Array | null = null, batchSize = 0): void {
    const r = this.rollout!;
    const E = r.numEnvs;
    const O = this.observationSize;
    const A = this.actionSize;
    const M = this.maskSize;
    const base = this.row * E;
    copy(obs, r.observations, base * O, E * O);
    copy(actions, r.actions, base * A, E * A);
    copy(logProbs, r.logProbs, base, E);
    copy(values, r.values, base, E);
    if (r.masks && masks) copy(masks, r.masks, base * M, E * M);
    const sv = r.signalValues;
    if (sv && signalValues) {
      const N = r.numSteps * E;
      for (let s = 0; s < sv.count; s++) for (let e = 0; e < E; e++) sv.values[s * N + base + e] = signalValues[s * batchSize + e]!;
    }
    r.versions![this.row] = version;
    if (version < r.policyVersion) r.policyVersion = version;
  }

  /**
   * Closes column `column`'s transition in the open row: its reward (as the learner should see
   * it), how it ended, and for a truncation V(final observation); with {@link signals}, the other
   * heads' V(final observation) at `finalSignals[s·stride + at]`.
   */
  close(column: number, reward: number, terminated: boolean, truncated: boolean, finalValue: number,
    finalSignals: Float32Array | null = null, at = 0, stride = 0): void {
    const r = this.rollout!;
    const j = this.row * r.numEnvs + column;
    r.rewards[j] = reward;
    r.terminated[j] = terminated ? 1 : 0;
    r.truncated[j] = truncated ? 1 : 0;
    r.finalValues[j] = finalValue;
    const sv = r.signalValues;
    if (sv) {
      const N = r.numSteps * r.numEnvs;
      for (let s = 0; s < sv.count; s++) sv.finalValues[s * N + j] = finalSignals ? finalSignals[s * stride + at]! : 0;
    }
  }

  /** Opens the next row (the rollout is not {@link full}). */
  advance(): void {
    this.row++;
  }

  /**
   * Completes the full rollout with V(s_N) per column (the first {@link columns} entries of
   * `lastValues`; the other heads' at `lastSignals[s·batchSize + column]`) and hands it off: the
   * writer never touches its arrays again.
   */
  finish(lastValues: Float32Array, lastSignals: Float32Array | null = null, batchSize = 0): Rollout {
    const r = this.rollout!;
    copy(lastValues, r.lastValues, 0, r.numEnvs);
    const sv = r.signalValues;
    if (sv && lastSignals) {
      for (let s = 0; s < sv.count; s++) for (let e = 0; e < r.numEnvs; e++) sv.lastValues[s * r.numEnvs + e] = lastSignals[s * batchSize + e]!;
    }
    this.rollout = null;
    return r;
  }

  /** The agent at batch row `row` left: drops the open rollout if it recorded that agent. */
  leave(row: number): void {
    if (row < this.columns) {
      this.rollout = null;
      this.dropped++;
    }
  }
}

/** Copies `src[0..count)` to `dst[at..)`: a loop, as `subarray` would allocate a view per call. */
export function copy<T extends Float32Array | Uint8Array>(src: T, dst: T, at: number, count: number): void {
  for (let k = 0; k < count; k++) dst[at + k] = src[k]!;
}
