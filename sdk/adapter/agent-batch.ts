/**
 * The agents of one behavior as a batch: who is in it (joining and leaving at any time, even from
 * an agent's own hook), when it decides (the cadence), what each agent observes (collected into
 * one row per agent and validated), and each agent's episodes (rewards closed per decision, ends,
 * records). It knows nothing of policies, networks or rollouts: the runner composes it with those.
 *
 * Rows keep join order, and a leaving agent's row is spliced out; the rollout writer relies on
 * that: the agents recorded by an open rollout are always the batch's first rows.
 */
import type { ObservationInput } from '../rl/conv.js';
import { EnvError } from '../core/errors.js';
import type { EpisodeRecord } from '../core/vec-env.js';
import { ActionBuffers, ActionMaskWriter, type ActionSpec } from './action-spec.js';
import { AGENT_RUNTIME, Agent, type AgentRuntime, type GameResult } from './agent.js';
import { ObservationRowWriter } from './observation-writer.js';

/** One finished episode of one agent. `length` counts decisions (transitions); `ticks` counts physics steps. */
export interface AgentEpisode extends EpisodeRecord {
  agent: string;
  ticks: number;
  end: 'terminated' | 'truncated';
  /** The agent's team (see `Agent.team`). */
  team: number;
  /** What the game said with `Agent.setResult`, or null when it said nothing this episode. */
  result: GameResult | null;
}

/** How an agent's transition closed at this decision (`AgentBatch.ends`). */
export const CONTINUING = 0;
/** The agent called `endEpisode()`: a terminal state. */
export const TERMINATED = 1;
/** The agent reached `maxSteps`: a time limit, bootstrapped by the learner. */
export const TRUNCATED = 2;

/** Episodes kept for {@link AgentBatch.drainEpisodes} when nobody drains them. */
const MAX_QUEUED_EPISODES = 10_000;

/** One agent's row in the batch. */
export interface AgentSlot {
  readonly agent: Agent;
  readonly rt: AgentRuntime;
  /** The action the game gets, repeated until the next decision. */
  readonly actions: ActionBuffers;
  /** Its first episode has begun (it has acted at least once). */
  started: boolean;
  /** `behavior 'b', agent 'a'` for messages, rebuilt only if the agent is renamed. */
  who: string;
  whoName: string;
}

export interface AgentBatchOptions {
  /** The behavior's name, in messages and default agent names. */
  name: string;
  /** Values each agent's `collectObservations` writes (sensors come on top). */
  observationSize: number;
  actionSpec: ActionSpec;
  /** Called when an agent's episode ends. */
  onEpisodeEnd?: ((episode: AgentEpisode) => void) | undefined;
  /** Called when the agent at `row` leaves, before the rows after it move up. */
  onLeave?: ((row: number) => void) | undefined;
}

/**
 * Membership, cadence, observations and episodes of one behavior's agents. Buffers hold one row
 * per agent and grow with {@link reserve}; nothing is allocated per tick.
 */
export class AgentBatch {
  readonly name: string;
  /** Values per observation row (`collectObservations` plus sensors); -1 until the first agent joins. */
  observationSize = -1;
  /** The agents' rows, in join order. */
  readonly slots: AgentSlot[] = [];
  /** Rows the buffers hold. */
  capacity = 0;
  /** Raw observations, one row per agent, as this decision collected them. */
  rawObs = new Float32Array(0);
  /** Per row at this decision: {@link CONTINUING}, {@link TERMINATED} or {@link TRUNCATED}. */
  ends = new Uint8Array(0);
  /** Per row: the reward of the transition this decision closes (summed over its ticks). */
  rewards = new Float32Array(0);
  /** Ticks since the last decision. */
  ticksSinceDecision = 0;

  private readonly options: AgentBatchOptions;
  private readonly writer = new ObservationRowWriter();
  private readonly maskWriter: ActionMaskWriter;
  private masks = new Uint8Array(0);
  /** Reused for every shouldRequestDecision call. */
  private readonly ctx: { stepCount: number; ticksSinceDecision: number } = { stepCount: 0, ticksSinceDecision: 0 };
  private locked = false;
  private pendingJoins: Agent[] = [];
  private pendingLeaves: Agent[] = [];
  /** Agents that ever joined: the index in a default agent name. */
  private joins = 0;
  private episodes: AgentEpisode[] = [];

  constructor(options: AgentBatchOptions) {
    this.options = options;
    this.name = options.name;
    this.maskWriter = new ActionMaskWriter(options.actionSpec);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Whether any agent masks its choices (implements `writeActionMask`). */
  get masked(): boolean {
    for (const s of this.slots) if (typeof s.agent.writeActionMask === 'function') return true;
    return false;
  }

  /** Whether a tick is running: joins and leaves wait for its end. */
  get ticking(): boolean {
    return this.locked;
  }

  /** Rejects an agent that cannot join (not an Agent, already in a behavior, bad settings or size). */
  checkJoin(agent: Agent): void {
    const who = this.who(agent);
    if (!(agent instanceof Agent)) throw new EnvError(`behavior '${this.name}': addAgent needs an Agent subclass instance`);
    const rt = agent[AGENT_RUNTIME];
    if (rt.owner === this) throw new EnvError(`${who}: already added`);
    if (rt.owner !== null) throw new EnvError(`${who}: already belongs to another behavior; remove it there first`);
    if (!Number.isInteger(agent.maxSteps) || agent.maxSteps < 0) throw new EnvError(`${who}: maxSteps must be a non-negative integer (0 = unlimited), got ${agent.maxSteps}`);
    if (!Number.isInteger(agent.decisionPeriod) || agent.decisionPeriod < 1) throw new EnvError(`${who}: decisionPeriod must be a positive integer, got ${agent.decisionPeriod}`);
  }

  /** Rejects an agent whose observation size differs from the batch's. */
  checkSize(agent: Agent): void {
    const size = this.observationSizeOf(agent);
    if (this.observationSize >= 0 && size !== this.observationSize) throw this.sizeError(agent, size);
  }

  /**
   * Adds a checked agent (see {@link checkJoin}): at once, or at the end of the running tick. It
   * begins its first episode at the next decision. Without a name of its own it is named
   * `<behavior>#<join index>`: a class name would not survive minification.
   */
  join(agent: Agent): void {
    if (this.observationSize < 0) this.observationSize = this.observationSizeOf(agent);
    this.adopt(agent);
    if (this.locked) this.pendingJoins.push(agent);
    else this.insert(agent);
  }

  /**
   * A checked agent (see {@link checkJoin}) takes `old`'s row, between ticks: a scene that
   * restarts on game over builds new agents for the same seats. The episode `old` was playing
   * closes at the next decision as if `old` were still there (its reward since the last decision,
   * its end; one it had not ended is cut, a truncation bootstrapped from `next`'s first
   * observation), then `next` begins its first episode. The row stays, so an open rollout keeps
   * its column (a leave would drop it). False, and nothing done, when `old` is not in this batch
   * or a tick is running.
   */
  replace(old: Agent, next: Agent): boolean {
    const was = old[AGENT_RUNTIME];
    const i = this.locked || was.owner !== this ? -1 : this.slots.findIndex((s) => s.agent === old);
    if (i < 0) return false;
    const slot = this.slots[i]!;
    was.owner = null;
    this.adopt(next);
    const rt = next[AGENT_RUNTIME];
    rt.pendingReward = was.pendingReward;
    rt.episodeReturn = was.episodeReturn;
    rt.stepCount = was.stepCount;
    rt.decisions = was.decisions;
    rt.result = was.result;
    rt.endRequested = was.endRequested;
    rt.interruptRequested = slot.started && !was.endRequested;
    rt.decisionRequested = slot.started;
    this.slots[i] = { agent: next, rt, actions: slot.actions, started: slot.started, who: this.who(next), whoName: next.name };
    return true;
  }

  /** Makes the batch `agent`'s owner, naming it `<behavior>#<join index>` when it has no name of its own. */
  private adopt(agent: Agent): void {
    const rt = agent[AGENT_RUNTIME];
    if (rt.defaultName !== null && agent.name === rt.defaultName) agent.name = `${this.name}#${this.joins}`;
    rt.defaultName = null;
    this.joins++;
    rt.owner = this;
  }

  /** Removes an agent (its episode is dropped unrecorded); false if it is not in this batch. */
  leave(agent: Agent): boolean {
    const rt = agent[AGENT_RUNTIME];
    if (rt.owner !== this) return false;
    rt.owner = null;
    if (this.locked) this.pendingLeaves.push(agent);
    else this.extract(agent);
    return true;
  }

  /** Starts a tick: joins and leaves from now on wait for {@link unlock}. */
  lock(): void {
    if (this.locked) throw new EnvError(`behavior '${this.name}': tick() called from inside a tick (from an agent hook?)`);
    this.locked = true;
  }

  /** Ends a tick and applies the joins and leaves made during it (leaves first). */
  unlock(): void {
    this.locked = false;
    if (this.pendingJoins.length === 0 && this.pendingLeaves.length === 0) return;
    const joins = this.pendingJoins;
    const leaves = this.pendingLeaves;
    this.pendingJoins = [];
    this.pendingLeaves = [];
    for (const a of leaves) this.extract(a);
    for (const a of joins) if (a[AGENT_RUNTIME].owner === this) this.insert(a);
  }

  /** Grows the per-row buffers to `capacity` rows (contents are per decision, not kept). */
  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    this.rawObs = new Float32Array(capacity * this.observationSize);
    this.ends = new Uint8Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.masks = new Uint8Array(capacity * this.options.actionSpec.maskSize);
  }

  /**
   * Whether the coming tick is a decision: when any agent is new, ended its episode, asked with
   * `requestDecision()`, reached `maxSteps`, or says so in `shouldRequestDecision` (lockstep).
   */
  needsDecision(): boolean {
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

  /**
   * First step of a decision: every agent that acted observes (its next state, or the last one of
   * an ending episode) and its transition closes: {@link rewards} and {@link ends} per row.
   * Observing comes first so an agent may still call endEpisode() from collectObservations.
   */
  closeTransitions(): void {
    const n = this.slots.length;
    for (const s of this.slots) s.rt.decisionRequested = false;
    for (let i = 0; i < n; i++) if (this.slots[i]!.started) this.collect(i);
    for (let i = 0; i < n; i++) {
      const { agent, rt, started } = this.slots[i]!;
      this.ends[i] = CONTINUING;
      this.rewards[i] = 0;
      if (!started) continue;
      const terminated = rt.endRequested;
      const truncated = !terminated && (rt.interruptRequested || (agent.maxSteps > 0 && rt.stepCount >= agent.maxSteps));
      this.ends[i] = terminated ? TERMINATED : truncated ? TRUNCATED : CONTINUING;
      // Each reward was finite (Agent checks), but a huge one or a sum can overflow float32 to Infinity.
      if (!(Math.abs(rt.pendingReward) <= 3.4028234663852886e38)) {
        throw new EnvError(`${this.who(agent)}: the reward of this decision, ${rt.pendingReward}, is beyond float32 range (±3.4e38); rewards must stay finite in the rollout`);
      }
      this.rewards[i] = rt.pendingReward;
      rt.pendingReward = 0;
    }
  }

  /**
   * Second step: records the episodes that ended, begins new ones (also every new agent's first)
   * and observes their first state, so that {@link rawObs} holds every row's current observation.
   */
  beginEpisodes(): void {
    const n = this.slots.length;
    for (let i = 0; i < n; i++) {
      const s = this.slots[i]!;
      const { rt } = s;
      if (s.started && this.ends[i] === CONTINUING) continue;
      if (s.started) this.recordEpisode(s, this.ends[i] === TERMINATED ? 'terminated' : 'truncated');
      rt.endRequested = false;
      rt.interruptRequested = false;
      rt.pendingReward = 0;
      rt.episodeReturn = 0;
      rt.result = null;
      rt.stepCount = 0;
      rt.decisions = 0;
      for (const sensor of rt.sensors) sensor.reset();
      s.agent.onEpisodeBegin();
      s.started = true;
      this.collect(i);
    }
  }

  /** The batch's action masks (one row per agent, 1 = allowed), or null when no agent masks anything. */
  writeMasks(): Uint8Array | null {
    if (!this.masked) return null;
    const n = this.slots.length;
    const m = this.options.actionSpec.maskSize;
    for (let i = 0; i < n; i++) {
      const slot = this.slots[i]!;
      this.maskWriter.reset(this.masks, i * m, this.slotWho(slot));
      if (typeof slot.agent.writeActionMask === 'function') {
        slot.agent.writeActionMask(this.maskWriter);
        this.maskWriter.check();
      }
    }
    return this.masks;
  }

  /** Last step of a decision: counts it for every agent and restarts the cadence. */
  endDecision(): void {
    for (const s of this.slots) s.rt.decisions++;
    this.ticksSinceDecision = 0;
  }

  /** Every tick: each agent gets its current action (new on a decision tick, repeated otherwise). */
  applyActions(): void {
    for (const s of this.slots) {
      s.agent.onActionReceived(s.actions);
      s.rt.stepCount++;
    }
    this.ticksSinceDecision++;
  }

  /** Episodes finished since the last call, in completion order (at most the last 10,000). */
  drainEpisodes(): AgentEpisode[] {
    const out = this.episodes;
    this.episodes = [];
    return out;
  }

  /** `behavior 'b', agent 'a'` for the agent at a row, cached until the agent is renamed. */
  slotWho(slot: AgentSlot): string {
    if (slot.whoName !== slot.agent.name) {
      slot.whoName = slot.agent.name;
      slot.who = this.who(slot.agent);
    }
    return slot.who;
  }

  /** `behavior 'b', agent 'a'`, for messages. */
  who(agent: Agent): string {
    return `behavior '${this.name}', agent '${agent?.name}'`;
  }

  /**
   * The named inputs of `agent`'s observation row: `observations` (the collectObservations
   * values, when any), then each sensor, a grid where it declares a shape. A repeated sensor name
   * gets `#2`, `#3`... (brains match inputs by name).
   */
  observationInputsOf(agent: Agent): ObservationInput[] {
    const inputs: ObservationInput[] = [];
    const names = new Set<string>();
    const unique = (name: string) => {
      let n = name;
      for (let k = 2; names.has(n); k++) n = `${name}#${k}`;
      names.add(n);
      return n;
    };
    if (this.options.observationSize > 0) inputs.push({ name: unique('observations'), kind: 'vector', size: this.options.observationSize });
    for (const sensor of agent[AGENT_RUNTIME].sensors) {
      const shape = sensor.shape;
      if (shape) {
        if (shape.length !== 3 || shape[0] * shape[1] * shape[2] !== sensor.size) {
          throw new EnvError(`${this.who(agent)}: sensor '${sensor.name}' has shape [${[...shape].join(', ')}], which does not hold its ${sensor.size} values (rows × cols × channels must equal size)`);
        }
        inputs.push({ name: unique(sensor.name), kind: 'grid', shape: [shape[0], shape[1], shape[2]] });
      } else {
        inputs.push({ name: unique(sensor.name), kind: 'vector', size: sensor.size });
      }
    }
    return inputs;
  }

  /** Observation values of `agent`: `collectObservations` plus its sensors. */
  observationSizeOf(agent: Agent): number {
    return this.options.observationSize + agent[AGENT_RUNTIME].sensors.reduce((s, x) => s + x.size, 0);
  }

  /** Writes row i of {@link rawObs}: `collectObservations` values, then sensors; checks count and finiteness. */
  private collect(i: number): void {
    const out = this.rawObs;
    const slot = this.slots[i]!;
    const { agent, rt } = slot;
    const size = this.observationSize;
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

  private recordEpisode(s: AgentSlot, end: AgentEpisode['end']): void {
    const ep: AgentEpisode = { agent: s.agent.name, return: s.rt.episodeReturn, length: s.rt.decisions, ticks: s.rt.stepCount, end, team: s.agent.team, result: s.rt.result };
    s.rt.completedEpisodes++;
    this.episodes.push(ep);
    if (this.episodes.length > MAX_QUEUED_EPISODES) this.episodes.shift();
    this.options.onEpisodeEnd?.(ep);
  }

  private insert(agent: Agent): void {
    const rt = agent[AGENT_RUNTIME];
    rt.endRequested = false;
    rt.decisionRequested = false;
    this.slots.push({ agent, rt, actions: new ActionBuffers(this.options.actionSpec), started: false, who: this.who(agent), whoName: agent.name });
  }

  private extract(agent: Agent): void {
    const i = this.slots.findIndex((s) => s.agent === agent);
    if (i < 0) return;
    this.options.onLeave?.(i);
    this.slots.splice(i, 1);
  }

  private sizeError(agent: Agent, size: number): EnvError {
    const sensors = agent[AGENT_RUNTIME].sensors.map((x) => `${x.name}(${x.size})`).join(', ') || 'none';
    const expected = this.observationSize >= 0 ? this.observationSize : undefined;
    return new EnvError(`${this.who(agent)}: observation has ${size} values (collectObservations ${this.options.observationSize} + sensors ${sensors}), but the behavior expects ${expected}`);
  }
}
