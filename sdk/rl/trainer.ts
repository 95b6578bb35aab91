/**
 * Synchronous training loop for headless environments (the CLI, benchmarks, tests): acts in a
 * VecEnv with the JS policy, fills a rollout, hands it to the learner, repeats.
 *
 *   VecEnv → (normalize obs) → Policy.act → VecEnv.step → (scale rewards) → Rollout → PPOLearner
 */
import type { EnvFactory } from '../core/env.js';
import { Rng } from '../core/rng.js';
import { VecEnv } from '../core/vec-env.js';
import { EpisodeWindow } from './episode-window.js';
import { clipActions } from '../core/spaces.js';
import { resolveConfig, type PPOConfig, type ResolvedConfig } from './config.js';
import type { ComputeEngine } from './engine.js';
import { PPOLearner, type LearnerState } from './learner.js';
import type { DeviceName, UpdateMetrics } from './metrics.js';
import { ActorCriticLayout } from './network.js';
import { ObservationNormalizer, RewardScaler, RunningMeanStd } from './normalizer.js';
import { Policy } from './policy.js';
import { allocateRollout, type Rollout } from './rollout.js';
import { ActionDistribution } from './distributions.js';

/** Episodes averaged into `returnMean` (as the metrics and the --target-return stop read it). */
export const RETURN_WINDOW = 20;

export interface TrainerOptions {
  /** Builds environment copy `index`. */
  env: EnvFactory;
  /** Shown in errors and stored in the brain. */
  envName: string;
  config?: Partial<PPOConfig>;
  /** Builds the compute engine for the learner's network layout (e.g. `l => new TfjsEngine(l)`). */
  engine: (layout: ActorCriticLayout) => ComputeEngine;
  /** Continue from a checkpoint (see {@link TrainerSnapshot}). */
  resume?: TrainerSnapshot;
}

/**
 * What a Trainer saves to resume: learner (weights, Adam, schedules, shuffle RNG), normalizer
 * statistics, the acting RNG and the step count. Episodes in flight are not saved: on resume
 * every env starts a new episode (seeded by `config.seed + step`), and the reward scaler's
 * per-env return accumulators start at 0.
 */
export interface TrainerSnapshot {
  learner: LearnerState;
  obsStats: RunningMeanStd | null;
  step: number;
  /** Reward scaler statistics; fresh when absent. */
  rewardStats?: RunningMeanStd | null;
  /** `Rng.getState()` of action sampling; a fresh stream when absent. */
  actingRng?: number[] | null;
}

export class Trainer {
  readonly config: ResolvedConfig;
  readonly vec: VecEnv;
  readonly learner: PPOLearner;
  readonly policy: Policy;
  readonly obsNormalizer: ObservationNormalizer | null;
  readonly envName: string;
  /** Environment steps taken so far (all envs). */
  step = 0;
  private readonly recent = new EpisodeWindow(RETURN_WINDOW);
  private readonly rewardScaler: RewardScaler | null;
  private readonly rollout: Rollout;
  private readonly rng: Rng;
  private readonly obs: Float32Array;
  private readonly envActions: Float32Array;
  private readonly finalRow: Float32Array;
  private readonly oneValue = new Float32Array(1);
  private readonly startTime = performance.now();
  private readonly startStep: number;

  constructor(opts: TrainerOptions) {
    this.config = resolveConfig(opts.config);
    const c = this.config;
    this.envName = opts.envName;
    this.vec = new VecEnv(opts.env, c.numEnvs, opts.envName);
    const dist = new ActionDistribution(this.vec.actionSpace);
    const layout = ActorCriticLayout.forDistribution(this.vec.observationSize, c.hiddenSizes, dist);
    this.learner = new PPOLearner({
      observationSize: this.vec.observationSize, actionSpace: this.vec.actionSpace, config: c, engine: opts.engine(layout),
      // An engine that throws mid-update is replaced and the update retried once (robustness).
      rebuildEngine: () => opts.engine(layout),
      ...(opts.resume ? { state: opts.resume.learner } : {}),
    });
    this.policy = new Policy(layout, dist, this.learner.params, c.numEnvs);
    this.obsNormalizer = c.normalizeObs ? new ObservationNormalizer(this.vec.observationSize, c.obsClip, opts.resume?.obsStats ?? undefined) : null;
    this.rewardScaler = c.normalizeReward ? new RewardScaler(c.numEnvs, c.gamma, c.rewardClip, opts.resume?.rewardStats ?? undefined) : null;
    this.rollout = allocateRollout(c.numSteps, c.numEnvs, this.vec.observationSize, dist.actionSize, 0);
    this.rng = new Rng(c.seed + 1);
    if (opts.resume?.actingRng) this.rng.setState(opts.resume.actingRng);
    this.step = opts.resume?.step ?? 0;
    this.startStep = this.step;
    this.obs = new Float32Array(c.numEnvs * this.vec.observationSize);
    this.envActions = new Float32Array(c.numEnvs * dist.actionSize);
    this.finalRow = new Float32Array(this.vec.observationSize);
    this.observe(this.vec.reset(c.seed + this.step), true);
  }

  /** The device the learner's engine computes on (a tfjs backend, or `wasm-simd`). */
  get device(): DeviceName {
    return this.learner.engine.device;
  }

  /** Whether the configured number of updates has run. */
  get done(): boolean {
    return this.learner.updates >= this.config.numUpdates;
  }

  /** Collects one rollout, trains on it, and returns the update's metrics. */
  runUpdate(): UpdateMetrics {
    this.collect();
    const stats = this.learner.train(this.rollout);
    this.policy.params = this.learner.params;
    const time = (performance.now() - this.startTime) / 1000;
    return {
      ...stats,
      ...this.recent.summary(),
      update: this.learner.updates,
      step: this.step,
      time,
      episodes: this.recent.count,
      sps: (this.step - this.startStep) / time,
      engine: this.learner.engine.name,
      device: this.learner.engine.device,
    };
  }

  /**
   * Trains until the configured steps are used or `returnMean` reaches `targetReturn`, calling
   * `onUpdate` after each update. Returns every update's metrics.
   */
  run(opts: { targetReturn?: number; onUpdate?: (m: UpdateMetrics) => void } = {}): UpdateMetrics[] {
    const history: UpdateMetrics[] = [];
    while (!this.done) {
      const m = this.runUpdate();
      history.push(m);
      opts.onUpdate?.(m);
      if (opts.targetReturn !== undefined && m.returnMean >= opts.targetReturn) break;
    }
    return history;
  }

  /** A checkpoint of this run (copies), for {@link TrainerOptions.resume}. */
  snapshot(): TrainerSnapshot {
    const copy = (s: RunningMeanStd | null | undefined) => (s ? RunningMeanStd.fromJSON(s.toJSON()) : null);
    return {
      learner: this.learner.getState(), obsStats: copy(this.obsNormalizer?.stats), step: this.step,
      rewardStats: copy(this.rewardScaler?.stats), actingRng: this.rng.getState(),
    };
  }

  /** Releases the learner's device memory. */
  dispose(): void {
    this.learner.engine.dispose();
  }

  private collect(): void {
    const c = this.config;
    const r = this.rollout;
    const E = c.numEnvs;
    const obsSize = this.vec.observationSize;
    const actSize = this.policy.dist.actionSize;
    const space = this.vec.actionSpace;
    for (let t = 0; t < c.numSteps; t++) {
      const row = t * E;
      r.observations.set(this.obs, row * obsSize);
      const actions = r.actions.subarray(row * actSize, (row + E) * actSize);
      this.policy.act(this.obs, E, this.rng, null, actions, r.logProbs.subarray(row, row + E), r.values.subarray(row, row + E));
      // The game gets the action clipped to its bounds; the learner keeps the sample (PPO.md).
      clipActions(space, actions, E, this.envActions);
      const res = this.vec.step(this.envActions);
      this.step += E;
      const rewards = r.rewards.subarray(row, row + E);
      rewards.set(res.rewards);
      this.rewardScaler?.scale(rewards, (e) => res.terminated[e] === 1 || res.truncated[e] === 1);
      r.terminated.set(res.terminated, row);
      r.truncated.set(res.truncated, row);
      for (let e = 0; e < E; e++) {
        r.finalValues[row + e] = 0;
        if (res.truncated[e]) {
          // A time limit is not a terminal state: bootstrap from the final observation's value.
          this.finalRow.set(res.finalObservations.subarray(e * obsSize, (e + 1) * obsSize));
          this.obsNormalizer?.normalize(this.finalRow, 1, this.finalRow);
          this.policy.values(this.finalRow, 1, this.oneValue);
          r.finalValues[row + e] = this.oneValue[0]!;
        }
      }
      this.observe(res.observations, true);
      for (const ep of this.vec.drainEpisodes()) this.recent.push(ep.return, ep.length);
    }
    this.policy.values(this.obs, E, r.lastValues);
    r.policyVersion = this.learner.version;
  }

  /** Takes raw observations from the envs: updates the running stats, stores them normalized. */
  private observe(raw: Float32Array, updateStats: boolean): void {
    if (this.obsNormalizer) {
      if (updateStats) this.obsNormalizer.stats.update(raw, this.config.numEnvs);
      this.obsNormalizer.normalize(raw, this.config.numEnvs, this.obs);
    } else {
      this.obs.set(raw);
    }
  }
}
