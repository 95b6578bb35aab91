/**
 * The one evaluation: plays brains in a game (an Env too, as a one-agent game) through the
 * {@link Collector} in inference mode with fixed weights, and reports the episodes, in named units.
 */
import { nextTask } from '../core/next-task.js';
import type { Agent } from '../adapter/agent.js';
import type { AgentEpisode } from '../adapter/runner.js';
import { PhaserPpoError } from '../core/errors.js';
import { reviveBrain, type Brain } from '../io/brain.js';
import { Collector } from './collector.js';
import { Curriculum } from './curriculum.js';
import { finalSettings, type EnvironmentParameters } from './env-params.js';
import type { HeadlessGame } from './game.js';
import { resultOfReturn } from './elo.js';
import { opponentsOf, TeamSplit } from './team-split.js';
import { playingRunner } from './playing-runner.js';

export interface EvaluationOptions {
  /** Episodes of the evaluated behavior to play (the first ones to end, in order). */
  episodes: number;
  /** Copy `i` is built with `createCopy(i, seed)`: the same seed plays the same episodes. */
  seed: number;
  /** Copies of the game's world. Default 1. */
  copies?: number;
  /** `mode` (default): the most likely actions; `sample`: sampled (seeded) actions. */
  action?: 'mode' | 'sample';
  /**
   * An episode that reaches this many ticks is ended there and reported as `cut` (an episode
   * that never ends would otherwise hang the evaluation). Default 100,000.
   */
  maxEpisodeTicks?: number;
  /**
   * The behavior `brain` plays. Default: the one its `env` names (a `--env` module is named after
   * its file, which need not be the name the brain was trained under).
   */
  behavior?: string;
  /** Brains for the game's other behaviors (each plays the behavior its `env` names); a behavior with none acts by its agents' `heuristic`. */
  others?: readonly Brain[];
  /**
   * Self-play games: the brain the agents of the evaluated behavior that are not on `team` play
   * (e.g. a frozen early snapshot); `brain` plays the agents on `team`. Without it every agent of
   * the behavior plays `brain`.
   */
  opponent?: Brain;
  /** With `opponent`: the team `brain` plays for (its agents' episodes are the ones reported). Default 0. */
  team?: number;
  /**
   * Environment parameters to play with, replacing the game's own parameter by parameter. Default:
   * the game's, each curriculum at its last lesson (the setting it trains for).
   */
  environmentParameters?: EnvironmentParameters;
}

/** How an evaluated episode ended: a terminal state, the game's time limit, or the evaluation's cap. */
export type EpisodeEnd = 'terminated' | 'truncated' | 'cut';

export interface Evaluation {
  /** The behavior evaluated (the brain's `env`). */
  behavior: string;
  episodes: number;
  /** Each episode's undiscounted return, in the order they ended. */
  returns: number[];
  /** Each episode's length in ticks (physics steps). */
  lengthTicks: number[];
  /** Each episode's length in decisions (transitions). */
  lengthDecisions: number[];
  ends: EpisodeEnd[];
  /** Each episode's result: what the game said with `setResult`, else the sign of its return. */
  results: ('win' | 'loss' | 'draw')[];
  returnMean: number;
  returnStd: number;
  returnMin: number;
  returnMax: number;
  lengthTicksMean: number;
  lengthDecisionsMean: number;
  /** Episodes that ended in a terminal state, by the game's time limit, and cut at `maxEpisodeTicks`. */
  terminated: number;
  truncated: number;
  cut: number;
  /** Episodes the game called won, lost and drawn (`Agent.setResult`); episodes it said nothing of count in none. */
  wins: number;
  losses: number;
  draws: number;
}

const DEFAULT_MAX_EPISODE_TICKS = 100_000;

/**
 * Plays `brain` (in the behavior its `env` names) until `options.episodes` of its episodes have
 * ended, and summarizes them.
 *
 * @example
 * const r = evaluateGame(landerGame, brain, { episodes: 20, seed: 7 });
 * console.log(r.returnMean, r.lengthTicksMean, r.cut);
 */
export function evaluateGame(game: HeadlessGame, brain: Brain, options: EvaluationOptions): Evaluation {
  const run = new EvaluationRun(game, brain, options);
  while (!run.done) run.advance(Number.POSITIVE_INFINITY);
  return run.result();
}

/**
 * {@link evaluateGame} that yields to the event loop every `yieldEveryTicks` ticks (default
 * 1,000), so a signal handler (Ctrl-C) or a UI gets through, and stops early when `signal` aborts:
 * the result then holds the episodes that ended so far.
 */
export async function evaluateGameAsync(game: HeadlessGame, brain: Brain, options: EvaluationOptions & { signal?: AbortSignal; yieldEveryTicks?: number }): Promise<Evaluation> {
  const run = new EvaluationRun(game, brain, options);
  const every = options.yieldEveryTicks ?? 1_000;
  while (!run.done && !options.signal?.aborted) {
    run.advance(every);
    await nextTask();
  }
  return run.result();
}

/** One evaluation in progress: the collector, the evaluated agents and the episodes they finished. */
class EvaluationRun {
  private readonly played: AgentEpisode[] = [];
  private readonly collector: Collector;
  private readonly agents: readonly Agent[];
  private readonly cap: number;
  private readonly episodes: number;
  private readonly behavior: string;

  constructor(private readonly game: HeadlessGame, brain: Brain, options: EvaluationOptions) {
    const { episodes, seed } = options;
    if (!Number.isInteger(episodes) || episodes < 1) throw new PhaserPpoError(`evaluation: episodes must be a positive integer, got ${episodes}`);
    const cap = options.maxEpisodeTicks ?? DEFAULT_MAX_EPISODE_TICKS;
    if (!Number.isInteger(cap) || cap < 1) throw new PhaserPpoError(`evaluation: maxEpisodeTicks must be a positive integer, got ${cap}`);
    this.cap = cap;
    this.episodes = episodes;
    this.behavior = options.behavior ?? brain.env;
    const brains = new Map<string, Brain>();
    for (const [name, b] of [[this.behavior, brain] as const, ...(options.others ?? []).map((o) => [o.env, o] as const)]) {
      if (!game.behaviors.some((x) => x.name === name)) {
        throw new PhaserPpoError(`evaluation: the brain was trained on "${b.env}", and "${name}" is no behavior of the game "${game.name}" (its behaviors: ${game.behaviors.map((x) => `"${x.name}"`).join(', ')})`);
      }
      if (brains.has(name)) throw new PhaserPpoError(`evaluation: two brains for the behavior "${name}"`);
      brains.set(name, reviveBrain(b));
    }
    const team = options.team ?? 0;
    if (!Number.isInteger(team) || team < 0) throw new PhaserPpoError(`evaluation: team must be a non-negative integer, got ${team}`);
    const split = options.opponent ? new TeamSplit(game, this.behavior, () => team) : null;
    if (options.opponent) {
      if (options.opponent.env !== brain.env) throw new PhaserPpoError(`evaluation: the opponent brain was trained on "${options.opponent.env}", the evaluated brain on "${brain.env}"; self-play opponents are brains of the same behavior`);
      brains.set(opponentsOf(this.behavior), reviveBrain(options.opponent));
    }
    this.collector = new Collector(split ? split.game : game, {
      copies: options.copies ?? 1,
      seed,
      params: new Curriculum(finalSettings({ ...game.environmentParameters, ...options.environmentParameters }), game.behaviors.map((b) => b.name), seed),
      runner: (behavior) => playingRunner(game, behavior, brains.get(behavior.name) ?? null, {
        action: options.action ?? 'mode',
        ...(behavior.name === this.behavior ? { onEpisodeEnd: (e: AgentEpisode) => { this.played.push(e); } } : {}),
      }),
    });
    this.agents = this.collector.members.get(this.behavior)!;
  }

  get done(): boolean {
    return this.played.length >= this.episodes;
  }

  /** Plays at most `ticks` more ticks, stopping once enough episodes have ended. */
  advance(ticks: number): void {
    const { agents, cap } = this;
    for (let t = 0; t < ticks && !this.done; t++) {
      if (agents.length === 0) throw new PhaserPpoError(`evaluation: every agent of behavior "${this.behavior}" has left the game "${this.game.name}" after ${this.played.length} of ${this.episodes} episodes`);
      this.collector.tick();
      // The cap: ending the episode at the next decision, as a terminal state nothing learns from.
      for (let i = 0; i < agents.length; i++) if (agents[i]!.stepCount >= cap) agents[i]!.endEpisode();
    }
  }

  result(): Evaluation {
    return summarize(this.behavior, this.played.slice(0, this.episodes), this.cap);
  }
}

function summarize(behavior: string, played: readonly AgentEpisode[], cap: number): Evaluation {
  const n = played.length;
  const returns = played.map((e) => e.return);
  const lengthTicks = played.map((e) => e.ticks);
  const lengthDecisions = played.map((e) => e.length);
  // An episode the cap ended was ended by `endEpisode`, so it reads as terminated at ≥ cap ticks.
  const ends = played.map((e): EpisodeEnd => (e.end === 'terminated' && e.ticks >= cap ? 'cut' : e.end));
  const results = played.map((e) => e.result ?? resultOfReturn(e.return));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / n;
  const returnMean = mean(returns);
  return {
    behavior, episodes: n, returns, lengthTicks, lengthDecisions, ends, results,
    returnMean,
    returnStd: Math.sqrt(returns.reduce((s, r) => s + (r - returnMean) ** 2, 0) / n),
    returnMin: Math.min(...returns),
    returnMax: Math.max(...returns),
    lengthTicksMean: mean(lengthTicks),
    lengthDecisionsMean: mean(lengthDecisions),
    terminated: ends.filter((e) => e === 'terminated').length,
    truncated: ends.filter((e) => e === 'truncated').length,
    cut: ends.filter((e) => e === 'cut').length,
    wins: played.filter((e) => e.result === 'win').length,
    losses: played.filter((e) => e.result === 'loss').length,
    draws: played.filter((e) => e.result === 'draw').length,
  };
}
