/**
 * Runs every agent of one behavior (one shared policy) inside a game loop, without knowing the
 * engine: the host calls {@link BehaviorRunner.tick} once per fixed physics step. It mirrors the
 * CLI's Trainer (sdk/rl/trainer.ts) with agents in place of a VecEnv:
 *
 *   agents → observations (validated, normalized) → Policy.act, once for the batch → actions
 *   (clipped) → game → rewards, episode ends → Rollout (time-major, one column per agent)
 *
 * Simplification: all agents of a behavior decide in lockstep. A decision tick happens when any
 * agent asks for one (its `shouldRequestDecision`, `requestDecision()`, `endEpisode()`, reaching
 * `maxSteps`, or being new), and then every agent decides. That keeps one rollout row per
 * decision with a column per agent, which is the layout GAE and the learner take; agents that
 * want different cadences belong in different behaviors.
 */
import { EnvError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Space } from '../core/spaces.js';
import type { EpisodeRecord } from '../core/vec-env.js';
import type { ResolvedConfig } from '../rl/config.js';
import { ActionDistribution } from '../rl/distributions.js';
import { ActorCriticLayout } from '../rl/network.js';
import { ObservationNormalizer, RunningMeanStd } from '../rl/normalizer.js';
import { Policy } from '../rl/policy.js';
import { allocateRollout, type Rollout } from '../rl/rollout.js';
import { ActionBuffers, ActionMaskWriter, type ActionSpec } from './action-spec.js';
import { AGENT_RUNTIME, Agent, type AgentRuntime } from './agent.js';
import { ObservationRowWriter } from './observation-writer.js';

/** `train`: act by sampling and fill rollouts; `inference`: act from fixed weights; `heuristic`: each agent's `heuristic`. */
export type BehaviorType = 'train' | 'inference' | 'heuristic';

/** The sizes a behavior's network must have, known once its first agent is added. */
export interface BehaviorSpec {
  readonly name: string;
  /** Values per observation row: the `collectObservations` count plus the sensors' sizes. */
  readonly observationSize: number;
  readonly actionSpec: ActionSpec;
  /** The learner's action space (`actionSpec.space`). */
  readonly actionSpace: Space;
  /** The actor-critic layout for these sizes and `config.hiddenSizes`: what a learner must build. */
  readonly layout: ActorCriticLayout;
}

/** Flat actor-critic weights, as a learner or a brain provides them. */
export interface PolicyWeights {
  params: Float32Array;
  version: number;
  /** Observation statistics to start from (a loaded brain, a resumed run). */
  observationStats?: RunningMeanStd | null;
}

/**
 * Gives the first weights once the behavior's sizes are known (its first agent is added); null
 * when they will come later through {@link BehaviorRunner.setParams} (e.g. from a worker).
 */
export type PolicyProvider = (spec: BehaviorSpec) => PolicyWeights | null;

/** One finished episode of one agent. `length` counts decisions (transitions); `ticks` counts physics steps. */
export interface AgentEpisode extends EpisodeRecord {
  agent: string;
  ticks: number;
  end: 'terminated' | 'truncated';
}

export interface BehaviorRunnerOptions {
  /** Named in error messages. */
  name: string;
  /** Values each agent's `collectObservations` writes (sensors come on top). */
  observationSize: number;
  actionSpec: ActionSpec;
  type: BehaviorType;
  /**
   * Reads `numSteps` (decisions per agent per rollout), `hiddenSizes`, `normalizeObs`, `obsClip`,
   * `normalizeReward`, `gamma`, `rewardClip` and `seed`.
   */
  config: ResolvedConfig;
  /** Seed of action sampling. Default `config.seed + 1`, as the Trainer. */
  seed?: number;
  /** How `inference` picks actions: the most likely (default) or sampled. */
  inferenceAction?: 'mode' | 'sample';
  /** Called with each full rollout (train only). It may transfer the arrays away: the runner never touches them again. */
  onRollout?: (rollout: Rollout) => void;
  /** Called when an agent's episode ends. */
  onEpisodeEnd?: (episode: AgentEpisode) => void;
}

/** Episodes kept for {@link BehaviorRunner.drainEpisodes} when nobody drains them. */
const MAX_QUEUED_EPISODES = 10_000;

interface Slot {
  agent: Agent;
  rt: AgentRuntime;
  /** The action the game gets, repeated until the next decision. */
  actions: ActionBuffers;
  /** Its first episode has begun (it has acted at least once). */
  started: boolean;
  /** Column in the current rollout; -1 while it acts unrecorded (joined mid-rollout). */
  column: number;
  /** Discounted return for reward scaling (RewardScaler's accumulator, per agent). */
  discountedReturn: number;
  /** `behavior 'b', agent 'a'` for messages, rebuilt only if the agent is renamed. */
  who: string;
  whoName: string;
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
  readonly type: BehaviorType;
  readonly actionSpec: ActionSpec;
  readonly config: ResolvedConfig;
  /** Ticks run (with agents acting). */
  ticks = 0;
  /** Decision ticks run. */
  decisions = 0;
  /** Rollouts dropped because a recorded agent was removed before they were full. */
  droppedRollouts = 0;

  private readonly options: BehaviorRunnerOptions;
  private readonly provider: PolicyProvider | null;
  private readonly dist: ActionDistribution;
  private readonly rng: Rng;
  private readonly writer = new ObservationRowWriter();
  private readonly maskWriter: ActionMaskWriter;
  /** Running statistics of the discounted return (reward scaling); a checkpoint saves and restores them. */
  readonly rewardStats = new RunningMeanStd(1);
  private readonly oneReturn = new Float64Array(1);
  /** Reused for every shouldRequestDecision call. */
  private readonly ctx: { stepCount: number; ticksSinceDecision: number } = { stepCount: 0, ticksSinceDecision: 0 };
  private slots: Slot[] = [];
  private pending: { add: Agent[]; remove: Agent[] } = { add: [], remove: [] };
  private ticking = false;
  private ticksSinceDecision = 0;
  private episodes: AgentEpisode[] = [];

  private behaviorSpec: BehaviorSpec | null = null;
  private normalizer: ObservationNormalizer | null = null;
  private params: Float32Array | null = null;
  private version = 0;
  private policy: Policy | null = null;
  private pendingWeights: PolicyWeights | null = null;

  private rollout: Rollout | null = null;
  /** Rollout row whose transition is open (acted, reward not yet known). */
  private row = 0;

  // Batch buffers, one row per agent, grown with the number of agents.
  private capacity = 0;
  private rawObs = new Float32Array(0);
  private obs = new Float32Array(0);
  private finalObs = new Float32Array(0);
  private finalRowOf = new Int32Array(0);
  private finalVals = new Float32Array(0);
  private actionsBatch = new Float32Array(0);
  private logProbs = new Float32Array(0);
  private values = new Float32Array(0);
  private masks: Uint8Array | null = null;
  private closeRewards = new Float32Array(0);
  /** Per agent at this decision: 0 continuing, 1 terminated, 2 truncated. */
  private ended = new Uint8Array(0);

  constructor(options: BehaviorRunnerOptions, policy?: PolicyProvider) {
    const { name, observationSize, actionSpec, type, config } = options;
    if (!['train', 'inference', 'heuristic'].includes(type)) {
      throw new EnvError(`behavior '${name}': type must be 'train', 'inference' or 'heuristic', got ${JSON.stringify(type)}`);
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
    this.maskWriter = new ActionMaskWriter(actionSpec);
    this.rng = new Rng(options.seed ?? config.seed + 1);
  }

  /** The behavior's sizes, or null until the first agent is added. */
  get spec(): BehaviorSpec | null {
    return this.behaviorSpec;
  }

  /** Whether decisions can run: heuristic always, otherwise once weights are set. */
  get ready(): boolean {
    return this.type === 'heuristic' || this.policy !== null;
  }

  /** Version of the weights acting now. */
  get policyVersion(): number {
    return this.version;
  }

  /** The agents, in batch (and rollout column) order. */
  get agents(): readonly Agent[] {
    return this.slots.map((s) => s.agent);
  }

  /** Observation normalizer statistics (updated while training), for saving into a brain; null when not normalizing. */
  get observationStats(): RunningMeanStd | null {
    return this.normalizer?.stats ?? null;
  }

  /**
   * Adds an agent; it begins its first episode on the next tick. Agents added while a rollout is
   * being filled act at once but are recorded from the next rollout on.
   */
  addAgent(agent: Agent): void {
    const who = this.who(agent);
    if (!(agent instanceof Agent)) throw new EnvError(`behavior '${this.name}': addAgent needs an Agent subclass instance`);
    const rt = agent[AGENT_RUNTIME];
    if (rt.owner === this) throw new EnvError(`${who}: already added`);
    if (rt.owner !== null) throw new EnvError(`${who}: already belongs to another behavior; remove it there first`);
    if (!Number.isInteger(agent.maxSteps) || agent.maxSteps < 0) throw new EnvError(`${who}: maxSteps must be a non-negative integer (0 = unlimited), got ${agent.maxSteps}`);
    if (!Number.isInteger(agent.decisionPeriod) || agent.decisionPeriod < 1) throw new EnvError(`${who}: decisionPeriod must be a positive integer, got ${agent.decisionPeriod}`);
    if (this.type === 'heuristic' && typeof agent.heuristic !== 'function') throw new EnvError(`${who}: the behavior type is 'heuristic' but the agent has no heuristic(out) method`);
    if (typeof agent.writeActionMask === 'function' && this.actionSpec.maskSize === 0) {
      throw new EnvError(`${who}: implements writeActionMask, but ${this.actionSpec} has no discrete branches to mask`);
    }
    const size = this.observationSizeOf(agent);
    if (this.behaviorSpec && size !== this.behaviorSpec.observationSize) throw this.sizeError(agent, size);
    if (this.ticking) {
      rt.owner = this;
      this.pending.add.push(agent);
      return;
    }
    this.insert(agent);
    rt.owner = this;
  }

  /**
   * Removes an agent (its episode is dropped unrecorded). Removing one that the current rollout
   * records drops that rollout, whose column cannot be completed: to respawn an NPC, end its
   * episode and reuse it instead. Returns false if the agent was not in this behavior.
   */
  removeAgent(agent: Agent): boolean {
    const rt = agent[AGENT_RUNTIME];
    if (rt.owner !== this) return false;
    rt.owner = null;
    if (this.ticking) {
      this.pending.remove.push(agent);
      return true;
    }
    this.extract(agent);
    return true;
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

  /** Episodes finished since the last call, in completion order (at most the last 10,000). */
  drainEpisodes(): AgentEpisode[] {
    const out = this.episodes;
    this.episodes = [];
    return out;
  }

  /**
   * Advances the behavior by one fixed physics step; call it before stepping the world. On a
   * decision tick every agent observes and gets a new action; on every tick every agent's
   * current action is applied. Returns whether this was a decision tick.
   */
  tick(): boolean {
    if (this.ticking) throw new EnvError(`behavior '${this.name}': tick() called from inside a tick (from an agent hook?)`);
    this.ticking = true;
    try {
      if (this.slots.length === 0 || !this.ready) return false;
      const decide = this.needsDecision();
      if (decide) this.decide();
      for (const s of this.slots) {
        s.agent.onActionReceived(s.actions);
        s.rt.stepCount++;
      }
      this.ticksSinceDecision++;
      this.ticks++;
      return decide;
    } finally {
      this.ticking = false;
      this.applyPending();
    }
  }

  private needsDecision(): boolean {
    const ctx = this.ctx;
    ctx.ticksSinceDecision = this.ticksSinceDecision;
    for (const s of this.slots) {
      const { agent, rt } = s;
      if (!s.started || rt.endRequested || rt.decisionRequested) return true;
      if (agent.maxSteps > 0 && rt.stepCount >= agent.maxSteps) return true;
      ctx.stepCount = rt.stepCount;
      if (agent.shouldRequestDecision(ctx)) return true;
    }
    return false;
  }

  /** One decision for every agent: close the last transitions, begin episodes, observe, act, record. */
  private decide(): void {
    const n = this.slots.length;
    this.ensureCapacity(n);
    const spec = this.behaviorSpec!;
    const obsSize = spec.observationSize;
    const train = this.type === 'train';
    for (const s of this.slots) s.rt.decisionRequested = false;

    // Observe every agent that acted: its next observation, or the last one of an ending episode.
    // Before the episode-end check, so an agent may still call endEpisode() while observing.
    for (let i = 0; i < n; i++) if (this.slots[i]!.started) this.collect(i, this.rawObs);

    // Close the transitions opened at the previous decision.
    let numFinal = 0;
    for (let i = 0; i < n; i++) {
      const { agent, rt, started, column } = this.slots[i]!;
      this.ended[i] = 0;
      if (!started) continue;
      const terminated = rt.endRequested;
      const truncated = !terminated && agent.maxSteps > 0 && rt.stepCount >= agent.maxSteps;
      this.ended[i] = terminated ? 1 : truncated ? 2 : 0;
      // Each reward was finite (Agent checks), but a huge one or a sum can overflow float32 to Infinity.
      if (!(Math.abs(rt.pendingReward) <= 3.4028234663852886e38)) {
        throw new EnvError(`${this.who(agent)}: the reward of this decision, ${rt.pendingReward}, is beyond float32 range (±3.4e38); rewards must stay finite in the rollout`);
      }
      this.closeRewards[i] = rt.pendingReward;
      rt.pendingReward = 0;
      if (truncated && column >= 0 && this.rollout) {
        this.finalObs.set(this.rawObs.subarray(i * obsSize, (i + 1) * obsSize), numFinal * obsSize);
        this.finalRowOf[numFinal++] = i;
      }
    }
    if (train) this.closeTransitions(n, numFinal);

    // Episode boundaries: record the ended ones, begin new episodes, observe their first state.
    for (let i = 0; i < n; i++) {
      const s = this.slots[i]!;
      const { rt } = s;
      if (s.started && this.ended[i] === 0) continue;
      if (s.started) this.recordEpisode(s, this.ended[i] === 1 ? 'terminated' : 'truncated');
      rt.endRequested = false;
      rt.pendingReward = 0;
      rt.episodeReturn = 0;
      rt.stepCount = 0;
      rt.decisions = 0;
      for (const sensor of rt.sensors) sensor.reset();
      s.agent.onEpisodeBegin();
      s.started = true;
      this.collect(i, this.rawObs);
    }

    // Normalize as the Trainer does: statistics updated with the raw batch only while training.
    if (this.normalizer) {
      if (train) this.normalizer.stats.update(this.rawObs, n);
      this.normalizer.normalize(this.rawObs, n, this.obs);
    } else {
      this.obs.set(this.rawObs.subarray(0, n * obsSize));
    }

    if (train) {
      if (this.rollout && this.row + 1 === this.rollout.numSteps) this.finishRollout(n);
      else if (this.rollout) this.row++;
      if (!this.rollout) this.startRollout(n);
    }

    const masks = this.writeMasks(n);
    if (this.type === 'heuristic') this.actHeuristic(n, masks);
    else this.actPolicy(n, masks);
    if (this.rollout) this.record(n, masks);

    for (const s of this.slots) s.rt.decisions++;
    this.ticksSinceDecision = 0;
    this.decisions++;
  }

  /**
   * Writes rewards (scaled as the Trainer's RewardScaler, but with one return accumulator per
   * agent since agents come and go), episode ends and, for truncations, V(final observation)
   * into the open rollout row.
   */
  private closeTransitions(n: number, numFinal: number): void {
    const c = this.config;
    const rewards = this.closeRewards;
    if (c.normalizeReward) {
      for (let i = 0; i < n; i++) {
        const s = this.slots[i]!;
        if (!s.started) continue;
        s.discountedReturn = s.discountedReturn * c.gamma + rewards[i]!;
        this.oneReturn[0] = s.discountedReturn;
        this.rewardStats.update(this.oneReturn, 1);
      }
      const inv = 1 / Math.sqrt(this.rewardStats.var[0]! + 1e-8);
      for (let i = 0; i < n; i++) {
        const s = this.slots[i]!;
        if (!s.started) continue;
        const y = rewards[i]! * inv;
        rewards[i] = y > c.rewardClip ? c.rewardClip : y < -c.rewardClip ? -c.rewardClip : y;
        if (this.ended[i] !== 0) s.discountedReturn = 0;
      }
    }
    const r = this.rollout;
    if (!r) return;
    if (numFinal > 0) {
      // A time limit is not a terminal state: bootstrap from the final observation's value,
      // normalized with the statistics as they were (not yet updated with this decision's batch).
      const obsSize = this.behaviorSpec!.observationSize;
      const finals = this.finalObs.subarray(0, numFinal * obsSize);
      this.normalizer?.normalize(finals, numFinal, finals);
      this.policy!.values(finals, numFinal, this.finalVals);
    }
    const base = this.row * r.numEnvs;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const s = this.slots[i]!;
      if (s.column < 0 || !s.started) continue;
      const j = base + s.column;
      r.rewards[j] = rewards[i]!;
      r.terminated[j] = this.ended[i] === 1 ? 1 : 0;
      r.truncated[j] = this.ended[i] === 2 ? 1 : 0;
      r.finalValues[j] = 0;
      if (k < numFinal && this.finalRowOf[k] === i) r.finalValues[j] = this.finalVals[k++]!;
    }
  }

  /** Bootstraps the last row with V(s_N) of this decision's observations and hands the rollout off. */
  private finishRollout(n: number): void {
    const r = this.rollout!;
    this.policy!.values(this.obs, n, this.values);
    for (let i = 0; i < n; i++) {
      const col = this.slots[i]!.column;
      if (col >= 0) r.lastValues[col] = this.values[i]!;
    }
    this.rollout = null;
    for (const s of this.slots) s.column = -1;
    // Last: the callback may transfer the arrays away or set new weights for the next action.
    this.options.onRollout?.(r);
  }

  /** A fresh rollout (never a handed-off one's buffers) with a column for every current agent. */
  private startRollout(n: number): void {
    const hasMasks = this.slots.some((s) => typeof s.agent.writeActionMask === 'function');
    const spec = this.behaviorSpec!;
    this.rollout = allocateRollout(this.config.numSteps, n, spec.observationSize, this.dist.actionSize, hasMasks ? this.dist.maskSize : 0);
    this.rollout.policyVersion = this.version;
    this.slots.forEach((s, i) => { s.column = i; });
    this.row = 0;
  }

  /** The batch's masks, or null when no agent masks anything. */
  private writeMasks(n: number): Uint8Array | null {
    if (!this.slots.some((s) => typeof s.agent.writeActionMask === 'function')) return null;
    const m = this.dist.maskSize;
    if (!this.masks || this.masks.length < this.capacity * m) this.masks = new Uint8Array(this.capacity * m);
    for (let i = 0; i < n; i++) {
      const slot = this.slots[i]!;
      const { agent } = slot;
      this.maskWriter.reset(this.masks, i * m, this.slotWho(slot));
      if (typeof agent.writeActionMask === 'function') {
        agent.writeActionMask(this.maskWriter);
        this.maskWriter.check();
      }
    }
    return this.masks;
  }

  /** One policy call for the whole batch; the game gets continuous actions clipped, the rollout the sample. */
  private actPolicy(n: number, masks: Uint8Array | null): void {
    const sample = this.type === 'train' || this.options.inferenceAction === 'sample';
    this.policy!.act(this.obs, n, sample ? this.rng : null, masks, this.actionsBatch, this.logProbs, this.values);
    const A = this.dist.actionSize;
    const C = this.actionSpec.continuousSize;
    const { low, high } = this.actionSpec;
    for (let i = 0; i < n; i++) {
      const { actions, agent } = this.slots[i]!;
      const o = i * A;
      for (let d = 0; d < C; d++) {
        const a = this.actionsBatch[o + d]!;
        if (!Number.isFinite(a)) {
          throw new EnvError(`${this.who(agent)}: the policy (weights version ${this.version}) produced continuous action ${d} = ${a}; the weights have diverged`);
        }
        actions.continuous[d] = Math.min(Math.max(a, low[d]!), high[d]!);
      }
      for (let b = 0; b < actions.discrete.length; b++) actions.discrete[b] = this.actionsBatch[o + C + b]!;
    }
  }

  /** Each agent's own controller; its action is checked against the spec and the mask. */
  private actHeuristic(n: number, masks: Uint8Array | null): void {
    const { low, high, branches, continuousSize: C, maskSize } = this.actionSpec;
    for (let i = 0; i < n; i++) {
      const { actions, agent } = this.slots[i]!;
      actions.clear();
      agent.heuristic!(actions);
      for (let d = 0; d < C; d++) {
        const a = actions.continuous[d]!;
        if (!Number.isFinite(a)) throw new EnvError(`${this.who(agent)}: heuristic wrote continuous[${d}] = ${a}; expected a finite number in [${low[d]}, ${high[d]}]`);
        actions.continuous[d] = Math.min(Math.max(a, low[d]!), high[d]!);
      }
      let start = 0;
      for (let b = 0; b < branches.length; b++) {
        const a = actions.discrete[b]!;
        const nb = branches[b]!;
        if (a < 0 || a >= nb) throw new EnvError(`${this.who(agent)}: heuristic wrote discrete[${b}] = ${a}, out of range [0, ${nb}) for ${this.actionSpec}`);
        if (masks && masks[i * maskSize + start + a] === 0) throw new EnvError(`${this.who(agent)}: heuristic chose discrete[${b}] = ${a}, which writeActionMask disabled`);
        start += nb;
      }
    }
  }

  /** Copies this decision's rows into the rollout's open row, by column. */
  private record(n: number, masks: Uint8Array | null): void {
    const r = this.rollout!;
    const obsSize = this.behaviorSpec!.observationSize;
    const A = this.dist.actionSize;
    const M = this.dist.maskSize;
    r.policyVersion = Math.min(r.policyVersion, this.version);
    for (let i = 0; i < n; i++) {
      const col = this.slots[i]!.column;
      if (col < 0) continue;
      const j = this.row * r.numEnvs + col;
      r.observations.set(this.obs.subarray(i * obsSize, (i + 1) * obsSize), j * obsSize);
      r.actions.set(this.actionsBatch.subarray(i * A, (i + 1) * A), j * A);
      r.logProbs[j] = this.logProbs[i]!;
      r.values[j] = this.values[i]!;
      if (r.masks && masks) r.masks.set(masks.subarray(i * M, (i + 1) * M), j * M);
    }
  }

  /** Writes agent i's observation row into `out`: `collectObservations` values, then sensors; checks count and finiteness. */
  private collect(i: number, out: Float32Array): void {
    const slot = this.slots[i]!;
    const { agent, rt } = slot;
    const spec = this.behaviorSpec!;
    const size = spec.observationSize;
    const own = this.options.observationSize;
    const row = i * size;
    const who = this.slotWho(slot);
    this.writer.reset(out, row, own, who);
    agent.collectObservations(this.writer);
    if (this.writer.count !== own) {
      throw new EnvError(`${who}: collectObservations wrote ${this.writer.count} values, expected ${own} (the behavior's observationSize)`);
    }
    for (let k = 0; k < own; k++) {
      const v = out[row + k]!;
      if (!Number.isFinite(v)) throw new EnvError(`${who}: collectObservations value ${k} is ${v}; observations must be finite numbers`);
    }
    let offset = own;
    for (const sensor of rt.sensors) {
      if (offset + sensor.size > size) throw this.sizeError(agent, this.observationSizeOf(agent));
      sensor.advance?.();
      sensor.write(out, row + offset);
      for (let k = 0; k < sensor.size; k++) {
        const v = out[row + offset + k]!;
        if (!Number.isFinite(v)) throw new EnvError(`${who}: sensor '${sensor.name}' value ${k} (observation index ${offset + k}) is ${v}; observations must be finite numbers`);
      }
      offset += sensor.size;
    }
    if (offset !== size) throw this.sizeError(agent, offset);
  }

  private recordEpisode(s: Slot, end: AgentEpisode['end']): void {
    const ep: AgentEpisode = { agent: s.agent.name, return: s.rt.episodeReturn, length: s.rt.decisions, ticks: s.rt.stepCount, end };
    s.rt.completedEpisodes++;
    this.episodes.push(ep);
    if (this.episodes.length > MAX_QUEUED_EPISODES) this.episodes.shift();
    this.options.onEpisodeEnd?.(ep);
  }

  private insert(agent: Agent): void {
    if (!this.behaviorSpec) this.createSpec(this.observationSizeOf(agent));
    const rt = agent[AGENT_RUNTIME];
    rt.endRequested = false;
    rt.decisionRequested = false;
    this.slots.push({ agent, rt, actions: new ActionBuffers(this.actionSpec), started: false, column: -1, discountedReturn: 0, who: this.who(agent), whoName: agent.name });
  }

  private extract(agent: Agent): void {
    const i = this.slots.findIndex((s) => s.agent === agent);
    if (i < 0) return;
    if (this.rollout && this.slots[i]!.column >= 0) {
      this.rollout = null;
      this.droppedRollouts++;
      for (const s of this.slots) s.column = -1;
    }
    this.slots.splice(i, 1);
  }

  private applyPending(): void {
    const { add, remove } = this.pending;
    if (add.length === 0 && remove.length === 0) return;
    this.pending = { add: [], remove: [] };
    for (const a of remove) this.extract(a);
    for (const a of add) if (a[AGENT_RUNTIME].owner === this) this.insert(a);
  }

  private createSpec(observationSize: number): void {
    const layout = ActorCriticLayout.forDistribution(observationSize, this.config.hiddenSizes, this.dist);
    this.behaviorSpec = Object.freeze({ name: this.name, observationSize, actionSpec: this.actionSpec, actionSpace: this.actionSpec.space, layout });
    if (this.config.normalizeObs) this.normalizer = new ObservationNormalizer(observationSize, this.config.obsClip);
    const weights = this.provider?.(this.behaviorSpec) ?? this.pendingWeights;
    this.pendingWeights = null;
    if (weights) this.applyWeights(weights);
  }

  private applyWeights(w: PolicyWeights): void {
    const spec = this.behaviorSpec!;
    const { layout } = spec;
    if (!(w.params instanceof Float32Array) || w.params.length !== layout.size) {
      throw new EnvError(`behavior '${this.name}': weights have ${w.params?.length} parameters, but observationSize ${spec.observationSize}, ${this.actionSpec} and hiddenSizes [${this.config.hiddenSizes.join(', ')}] need ${layout.size}`);
    }
    if (!Number.isSafeInteger(w.version) || w.version < 0) throw new EnvError(`behavior '${this.name}': weights version must be a non-negative integer, got ${w.version}`);
    if (w.observationStats) {
      if (w.observationStats.size !== spec.observationSize) {
        throw new EnvError(`behavior '${this.name}': observation statistics have ${w.observationStats.size} dimensions, observations have ${spec.observationSize}`);
      }
      this.normalizer = new ObservationNormalizer(spec.observationSize, this.config.obsClip, w.observationStats);
    } else if (this.type === 'inference' && this.config.normalizeObs && this.normalizer && this.normalizer.stats.count < 1) {
      // Fresh statistics would never update in inference: the policy would see unnormalized input.
      throw new EnvError(`behavior '${this.name}': inference with config.normalizeObs needs observationStats with the first weights (e.g. the brain's)`);
    }
    if (!this.params) this.params = new Float32Array(layout.size);
    this.params.set(w.params);
    this.version = w.version;
    if (!this.policy) this.policy = new Policy(layout, this.dist, this.params, Math.max(1, this.capacity));
  }

  private ensureCapacity(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, this.capacity * 2, 4);
    const obsSize = this.behaviorSpec!.observationSize;
    const A = this.dist.actionSize;
    this.capacity = cap;
    this.rawObs = new Float32Array(cap * obsSize);
    this.obs = new Float32Array(cap * obsSize);
    this.finalObs = new Float32Array(cap * obsSize);
    this.finalRowOf = new Int32Array(cap);
    this.finalVals = new Float32Array(cap);
    this.actionsBatch = new Float32Array(cap * A);
    this.logProbs = new Float32Array(cap);
    this.values = new Float32Array(cap);
    this.closeRewards = new Float32Array(cap);
    this.ended = new Uint8Array(cap);
    this.masks = null;
    if (this.policy) this.policy = new Policy(this.behaviorSpec!.layout, this.dist, this.params!, cap);
  }

  private observationSizeOf(agent: Agent): number {
    return this.options.observationSize + agent[AGENT_RUNTIME].sensors.reduce((s, x) => s + x.size, 0);
  }

  private sizeError(agent: Agent, size: number): EnvError {
    const sensors = agent[AGENT_RUNTIME].sensors.map((x) => `${x.name}(${x.size})`).join(', ') || 'none';
    return new EnvError(`${this.who(agent)}: observation has ${size} values (collectObservations ${this.options.observationSize} + sensors ${sensors}), but the behavior expects ${this.behaviorSpec?.observationSize}`);
  }

  private slotWho(slot: Slot): string {
    if (slot.whoName !== slot.agent.name) {
      slot.whoName = slot.agent.name;
      slot.who = this.who(slot.agent);
    }
    return slot.who;
  }

  private who(agent: Agent): string {
    return `behavior '${this.name}', agent '${agent?.name}'`;
  }
}
