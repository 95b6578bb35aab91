/**
 * Records a behavior's decisions as a {@link DemonstrationData}: what behaviour cloning and GAIL
 * learn from (ML-Agents' DemonstrationRecorder). The runner calls it at each decision, so it sees
 * what the game saw: raw observations (before normalization), the action the agents received
 * (continuous values clipped to the spec, discrete choices), the mask, and then the decision's
 * reward and how the episode stood after it.
 *
 * Each agent fills an episode of its own; a finished episode is appended to the demonstration
 * whole, so episodes are contiguous even with many agents deciding in lockstep. An agent is
 * recorded from the start of its next episode (a demonstration holds whole episodes only, so its
 * count and mean return mean what they say); an episode still running when recording stops, or
 * whose agent leaves, is not kept. Buffers grow by doubling and are reused: nothing is allocated
 * per decision once they are big enough.
 */
import { EnvError } from '../core/errors.js';
import type { Space } from '../core/spaces.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import type { ActionSpec } from './action-spec.js';
import { CONTINUING, type AgentBatch } from './agent-batch.js';

/** Counts of a recording so far: what a page shows while the player records. */
export interface RecordingCounts {
  /** Whole episodes recorded. */
  episodes: number;
  /** Decisions in those episodes. */
  steps: number;
  /** Mean of their returns (sum of rewards), or 0 before the first. */
  meanReturn: number;
  /** Return of the episode that just ended. */
  lastReturn: number;
}

export interface DemonstrationRecorderOptions {
  /** The behavior's name (the demonstration's `behavior`). */
  behavior: string;
  observationSize: number;
  actionSpec: ActionSpec;
  /** Called after each recorded episode with the counts so far (the same object each time: read it, do not keep it). */
  onEpisode?: ((counts: Readonly<RecordingCounts>) => void) | undefined;
  /**
   * Stop keeping episodes once this many decisions are recorded (a cap on memory; an episode
   * longer than this is never kept). Default 1,000,000.
   */
  maxSteps?: number;
  /** Keep at most this many episodes (later ones are dropped). Default unlimited. */
  maxEpisodes?: number;
}

/** Decisions of a growing table of rows: observations, actions, masks, rewards, ends. */
class DecisionRows {
  length = 0;
  capacity = 0;
  obs = new Float32Array(0);
  actions = new Float32Array(0);
  masks = new Uint8Array(0);
  rewards = new Float32Array(0);
  ends = new Uint8Array(0);

  constructor(private readonly O: number, private readonly A: number, private readonly M: number) {}

  /** Room for `rows` rows, doubling (contents kept). */
  ensure(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = Math.max(rows, this.capacity * 2, 16);
    const grow = <T extends Float32Array | Uint8Array>(old: T, width: number, make: (n: number) => T): T => {
      const next = make(cap * width);
      next.set(old.subarray(0, this.length * width));
      return next;
    };
    this.obs = grow(this.obs, this.O, (n) => new Float32Array(n));
    this.actions = grow(this.actions, this.A, (n) => new Float32Array(n));
    this.masks = grow(this.masks, this.M, (n) => new Uint8Array(n));
    this.rewards = grow(this.rewards, 1, (n) => new Float32Array(n));
    this.ends = grow(this.ends, 1, (n) => new Uint8Array(n));
    this.capacity = cap;
  }

  /** Appends all of `from`'s rows. */
  append(from: DecisionRows): void {
    const n = from.length;
    this.ensure(this.length + n);
    const at = this.length;
    const { O, A, M } = this;
    this.obs.set(from.obs.subarray(0, n * O), at * O);
    this.actions.set(from.actions.subarray(0, n * A), at * A);
    this.masks.set(from.masks.subarray(0, n * M), at * M);
    this.rewards.set(from.rewards.subarray(0, n), at);
    this.ends.set(from.ends.subarray(0, n), at);
    this.length += n;
  }
}

/**
 * One behavior's recording. The runner drives it ({@link BehaviorRunner.startRecording}); a game
 * reads {@link counts} or gets `onEpisode`, and takes the result with {@link data}.
 */
export class DemonstrationRecorder {
  readonly behavior: string;
  readonly actionSpace: Space;
  readonly observationSize: number;
  /** Counts so far (updated in place). */
  readonly counts: RecordingCounts = { episodes: 0, steps: 0, meanReturn: 0, lastReturn: 0 };
  /** Whether any recorded agent masked its choices (then the data carries masks). */
  private masked = false;
  private readonly store: DecisionRows;
  /** The episode each batch row is recording; null while the row waits for its next episode. */
  private rows: (DecisionRows | null)[] = [];
  /** Episode tables of agents that left or finished, reused for the next ones. */
  private spare: DecisionRows[] = [];
  private returnSum = 0;
  private readonly maxSteps: number;
  private readonly maxEpisodes: number;
  private readonly options: DemonstrationRecorderOptions;
  private readonly C: number;
  private readonly A: number;
  private readonly M: number;

  constructor(options: DemonstrationRecorderOptions) {
    const maxSteps = options.maxSteps ?? 1_000_000;
    if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new EnvError(`behavior '${options.behavior}': recording maxSteps must be a positive integer, got ${maxSteps}`);
    const maxEpisodes = options.maxEpisodes ?? Number.POSITIVE_INFINITY;
    if (maxEpisodes !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxEpisodes) || maxEpisodes < 1)) {
      throw new EnvError(`behavior '${options.behavior}': recording maxEpisodes must be a positive integer, got ${maxEpisodes}`);
    }
    this.options = options;
    this.maxSteps = maxSteps;
    this.maxEpisodes = maxEpisodes;
    this.behavior = options.behavior;
    this.actionSpace = options.actionSpec.space;
    this.observationSize = options.observationSize;
    this.C = options.actionSpec.continuousSize;
    this.A = options.actionSpec.size;
    this.M = options.actionSpec.maskSize;
    this.store = this.table();
  }

  /** Whether the step or episode cap is reached: later episodes are not kept. */
  get full(): boolean {
    return this.store.length >= this.maxSteps || this.counts.episodes >= this.maxEpisodes;
  }

  /**
   * After the batch's `closeTransitions`: the decision each recording agent took last gets its
   * reward and end; an ended episode is kept. Rows whose episode begins at this decision (new
   * agents, ended episodes) start recording.
   */
  close(batch: AgentBatch): void {
    const { slots, rewards, ends } = batch;
    const n = slots.length;
    while (this.rows.length < n) this.rows.push(null);
    for (let i = 0; i < n; i++) {
      let ep = this.rows[i]!;
      if (ep && ep.length > 0) {
        const last = ep.length - 1;
        ep.rewards[last] = rewards[i]!;
        ep.ends[last] = ends[i]!;
        if (ends[i] !== CONTINUING) {
          this.keep(ep);
          ep.length = 0;
        }
      }
      const begins = !slots[i]!.started || ends[i] !== CONTINUING;
      if (!ep && begins) {
        ep = this.spare.pop() ?? this.table();
        ep.length = 0;
        this.rows[i] = ep;
      }
    }
  }

  /**
   * After the policy acted: each recording agent's observation, action and mask as a new row.
   * Plain loops, no subarray views: this runs at every decision of the game loop.
   */
  record(batch: AgentBatch, masks: Uint8Array | null): void {
    const { slots, rawObs } = batch;
    const O = this.observationSize;
    const { C, A, M } = this;
    // Full: nothing more would be kept, so nothing more is copied (or grown).
    if (this.full) return;
    if (masks) this.masked = true;
    for (let i = 0; i < slots.length; i++) {
      const ep = this.rows[i];
      if (!ep) continue;
      if (ep.length >= this.maxSteps) {
        // An episode longer than the cap could never be kept whole: drop it, wait for the next.
        ep.length = 0;
        this.rows[i] = null;
        this.spare.push(ep);
        continue;
      }
      ep.ensure(ep.length + 1);
      const r = ep.length++;
      for (let k = 0; k < O; k++) ep.obs[r * O + k] = rawObs[i * O + k]!;
      const { continuous, discrete } = slots[i]!.actions;
      for (let d = 0; d < C; d++) ep.actions[r * A + d] = continuous[d]!;
      for (let b = 0; b < discrete.length; b++) ep.actions[r * A + C + b] = discrete[b]!;
      for (let k = 0; k < M; k++) ep.masks[r * M + k] = masks ? masks[i * M + k]! : 1;
      ep.rewards[r] = 0;
      ep.ends[r] = CONTINUING;
    }
  }

  /** The agent at batch row `row` leaves: its unfinished episode is dropped. */
  leave(row: number): void {
    if (row >= this.rows.length) return;
    const [ep] = this.rows.splice(row, 1);
    if (ep) this.spare.push(ep);
  }

  /**
   * The recorded episodes as a demonstration (copies: recording may go on). Masks are null when
   * no agent masked its choices.
   */
  data(): DemonstrationData {
    const s = this.store;
    const n = s.length;
    return {
      behavior: this.behavior,
      observationSize: this.observationSize,
      actionSpace: this.actionSpace,
      steps: n,
      observations: s.obs.slice(0, n * this.observationSize),
      actions: s.actions.slice(0, n * this.A),
      masks: this.masked && this.M > 0 ? s.masks.slice(0, n * this.M) : null,
      rewards: s.rewards.slice(0, n),
      ends: s.ends.slice(0, n),
    };
  }

  private keep(ep: DecisionRows): void {
    if (this.full) return;
    this.store.append(ep);
    let ret = 0;
    for (let k = 0; k < ep.length; k++) ret += ep.rewards[k]!;
    const c = this.counts;
    c.episodes++;
    c.steps = this.store.length;
    c.lastReturn = ret;
    this.returnSum += ret;
    c.meanReturn = this.returnSum / c.episodes;
    this.options.onEpisode?.(c);
  }

  private table(): DecisionRows {
    return new DecisionRows(this.observationSize, this.A, this.M);
  }
}
