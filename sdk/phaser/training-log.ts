/**
 * What a test reads from a page: each behavior's learning curve (every update's metrics), the
 * backend its learner got, its episodes so far, and the errors and warnings reported, published as
 * `globalThis.__phaserPpo`. `phaser-ppo/testing` reads it from Playwright; it is also handy in the
 * console.
 *
 * It is written only when enabled: by `phaser-ppo/testing` (its `openTraining` and
 * `enableTrainingLog(page)` set {@link TESTING_FLAGS_KEY} before the page's scripts run), or by
 * the plugin's `trainingLog: true` setting. Otherwise nothing here touches `globalThis`, and the
 * `record*` functions return at once.
 *
 * The scene plugin records its behaviors' events here on its own. A page that trains somewhere
 * else (a fast-mode worker whose weights the scene plays) records its updates with
 * {@link recordMetrics}, so a test reads every kind of run the same way.
 */
import type { LiveMetrics } from './behavior.js';

/** One behavior's run as the page saw it. */
export interface BehaviorLog {
  /** Every update's metrics since the behavior (re)started, oldest first; the last {@link MAX_LOGGED_UPDATES}. */
  metrics: LiveMetrics[];
  backend: { backend: string; reason: string } | null;
  /**
   * Episodes the behavior's agents finished in this scene, whatever its type (`inference` and
   * `heuristic` behaviors have no updates, so no metrics: this is their progress).
   */
  episodes: EpisodeProgress;
}

/** A behavior's finished episodes as the scene saw them. */
export interface EpisodeProgress {
  /** Episodes finished so far. */
  count: number;
  /** Decisions in the finished episodes (their lengths summed; one per agent per decision). */
  decisions: number;
  /** Returns of every finished episode, summed: the mean between two reads is Δsum / Δcount, with no window. */
  returnSum: number;
  /** Mean return of the last 20 finished episodes (NaN before the first ends). */
  returnMean: number;
  /** Mean length, in ticks, of the last 20 finished episodes. */
  episodeTicks: number;
}

/** `globalThis.__phaserPpo`. */
export interface TrainingLog {
  version: 1;
  /** Keyed by behavior name (a null-prototype object, so any name is safe). */
  behaviors: Record<string, BehaviorLog>;
  /** Errors the plugin's behaviors reported (learner failed to start, training failed, an agent hook threw, ...). */
  errors: string[];
  /** Warnings (e.g. Matter stepping on its own besides the plugin's fixed step). */
  warnings: string[];
}

/**
 * `globalThis[TESTING_FLAGS_KEY]`: what a test asks of the page, set before the page's scripts run
 * (`page.addInitScript`). Plain data, so it crosses into the page as JSON.
 */
export interface TestingFlags {
  /** Write the training log. */
  log?: boolean;
  /**
   * Behaviors (by name) that act with the untrained policy and never learn, whatever type the page
   * gives them: what `randomBaseline` measures.
   */
  randomBaseline?: string[];
}

/** The global the testing helpers set: `globalThis.__phaserPpoTesting`. */
export const TESTING_FLAGS_KEY = '__phaserPpoTesting';

/** Updates kept per behavior: a long run keeps its recent curve, not an ever-growing array. */
export const MAX_LOGGED_UPDATES = 5000;

/** The global the log lives in: `globalThis.__phaserPpo`. */
export const TRAINING_LOG_KEY = '__phaserPpo';

/** Errors and warnings kept: a page that fails every frame does not grow the log without end. */
const MAX_MESSAGES = 100;

type Globals = Record<string, unknown>;

/** The flags a test set in this page, if any. */
export function testingFlags(): TestingFlags {
  const flags = (globalThis as unknown as Globals)[TESTING_FLAGS_KEY];
  return typeof flags === 'object' && flags !== null ? (flags as TestingFlags) : {};
}

/** Turns the log on in this page (the plugin's `trainingLog: true` setting calls it). */
export function enableTrainingLog(): void {
  const g = globalThis as unknown as Globals;
  g[TESTING_FLAGS_KEY] = { ...testingFlags(), log: true };
}

/** Whether the log is written in this page. */
export function trainingLogEnabled(): boolean {
  return testingFlags().log === true;
}

/** The page's training log, created on first use; null while the log is not enabled. */
export function trainingLog(): TrainingLog | null {
  if (!trainingLogEnabled()) return null;
  const g = globalThis as unknown as Globals;
  let log = g[TRAINING_LOG_KEY] as TrainingLog | undefined;
  if (!log) {
    log = { version: 1, behaviors: Object.create(null) as Record<string, BehaviorLog>, errors: [], warnings: [] };
    g[TRAINING_LOG_KEY] = log;
  }
  return log;
}

function freshEntry(): BehaviorLog {
  return { metrics: [], backend: null, episodes: { count: 0, decisions: 0, returnSum: 0, returnMean: NaN, episodeTicks: NaN } };
}

function entry(behavior: string): BehaviorLog | null {
  const log = trainingLog();
  return log ? (log.behaviors[behavior] ??= freshEntry()) : null;
}

/** Starts a new curve for `behavior`: its previous run's metrics are dropped. */
export function resetBehaviorLog(behavior: string): void {
  const log = trainingLog();
  if (log) log.behaviors[behavior] = freshEntry();
}

/** Appends one update's metrics to its behavior's curve. */
export function recordMetrics(m: LiveMetrics): void {
  const e = entry(m.behavior);
  if (!e) return;
  e.metrics.push(m);
  if (e.metrics.length > MAX_LOGGED_UPDATES) e.metrics.splice(0, e.metrics.length - MAX_LOGGED_UPDATES);
}

/** Records which backend a behavior's learner got, and why. */
export function recordBackend(behavior: string, report: { backend: string; reason: string }): void {
  const e = entry(behavior);
  if (e) e.backend = { backend: report.backend, reason: report.reason };
}

/** Records a behavior's episode progress (called when one of its agents finishes an episode). */
export function recordEpisodes(behavior: string, progress: EpisodeProgress): void {
  const e = entry(behavior);
  if (!e) return;
  // Written in place: no allocation per episode.
  e.episodes.count = progress.count;
  e.episodes.decisions = progress.decisions;
  e.episodes.returnSum = progress.returnSum;
  e.episodes.returnMean = progress.returnMean;
  e.episodes.episodeTicks = progress.episodeTicks;
}

/** Records an error: `waitForLearning` fails on the first one. */
export function recordError(message: string): void {
  const log = trainingLog();
  if (log && log.errors.length < MAX_MESSAGES) log.errors.push(message);
}

/** Records a warning (kept for the report; a warning fails no test). */
export function recordWarning(message: string): void {
  const log = trainingLog();
  if (log && log.warnings.length < MAX_MESSAGES) log.warnings.push(message);
}
