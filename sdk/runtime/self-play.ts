/**
 * Self-play bookkeeping, as ML-Agents' ghost trainer keeps it (pure: no runner, no learner): the
 * pool of the learning policy's past weights, which snapshot the other teams play, which team
 * learns, and the ELO of the learning policy and of every snapshot.
 *
 * Every count is in the learning policy's transitions trained on (the trainer's `step`), and an
 * event happens at the first update that reaches or passes a multiple of its setting: with
 * `saveSteps: 20_000` snapshots join at the updates that cross 20,000, 40,000, ... (a resumed run
 * keeps that schedule).
 *
 * - Pool: starts with the initial weights; a snapshot (a copy of the weights, with the learner's
 *   ELO at that moment) joins every `saveSteps`, replacing the oldest once `window` are kept.
 * - Opponent: drawn every `swapSteps` and at each team change: with chance
 *   `playAgainstLatestModelRatio` a frozen copy of the latest weights, else a pool snapshot
 *   (uniformly). The draws come from a seeded RNG saved with the state.
 * - Team: the learning team moves to the next team (0, 1, …, teams − 1, 0, …) every `teamChange`.
 * - ELO: after each game of a learning-team agent, its score (win 1, draw ½, loss 0; from
 *   `Agent.setResult`, else from the sign of the episode's return) moves the learner's rating by
 *   `eloChange` and the opponent snapshot's by the opposite amount. A game against the latest
 *   weights leaves the rating as it was (ML-Agents: the latest policy is the last entry of its
 *   rating list, and both changes land on it).
 */
import type { GameResult } from '../adapter/agent.js';
import { Rng } from '../core/rng.js';
import { PhaserPpoError } from '../core/errors.js';
import type { SelfPlayConfig } from '../rl/config.js';
import { eloChange, resultOfReturn, scoreOf } from './elo.js';

/** Observation statistics as JSON (`RunningMeanStd.toJSON()`). */
export interface StatsJsonLike { mean: number[]; var: number[]; count: number }

/** Weights that can act for the opponents: a snapshot's, or the latest copied at a swap. */
export interface SelfPlayWeights {
  params: Float32Array;
  /** The learner's weights version they were copied at. */
  version: number;
  observationStats: StatsJsonLike | null;
}

/** One snapshot in the pool. */
export interface SelfPlaySnapshot extends SelfPlayWeights {
  elo: number;
}

/** What {@link SelfPlay.afterUpdate} changed: the trainer acts on each. */
export interface SelfPlayEvents {
  saved: boolean;
  /** A new opponent was drawn: the other teams act with {@link SelfPlay.opponentWeights} from now on. */
  swapped: boolean;
  /** The learning team changed to {@link SelfPlay.learningTeam}. */
  teamChanged: boolean;
}

/** The state as JSON (a checkpoint's `training.selfPlay`); weights as plain arrays, exact for float32. */
export interface SelfPlayStateJson {
  teams: number;
  step: number;
  elo: number;
  learningTeam: number;
  /** Where the next snapshot goes in `pool` (a ring, as ML-Agents' `snapshot_counter`). */
  next: number;
  /** The pool index the opponents play, or -1 for a copy of the latest weights. */
  opponent: number;
  opponentWeights: { params: number[]; version: number; observationStats: StatsJsonLike | null };
  pool: { params: number[]; version: number; elo: number; observationStats: StatsJsonLike | null }[];
  rng: number[];
  games: number;
}

function copyWeights(w: SelfPlayWeights): SelfPlayWeights {
  return {
    params: Float32Array.from(w.params), version: w.version,
    observationStats: w.observationStats ? { mean: [...w.observationStats.mean], var: [...w.observationStats.var], count: w.observationStats.count } : null,
  };
}

/**
 * @example
 * const sp = new SelfPlay(resolveConfig({ selfPlay: { saveSteps: 10_000 } }).selfPlay!, { seed: 1, teams: 2, initial });
 * // after each update:   const ev = sp.afterUpdate(trainer.step, latestWeights);
 * //                      if (ev.swapped) opponents.setParams(sp.opponentWeights.params, …);
 * // each learning game:  sp.recordEpisode(episode);
 * console.log(sp.elo);
 */
export class SelfPlay {
  readonly settings: SelfPlayConfig;
  /** Teams playing (ids 0 … teams − 1). */
  readonly teams: number;
  private step = 0;
  private rating: number;
  private team = 0;
  private next = 0;
  private current = 0;
  private opponentCopy: SelfPlayWeights;
  private readonly snapshots: SelfPlaySnapshot[] = [];
  private readonly rng: Rng;
  private played = 0;

  /** A fresh run: the pool holds the `initial` weights, which the opponents play first. */
  constructor(settings: SelfPlayConfig, options: { seed: number; teams: number; initial: SelfPlayWeights; step?: number }) {
    if (!Number.isInteger(options.teams) || options.teams < 2) {
      throw new PhaserPpoError(`self-play needs agents on at least two teams (Agent option team: 0, 1, …); the behavior's agents are on ${options.teams} team${options.teams === 1 ? '' : 's'}`);
    }
    this.settings = { ...settings };
    this.teams = options.teams;
    this.rating = settings.initialElo;
    this.step = options.step ?? 0;
    // Its own stream, apart from the learner's and the actors' (seed offset as the runner's + 1).
    this.rng = new Rng(options.seed + 7919);
    this.snapshots.push({ ...copyWeights(options.initial), elo: settings.initialElo });
    this.next = 1 % settings.window;
    this.opponentCopy = copyWeights(options.initial);
  }

  /** The learning policy's ELO. */
  get elo(): number {
    return this.rating;
  }

  /** The team whose agents learn now. */
  get learningTeam(): number {
    return this.team;
  }

  /** Pool index the opponents play, or -1 when they play a copy of the latest weights. */
  get opponent(): number {
    return this.current;
  }

  /** ELO of the opponent now (the learner's own when it is the latest weights). */
  get opponentElo(): number {
    return this.current < 0 ? this.rating : this.snapshots[this.current]!.elo;
  }

  /** The weights the other teams act with now (do not modify). */
  get opponentWeights(): SelfPlayWeights {
    return this.opponentCopy;
  }

  /** The pool, in ring order (do not modify). */
  get pool(): readonly SelfPlaySnapshot[] {
    return this.snapshots;
  }

  /** Games scored so far. */
  get games(): number {
    return this.played;
  }

  /** Scores one game of the learning team against the current opponent; returns the learner's ELO change. */
  recordResult(result: GameResult): number {
    const change = eloChange(this.rating, this.opponentElo, scoreOf(result));
    this.played++;
    // Against the latest weights both changes land on the learner's own rating (net 0), as in ML-Agents.
    if (this.current < 0) return 0;
    this.rating += change;
    this.snapshots[this.current]!.elo -= change;
    return change;
  }

  /**
   * Scores a finished episode when its agent plays for the learning team (other teams' episodes
   * are the opponents' and score nothing): `result` when the game set one, else the sign of the
   * return. Returns the ELO change (0 when not scored).
   */
  recordEpisode(e: { team: number; result: GameResult | null; return: number }): number {
    if (e.team !== this.team) return 0;
    return this.recordResult(e.result ?? resultOfReturn(e.return));
  }

  /**
   * Moves the step count to `step` after an update whose new weights are `latest`: saves a
   * snapshot, changes team and draws an opponent where `step` reached the next multiple of their
   * settings. Copies what it keeps.
   */
  afterUpdate(step: number, latest: SelfPlayWeights): SelfPlayEvents {
    if (!(step >= this.step)) throw new PhaserPpoError(`self-play: steps go forward only (at ${this.step}, given ${step})`);
    const { saveSteps, swapSteps, teamChange, window } = this.settings;
    const crossed = (every: number) => Math.floor(step / every) > Math.floor(this.step / every);
    const saved = crossed(saveSteps);
    const teamChanged = crossed(teamChange);
    const swapped = teamChanged || crossed(swapSteps);
    this.step = step;
    if (saved) {
      const snap = { ...copyWeights(latest), elo: this.rating };
      // A ring as ML-Agents' `snapshot_counter`: appends while filling, then replaces the oldest.
      // An opponent whose slot is replaced keeps acting until the next draw; its games rate the new
      // snapshot in that slot, as in ML-Agents.
      if (this.next < this.snapshots.length) this.snapshots[this.next] = snap;
      else this.snapshots.push(snap);
      this.next = (this.next + 1) % window;
    }
    if (teamChanged) this.team = (this.team + 1) % this.teams;
    if (swapped) this.draw(latest);
    return { saved, swapped, teamChanged };
  }

  private draw(latest: SelfPlayWeights): void {
    if (this.rng.next() < this.settings.playAgainstLatestModelRatio) {
      this.current = -1;
      this.opponentCopy = copyWeights(latest);
    } else {
      this.current = this.rng.int(this.snapshots.length);
      this.opponentCopy = copyWeights(this.snapshots[this.current]!);
    }
  }

  /** The state as JSON, for a checkpoint ({@link SelfPlay.fromJSON} restores it exactly). */
  toJSON(): SelfPlayStateJson {
    const w = (x: SelfPlayWeights) => ({ params: Array.from(x.params), version: x.version, observationStats: copyWeights(x).observationStats });
    return {
      teams: this.teams, step: this.step, elo: this.rating, learningTeam: this.team, next: this.next, opponent: this.current,
      opponentWeights: w(this.opponentCopy), pool: this.snapshots.map((s) => ({ ...w(s), elo: s.elo })), rng: this.rng.getState(), games: this.played,
    };
  }

  /** Restores a state saved by {@link SelfPlay.toJSON}, checking it fits `settings` and `paramCount`. */
  static fromJSON(settings: SelfPlayConfig, json: SelfPlayStateJson, paramCount: number): SelfPlay {
    const bad = (what: string): never => { throw new PhaserPpoError(`checkpoint training.selfPlay: ${what}`); };
    if (!json || typeof json !== 'object') bad('expected an object');
    const { pool, opponentWeights } = json;
    if (!Array.isArray(pool) || pool.length < 1) bad('pool: expected at least one snapshot');
    if (pool.length > settings.window) bad(`pool holds ${pool.length} snapshots, more than selfPlay.window ${settings.window}`);
    for (const [i, s] of [...pool.map((p, i) => [`pool[${i}]`, p] as const), ['opponentWeights', opponentWeights] as const]) {
      if (!s || !Array.isArray(s.params) || s.params.length !== paramCount || !s.params.every(Number.isFinite)) bad(`${i}.params: expected ${paramCount} finite numbers (the network's parameters)`);
    }
    if (!Number.isInteger(json.teams) || json.teams < 2) bad(`teams: expected an integer ≥ 2, got ${String(json.teams)}`);
    if (!Number.isInteger(json.learningTeam) || json.learningTeam < 0 || json.learningTeam >= json.teams) bad(`learningTeam: expected 0 … ${json.teams - 1}, got ${String(json.learningTeam)}`);
    if (!Number.isInteger(json.opponent) || json.opponent < -1 || json.opponent >= pool.length) bad(`opponent: expected -1 … ${pool.length - 1}, got ${String(json.opponent)}`);
    if (!Number.isInteger(json.next) || json.next < 0 || json.next >= settings.window) bad(`next: expected 0 … ${settings.window - 1}, got ${String(json.next)}`);
    if (!Number.isFinite(json.elo) || !pool.every((s) => Number.isFinite(s.elo))) bad('elo: expected finite ratings');
    const sp = new SelfPlay(settings, { seed: 0, teams: json.teams, initial: { params: Float32Array.from(pool[0]!.params), version: pool[0]!.version, observationStats: pool[0]!.observationStats } });
    sp.snapshots.length = 0;
    for (const s of pool) sp.snapshots.push({ params: Float32Array.from(s.params), version: s.version, elo: s.elo, observationStats: s.observationStats });
    sp.opponentCopy = { params: Float32Array.from(opponentWeights.params), version: opponentWeights.version, observationStats: opponentWeights.observationStats };
    sp.step = json.step;
    sp.rating = json.elo;
    sp.team = json.learningTeam;
    sp.next = json.next;
    sp.current = json.opponent;
    sp.played = json.games;
    try {
      sp.rng.setState([...json.rng]);
    } catch {
      bad('rng: expected the 6 numbers of Rng.getState()');
    }
    return sp;
  }
}
