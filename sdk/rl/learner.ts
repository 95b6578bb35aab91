/**
 * The PPO learner: takes a rollout, computes advantages (GAE; with `staleRollouts: 'decoupled'`,
 * Retrace-corrected where older weights acted), runs the clipped-surrogate epochs and returns diagnostics.
 * The data flows one way: rollout in, new flat weights (`params`, `version`) out.
 */
import type { ObservationInput } from './conv.js';
import type { Space } from '../core/spaces.js';
import { Rng } from '../core/rng.js';
import { Adam, type AdamState } from './adam.js';
import type { PPOConfig, ResolvedConfig, TargetKlCheck } from './config.js';
import { ActionDistribution } from './distributions.js';
import type { ComputeEngine } from './engine.js';
import { computeAdvantages, computeSignalAdvantages } from './gae.js';
import { FaultGuard, firstNonFinite, type TrainingFaultError } from './fault-guard.js';
import { ActorCriticLayout } from './network.js';
import { ppoLoss, type LossBatch, type LossCoefficients, type LossGrads, type LossStats } from './ppo-loss.js';
import type { Rollout } from './rollout.js';
import { DemonstrationLearning, type DemonstrationLearningState } from './demonstration-learning.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import type { RunningMeanStd } from './normalizer.js';

/** Diagnostics of one update (averaged over its Adam steps unless noted). */
export interface UpdateStats {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /**
   * Mean of (ratio − 1) − log ratio (Schulman's k3 estimator) over the minibatches of the last
   * epoch run, the one a target-KL stop measured included.
   */
  approxKl: number;
  /** Fraction of samples whose ratio left [1 − ε, 1 + ε]. */
  clipFraction: number;
  /** 1 − Var(returns − values) / Var(returns): how much of the return the critic explains. */
  explainedVariance: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  learningRate: number;
  clipCoef: number;
  /** Epochs begun (fewer than configured when the target-KL early stop fires). */
  epochs: number;
  /** Adam steps taken: updateEpochs × numMinibatches unless target-KL stopped the update. */
  minibatches: number;
  /** Whether target-KL ({@link PPOConfig.targetKl}) ended this update early. */
  klStop: boolean;
  /** The largest policy lag of a rollout row: the learner's version minus the version that acted there. */
  policyLag: number;
  /** The mean policy lag over the rollout's rows (0 for synchronous training). */
  policyLagMean: number;
  /**
   * True from the first update of an `'anneal'` schedule whose learning rate is 0 (after
   * `totalSteps`), on every later one: those updates change no weight. Always false with `'constant'`.
   */
  scheduleDone: boolean;
  /**
   * Updates discarded so far because something went non-finite (the weights and optimizer state
   * from before each were restored). Always set by PPOLearner.
   */
  faults?: number;
  /** Discarded updates in a row, ending with this one (0 when this update was kept). */
  consecutiveFaults?: number;
  /** What went non-finite when this update was discarded, e.g. `policy loss = NaN (epoch 1, minibatch 2)`; null when kept. */
  fault?: string | null;
  /** Engines rebuilt so far after one threw mid-update (see {@link LearnerOptions.rebuildEngine}). */
  engineRestarts?: number;
  /** With `config.behavioralCloning`: the mean NLL of the demonstration batches this update cloned (NaN once the strength reached 0). */
  bcLoss?: number;
  /** With `config.behavioralCloning`: the cloning strength this update used (annealed over `steps`). */
  bcStrength?: number;
  /** With `config.gail`: the discriminator's mean binary cross-entropy over this update's steps. */
  gailLoss?: number;
  /** With `config.gail` and its own `gamma`: the mean of the GAIL value head's V(s) over the rollout (as the critic acted). */
  gailValue?: number;
  /** With `config.gail`: the GAIL reward's share of the reward, Σ|strength·r_gail| / (Σ|r_gail·strength| + Σ|r_ext|) over the rollout. */
  gailRewardShare?: number;
}

/** Everything needed to continue training exactly where it stopped. */
export interface LearnerState {
  params: Float32Array;
  adam: AdamState;
  /** Updates taken: drives the learning-rate and ε schedules. */
  updates: number;
  /** Weights version, bumped by every update. */
  version: number;
  rngState: number[];
  /**
   * With `config.behavioralCloning` / `config.gail`: GAIL's discriminator (weights, Adam, RNG) and
   * behaviour cloning's batch position. Absent: fresh ones (a checkpoint written before they were kept).
   */
  demonstrations?: DemonstrationLearningState;
}

export interface LearnerOptions {
  observationSize: number;
  /** The observation's named inputs (grids get conv stacks); one vector of observationSize when absent. */
  observationInputs?: readonly ObservationInput[];
  actionSpace: Space;
  config: ResolvedConfig;
  engine: ComputeEngine;
  /** Resume from here; otherwise fresh orthogonal weights seeded by `config.seed`. */
  state?: LearnerState;
  /**
   * Builds a fresh engine when the current one throws mid-update (a lost device, a corrupted
   * wasm instance): the update is then retried once on it, from the restored state, and
   * `UpdateStats.engineRestarts` counts it. Without it the exception propagates (state restored).
   */
  rebuildEngine?: () => ComputeEngine;
}

export class PPOLearner {
  readonly layout: ActorCriticLayout;
  readonly dist: ActionDistribution;
  readonly config: ResolvedConfig;
  params: Float32Array;
  version: number;
  updates: number;
  private readonly adam: Adam;
  private readonly rng: Rng;
  private readonly guard: FaultGuard;
  private currentEngine: ComputeEngine;
  private readonly rebuildEngine: (() => ComputeEngine) | undefined;
  private engineRestarts = 0;
  private readonly grads: Float32Array;
  // Per-rollout buffers (N rows), grown with the rollout: in a game the agent count changes.
  private perm = new Int32Array(0);
  private advantages = new Float32Array(0);
  /** The critic's targets, one block of N per value head (head-major, as the engines' values). */
  private returns = new Float32Array(0);
  /** A signal's advantages before they are summed in (computeSignalAdvantages). */
  private signalAdvantages = new Float32Array(0);
  /** The off-policy correction's buffers, see {@link offPolicyCorrection}. */
  private readonly offPolicy = { proxLogProbs: new Float32Array(0), logRatios: new Float32Array(0), weights: new Float32Array(0) };
  // Per-minibatch buffers (B rows), all grown together by ensureCapacity.
  private mbCapacity = 0;
  private mb: LossBatch;
  private mbObs = new Float32Array(0);
  private mbMasks = new Uint8Array(0);
  private mbWeights = new Float32Array(0);
  private lossGrads: LossGrads;
  /** Behaviour cloning and GAIL when the config asks for them (demonstration-learning.ts). */
  private readonly demos: DemonstrationLearning | null;

  constructor(opts: LearnerOptions) {
    const { config, engine, observationSize, observationInputs, actionSpace, state } = opts;
    this.config = config;
    this.currentEngine = engine;
    this.rebuildEngine = opts.rebuildEngine;
    this.dist = new ActionDistribution(actionSpace);
    this.layout = engine.layout;
    const expected = ActorCriticLayout.forBehavior(observationSize, observationInputs, config, this.dist);
    if (expected.size !== this.layout.size) throw new RangeError(`engine layout has ${this.layout.size} parameters, the spec needs ${expected.size}`);
    // Streams stay apart so changing one (e.g. init) does not shift another (shuffling).
    this.rng = new Rng(config.seed ^ 0x5bd1e995);
    if (state) {
      if (state.params.length !== this.layout.size) throw new RangeError(`learner state has ${state.params.length} parameters, the network has ${this.layout.size}`);
      this.params = Float32Array.from(state.params);
      this.adam = new Adam(this.layout.size, config.adamEps, 0.9, 0.999, { m: Float32Array.from(state.adam.m), v: Float32Array.from(state.adam.v), t: state.adam.t });
      this.updates = state.updates;
      this.version = state.version;
      this.rng.setState(state.rngState);
    } else {
      this.params = this.layout.initialize(new Rng(config.seed), config.initLogStd);
      this.adam = new Adam(this.layout.size, config.adamEps);
      this.updates = 0;
      this.version = 0;
    }
    engine.setParams(this.params);
    this.guard = new FaultGuard(this.layout.size, config.maxConsecutiveFaults);

    this.grads = new Float32Array(this.layout.size);
    this.mb = {
      size: 0, actorOut: new Float32Array(0), values: new Float32Array(0), actions: new Float32Array(0), oldLogProbs: new Float32Array(0),
      advantages: new Float32Array(0), returns: new Float32Array(0), oldValues: new Float32Array(0), masks: null, behaviourWeights: null,
    };
    this.lossGrads = {
      dActorOut: new Float32Array(0),
      dValues: new Float32Array(0),
      dLogStd: this.dist.continuous ? new Float32Array(this.dist.logStdSize) : null,
    };
    this.ensureCapacity(config.batchSize, Math.ceil(config.batchSize / config.numMinibatches));
    this.demos = DemonstrationLearning.forConfig(this, config);
    if (state?.demonstrations) this.demos?.setState(state.demonstrations);
  }

  /**
   * The demonstrations `config.behavioralCloning` and `config.gail` learn from (checked against the
   * spec), with the observation statistics the behavior normalizes with now (null: raw).
   */
  setDemonstrations(demo: DemonstrationData, observationStats: RunningMeanStd | null): void {
    if (!this.demos) throw new RangeError('setDemonstrations: the config has neither behavioralCloning nor gail; set one to learn from demonstrations');
    this.demos.setDemonstrations(demo, observationStats);
  }

  /** Re-normalizes the demonstrations with the behavior's statistics as they stand (call before each update when they move). */
  setObservationStats(observationStats: RunningMeanStd | null): void {
    this.demos?.setObservationStats(observationStats);
  }

  /**
   * Sizes the per-rollout (N) and per-minibatch (B) buffers. Rollouts may differ from
   * numSteps × numEnvs: in a game, the number of agents (rollout columns) can change. Every
   * per-minibatch buffer grows at once, whether this rollout uses it or not (masks, behaviour
   * weights), so none can be left at an older, smaller size.
   */
  private ensureCapacity(N: number, B: number): void {
    if (this.perm.length < N) {
      this.perm = new Int32Array(N);
      this.advantages = new Float32Array(N);
      this.returns = new Float32Array(N * this.layout.valueHeads);
      this.signalAdvantages = new Float32Array(this.layout.valueHeads > 1 ? N : 0);
      this.offPolicy.proxLogProbs = new Float32Array(N);
      this.offPolicy.logRatios = new Float32Array(N);
      this.offPolicy.weights = new Float32Array(N);
    }
    if (this.mbCapacity >= B) return;
    this.mbCapacity = B;
    this.mbObs = new Float32Array(B * this.layout.observationSize);
    this.mbMasks = new Uint8Array(B * this.dist.maskSize);
    this.mbWeights = new Float32Array(B);
    const H = this.layout.valueHeads;
    this.mb = {
      ...this.mb,
      actions: new Float32Array(B * this.dist.actionSize), oldLogProbs: new Float32Array(B), advantages: new Float32Array(B),
      returns: new Float32Array(B * H), oldValues: new Float32Array(B * H), masks: null, behaviourWeights: null, valueHeads: H,
    };
    this.lossGrads = { ...this.lossGrads, dActorOut: new Float32Array(B * this.dist.outputSize), dValues: new Float32Array(B * H) };
  }

  /** The compute engine in use (a new one after a rebuild). */
  get engine(): ComputeEngine {
    return this.currentEngine;
  }

  /** A snapshot that {@link LearnerOptions.state} accepts (copies, safe to transfer). */
  getState(): LearnerState {
    return {
      params: Float32Array.from(this.params),
      adam: { m: Float32Array.from(this.adam.state.m), v: Float32Array.from(this.adam.state.v), t: this.adam.state.t },
      updates: this.updates,
      version: this.version,
      rngState: this.rng.getState(),
      ...(this.demos ? { demonstrations: this.demos.getState() } : {}),
    };
  }

  /**
   * One PPO update on `rollout`; afterwards `params` holds the new weights and `version` is bumped.
   * An update that goes non-finite is discarded instead (weights and optimizer state restored,
   * `version` unchanged, `stats.fault` says what); after `maxConsecutiveFaults` in a row this
   * throws {@link TrainingFaultError}. An exception from the engine also restores the state
   * before it propagates, so nothing is half-applied.
   */
  train(rollout: Rollout): UpdateStats {
    this.checkRollout(rollout);
    this.guard.save(this.params, this.adam.state);
    // The shuffle stream too, so a discarded update leaves the learner exactly as it was.
    const rngState = this.rng.getState();
    // The discriminator's steps and the cloning batches too (small: copied once per update).
    const demoState = this.demos?.getState() ?? null;
    let result: { stats: UpdateStats; fault: string | null };
    try {
      result = this.update(rollout);
    } catch (err) {
      this.restore(rngState, demoState);
      if (!this.rebuildEngine) throw err;
      // The engine broke, not the data (checkRollout passed): once more, on a fresh engine.
      this.replaceEngine(this.rebuildEngine());
      try {
        result = this.update(rollout);
      } catch (again) {
        this.restore(rngState, demoState);
        throw again;
      }
    }
    const fault = result.fault ?? FaultGuard.checkState(this.layout, this.params);
    if (fault !== null) {
      this.restore(rngState, demoState);
      this.guard.fault(fault);
    } else {
      this.guard.ok();
      this.updates++;
      this.version++;
    }
    return { ...result.stats, faults: this.guard.total, consecutiveFaults: this.guard.consecutive, fault, engineRestarts: this.engineRestarts };
  }

  /** Puts back the state from before the update; the engine gets the weights if it still can. */
  private restore(rngState: number[], demoState: DemonstrationLearningState | null): void {
    this.guard.restore(this.params, this.adam.state);
    this.rng.setState(rngState);
    if (demoState) this.demos!.setState(demoState);
    try {
      this.currentEngine.setParams(this.params);
    } catch {
      // A broken engine: rebuilt by train() when it can be, or reported by the error being rethrown.
    }
  }

  private replaceEngine(engine: ComputeEngine): void {
    if (engine.layout.size !== this.layout.size) throw new RangeError(`rebuilt engine has ${engine.layout.size} parameters, the network has ${this.layout.size}`);
    try { this.currentEngine.dispose(); } catch { /* already broken */ }
    this.currentEngine = engine;
    engine.setParams(this.params);
    this.engineRestarts++;
  }

  /**
   * The update itself, as CleanRL's loop: advantages, then epochs of shuffled minibatches, each a
   * forward pass, the loss head, a backward pass and an Adam step. Stops at the first non-finite
   * loss or gradient norm (returned as the fault), or where target-KL says.
   */
  private update(rollout: Rollout): { stats: UpdateStats; fault: string | null } {
    const c = this.config;
    const N = rollout.numSteps * rollout.numEnvs;
    const M = c.numMinibatches;
    this.ensureCapacity(N, Math.ceil(N / M));
    const lag = this.lagOf(rollout);
    // config.staleRollouts 'ppo': lagging rows train as PPO does its own, against the policy that acted.
    const offPolicy = lag.any && c.staleRollouts === 'decoupled' ? this.offPolicyCorrection(rollout) : null;
    // GAIL's reward mixed into a copy: the rollout stays as it came, should the update be retried.
    const demoStats = this.demos?.beginUpdate(rollout, this.updates) ?? null;
    const rewards = this.demos?.rewards(rollout) ?? rollout.rewards;
    const signal = this.demos?.signal() ?? null;
    // A second value head learns only from a signal of its own: never leave its targets stale.
    if ((signal !== null) !== (this.layout.valueHeads > 1)) throw new Error(`PPOLearner: the critic has ${this.layout.valueHeads} value head(s) but ${signal ? 'a' : 'no'} reward signal of its own (config.gail.gamma)`);
    if (signal) {
      // GAIL's own value head and discount (config.gail.gamma): each signal's GAE, advantages summed.
      const sv = rollout.signalValues!;
      computeSignalAdvantages({
        numSteps: rollout.numSteps, numEnvs: rollout.numEnvs, lambda: c.gaeLambda, terminated: rollout.terminated, truncated: rollout.truncated,
        ...(offPolicy ? { logRatios: offPolicy.logRatios } : {}),
      }, [
        { gamma: c.gamma, rewards, values: rollout.values, finalValues: rollout.finalValues, lastValues: rollout.lastValues },
        { gamma: signal.gamma, rewards: signal.rewards, values: sv.values, finalValues: sv.finalValues, lastValues: sv.lastValues },
      ], this.advantages, this.returns, this.signalAdvantages);
    } else {
      computeAdvantages({
        numSteps: rollout.numSteps, numEnvs: rollout.numEnvs, gamma: c.gamma, lambda: c.gaeLambda,
        rewards, values: rollout.values, terminated: rollout.terminated, truncated: rollout.truncated,
        finalValues: rollout.finalValues, lastValues: rollout.lastValues, ...(offPolicy ? { logRatios: offPolicy.logRatios } : {}),
      }, this.advantages, this.returns);
    }
    const { learningRate, clipCoef, scheduleDone } = scheduleAt(c, this.updates);
    const coef = { clipCoef, clipVloss: c.clipVloss, valueClipCoef: c.valueClipCoef, entCoef: c.entCoef, vfCoef: c.vfCoef, normAdv: c.normAdv };
    const oldLogProbs = offPolicy?.proxLogProbs ?? rollout.logProbs;
    this.mb.masks = rollout.masks ? this.mbMasks : null;
    this.mb.behaviourWeights = offPolicy ? this.mbWeights : null;

    const tally = new UpdateTally(c.targetKl, c.targetKlCheck);
    for (let epoch = 0; epoch < c.updateEpochs && tally.going; epoch++) {
      tally.beginEpoch();
      this.shuffle(N);
      for (let m = 0; m < M && tally.going; m++) {
        // M nearly equal minibatches (sizes differ by at most one when M does not divide N).
        const start = Math.floor((m * N) / M);
        this.gatherMinibatch(rollout, oldLogProbs, start, Math.floor(((m + 1) * N) / M) - start);
        const loss = this.minibatchLoss(coef);
        if (tally.stopsBeforeStep(loss.approxKl)) break;
        tally.add(loss, this.step(learningRate), epoch, m);
        if (tally.going) this.currentEngine.setParams(this.params);
      }
      tally.endEpoch();
    }
    const stats: UpdateStats = {
      ...tally.means(),
      explainedVariance: explainedVariance(rollout.values, this.returns, N),
      learningRate,
      clipCoef,
      policyLag: lag.max,
      policyLagMean: lag.mean,
      scheduleDone,
      ...(demoStats ? this.demos!.endUpdate(demoStats) : {}),
      ...(signal ? { gailValue: mean(rollout.signalValues!.values, N) } : {}),
    };
    return { stats, fault: tally.fault };
  }

  /**
   * Shuffles rows 0..N−1 from the identity, so the order depends only on the RNG state (which a
   * checkpoint saves), not on earlier epochs' permutations.
   */
  private shuffle(N: number): void {
    for (let i = 0; i < N; i++) this.perm[i] = i;
    this.rng.shuffle(this.perm.subarray(0, N));
  }

  /** Forward pass of the gathered minibatch and the loss head (its output gradients into lossGrads). */
  private minibatchLoss(coef: LossCoefficients): LossStats {
    const out = this.currentEngine.forward(this.mbObs, this.mb.size);
    this.mb.actorOut = out.actorOut;
    this.mb.values = out.values;
    return ppoLoss(this.dist, this.logStd(), this.mb, coef, this.lossGrads);
  }

  /** Backpropagates the loss head's output gradients and takes one Adam step; returns the gradient norm. */
  private step(learningRate: number): number {
    this.currentEngine.backward(this.lossGrads.dActorOut, this.lossGrads.dValues, this.grads);
    if (this.lossGrads.dLogStd) this.grads.set(this.lossGrads.dLogStd, this.layout.logStd);
    // Behaviour cloning's term joins the PPO gradient before norm clipping and the one Adam step.
    this.demos?.addCloningGradient(this.grads);
    return this.adam.step(this.params, this.grads, learningRate, this.config.maxGradNorm);
  }

  /** The Gaussian log-std parameters (a view), or null for discrete actions. */
  private logStd(): Float32Array | null {
    const o = this.layout.logStd;
    return o >= 0 ? this.params.subarray(o, o + this.layout.logStdSize) : null;
  }

  /**
   * Copies rows `perm[start .. start + size)` of the rollout into the minibatch buffers.
   * Plain index loops, not set(subarray(...)): a subarray per row costs more than its copy.
   */
  private gatherMinibatch(rollout: Rollout, oldLogProbs: Float32Array, start: number, size: number): void {
    const mb = this.mb;
    const obsW = this.layout.observationSize;
    const actW = this.dist.actionSize;
    const maskW = this.dist.maskSize;
    const masks = mb.masks ? rollout.masks : null;
    const weights = mb.behaviourWeights ? this.offPolicy.weights : null;
    mb.size = size;
    for (let k = 0; k < size; k++) {
      const i = this.perm[start + k]!;
      // A wide row (chase's 130 floats) copies ~3× faster as a memcpy of a view than element by
      // element; a narrow one (CartPole's 4) is faster without the view.
      if (obsW >= 16) this.mbObs.set(rollout.observations.subarray(i * obsW, i * obsW + obsW), k * obsW);
      else for (let j = 0; j < obsW; j++) this.mbObs[k * obsW + j] = rollout.observations[i * obsW + j]!;
      for (let j = 0; j < actW; j++) mb.actions[k * actW + j] = rollout.actions[i * actW + j]!;
      if (masks) for (let j = 0; j < maskW; j++) this.mbMasks[k * maskW + j] = masks[i * maskW + j]!;
      if (weights) this.mbWeights[k] = weights[i]!;
      mb.oldLogProbs[k] = oldLogProbs[i]!;
      mb.advantages[k] = this.advantages[i]!;
      mb.returns[k] = this.returns[i]!;
      mb.oldValues[k] = rollout.values[i]!;
    }
    // The other value heads' targets and acting values, head-major with `size` rows per head.
    const sv = rollout.signalValues;
    if (this.layout.valueHeads > 1 && sv) {
      const N = rollout.numSteps * rollout.numEnvs;
      for (let h = 1; h < this.layout.valueHeads; h++) {
        for (let k = 0; k < size; k++) {
          const i = this.perm[start + k]!;
          mb.returns[h * size + k] = this.returns[h * N + i]!;
          mb.oldValues[h * size + k] = sv.values[(h - 1) * N + i]!;
        }
      }
    }
  }

  /** Policy lag per rollout row (every transition of a row acted with one version): largest, mean, and whether any row lags. */
  private lagOf(rollout: Rollout): { max: number; mean: number; any: boolean } {
    const { versions, numSteps } = rollout;
    if (!versions) {
      const lag = this.version - rollout.policyVersion;
      return { max: lag, mean: lag, any: lag !== 0 };
    }
    let max = -Infinity;
    let sum = 0;
    let any = false;
    for (let t = 0; t < numSteps; t++) {
      const lag = this.version - versions[t]!;
      max = Math.max(max, lag);
      sum += lag;
      any ||= lag !== 0;
    }
    return { max, mean: sum / numSteps, any };
  }

  /**
   * For rows gathered by older weights μ (PPO.md, "Beyond the lecture"): the clip is centred on
   * π_prox, the learner's weights now, and each row is weighted by min(1, π_prox/μ) (decoupled
   * PPO); log(π_prox/μ) also cuts GAE's traces (Retrace) and weighs the critic's target
   * (V-trace, gae.ts). Rows that acted with the current weights keep μ's log-prob: ratio 1, weight 1.
   */
  private offPolicyCorrection(rollout: Rollout): { proxLogProbs: Float32Array; logRatios: Float32Array } {
    const { proxLogProbs, logRatios, weights } = this.offPolicy;
    this.logProbsOf(rollout, proxLogProbs);
    const { numSteps, numEnvs, versions } = rollout;
    for (let t = 0; t < numSteps; t++) {
      const current = (versions ? versions[t]! : rollout.policyVersion) === this.version;
      for (let e = 0; e < numEnvs; e++) {
        const i = t * numEnvs + e;
        if (current) proxLogProbs[i] = rollout.logProbs[i]!;
        logRatios[i] = proxLogProbs[i]! - rollout.logProbs[i]!;
        weights[i] = Math.min(1, Math.exp(logRatios[i]!));
      }
    }
    return { proxLogProbs, logRatios };
  }

  /** Writes log π_θ(a|s) of the rollout's actions under the current weights into `out`. */
  private logProbsOf(rollout: Rollout, out: Float32Array): void {
    const N = rollout.numSteps * rollout.numEnvs;
    const B = Math.ceil(N / this.config.numMinibatches);
    const obsSize = this.layout.observationSize;
    const logStd = this.logStd();
    for (let start = 0; start < N; start += B) {
      const size = Math.min(B, N - start);
      const { actorOut } = this.currentEngine.forward(rollout.observations.subarray(start * obsSize, (start + size) * obsSize), size);
      for (let k = 0; k < size; k++) {
        const i = start + k;
        this.dist.evaluate(actorOut, k * this.dist.outputSize, rollout.actions, i * this.dist.actionSize, logStd,
          rollout.masks, i * this.dist.maskSize);
        out[i] = this.dist.logProb;
      }
    }
  }

  /** Rollouts also arrive as worker messages: every field is checked for type, size and finiteness. */
  private checkRollout(r: Rollout): void {
    if (typeof r !== 'object' || r === null) throw new RangeError(`rollout must be an object, got ${r === null ? 'null' : typeof r}`);
    const { numSteps, numEnvs } = r;
    if (!Number.isSafeInteger(numSteps) || !Number.isSafeInteger(numEnvs) || numSteps < 1 || numEnvs < 1) {
      throw new RangeError(`rollout.numSteps and rollout.numEnvs must be positive integers, got ${numberOrType(numSteps)} and ${numberOrType(numEnvs)}`);
    }
    const N = numSteps * numEnvs;
    const M = this.config.numMinibatches;
    if (N < 2 * M) {
      throw new RangeError(`rollout holds ${numSteps} steps × ${numEnvs} envs = ${N} transitions; ${M} minibatches need at least ${2 * M} (advantage normalization needs 2 per minibatch)`);
    }
    const F = Float32Array;
    const U = Uint8Array;
    const need: [string, unknown, number, typeof F | typeof U][] = [
      ['observations', r.observations, N * this.layout.observationSize, F], ['actions', r.actions, N * this.dist.actionSize, F],
      ['logProbs', r.logProbs, N, F], ['values', r.values, N, F], ['rewards', r.rewards, N, F], ['terminated', r.terminated, N, U],
      ['truncated', r.truncated, N, U], ['finalValues', r.finalValues, N, F], ['lastValues', r.lastValues, numEnvs, F],
    ];
    if (r.masks !== null) need.push(['masks', r.masks, N * this.dist.maskSize, U]);
    const S = this.layout.valueHeads - 1;
    if (S > 0) {
      const sv = r.signalValues;
      if (typeof sv !== 'object' || sv === null) {
        throw new RangeError(`rollout.signalValues is missing: the critic has ${S + 1} value heads (config.gail.gamma gives GAIL its own), so the rollout must carry the other heads' values`);
      }
      if (sv.count !== S) throw new RangeError(`rollout.signalValues.count is ${numberOrType(sv.count)}, the critic has ${S} value head(s) after the extrinsic one`);
      need.push(['signalValues.values', sv.values, N * S, F], ['signalValues.finalValues', sv.finalValues, N * S, F], ['signalValues.lastValues', sv.lastValues, numEnvs * S, F]);
    }
    for (const [name, arr, n, type] of need) {
      if (!(arr instanceof type)) throw new RangeError(`rollout.${name} must be a ${type.name}, got ${arr === null ? 'null' : typeof arr === 'object' ? arr.constructor?.name ?? 'object' : typeof arr}`);
      if (arr.length !== n) throw new RangeError(`rollout.${name} has ${arr.length} entries, expected ${n}`);
    }
    // Non-finite data never reaches the update: it would poison the weights, not just one update.
    for (const [name, arr] of need) {
      if (!(arr instanceof Float32Array)) continue;
      const i = firstNonFinite(arr);
      if (i >= 0) {
        const row = name === 'observations' ? `transition ${Math.floor(i / this.layout.observationSize)}, value ${i % this.layout.observationSize}` : `index ${i}`;
        throw new RangeError(`rollout.${name} holds ${arr[i]} at ${row}; rollouts must be finite (check the game's observations and rewards)`);
      }
    }
    if (!Number.isSafeInteger(r.policyVersion)) throw new RangeError(`rollout.policyVersion must be an integer, got ${numberOrType(r.policyVersion)}`);
    checkVersions(r);
  }
}

/**
 * `rollout.versions`: null, or an Int32Array of one version per row whose oldest is
 * `policyVersion` (the contract runners fill it by). Also used where worker messages are checked.
 */
export function checkVersions(r: Pick<Rollout, 'numSteps' | 'policyVersion' | 'versions'>): void {
  const { versions } = r;
  if (versions === null) return;
  if (!(versions instanceof Int32Array)) {
    throw new RangeError(`rollout.versions must be an Int32Array (one weights version per row) or null, got ${versions === undefined ? 'undefined' : typeof versions === 'object' ? (versions as object).constructor?.name ?? 'object' : typeof versions}`);
  }
  if (versions.length !== r.numSteps) throw new RangeError(`rollout.versions has ${versions.length} entries, expected numSteps = ${r.numSteps} (one per row)`);
  let oldest = versions[0]!;
  for (let t = 1; t < versions.length; t++) oldest = Math.min(oldest, versions[t]!);
  if (oldest !== r.policyVersion) {
    throw new RangeError(`rollout.policyVersion is ${r.policyVersion} but the oldest of rollout.versions is ${oldest}; policyVersion must be the oldest version that acted`);
  }
}

/** The learning rate and ε of the update after `updates` updates (PPOConfig.schedule). */
export function scheduleAt(c: ResolvedConfig, updates: number): { learningRate: number; clipCoef: number; scheduleDone: boolean } {
  if (c.schedule === 'constant') return { learningRate: c.learningRate, clipCoef: c.clipCoef, scheduleDone: false };
  const frac = Math.max(0, 1 - updates / c.numUpdates);
  return { learningRate: frac * c.learningRate, clipCoef: c.annealClip ? frac * c.clipCoef : c.clipCoef, scheduleDone: frac === 0 };
}

/** The running sums of one update and its stopping rules (target KL, faults). */
class UpdateTally {
  /** The first non-finite scalar met, with where: the update is discarded. */
  fault: string | null = null;
  private readonly sums = { policyLoss: 0, valueLoss: 0, entropy: 0, clipFraction: 0, gradNorm: 0 };
  private steps = 0;
  private epochs = 0;
  private klStop = false;
  private klSum = 0;
  private measured = 0;
  private lastKl = 0;

  constructor(private readonly targetKl: number | null, private readonly check: TargetKlCheck) {}

  /** Whether the update goes on: no fault, no target-KL stop. */
  get going(): boolean {
    return this.fault === null && !this.klStop;
  }

  beginEpoch(): void {
    this.epochs++;
    this.klSum = 0;
    this.measured = 0;
  }

  /**
   * Records a minibatch's KL, measured before its step. Stable-Baselines3's rule ('minibatch'):
   * past 1.5 × targetKl the step is not taken and the update ends.
   */
  stopsBeforeStep(kl: number): boolean {
    this.klSum += kl;
    this.measured++;
    this.lastKl = kl;
    if (this.targetKl !== null && this.check === 'minibatch' && kl > 1.5 * this.targetKl) this.klStop = true;
    return this.klStop;
  }

  /** Adds a minibatch that stepped; a non-finite scalar becomes the fault (checked per minibatch, cheap; the weights once per update in train()). */
  add(loss: LossStats, gradNorm: number, epoch: number, minibatch: number): void {
    this.sums.policyLoss += loss.policyLoss;
    this.sums.valueLoss += loss.valueLoss;
    this.sums.entropy += loss.entropy;
    this.sums.clipFraction += loss.clipFraction;
    this.sums.gradNorm += gradNorm;
    this.steps++;
    const bad = nonFinite(loss, gradNorm);
    if (bad !== null) this.fault = `${bad} (epoch ${epoch + 1}, minibatch ${minibatch + 1})`;
  }

  /** CleanRL's rule ('epoch'): after each epoch, its last minibatch's KL against targetKl. */
  endEpoch(): void {
    if (this.targetKl !== null && this.check === 'epoch' && this.lastKl > this.targetKl) this.klStop = true;
  }

  /** Means over the steps taken; approxKl over the last epoch's measured minibatches. */
  means(): Pick<UpdateStats, 'policyLoss' | 'valueLoss' | 'entropy' | 'clipFraction' | 'gradNorm' | 'approxKl' | 'epochs' | 'minibatches' | 'klStop'> {
    const n = this.steps;
    const { policyLoss, valueLoss, entropy, clipFraction, gradNorm } = this.sums;
    return {
      policyLoss: policyLoss / n, valueLoss: valueLoss / n, entropy: entropy / n, clipFraction: clipFraction / n, gradNorm: gradNorm / n,
      approxKl: this.klSum / this.measured, epochs: this.epochs, minibatches: n, klStop: this.klStop,
    };
  }
}

/** The first non-finite scalar of a minibatch (`policy loss = NaN`), or null. */
function nonFinite(loss: LossStats, gradNorm: number): string | null {
  if (!Number.isFinite(loss.policyLoss)) return `policy loss = ${loss.policyLoss}`;
  if (!Number.isFinite(loss.valueLoss)) return `value loss = ${loss.valueLoss}`;
  if (!Number.isFinite(loss.entropy)) return `entropy = ${loss.entropy}`;
  if (!Number.isFinite(gradNorm)) return `gradient norm = ${gradNorm}`;
  return null;
}

/** A value for an error message that cannot throw (bigints, symbols and prototype-less objects included). */
function numberOrType(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v;
}

function mean(a: Float32Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]!;
  return sum / n;
}

/** 1 − Var(y − ŷ) / Var(y); NaN when the returns have no variance (as CleanRL). */
export function explainedVariance(predicted: Float32Array, target: Float32Array, n: number): number {
  let mean = 0;
  let meanDiff = 0;
  for (let i = 0; i < n; i++) {
    mean += target[i]!;
    meanDiff += target[i]! - predicted[i]!;
  }
  mean /= n;
  meanDiff /= n;
  let varY = 0;
  let varDiff = 0;
  for (let i = 0; i < n; i++) {
    varY += (target[i]! - mean) ** 2;
    varDiff += (target[i]! - predicted[i]! - meanDiff) ** 2;
  }
  return varY === 0 ? NaN : 1 - varDiff / varY;
}
