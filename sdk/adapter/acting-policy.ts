/**
 * How a behavior's agents choose actions, picked once per behavior from its type (as ML-Agents'
 * `BehaviorParameters.GeneratePolicy` picks an `IPolicy`): sampling from the network while
 * training, the network's mode (or a sample) in inference, or each agent's own `heuristic`.
 * A policy writes every agent's action into its slot; nothing else in the runner branches on the
 * behavior's type.
 */
import { EnvError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { ActionDistribution } from '../rl/distributions.js';
import type { ObservationNormalizer } from '../rl/normalizer.js';
import type { ActionSpec } from './action-spec.js';
import type { ActingWeights } from './acting-weights.js';
import type { AgentBatch } from './agent-batch.js';
import type { Agent } from './agent.js';
import type { BehaviorType, PolicyWeights } from './behavior-spec.js';

/** Who chooses a runner's actions: a {@link BehaviorType}, or `remote` (a client over the bridge, sdk/bridge). */
export type ActingType = BehaviorType | 'remote';

/** The acting side of a behavior (ML-Agents' IPolicy): one call decides for the whole batch. */
export interface ActingPolicy {
  readonly type: ActingType;
  /** Whether decisions can run now (weights are set, or none are needed). */
  readonly ready: boolean;
  /** Throws if this policy cannot drive `agent` (`who` names it in the message). */
  checkAgent(agent: Agent, who: string): void;
  /** Throws if the behavior's first weights `w` cannot act with the normalizer as it stands. */
  checkWeights(w: PolicyWeights, normalizer: ObservationNormalizer | null): void;
  /** Sizes per-agent buffers for `capacity` agents. */
  reserve(capacity: number): void;
  /**
   * Chooses an action for each of the batch's agents from its (normalized) observation row and
   * mask row, into the agent's slot; continuous actions reach the game clipped to the spec.
   */
  act(batch: AgentBatch, obs: Float32Array, masks: Uint8Array | null): void;
}

/** What the policies share: the behavior's action spec and distribution, its weights and its acting random stream. */
export interface ActingPolicyContext {
  readonly actionSpec: ActionSpec;
  readonly dist: ActionDistribution;
  readonly weights: ActingWeights;
  /** Seeded stream for sampled actions. */
  readonly rng: Rng;
  /** Whether the behavior normalizes observations (`config.normalizeObs`). */
  readonly normalizeObs: boolean;
  /** How `inference` picks actions: the most likely (default) or sampled. */
  readonly inferenceAction?: 'mode' | 'sample' | undefined;
  /** Value heads after the extrinsic one (a head per reward signal: `valueHeadsOf(config) − 1`); 0 when omitted. */
  readonly signals?: number;
}

/** The policy for a behavior type, picked once. */
export function createActingPolicy(type: ActingType, ctx: ActingPolicyContext): ActingPolicy {
  switch (type) {
    case 'train': return new TrainPolicy(ctx);
    case 'inference': return new InferencePolicy(ctx);
    case 'heuristic': return new HeuristicPolicy(ctx.actionSpec);
    case 'remote': return new RemotePolicy(ctx.actionSpec);
  }
}

/** Acts with the behavior's network: one forward pass for the batch. */
abstract class NetworkPolicy implements ActingPolicy {
  abstract readonly type: BehaviorType;
  /** Actions as chosen (continuous ones unclipped), one row per agent: what a rollout records. */
  actions = new Float32Array(0);
  /** log μ(a|s) per agent, when {@link keepsOutputs}. */
  logProbs = new Float32Array(0);
  /** V(s) per agent, when {@link keepsOutputs}. */
  values = new Float32Array(0);
  /** The other value heads' V(s), head-major (Policy.values), when the critic has a head per reward signal. */
  signalValues = new Float32Array(0);
  private capacity = 0;

  constructor(protected readonly ctx: ActingPolicyContext, private readonly sample: boolean, private readonly keepsOutputs: boolean) {}

  get ready(): boolean {
    return this.ctx.weights.ready;
  }

  checkAgent(_agent: Agent, _who: string): void {}

  checkWeights(_w: PolicyWeights, _normalizer: ObservationNormalizer | null): void {}

  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    this.actions = new Float32Array(capacity * this.ctx.dist.actionSize);
    this.logProbs = new Float32Array(capacity);
    this.values = new Float32Array(capacity);
    this.signalValues = new Float32Array(capacity * (this.ctx.signals ?? 0));
  }

  act(batch: AgentBatch, obs: Float32Array, masks: Uint8Array | null): void {
    const { weights, dist, actionSpec, rng } = this.ctx;
    const n = batch.size;
    const keep = this.keepsOutputs;
    weights.forward.act(obs, n, this.sample ? rng : null, masks, this.actions, keep ? this.logProbs : null, keep ? this.values : null,
      keep && (this.ctx.signals ?? 0) > 0 ? this.signalValues : null);
    const A = dist.actionSize;
    const C = actionSpec.continuousSize;
    const { low, high } = actionSpec;
    for (let i = 0; i < n; i++) {
      const { actions, agent } = batch.slots[i]!;
      const o = i * A;
      for (let d = 0; d < C; d++) {
        const a = this.actions[o + d]!;
        if (!Number.isFinite(a)) {
          throw new EnvError(`${batch.who(agent)}: the policy (weights version ${weights.version}) produced continuous action ${d} = ${a}; the weights have diverged`);
        }
        actions.continuous[d] = Math.min(Math.max(a, low[d]!), high[d]!);
      }
      for (let b = 0; b < actions.discrete.length; b++) actions.discrete[b] = this.actions[o + C + b]!;
    }
  }
}

/** Samples from the network and keeps log-probs and values: what a train behavior records. */
export class TrainPolicy extends NetworkPolicy {
  readonly type = 'train';

  constructor(ctx: ActingPolicyContext) {
    super(ctx, true, true);
  }
}

/** Acts from fixed weights: the mode by default, or a sample; never learns. */
export class InferencePolicy extends NetworkPolicy {
  readonly type = 'inference';

  constructor(ctx: ActingPolicyContext) {
    super(ctx, ctx.inferenceAction === 'sample', false);
  }

  /** Fresh statistics would never update in inference: the policy would see unnormalized input. */
  override checkWeights(w: PolicyWeights, normalizer: ObservationNormalizer | null): void {
    if (!w.observationStats && this.ctx.normalizeObs && normalizer && normalizer.stats.count < 1) {
      throw new EnvError(`behavior '${this.ctx.weights.behavior}': inference with config.normalizeObs needs observationStats with the first weights (e.g. the brain's)`);
    }
  }
}

/** Each agent's own `heuristic` (a script or a human), checked against the spec and the mask. */
export class HeuristicPolicy implements ActingPolicy {
  readonly type = 'heuristic';
  readonly ready = true;

  constructor(private readonly actionSpec: ActionSpec) {}

  checkAgent(agent: Agent, who: string): void {
    if (typeof agent.heuristic !== 'function') throw new EnvError(`${who}: the behavior type is 'heuristic' but the agent has no heuristic(out) method`);
  }

  checkWeights(_w: PolicyWeights, _normalizer: ObservationNormalizer | null): void {}

  reserve(_capacity: number): void {}

  act(batch: AgentBatch, _obs: Float32Array, masks: Uint8Array | null): void {
    const { low, high, branches, continuousSize: C, maskSize } = this.actionSpec;
    const n = batch.size;
    for (let i = 0; i < n; i++) {
      const { actions, agent } = batch.slots[i]!;
      actions.clear();
      agent.heuristic!(actions);
      for (let d = 0; d < C; d++) {
        const a = actions.continuous[d]!;
        if (!Number.isFinite(a)) throw new EnvError(`${batch.who(agent)}: heuristic wrote continuous[${d}] = ${a}; expected a finite number in [${low[d]}, ${high[d]}]`);
        actions.continuous[d] = Math.min(Math.max(a, low[d]!), high[d]!);
      }
      let start = 0;
      for (let b = 0; b < branches.length; b++) {
        const a = actions.discrete[b]!;
        const nb = branches[b]!;
        if (a < 0 || a >= nb) throw new EnvError(`${batch.who(agent)}: heuristic wrote discrete[${b}] = ${a}, out of range [0, ${nb}) for ${this.actionSpec}`);
        if (masks && masks[i * maskSize + start + a] === 0) throw new EnvError(`${batch.who(agent)}: heuristic chose discrete[${b}] = ${a}, which writeActionMask disabled`);
        start += nb;
      }
    }
  }
}

/**
 * Actions chosen outside the runner, by a client of the bridge (ML-Agents' RemotePolicy): the
 * runner pauses each decision after observing (see `BehaviorRunner.awaitingActions`) until
 * {@link supply} gives one checked action row per agent, then {@link act} hands them to the agents.
 */
export class RemotePolicy implements ActingPolicy {
  readonly type = 'remote';
  readonly ready = true;
  /** Each ending agent's last observation (rows as the batch's), kept before its next episode begins. */
  finalObs = new Float32Array(0);
  private actions = new Float32Array(0);
  private supplied = false;

  constructor(private readonly actionSpec: ActionSpec) {}

  /** Whether actions for the paused decision have been supplied. */
  get hasActions(): boolean {
    return this.supplied;
  }

  checkAgent(_agent: Agent, _who: string): void {}

  checkWeights(_w: PolicyWeights, _normalizer: ObservationNormalizer | null): void {}

  reserve(capacity: number): void {
    this.actions = new Float32Array(capacity * this.actionSpec.size);
  }

  /** Sizes {@link finalObs} for `capacity` rows of `observationSize`. */
  reserveFinal(capacity: number, observationSize: number): void {
    if (this.finalObs.length < capacity * observationSize) this.finalObs = new Float32Array(capacity * observationSize);
  }

  /**
   * Checks and keeps `actions` (`rows` × `[continuous..., discrete...]`) for the paused decision:
   * finite continuous values (clipped later, as a network's), discrete choices in range and
   * allowed by `masks`. Throws an EnvError naming the agent, the index and what is allowed.
   */
  supply(actions: ArrayLike<number>, rows: number, masks: Uint8Array | null, who: (row: number) => string): void {
    const { continuousSize: C, branches, size: A, maskSize } = this.actionSpec;
    if (actions.length !== rows * A) {
      throw new EnvError(`expected ${rows} action rows of ${A} values (${this.actionSpec}: ${C} continuous, then ${branches.length} discrete), got ${actions.length} values`);
    }
    for (let i = 0; i < rows; i++) {
      for (let d = 0; d < C; d++) {
        const a = actions[i * A + d]!;
        if (typeof a !== 'number' || !Number.isFinite(a)) throw new EnvError(`${who(i)}: continuous action ${d} is ${String(a)}; expected a finite number`);
      }
      let start = 0;
      for (let b = 0; b < branches.length; b++) {
        const a = actions[i * A + C + b]!;
        const nb = branches[b]!;
        if (!Number.isInteger(a) || a < 0 || a >= nb) throw new EnvError(`${who(i)}: discrete action ${b} is ${String(a)}; expected an integer in [0, ${nb - 1}] for ${this.actionSpec}`);
        if (masks && masks[i * maskSize + start + a] === 0) throw new EnvError(`${who(i)}: discrete action ${b} = ${a} is masked off at this decision`);
        start += nb;
      }
    }
    if (this.actions.length < rows * A) this.actions = new Float32Array(rows * A);
    for (let k = 0; k < rows * A; k++) this.actions[k] = actions[k]!;
    this.supplied = true;
  }

  act(batch: AgentBatch, _obs: Float32Array, _masks: Uint8Array | null): void {
    if (!this.supplied) throw new EnvError(`behavior '${batch.name}': a remote decision ran without actions supplied`);
    const { continuousSize: C, size: A, low, high } = this.actionSpec;
    const n = batch.size;
    for (let i = 0; i < n; i++) {
      const { actions } = batch.slots[i]!;
      for (let d = 0; d < C; d++) actions.continuous[d] = Math.min(Math.max(this.actions[i * A + d]!, low[d]!), high[d]!);
      for (let b = 0; b < actions.discrete.length; b++) actions.discrete[b] = this.actions[i * A + C + b]!;
    }
    this.supplied = false;
  }
}
