/**
 * ELO per behavior for asymmetric games (chase's pack against its runner): each behavior has one
 * rating, its opponent is the other behaviors' current policies (their mean rating), and every
 * finished episode is a game result from its behavior's side (`Agent.setResult`, or the sign of
 * its return when the game never says). A round reported by both sides counts once in all: each
 * side's reports of one copy's round weigh ½ shared among that side's agents in the copy.
 */
import type { GameResult } from '../adapter/agent.js';
import { PhaserPpoError } from '../core/errors.js';
import { ELO_K, INITIAL_ELO, eloChange, resultOfReturn, scoreOf } from './elo.js';

/** What a finished episode says for the ratings: its behavior, its result (null: read from `return`), its return. */
export interface RatedEpisode {
  result: GameResult | null;
  return: number;
}

/**
 * ELO per behavior of a game whose behaviors play each other. `FastTrainer` keeps one for a game
 * of two behaviors or more and reports it as `FastUpdate.ratings` (and each behavior's own as `FastUpdate.elo`).
 *
 * @example
 * const elo = new BehaviorRatings({ chase: 4, runner: 1 }); // agents of each per arena
 * runnerBehavior.onEpisodeEnd = (e) => elo.record('runner', e); // e.result: 'win' | 'loss' | …
 * console.log(elo.toJSON()); // { chase: 1204, runner: 1196 }
 */
export class BehaviorRatings {
  private readonly ratings = new Map<string, number>();
  /** Weight of one episode of each behavior: ½ over its agents per copy. */
  private readonly weights = new Map<string, number>();
  /** Games (rounds) counted so far, each side's reports together. */
  games = 0;

  /**
   * `agentsPerCopy`: each behavior's agents in one copy of the game (chase: 4 chasers, 1 runner).
   * Needs two behaviors or more.
   */
  constructor(agentsPerCopy: Readonly<Record<string, number>>, initial = INITIAL_ELO) {
    const names = Object.keys(agentsPerCopy);
    if (names.length < 2) throw new PhaserPpoError(`BehaviorRatings: ELO needs two behaviors or more that play each other, got ${names.length}`);
    for (const name of names) {
      const n = agentsPerCopy[name]!;
      if (!(n > 0)) throw new PhaserPpoError(`BehaviorRatings: agentsPerCopy.${name} must be positive, got ${n}`);
      this.ratings.set(name, initial);
      this.weights.set(name, 0.5 / n);
    }
  }

  /** `behavior`'s rating now. */
  rating(behavior: string): number {
    const r = this.ratings.get(behavior);
    if (r === undefined) throw new PhaserPpoError(`BehaviorRatings: no behavior "${behavior}"; rated: ${[...this.ratings.keys()].map((n) => `"${n}"`).join(', ')}`);
    return r;
  }

  /** Sets ratings saved earlier (a resumed run's); behaviors it does not name keep theirs. */
  restore(ratings: Readonly<Record<string, number>>): void {
    for (const [name, r] of Object.entries(ratings)) {
      if (!this.ratings.has(name)) throw new PhaserPpoError(`BehaviorRatings.restore: no behavior "${name}"; rated: ${[...this.ratings.keys()].map((n) => `"${n}"`).join(', ')}`);
      if (!Number.isFinite(r)) throw new PhaserPpoError(`BehaviorRatings.restore: the rating of "${name}" must be a finite number, got ${r}`);
      this.ratings.set(name, r);
    }
  }

  /** Every behavior's rating, by name. */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.ratings);
  }

  /**
   * Records one finished episode of `behavior` against the others' current ratings: its rating
   * moves by `K · w · (score − expected)`, the others' by the opposite amount shared out.
   */
  record(behavior: string, episode: RatedEpisode): void {
    const own = this.rating(behavior);
    const w = this.weights.get(behavior)!;
    const others = [...this.ratings.keys()].filter((n) => n !== behavior);
    const opponent = others.reduce((s, n) => s + this.ratings.get(n)!, 0) / others.length;
    const change = eloChange(own, opponent, scoreOf(episode.result ?? resultOfReturn(episode.return)), ELO_K * w);
    this.ratings.set(behavior, own + change);
    for (const n of others) this.ratings.set(n, this.ratings.get(n)! - change / others.length);
    this.games += w;
  }
}
