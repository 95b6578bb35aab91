/**
 * What a PPO update learns from demonstrations, when the config asks for it: behaviour cloning as
 * an extra loss term (behavioral-cloning.ts) and GAIL as an extra reward (gail.ts). The learner
 * calls in at four points of an update: {@link beginUpdate} (GAIL rewards, discriminator steps),
 * {@link rewards} (what GAE reads), {@link addCloningGradient} (each minibatch step) and
 * {@link endUpdate} (metrics).
 */
import { PhaserPpoError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import { BehavioralCloningTerm, checkDemonstrations, type BatchPosition, type ClonedPolicy } from './behavioral-cloning.js';
import type { BehavioralCloningConfig, GailConfig, ResolvedConfig } from './config.js';
import { Discriminator, type DiscriminatorState } from './gail.js';
import { ObservationNormalizer, type RunningMeanStd } from './normalizer.js';
import type { Rollout } from './rollout.js';

/** An update's demonstration metrics, before averaging. */
export interface DemonstrationUpdate {
  gailLoss: number;
  gailRewardShare: number;
}

/**
 * What a checkpoint keeps of the demonstration learning, so a resumed run continues exactly: GAIL's
 * discriminator (weights, Adam state) and its sampling RNG; behaviour cloning's batch position.
 * Null parts: the config has no such term. The demonstrations themselves are not in it (they are
 * referenced by `config.*.demo`: path or key, and SHA-256).
 */
export interface DemonstrationLearningState {
  gail: (DiscriminatorState & { rng: number[] }) | null;
  bc: BatchPosition | null;
}

/** The GAIL half: the discriminator, its demonstration inputs and the mixed-reward buffer. */
class GailSignal {
  readonly discriminator: Discriminator;
  readonly inputSize: number;
  demoInputs = new Float32Array(0);
  demoRows = 0;
  private policyInputs = new Float32Array(0);
  private rewards = new Float32Array(0);
  /** strength · the GAIL reward per transition (what its own value head learns, config.gail.gamma). */
  scaled = new Float32Array(0);
  /** The rollout's rewards plus {@link scaled} (the shared-critic form, gamma null). */
  mixed = new Float32Array(0);
  private batchE = new Float32Array(0);
  private batchP = new Float32Array(0);

  constructor(readonly settings: Required<Omit<GailConfig, 'demo'>>, private readonly obsSize: number, private readonly actSize: number, private readonly rng: Rng) {
    this.inputSize = obsSize + (settings.useActions ? actSize : 0);
    this.discriminator = new Discriminator(this.inputSize, settings.encodingSize, rng);
  }

  getState(): DiscriminatorState & { rng: number[] } {
    return { ...this.discriminator.getState(), rng: this.rng.getState() };
  }

  setState(state: DiscriminatorState & { rng: number[] }): void {
    this.discriminator.setState(state);
    this.rng.setState(state.rng);
  }

  /** Demonstration rows as discriminator inputs: normalized observations, then actions when used. */
  setDemonstrations(demo: DemonstrationData, stats: RunningMeanStd | null, clip: number): void {
    const n = demo.steps;
    const W = this.inputSize;
    const obs = new Float32Array(n * this.obsSize);
    if (stats) new ObservationNormalizer(this.obsSize, clip, stats).normalize(demo.observations, n, obs);
    else obs.set(demo.observations);
    this.demoInputs = new Float32Array(n * W);
    for (let i = 0; i < n; i++) {
      this.demoInputs.set(obs.subarray(i * this.obsSize, (i + 1) * this.obsSize), i * W);
      if (this.settings.useActions) this.demoInputs.set(demo.actions.subarray(i * this.actSize, (i + 1) * this.actSize), i * W + this.obsSize);
    }
    this.demoRows = n;
  }

  /**
   * Rewards the rollout with the discriminator as it stands (`strength ·` them in {@link scaled},
   * and mixed into a copy of the rollout's rewards in {@link mixed}), then trains the discriminator for `steps` Adam steps of `batch` rows
   * from each side. Returns the mean discriminator loss and the GAIL share of |reward|.
   */
  update(rollout: Rollout, steps: number, batch: number): DemonstrationUpdate {
    const N = rollout.numSteps * rollout.numEnvs;
    const W = this.inputSize;
    if (this.mixed.length < N) {
      this.mixed = new Float32Array(N);
      this.scaled = new Float32Array(N);
      this.rewards = new Float32Array(N);
      this.policyInputs = new Float32Array(N * W);
    }
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < this.obsSize; j++) this.policyInputs[i * W + j] = rollout.observations[i * this.obsSize + j]!;
      if (this.settings.useActions) for (let j = 0; j < this.actSize; j++) this.policyInputs[i * W + this.obsSize + j] = rollout.actions[i * this.actSize + j]!;
    }
    this.discriminator.reward(this.policyInputs, N, this.rewards);
    let gailSum = 0;
    let extSum = 0;
    const s = this.settings.strength;
    for (let i = 0; i < N; i++) {
      const g = s * this.rewards[i]!;
      this.scaled[i] = g;
      this.mixed[i] = rollout.rewards[i]! + g;
      gailSum += Math.abs(g);
      extSum += Math.abs(rollout.rewards[i]!);
    }
    const B = Math.min(batch, this.demoRows, N);
    if (this.batchE.length < B * W) { this.batchE = new Float32Array(B * W); this.batchP = new Float32Array(B * W); }
    let loss = 0;
    for (let k = 0; k < steps; k++) {
      for (let r = 0; r < B; r++) {
        const e = this.rng.int(this.demoRows);
        const p = this.rng.int(N);
        for (let j = 0; j < W; j++) {
          this.batchE[r * W + j] = this.demoInputs[e * W + j]!;
          this.batchP[r * W + j] = this.policyInputs[p * W + j]!;
        }
      }
      loss += this.discriminator.train(this.batchE, B, this.batchP, B, this.settings.learningRate);
    }
    return { gailLoss: loss / steps, gailRewardShare: gailSum + extSum > 0 ? gailSum / (gailSum + extSum) : 0 };
  }
}

export class DemonstrationLearning {
  private readonly bc: BehavioralCloningTerm | null;
  private readonly gail: GailSignal | null;
  private demo: DemonstrationData | null = null;
  private bcStrength = 0;
  private gailMixed = false;

  /** The demonstration learning `config` asks for, or null when it asks for none. */
  static forConfig(policy: ClonedPolicy, config: ResolvedConfig): DemonstrationLearning | null {
    if (!config.behavioralCloning && !config.gail) return null;
    return new DemonstrationLearning(policy, config);
  }

  private constructor(private readonly policy: ClonedPolicy, private readonly config: ResolvedConfig) {
    const bc: BehavioralCloningConfig | null = config.behavioralCloning;
    // Streams of their own, so turning one on shifts no other random choice.
    this.bc = bc ? new BehavioralCloningTerm(policy, { strength: bc.strength, steps: bc.steps ?? 0, batchSize: bc.batchSize ?? config.minibatchSize }, new Rng(config.seed ^ 0x0bc0bc0b)) : null;
    const g = config.gail;
    this.gail = g
      ? new GailSignal({ strength: g.strength, encodingSize: g.encodingSize ?? 64, useActions: g.useActions ?? false, learningRate: g.learningRate ?? 3e-4, gamma: g.gamma ?? null },
        policy.layout.observationSize, policy.dist.actionSize, new Rng(config.seed ^ 0x6a11))
      : null;
  }

  /** A copy of the state a checkpoint keeps ({@link DemonstrationLearningState}). */
  getState(): DemonstrationLearningState {
    return { gail: this.gail?.getState() ?? null, bc: this.bc?.position() ?? null };
  }

  /**
   * Continues from a checkpoint's state (behaviour cloning's position applies once the
   * demonstrations are given). A part the config no longer asks for is ignored; a discriminator of
   * another size (changed `gail` settings) is refused.
   */
  setState(state: DemonstrationLearningState): void {
    if (this.gail && state.gail) this.gail.setState(state.gail);
    if (this.bc && state.bc) this.bc.seek(state.bc);
  }

  setDemonstrations(demo: DemonstrationData, stats: RunningMeanStd | null): void {
    checkDemonstrations(demo, this.policy.layout.observationSize, demo.actionSpace, 'demonstrations');
    this.demo = demo;
    this.bc?.setDemonstrations(demo, stats, this.config.obsClip);
    this.gail?.setDemonstrations(demo, stats, this.config.obsClip);
  }

  setObservationStats(stats: RunningMeanStd | null): void {
    if (!this.demo) return;
    this.bc?.setObservationStats(stats, this.config.obsClip);
    this.gail?.setDemonstrations(this.demo, stats, this.config.obsClip);
  }

  /** Before GAE: the GAIL reward and discriminator steps; the cloning strength of this update. */
  beginUpdate(rollout: Rollout, updates: number): DemonstrationUpdate {
    if (!this.demo) {
      const which = [this.bc ? 'behavioralCloning' : '', this.gail ? 'gail' : ''].filter(Boolean).join(' and ');
      throw new PhaserPpoError(`config.${which} is set but no demonstrations were given: pass them to the trainer (FastTrainerOptions.demonstrations) or remove the field`);
    }
    this.bcStrength = this.bc ? this.bc.strengthAt(updates * this.config.batchSize) : 0;
    this.bc?.begin();
    this.gailMixed = this.gail !== null;
    // As many discriminator steps as policy steps (ML-Agents updates it with every policy minibatch).
    return this.gail ? this.gail.update(rollout, this.config.updateEpochs * this.config.numMinibatches, this.config.minibatchSize) : { gailLoss: NaN, gailRewardShare: 0 };
  }

  /**
   * The rewards the extrinsic value head's GAE reads: the rollout's, or, when GAIL shares that
   * critic (`gail.gamma` null), a copy with GAIL's mixed in.
   */
  rewards(rollout: Rollout): Float32Array {
    return this.gailMixed && this.gail!.settings.gamma === null ? this.gail!.mixed : rollout.rewards;
  }

  /**
   * GAIL as a reward signal of its own (`gail.gamma` set): its discount and its rewards
   * (strength · −log(1 − D)) for the second value head; null when GAIL is off or shares the critic.
   */
  signal(): { gamma: number; rewards: Float32Array } | null {
    const g = this.gail;
    return this.gailMixed && g && g.settings.gamma !== null ? { gamma: g.settings.gamma, rewards: g.scaled } : null;
  }

  /** Adds the cloning term's gradient of one minibatch step into `grads` (nothing once its strength is 0). */
  addCloningGradient(grads: Float32Array): void {
    this.bc?.add(this.bcStrength, grads);
  }

  /** The update's demonstration metrics, as {@link UpdateStats} fields. */
  endUpdate(u: DemonstrationUpdate): { bcLoss?: number; bcStrength?: number; gailLoss?: number; gailRewardShare?: number } {
    return {
      ...(this.bc ? { bcLoss: this.bc.meanNll(), bcStrength: this.bcStrength } : {}),
      ...(this.gail ? { gailLoss: u.gailLoss, gailRewardShare: u.gailRewardShare } : {}),
    };
  }
}
