/**
 * ELO ratings for self-play, as ML-Agents keeps them: the learning policy and each snapshot in
 * the pool have a rating; after every finished game the learner's rating moves by
 * `K · (score − expected)` and the opponent's by the opposite amount.
 */
import type { GameResult } from '../adapter/agent.js';

/** ML-Agents' K factor (`compute_elo_rating_changes`). */
export const ELO_K = 16;

/** ML-Agents' starting rating (`self_play.initial_elo`). */
export const INITIAL_ELO = 1200;

/** The score a result counts for: win 1, draw ½, loss 0. */
export function scoreOf(result: GameResult): number {
  return result === 'win' ? 1 : result === 'draw' ? 0.5 : 0;
}

/** A result from an episode's return, for games that never call `setResult`: its sign. */
export function resultOfReturn(episodeReturn: number): GameResult {
  return episodeReturn > 0 ? 'win' : episodeReturn < 0 ? 'loss' : 'draw';
}

/** The score player `a` is expected to make against `b`: 1 / (1 + 10^((b − a) / 400)). */
export function eloExpected(a: number, b: number): number {
  return 1 / (1 + 10 ** ((b - a) / 400));
}

/** How much `a`'s rating moves after a game against `b` that `a` scored `score` in (`b`'s moves by minus this). */
export function eloChange(a: number, b: number, score: number, k = ELO_K): number {
  return k * (score - eloExpected(a, b));
}
