/**
 * What a `train` behavior adds to acting: each decision becomes a rollout row the learner can
 * take, as SB3's `collect_rollouts` turns env steps into its buffer. Per decision it closes the
 * recorded agents' transitions (rewards scaled by the shared {@link RewardScaler}, episode ends,
 * the truncation bootstrap), hands a full rollout to `onRollout`, and records what the policy did.
 */
import type { Rollout } from '../rl/rollout.js';
import { RewardScaler, type ObservationNormalizer, type RunningMeanStd } from '../rl/normalizer.js';
import type { TrainPolicy } from './acting-policy.js';
import type { ActingWeights } from './acting-weights.js';
import { CONTINUING, TERMINATED, TRUNCATED, type AgentBatch } from './agent-batch.js';
import { RolloutWriter } from './rollout-writer.js';

export interface TransitionRecorderOptions {
  /** Decisions per agent per rollout (`config.numSteps`). */
  numSteps: number;
  observationSize: number;
  actionSize: number;
  maskSize: number;
  /** Scales rewards by the std of the discounted return (`config.normalizeReward`) with `gamma` and clip `rewardClip`. */
  normalizeReward: boolean;
  gamma: number;
  rewardClip: number;
  /** The reward statistics to update (a checkpoint may have restored them in place). */
  rewardStats: RunningMeanStd;
  /** Value heads after the extrinsic one (`valueHeadsOf(config) − 1`), recorded into `Rollout.signalValues`; 0 when omitted. */
  signals?: number;
  /** Called with each full rollout; it may transfer the arrays away or set new weights for the next action. */
  onRollout?: ((rollout: Rollout) => void) | undefined;
}

export class TransitionRecorder {
  readonly writer: RolloutWriter;
  /** One return accumulator per batch row (agents join and leave); null when rewards are not scaled. */
  private readonly scaler: RewardScaler | null;
  private readonly options: TransitionRecorderOptions;
  // Per-row scratch for the truncation bootstrap and V(s_N), grown with the batch.
  private finalObs = new Float32Array(0);
  private finalRowOf = new Int32Array(0);
  private finalValues = new Float32Array(0);
  private lastValues = new Float32Array(0);
  /** The other value heads' V(final observation) and V(s_N), head-major (Policy.values). */
  private finalSignals = new Float32Array(0);
  private lastSignals = new Float32Array(0);

  constructor(options: TransitionRecorderOptions, private readonly batch: AgentBatch, private readonly policy: TrainPolicy, private readonly weights: ActingWeights) {
    this.options = options;
    this.writer = new RolloutWriter(options.numSteps, options.observationSize, options.actionSize, options.maskSize, options.signals ?? 0);
    this.scaler = options.normalizeReward ? new RewardScaler(0, options.gamma, options.rewardClip, options.rewardStats) : null;
  }

  /** Sizes per-agent scratch for `capacity` agents. */
  reserve(capacity: number): void {
    const O = this.options.observationSize;
    this.finalObs = new Float32Array(capacity * O);
    this.finalRowOf = new Int32Array(capacity);
    this.finalValues = new Float32Array(capacity);
    this.lastValues = new Float32Array(capacity);
    this.finalSignals = new Float32Array(capacity * this.writer.signals);
    this.lastSignals = new Float32Array(capacity * this.writer.signals);
    this.scaler?.resize(capacity);
  }

  /** The agent at batch row `row` leaves: drops a rollout that records it; its return accumulator goes. */
  leave(row: number): void {
    this.writer.leave(row);
    this.scaler?.removeAt(row);
  }

  /**
   * Closes the transitions opened at the previous decision, after the batch's
   * `closeTransitions` and before its `beginEpisodes` (which overwrites an ending agent's last
   * observation with its next episode's first). `normalizer` is as it stood at the previous
   * decision, not yet updated with this one.
   */
  close(normalizer: ObservationNormalizer | null): void {
    const { batch, writer, scaler } = this;
    const n = batch.size;
    const { ends, rewards, rawObs, slots } = batch;
    const O = this.options.observationSize;
    // A time limit is not a terminal state: keep each recorded truncated agent's last observation.
    let numFinal = 0;
    const columns = writer.columns;
    for (let i = 0; i < columns; i++) {
      if (ends[i] !== TRUNCATED) continue;
      for (let k = 0; k < O; k++) this.finalObs[numFinal * O + k] = rawObs[i * O + k]!;
      this.finalRowOf[numFinal++] = i;
    }
    // One return accumulator per agent, since agents come and go. Every agent that acted counts
    // (recorded or not), as each is one more sample of the return; stats first, then scaling.
    if (scaler) {
      for (let i = 0; i < n; i++) if (slots[i]!.started) scaler.accumulate(i, rewards[i]!);
      for (let i = 0; i < n; i++) if (slots[i]!.started && ends[i] !== CONTINUING) scaler.restart(i);
    }
    if (!writer.open) return;
    if (numFinal > 0) {
      // Bootstrap from V(final observation), normalized with the statistics as they were.
      normalizer?.normalize(this.finalObs, numFinal, this.finalObs);
      this.weights.forward.values(this.finalObs, numFinal, this.finalValues, this.writer.signals > 0 ? this.finalSignals : null);
    }
    let k = 0;
    for (let i = 0; i < columns; i++) {
      if (!slots[i]!.started) continue;
      const reward = scaler ? scaler.scaled(rewards[i]!) : rewards[i]!;
      const final = k < numFinal && this.finalRowOf[k] === i;
      const finalValue = final ? this.finalValues[k]! : 0;
      writer.close(i, reward, ends[i] === TERMINATED, ends[i] === TRUNCATED, finalValue, final ? this.finalSignals : null, k, numFinal);
      if (final) k++;
    }
  }

  /**
   * Opens the row this decision fills: the next row, or, when the rollout is full, bootstraps it
   * with V(s_N) of this decision's (normalized) observations `obs`, hands it to `onRollout` and
   * starts a fresh one recording every current agent. Before the policy acts, so weights set in
   * `onRollout` already act for the fresh rollout's first row.
   */
  openRow(obs: Float32Array): void {
    const { writer, batch } = this;
    if (writer.full) {
      const signals = this.writer.signals > 0 ? this.lastSignals : null;
      this.weights.forward.values(obs, batch.size, this.lastValues, signals);
      const rollout = writer.finish(this.lastValues, signals, batch.size);
      // Last: the callback may transfer the arrays away or set new weights for the next action.
      this.options.onRollout?.(rollout);
    } else if (writer.open) {
      writer.advance();
    }
    if (!writer.open) writer.start(batch.size, batch.masked);
  }

  /** Records this decision's observations (as the policy saw them) and the policy's outputs into the open row. */
  record(obs: Float32Array, masks: Uint8Array | null): void {
    const { policy } = this;
    this.writer.record(obs, policy.actions, policy.logProbs, policy.values, masks, this.weights.version,
      this.writer.signals > 0 ? policy.signalValues : null, this.batch.size);
  }
}
