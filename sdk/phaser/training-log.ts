/**
 * What a test reads from a page: each behavior's learning curve (every update's metrics), the
 * backend its learner got, and the errors reported, published as `globalThis.__phaserPpo`.
 * `phaser-ppo/testing` polls it from Playwright; it is also handy in the console.
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
}

/** `globalThis.__phaserPpo`. */
export interface TrainingLog {
  version: 1;
  /** Keyed by behavior name (a null-prototype object, so any name is safe). */
  behaviors: Record<string, BehaviorLog>;
  /** Errors the plugin's behaviors reported (learner failed to start, training failed, ...). */
  errors: string[];
}

/** Updates kept per behavior: a long run keeps its recent curve, not an ever-growing array. */
export const MAX_LOGGED_UPDATES = 5000;

const KEY = '__phaserPpo';

/** The page's training log, created on first use. */
export function trainingLog(): TrainingLog {
  const g = globalThis as unknown as Record<string, TrainingLog | undefined>;
  let log = g[KEY];
  if (!log) {
    log = { version: 1, behaviors: Object.create(null) as Record<string, BehaviorLog>, errors: [] };
    g[KEY] = log;
  }
  return log;
}

function entry(behavior: string): BehaviorLog {
  const log = trainingLog();
  return (log.behaviors[behavior] ??= { metrics: [], backend: null });
}

/** Starts a new curve for `behavior`: its previous run's metrics are dropped. */
export function resetBehaviorLog(behavior: string): void {
  trainingLog().behaviors[behavior] = { metrics: [], backend: null };
}

/** Appends one update's metrics to its behavior's curve. */
export function recordMetrics(m: LiveMetrics): void {
  const e = entry(m.behavior);
  e.metrics.push(m);
  if (e.metrics.length > MAX_LOGGED_UPDATES) e.metrics.splice(0, e.metrics.length - MAX_LOGGED_UPDATES);
}

export function recordBackend(behavior: string, report: { backend: string; reason: string }): void {
  entry(behavior).backend = { backend: report.backend, reason: report.reason };
}

export function recordError(message: string): void {
  trainingLog().errors.push(message);
}
