/**
 * Runs every agent of one behavior (one shared policy) inside a game loop, without knowing the
 * engine: the host calls {@link BehaviorRunner.tick} once per fixed physics step. It mirrors the
 * CLI's Trainer (sdk/rl/trainer.ts) with agents in place of a VecEnv:
 *
 *   agents → observations (validated, normalized) → Policy.act, once for the batch → actions
 *   (clipped) → game → rewards, episode ends → Rollout (time-major, one column per agent)
 *
 * A façade over pieces with one job each:
 * - {@link AgentBatch}: membership, cadence, observations, episodes;
 * - {@link ActingPolicy}: train / inference / heuristic, picked once from the behavior's type, or
 *   remote (the bridge: each decision pauses after observing until `supplyActions`);
 * - {@link ActingWeights}: the weights acting now, checked and versioned;
 * - {@link TransitionRecorder} (train only): rewards scaled by the shared RewardScaler, the
 *   truncation bootstrap, and a {@link RolloutWriter} that owns the rollout's indexing;
 * - the observation normalizer (sdk/rl/normalizer.ts), updated only while training.
 *
 * Simplification: all agents of a behavior decide in lockstep. A decision tick happens when any
 * agent asks for one (its `shouldRequestDecision`, `requestDecision()`, `endEpisode()`, reaching
 * `maxSteps`, or being new), and then every agent decides. That keeps one rollout row per
 * decision with a column per agent, which is the layout GAE and the learner take; agents that
 * want different cadences belong in different behaviors.
 */
import { EnvError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { valueHeadsOf, type ResolvedConfig } from '../rl/config.js';
import { ActionDistribution } from '../rl/distributions.js';
import { ActorCriticLayout } from '../rl/network.js';
import type { ObservationInput } from '../rl/conv.js';
import { ObservationNormalizer, RunningMeanStd } from '../rl/normalizer.js';
import type { Rollout } from '../rl/rollout.js';
import { createActingPolicy, RemotePolicy, TrainPolicy, type ActingPolicy, type ActingType } from './acting-policy.js';
import { ActingWeights } from './acting-weights.js';
import type { ActionSpec } from './action-spec.js';
import { AgentBatch, type AgentEpisode } from './agent-batch.js';
import type { Agent } from './agent.js';
import type { BehaviorSpec, BehaviorType, PolicyProvider, PolicyWeights } from './behavior-spec.js';
import { DemonstrationRecorder, type RecordingCounts } from './demonstration-recorder.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import { copy } from './rollout-writer.js';
import { TransitionRecorder } from './transition-recorder.js';

export type { AgentEpisode } from './agent-batch.js';
export type { RecordingCounts } from './demonstration-recorder.js';

/** How {@link BehaviorRunner.startRecording} records. */
export interface RecordingOptions {
  /** Called after each recorded episode with the counts so far (one object updated in place). */
  onEpisode?: (counts: Readonly<RecordingCounts>) => void;
  /** Decisions kept at most (later episodes are dropped). Default 1,000,000. */
  maxSteps?: number;
  /** Episodes kept at most (later ones are dropped). Default unlimited. */
  maxEpisodes?: number;
}
export type { BehaviorSpec, BehaviorType, PolicyProvider, PolicyWeights } from './behavior-spec.js';

export interface BehaviorRunnerOptions {
  /** Named in error messages. */
  name: string;
  /** Values each agent's `collectObservations` writes (sensors come on top). */
  observationSize: number;
  actionSpec: ActionSpec;
  /** A behavior type, or `remote`: each decision pauses until {@link BehaviorRunner.supplyActions} (the bridge). */
  type: ActingType;
  /**
   * Reads `numSteps` (decisions per agent per rollout), `hiddenSizes`, `normalizeObs`, `obsClip`,
   * `normalizeReward`, `gamma`, `rewardClip` and `seed`.
   */
  config: ResolvedConfig;
  /** Seed of action sampling. Default `config.seed + 1`, as the Trainer. */
  seed?: number;
  /** How `inference` picks actions: the most likely (default) or sampled. */
  inferenceAction?: 'mode' | 'sample';
  /**
   * Called with each full rollout (train only). It may transfer the arrays away: the runner never
   * touches them again. Weights set here with `setParams` act from the next rollout's first row,
   * so a synchronous learner called here trains with policy lag 0; `rollout.versions` holds the
   * version that acted at each row (weights arriving mid-rollout from a worker show there).
   */
  onRollout?: (rollout: Rollout) => void;
  /** Called when an agent's episode ends. */
  onEpisodeEnd?: (episode: AgentEpisode) => void;
}

/**
 * Drives the agents of one behavior: decisions, action repeats, episodes and, when training,
 * rollouts for the learner.
 *
 * @example
 * const runner = new BehaviorRunner({ name: 'chaser', observationSize: 4, actionSpec: ActionSpec.discrete(5),
 *   type: 'train', config, onRollout: (r) => learner.train(r) }, (spec) => ({ params: initial, version: 0 }));
 * runner.addAgent(npc);
 * // each fixed step: runner.tick(); world.step(); game rules call npc.addReward(...)
 */
export class BehaviorRunner {
  readonly name: string;
  readonly type: ActingType;
  readonly actionSpec: ActionSpec;
  readonly config: ResolvedConfig;
  /** Ticks run (with agents acting). */
  ticks = 0;
  /** Decision ticks run. */
  decisions = 0;
  /** Running statistics of the discounted return (reward scaling); a checkpoint saves and restores them. */
  readonly rewardStats = new RunningMeanStd(1);

  private readonly options: BehaviorRunnerOptions;
  private readonly provider: PolicyProvider | null;
  private readonly dist: ActionDistribution;
  private readonly batch: AgentBatch;
  private readonly weights: ActingWeights;
  private readonly policy: ActingPolicy;
  /** Action sampling's random stream: its state is part of a training checkpoint. */
  private readonly actingRng: Rng;
  /** Present only when training: it turns decisions into rollouts. */
  private recorder: TransitionRecorder | null = null;
  private behaviorSpec: BehaviorSpec | null = null;
  private normalizer: ObservationNormalizer | null = null;
  /** Records decisions into a demonstration while recording ({@link startRecording}). */
  private demo: DemonstrationRecorder | null = null;
  /** Recording asked for before the sizes were known: starts when the first agent is added. */
  private pendingRecording: RecordingOptions | null = null;
  /** Weights given before the sizes were known, applied when the first agent is added. */
  private pendingWeights: PolicyWeights | null = null;
  /** Observations as the policy sees them (normalized), one row per agent. */
  private obs = new Float32Array(0);
  /** A remote decision is paused after observing, its batch still locked, until actions are supplied. */
  private paused = false;
  private pausedMasks: Uint8Array | null = null;

  constructor(options: BehaviorRunnerOptions, policy?: PolicyProvider) {
    const { name, observationSize, actionSpec, type, config } = options;
    if (!['train', 'inference', 'heuristic', 'remote'].includes(type)) {
      throw new EnvError(`behavior '${name}': type must be 'train', 'inference' or 'heuristic' ('remote' for the bridge), got ${JSON.stringify(type)}`);
    }
    if (!Number.isInteger(observationSize) || observationSize < 0) {
      throw new EnvError(`behavior '${name}': observationSize must be a non-negative integer (the values collectObservations writes), got ${observationSize}`);
    }
    this.options = options;
    this.name = name;
    this.type = type;
    this.actionSpec = actionSpec;
    this.config = config;
    this.provider = policy ?? null;
    this.dist = new ActionDistribution(actionSpec.space);
    this.batch = new AgentBatch({
      name, observationSize, actionSpec, onEpisodeEnd: options.onEpisodeEnd,
      onLeave: (row) => { this.recorder?.leave(row); this.demo?.leave(row); },
    });
    this.weights = new ActingWeights(name, this.dist, config.hiddenSizes);
    this.actingRng = new Rng(options.seed ?? config.seed + 1);
    this.policy = createActingPolicy(type, {
      actionSpec, dist: this.dist, weights: this.weights, rng: this.actingRng,
      normalizeObs: config.normalizeObs, inferenceAction: options.inferenceAction, signals: valueHeadsOf(config) - 1,
    });
  }

  /** The state of action sampling's random stream, for a checkpoint ({@link restoreActingRng} resumes it). */
  get actingRngState(): number[] {
    return this.actingRng.getState();
  }

  /** Continues action sampling from a checkpoint's stream, so a resumed run samples as the uninterrupted one. */
  restoreActingRng(state: readonly number[]): void {
    this.actingRng.setState([...state]);
  }

  /** The behavior's sizes, or null until the first agent is added. */
  get spec(): BehaviorSpec | null {
    return this.behaviorSpec;
  }

  /** Whether decisions can run: heuristic always, otherwise once weights are set. */
  get ready(): boolean {
    return this.policy.ready;
  }

  /** Version of the weights acting now. */
  get policyVersion(): number {
    return this.weights.version;
  }

  /** The agents, in batch (and rollout column) order. */
  get agents(): readonly Agent[] {
    return this.batch.slots.map((s) => s.agent);
  }

  /** Observation normalizer statistics (updated while training), for saving into a brain; null when not normalizing. */
  get observationStats(): RunningMeanStd | null {
    return this.normalizer?.stats ?? null;
  }

  /** Rollouts dropped because a recorded agent was removed before they were full. */
  get droppedRollouts(): number {
    return this.recorder?.writer.dropped ?? 0;
  }

  /**
   * Adds an agent; it begins its first episode on the next tick. Agents added while a rollout is
   * being filled act at once but are recorded from the next rollout on. An agent without a name
   * of its own is named `<behavior>#<index>` (the index counts the agents added).
   */
  addAgent(agent: Agent): void {
    this.checkAgent(agent);
    const { batch } = this;
    if (!this.behaviorSpec) this.createSpec(batch.observationSizeOf(agent), batch.observationInputsOf(agent));
    batch.join(agent);
  }

  /**
   * `next` takes `old`'s place (a scene restarted on game over builds a new agent for the same
   * seat): `old`'s episode closes at the next decision with its reward and end, then `next`
   * begins, in the same row, so the rollout recording it is kept (see `AgentBatch.replace`).
   * During a tick it is a remove and an add. False, and nothing done, if `old` is not in this behavior.
   */
  replaceAgent(old: Agent, next: Agent): boolean {
    this.checkAgent(next);
    const { batch } = this;
    if (batch.replace(old, next)) return true;
    if (!batch.ticking || !batch.leave(old)) return false;
    batch.join(next);
    return true;
  }

  /** Rejects an agent that cannot join this behavior (see `AgentBatch.checkJoin`, its policy, masks, size). */
  private checkAgent(agent: Agent): void {
    const { batch } = this;
    batch.checkJoin(agent);
    this.policy.checkAgent(agent, batch.who(agent));
    if (typeof agent.writeActionMask === 'function' && this.actionSpec.maskSize === 0) {
      throw new EnvError(`${batch.who(agent)}: implements writeActionMask, but ${this.actionSpec} has no discrete branches to mask`);
    }
    batch.checkSize(agent);
  }

  /**
   * Removes an agent (its episode is dropped unrecorded). Removing one that the current rollout
   * records drops that rollout, whose column cannot be completed: to respawn an NPC, end its
   * episode and reuse it instead. Returns false if the agent was not in this behavior.
   */
  removeAgent(agent: Agent): boolean {
    return this.batch.leave(agent);
  }

  /**
   * Swaps in new weights (copied) for the next decision; safe to call from `onRollout`. The
   * weights' version is recorded in the rollouts they act for. `observationStats` replaces the
   * normalizer's statistics (weights trained elsewhere, e.g. by a fast-mode worker).
   */
  setParams(params: Float32Array, version: number, observationStats?: RunningMeanStd | null): void {
    const weights = { params, version, ...(observationStats ? { observationStats } : {}) };
    if (!this.behaviorSpec) {
      this.pendingWeights = { ...weights, params: Float32Array.from(params) };
      return;
    }
    this.applyWeights(weights);
  }

  /**
   * Starts recording a demonstration of this behavior's decisions (any type; a `heuristic`
   * behavior records a player or a script). Each agent is recorded from the start of its next
   * episode, and only whole episodes are kept. Replaces a recording in progress.
   *
   * @example
   * runner.startRecording({ onEpisode: (c) => console.log(`${c.episodes} episodes, mean return ${c.meanReturn}`) });
   * // ... ticks ...
   * const demo = runner.stopRecording(); // saveDemonstration('demos/lander', demo)
   */
  startRecording(options: RecordingOptions = {}): void {
    this.demo = null;
    this.pendingRecording = options;
    if (this.behaviorSpec) this.beginRecording();
  }

  /** Whether a recording is running. */
  get recording(): boolean {
    return this.pendingRecording !== null;
  }

  /** Counts of the recording in progress, or null when not recording. */
  get recordingCounts(): Readonly<RecordingCounts> | null {
    if (!this.pendingRecording) return null;
    return this.demo?.counts ?? { episodes: 0, steps: 0, meanReturn: 0, lastReturn: 0 };
  }

  /** The whole episodes recorded so far, without stopping (a copy). Throws when not recording. */
  recordedDemonstration(): DemonstrationData {
    if (!this.pendingRecording) throw new EnvError(`behavior '${this.name}': not recording; call startRecording() first`);
    return this.demo?.data() ?? this.emptyDemonstration();
  }

  /** Stops recording and returns the whole episodes recorded (episodes still running are dropped). Throws when not recording. */
  stopRecording(): DemonstrationData {
    const data = this.recordedDemonstration();
    this.demo = null;
    this.pendingRecording = null;
    return data;
  }

  /** Episodes finished since the last call, in completion order (at most the last 10,000). */
  drainEpisodes(): AgentEpisode[] {
    return this.batch.drainEpisodes();
  }

  /**
   * Whether a `remote` behavior's decision is paused, observed but without actions: the next
   * {@link tick} finishes it once {@link supplyActions} has been called (the collector does not
   * step the world meanwhile).
   */
  get awaitingActions(): boolean {
    return this.paused;
  }

  /**
   * What the paused remote decision saw, as views valid until the next tick: per agent row, the
   * observation, the reward and end (`ends`: 0 continuing, 1 terminated, 2 truncated) of the
   * transition it closed, the final observation of an ended episode (in `finalObservations`, the
   * row of an agent whose `ends` is not 0), and the action masks (null when nothing masks).
   */
  get awaitedDecision(): AwaitedDecision {
    if (!this.paused) throw new EnvError(`behavior '${this.name}': no decision is awaiting actions`);
    const { batch } = this;
    return {
      agents: batch.size, observationSize: this.behaviorSpec!.observationSize, observations: this.obs, rewards: batch.rewards,
      ends: batch.ends, finalObservations: (this.policy as RemotePolicy).finalObs, masks: this.pausedMasks, names: batch.slots.map((s) => s.agent.name),
    };
  }

  /**
   * Gives the paused remote decision its actions: `agents` rows of `[continuous..., discrete...]`
   * (the {@link ActionSpec}'s order). Throws an EnvError naming the agent and value at fault, and
   * then the decision stays paused.
   */
  supplyActions(actions: ArrayLike<number>): void {
    if (!this.paused) throw new EnvError(`behavior '${this.name}': no decision is awaiting actions`);
    const { batch } = this;
    (this.policy as RemotePolicy).supply(actions, batch.size, this.pausedMasks, (row) => batch.slotWho(batch.slots[row]!));
  }

  /**
   * Advances the behavior by one fixed physics step; call it before stepping the world. On a
   * decision tick every agent observes and gets a new action; on every tick every agent's
   * current action is applied. Returns whether this was a decision tick.
   */
  tick(): boolean {
    const { batch } = this;
    if (this.paused) {
      // A remote decision resumes: the batch stayed locked since it observed, so the rows match.
      if (!(this.policy as RemotePolicy).hasActions) return false;
      this.paused = false;
      try {
        this.finishDecision(this.pausedMasks);
        batch.applyActions();
        this.ticks++;
        return true;
      } finally {
        batch.unlock();
      }
    }
    batch.lock();
    try {
      if (batch.size === 0 || !this.policy.ready) return false;
      const decide = batch.needsDecision();
      if (decide && !this.decide()) return false;
      batch.applyActions();
      this.ticks++;
      return decide;
    } finally {
      // Joins and leaves made from agent hooks during the tick take effect now (a paused tick keeps them waiting).
      if (!this.paused) batch.unlock();
    }
  }

  /**
   * One decision for every agent: close the last transitions, begin episodes, observe, act,
   * record. Returns false when a remote decision pauses for its actions (after observing).
   */
  private decide(): boolean {
    const { batch, recorder } = this;
    const n = batch.size;
    this.reserve(n);
    batch.closeTransitions();
    recorder?.close(this.normalizer);
    this.demo?.close(batch);
    const remote = this.policy instanceof RemotePolicy ? this.policy : null;
    if (remote) keepFinalObservations(batch.rawObs, batch.ends, n, this.behaviorSpec!.observationSize, remote);
    batch.beginEpisodes();
    // Normalize as the Trainer does: statistics updated with the raw batch only while training.
    if (this.normalizer) {
      if (recorder) this.normalizer.update(batch.rawObs, n);
      this.normalizer.normalize(batch.rawObs, n, this.obs);
    } else {
      copy(batch.rawObs, this.obs, 0, n * this.behaviorSpec!.observationSize);
    }
    recorder?.openRow(this.obs);
    const masks = batch.writeMasks();
    if (remote) {
      this.paused = true;
      this.pausedMasks = masks;
      return false;
    }
    this.finishDecision(masks);
    return true;
  }

  /** The acting half of a decision: the policy acts and the recorder keeps what it did. */
  private finishDecision(masks: Uint8Array | null): void {
    const { batch, recorder } = this;
    this.policy.act(batch, this.obs, masks);
    recorder?.record(this.obs, masks);
    this.demo?.record(batch, masks);
    batch.endDecision();
    this.decisions++;
  }

  private createSpec(observationSize: number, inputs: ObservationInput[]): void {
    const observationInputs = inputs.length > 0 ? inputs : [{ name: 'observations', kind: 'vector', size: 0 } as const];
    const layout = ActorCriticLayout.forBehavior(observationSize, observationInputs, this.config, this.dist);
    this.behaviorSpec = Object.freeze({ name: this.name, observationSize, observationInputs, actionSpec: this.actionSpec, actionSpace: this.actionSpec.space, layout });
    if (this.config.normalizeObs) this.normalizer = new ObservationNormalizer(observationSize, this.config.obsClip, undefined, observationInputs);
    if (this.policy instanceof TrainPolicy) {
      const c = this.config;
      this.recorder = new TransitionRecorder({
        numSteps: c.numSteps, observationSize, actionSize: this.dist.actionSize, maskSize: this.dist.maskSize,
        normalizeReward: c.normalizeReward, gamma: c.gamma, rewardClip: c.rewardClip, rewardStats: this.rewardStats, onRollout: this.options.onRollout,
        signals: valueHeadsOf(c) - 1,
      }, this.batch, this.policy, this.weights);
    }
    if (this.pendingRecording) this.beginRecording();
    const weights = this.provider?.(this.behaviorSpec) ?? this.pendingWeights;
    this.pendingWeights = null;
    if (weights) this.applyWeights(weights);
  }

  private beginRecording(): void {
    const spec = this.behaviorSpec!;
    const o = this.pendingRecording!;
    this.demo = new DemonstrationRecorder({
      behavior: this.name, observationSize: spec.observationSize, actionSpec: this.actionSpec,
      onEpisode: o.onEpisode, ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}), ...(o.maxEpisodes !== undefined ? { maxEpisodes: o.maxEpisodes } : {}),
    });
  }

  private emptyDemonstration(): DemonstrationData {
    return {
      behavior: this.name, observationSize: this.behaviorSpec?.observationSize ?? 0, actionSpace: this.actionSpec.space, steps: 0,
      observations: new Float32Array(0), actions: new Float32Array(0), masks: null, rewards: new Float32Array(0), ends: new Uint8Array(0),
    };
  }

  private applyWeights(w: PolicyWeights): void {
    const spec = this.behaviorSpec!;
    this.weights.check(w.params, w.version, spec);
    if (w.observationStats) {
      if (w.observationStats.size !== spec.observationSize) {
        throw new EnvError(`behavior '${this.name}': observation statistics have ${w.observationStats.size} dimensions, observations have ${spec.observationSize}`);
      }
      this.normalizer = new ObservationNormalizer(spec.observationSize, this.config.obsClip, w.observationStats, spec.observationInputs);
    } else {
      this.policy.checkWeights(w, this.normalizer);
    }
    this.weights.set(w.params, w.version, spec);
  }

  /** Grows every per-agent buffer for `n` agents (doubling, so joins rarely allocate). */
  private reserve(n: number): void {
    const { batch } = this;
    if (n <= batch.capacity) return;
    const cap = Math.max(n, batch.capacity * 2, 4);
    batch.reserve(cap);
    this.obs = new Float32Array(cap * this.behaviorSpec!.observationSize);
    this.weights.reserve(cap);
    this.policy.reserve(cap);
    if (this.policy instanceof RemotePolicy) this.policy.reserveFinal(cap, this.behaviorSpec!.observationSize);
    this.recorder?.reserve(cap);
  }
}

/** A paused remote decision, as {@link BehaviorRunner.awaitedDecision} shows it. */
export interface AwaitedDecision {
  agents: number;
  observationSize: number;
  /** `agents × observationSize` (normalized when the config says so). */
  observations: Float32Array;
  rewards: Float32Array;
  ends: Uint8Array;
  finalObservations: Float32Array;
  masks: Uint8Array | null;
  names: string[];
}

/** Copies each ending agent's last observation before its next episode's first overwrites it. */
function keepFinalObservations(rawObs: Float32Array, ends: Uint8Array, n: number, size: number, remote: RemotePolicy): void {
  for (let i = 0; i < n; i++) {
    if (ends[i] === 0) continue;
    for (let k = 0; k < size; k++) remote.finalObs[i * size + k] = rawObs[i * size + k]!;
  }
}
