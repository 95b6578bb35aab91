/**
 * One client's view of a game over the bridge: the game's copies driven by the one collector
 * (sdk/runtime/collector.ts), every behavior `remote`, so each decision pauses until the client
 * sends that behavior's actions (ML-Agents' RemotePolicy). A step supplies the paused behaviors'
 * actions and runs ticks until some behavior decides again: Gymnasium's `step`, with the same-step
 * autoreset of a vector env (an ended agent's next observation is its new episode's first; the
 * last one of the ended episode is in `final_obs`).
 */
import { BehaviorRunner, type AgentEpisode } from '../adapter/runner.js';
import { EnvError } from '../core/errors.js';
import type { Space } from '../core/spaces.js';
import { resolveConfig } from '../rl/config.js';
import { Collector } from '../runtime/collector.js';
import type { HeadlessGame } from '../runtime/game.js';

/** A client's request was wrong (sizes, names, values); nothing moved, and the session goes on. */
export class BridgeRequestError extends EnvError {
  override name = 'BridgeRequestError';
}

/** A value for an error message, cut to a readable length. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? typeof v;
  } catch {
    s = typeof v;
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Ticks a step may run without any behavior deciding before it is called stuck (a game whose agents never ask). */
export const MAX_TICKS_PER_STEP = 100_000;

/** One behavior's spaces and agents, as `env_info` sends them. */
export interface BehaviorInfo {
  name: string;
  /** Agents in the behavior now (over all copies), in row order. */
  agents: number;
  agent_names: string[];
  observation_space: { kind: 'box'; shape: [number]; low: (number | null)[]; high: (number | null)[] };
  /** The learner's action space (sdk/core/spaces.ts): one row per agent is `[continuous..., discrete...]`. */
  action_space: unknown;
  /** Width of one action row. */
  action_size: number;
}

/** One behavior's part of a reset or step reply (rows in the behavior's agent order). */
export interface BehaviorStep {
  obs: number[][];
  reward: number[];
  terminated: boolean[];
  truncated: boolean[];
  /** Rows whose episode ended at this decision → their episode's last observation. */
  final_obs: Record<string, number[]>;
  /** Allowed discrete choices per agent (1 = allowed), when the game masks any. */
  action_mask?: number[][];
  agent_names: string[];
  /** Episodes that ended since the last reply. */
  episodes: { agent: string; return: number; length: number; ticks: number; end: string; team: number; result: string | null }[];
}

/** A reset or step reply: the behaviors that await actions now (a behavior not listed acts on). */
export interface StepReply {
  behaviors: Record<string, BehaviorStep>;
  /** Ticks run by this reset or step. */
  ticks: number;
}

const jsonBound = (v: number): number | null => (Number.isFinite(v) ? v : null);

function spaceJson(space: Space): unknown {
  if (space.kind === 'box') return { kind: 'box', size: space.size, low: space.low.map(jsonBound), high: space.high.map(jsonBound) };
  if (space.kind === 'hybrid') return { kind: 'hybrid', continuous: spaceJson(space.continuous), discrete: space.discrete };
  return space;
}

/** A game's copies for one client: reset, step, and what they look like. */
export class BridgeSession {
  private collector: Collector | null = null;

  constructor(readonly game: HeadlessGame, readonly copies: number, private seed: number) {
    if (!Number.isInteger(copies) || copies < 1) throw new EnvError(`bridge: copies must be a positive integer, got ${copies}`);
  }

  /** Builds fresh copies (with `seed`, or the last one) and runs to the first decision. */
  reset(seed?: number): StepReply {
    if (seed !== undefined) {
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new BridgeRequestError(`reset: seed must be an integer from 0 to 4294967295, got ${seed}`);
      this.seed = seed;
    }
    this.collector = new Collector(this.game, {
      copies: this.copies,
      seed: this.seed,
      // The client's learner sees raw observations (it normalizes, as with any Gymnasium env).
      runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'remote', config: resolveConfig({ ...b.config, normalizeObs: false }) }),
    });
    return this.advance(0);
  }

  /** The spaces and agents of every behavior (after a reset; before one, of a probe build). */
  info(): { game: string; copies: number; seed: number; behaviors: BehaviorInfo[] } {
    const collector = this.collector ?? (this.reset(), this.collector!);
    return {
      game: this.game.name, copies: this.copies, seed: this.seed,
      behaviors: collector.runners.map((r) => {
        const size = r.spec!.observationSize;
        const declared = this.game.behaviors.find((b) => b.name === r.name)!.observationSpace;
        const low = declared && declared.size === size ? declared.low : Array<number>(size).fill(-Infinity);
        const high = declared && declared.size === size ? declared.high : Array<number>(size).fill(Infinity);
        return {
          name: r.name, agents: r.agents.length, agent_names: r.agents.map((a) => a.name),
          observation_space: { kind: 'box', shape: [size], low: low.map(jsonBound), high: high.map(jsonBound) },
          action_space: spaceJson(r.actionSpec.space), action_size: r.actionSpec.size,
        };
      }),
    };
  }

  /**
   * Gives each paused behavior its actions (`actions[name]`: one row per agent, or a flat array
   * of rows × action size) and runs until a behavior decides again. Checks everything before
   * anything moves: a bad step leaves the session where it was.
   */
  step(actions: Record<string, unknown>): StepReply {
    const collector = this.collector;
    if (!collector) throw new BridgeRequestError('step before reset: send {"type":"reset"} first');
    const awaiting = collector.runners.filter((r) => r.awaitingActions);
    for (const name of Object.keys(actions)) {
      const r = collector.runners.find((x) => x.name === name);
      if (!r) throw new BridgeRequestError(`step: actions for "${name}", which is no behavior of "${this.game.name}" (its behaviors: ${collector.runners.map((x) => `"${x.name}"`).join(', ')})`);
      if (!r.awaitingActions) throw new BridgeRequestError(`step: actions for "${name}", which is not awaiting actions now (awaiting: ${awaiting.map((x) => `"${x.name}"`).join(', ')})`);
    }
    const rows = new Map<BehaviorRunner, number[]>();
    for (const r of awaiting) {
      if (!Object.hasOwn(actions, r.name)) throw new BridgeRequestError(`step: no actions for "${r.name}", which awaits them (${r.agents.length} agents)`);
      rows.set(r, flattenActions(r.name, actions[r.name], r.agents.length, r.actionSpec.size));
    }
    // Nothing ticks until every paused behavior has accepted its rows: a bad row moves nothing
    // (rows a behavior accepted before it are replaced by the next step's).
    for (const [r, flat] of rows) {
      try {
        r.supplyActions(flat);
      } catch (err) {
        throw err instanceof EnvError ? new BridgeRequestError(`step: ${err.message}`) : err;
      }
    }
    return this.advance(1);
  }

  /** Ticks until some behavior awaits actions; `first` ticks run (the resumed one) count too. */
  private advance(first: number): StepReply {
    const collector = this.collector!;
    let ticks = 0;
    if (first > 0 && collector.tick()) ticks++;
    while (!collector.runners.some((r) => r.awaitingActions)) {
      if (ticks >= MAX_TICKS_PER_STEP) throw new EnvError(`game "${this.game.name}": no behavior asked for a decision in ${MAX_TICKS_PER_STEP.toLocaleString('en-US')} ticks`);
      if (collector.tick()) ticks++;
    }
    const behaviors: Record<string, BehaviorStep> = {};
    for (const r of collector.runners) {
      if (!r.awaitingActions) continue;
      behaviors[r.name] = behaviorStep(r.awaitedDecision, r.drainEpisodes(), r.actionSpec.maskSize);
    }
    return { behaviors, ticks };
  }
}

function behaviorStep(d: BehaviorRunner['awaitedDecision'], episodes: AgentEpisode[], maskSize: number): BehaviorStep {
  const O = d.observationSize;
  const obs: number[][] = [];
  const final: Record<string, number[]> = {};
  for (let i = 0; i < d.agents; i++) {
    obs.push(Array.from(d.observations.subarray(i * O, (i + 1) * O)));
    if (d.ends[i] !== 0) final[String(i)] = Array.from(d.finalObservations.subarray(i * O, (i + 1) * O));
  }
  const out: BehaviorStep = {
    obs,
    reward: Array.from(d.rewards.subarray(0, d.agents)),
    terminated: Array.from(d.ends.subarray(0, d.agents), (e) => e === 1),
    truncated: Array.from(d.ends.subarray(0, d.agents), (e) => e === 2),
    final_obs: final,
    agent_names: d.names,
    episodes: episodes.map((e) => ({ agent: e.agent, return: e.return, length: e.length, ticks: e.ticks, end: e.end, team: e.team, result: e.result })),
  };
  if (d.masks) out.action_mask = Array.from({ length: d.agents }, (_, i) => Array.from(d.masks!.subarray(i * maskSize, (i + 1) * maskSize)));
  return out;
}

/** One behavior's actions as a flat array: rows of `size` numbers (a bare number per row when size is 1). */
function flattenActions(name: string, raw: unknown, agents: number, size: number): number[] {
  if (!Array.isArray(raw)) throw new BridgeRequestError(`step: actions["${name}"] must be an array of ${agents} rows of ${size} numbers, got ${raw === null ? 'null' : typeof raw}`);
  if (raw.length !== agents) throw new BridgeRequestError(`step: actions["${name}"] has ${raw.length} rows; the behavior has ${agents} agents`);
  const flat: number[] = new Array<number>(agents * size);
  for (let i = 0; i < agents; i++) {
    const row: unknown = raw[i];
    if (typeof row === 'number' && size === 1) {
      flat[i] = row;
      continue;
    }
    if (!Array.isArray(row) || row.length !== size) {
      throw new BridgeRequestError(`step: actions["${name}"][${i}] must be ${size === 1 ? 'a number or ' : ''}an array of ${size} numbers, got ${Array.isArray(row) ? `${row.length} values` : show(row)}`);
    }
    for (let k = 0; k < size; k++) {
      const v: unknown = row[k];
      if (typeof v !== 'number') throw new BridgeRequestError(`step: actions["${name}"][${i}][${k}] must be a number, got ${show(v)}`);
      flat[i * size + k] = v;
    }
  }
  return flat;
}
