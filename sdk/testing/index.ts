/**
 * Learning tests for your own game, in Playwright: open the page, let a behavior train, and pass
 * when a metric crosses a threshold (and, if you measured it, beats the random baseline) once
 * enough episodes and transitions are behind it; fail once the step budget runs out, or at once
 * when the page reports an error, with the learning curve attached to the report.
 *
 * They read the page's training log (`globalThis.__phaserPpo`), which the scene plugin fills with
 * every update of every behavior once a test enabled it ({@link openTraining} does, or
 * {@link enableTrainingLog}); a page that trains in a fast-mode worker records its updates with
 * `recordMetrics` from `phaser-ppo/phaser`. Node side only: import this from test files.
 *
 * Why the minimums: the first episodes to finish are the quick ones (often the quick successes),
 * so the mean return of an untrained policy can start high. `minEpisodes` and `minSteps` make the
 * goal count only once the window holds episodes of a settled run.
 *
 * @example
 * import { test } from '@playwright/test';
 * import { expectLearning, openTraining, randomBaseline } from 'phaser-ppo/testing';
 *
 * test('the guards learn to block the door', async ({ page }, testInfo) => {
 *   const baseline = await randomBaseline(page, '/?train=1', { behavior: 'guard' });
 *   // The page starts its behavior in `train` mode (here: when the URL says so).
 *   await openTraining(page, '/?train=1', { behavior: 'guard' });
 *   await expectLearning(page, { behavior: 'guard', atLeast: 50, baseline, beatBy: 20, maxSteps: 200_000, testInfo });
 * });
 */
import { writeFile } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import type { LiveMetrics } from '../phaser/behavior.js';
import type { BehaviorLog, EpisodeProgress, TestingFlags, TrainingLog } from '../phaser/training-log.js';
import { engineDeviceOf } from '../rl/metrics.js';
import { SETTLED_EPISODES } from '../rl/episode-window.js';

/** Metrics a goal can watch: every numeric field of an update's metrics. */
export type LearningMetric = { [K in keyof LiveMetrics]: LiveMetrics[K] extends number ? K : never }[keyof LiveMetrics];

/** Finished episodes before a goal counts, by default: five windows of the 20 `returnMean` averages (the CLI's "solved" waits as long). */
export const DEFAULT_MIN_EPISODES = SETTLED_EPISODES;
/** Transitions trained before a goal counts, by default (or half of `maxSteps` when that is smaller). */
export const DEFAULT_MIN_STEPS = 10_000;

export interface LearningGoal {
  /** The behavior's name, as given to `ppo.addBehavior`. */
  behavior: string;
  /** Default `returnMean` (mean return of the last 20 finished episodes). */
  metric?: LearningMetric;
  /** Passes once the metric is at least this (give this, a `baseline`, or both: then both must hold). */
  atLeast?: number;
  /** A measured random baseline ({@link randomBaseline}): passes once `returnMean` ≥ its mean + `beatBy`. Needs `metric` `returnMean`. */
  baseline?: RandomBaseline;
  /** How far above the baseline's mean the return must get. Default 0. */
  beatBy?: number;
  /** Fails once the behavior has trained on this many transitions without passing. */
  maxSteps: number;
  /** Updates count only once this many episodes have finished. Default {@link DEFAULT_MIN_EPISODES}. */
  minEpisodes?: number;
  /** Updates count only once this many transitions are trained. Default {@link DEFAULT_MIN_STEPS}, or `maxSteps / 2` when smaller. */
  minSteps?: number;
  /**
   * Wall-clock safety net in ms (default 10 minutes): a page that stops reporting fails the test
   * instead of hanging it. The step budget is the real limit; this only catches a stalled page.
   */
  timeoutMs?: number;
  /** How often the page checks its log for news, ms (default 500). */
  pollMs?: number;
  /** Attaches the curve (SVG and JSON) and a screenshot to this test's report. */
  testInfo?: TestInfo;
}

/** One point of a learning curve, as the report's JSON attachment holds it. */
export interface CurvePoint {
  update: number;
  step: number;
  episodes: number;
  policyVersion: number;
  value: number;
  returnMean: number;
  /** Whether the point was past `minEpisodes` and `minSteps`, so that it could pass the goal. */
  counts: boolean;
}

export interface LearningResult {
  passed: boolean;
  /** Transitions trained when the run passed or gave up. */
  step: number;
  /** The best value the metric reached at a point that counts (-Infinity if none did). */
  best: number;
  /** The value the metric had to reach: `atLeast`, or the baseline's mean + `beatBy`, whichever is higher. */
  threshold: number;
  curve: CurvePoint[];
  /** Why it failed (empty when it passed). */
  reason: string;
}

/** Thrown by {@link expectLearning}: the message holds the curve's summary, the report its attachments. */
export class LearningTestError extends Error {
  constructor(message: string, readonly result: LearningResult) {
    super(message);
    this.name = 'LearningTestError';
  }
}

/** The mean return of a behavior acting with its untrained policy, as {@link randomBaseline} measured it. */
export interface RandomBaseline {
  behavior: string;
  /** Mean return of the measured episodes. */
  returnMean: number;
  /** Episodes measured (after the warm-up ones). */
  episodes: number;
  /** Decisions those episodes took (summed over agents). */
  decisions: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** The goal with every default filled in and checked; throws naming the field and what is allowed. */
export function resolveGoal(goal: LearningGoal): Required<Pick<LearningGoal, 'metric' | 'maxSteps' | 'minEpisodes' | 'minSteps'>> & { threshold: number } {
  const metric = goal.metric ?? 'returnMean';
  const need = (ok: boolean, field: string, allowed: string, value: unknown) => {
    if (!ok) throw new Error(`learning goal for "${goal.behavior}": ${field} must be ${allowed}, got ${String(value)}`);
  };
  need(Number.isFinite(goal.maxSteps) && goal.maxSteps > 0, 'maxSteps', 'a positive number of transitions', goal.maxSteps);
  const minEpisodes = goal.minEpisodes ?? DEFAULT_MIN_EPISODES;
  const minSteps = goal.minSteps ?? Math.min(DEFAULT_MIN_STEPS, goal.maxSteps / 2);
  need(Number.isInteger(minEpisodes) && minEpisodes >= 0, 'minEpisodes', 'a non-negative integer', minEpisodes);
  need(Number.isFinite(minSteps) && minSteps >= 0 && minSteps < goal.maxSteps, 'minSteps', `a number from 0 to below maxSteps (${goal.maxSteps})`, minSteps);
  need(goal.atLeast !== undefined || goal.baseline !== undefined, 'atLeast or baseline', 'given (what counts as learned?)', undefined);
  if (goal.atLeast !== undefined) need(Number.isFinite(goal.atLeast), 'atLeast', 'a finite number', goal.atLeast);
  let threshold = goal.atLeast ?? -Infinity;
  if (goal.baseline) {
    need(metric === 'returnMean', 'metric', "'returnMean' when a baseline is given (the baseline is a mean return)", metric);
    need(Number.isFinite(goal.baseline.returnMean), 'baseline.returnMean', 'a finite number (measure it with randomBaseline)', goal.baseline.returnMean);
    const beatBy = goal.beatBy ?? 0;
    need(Number.isFinite(beatBy) && beatBy >= 0, 'beatBy', 'a non-negative number', beatBy);
    threshold = Math.max(threshold, goal.baseline.returnMean + beatBy);
  }
  return { metric, maxSteps: goal.maxSteps, minEpisodes, minSteps, threshold };
}

/** Where a run stands against its goal: `pending` while it may still pass. */
export interface LearningVerdict {
  status: 'passed' | 'failed' | 'pending';
  result: LearningResult;
}

/**
 * The goal judged on a training log (a pure function; {@link waitForLearning} calls it on each
 * read). An update can pass only once `minEpisodes` episodes have finished and `minSteps`
 * transitions are trained; any error the page reported fails the run at once.
 */
export function judgeLearning(metrics: readonly LiveMetrics[], errors: readonly string[], goal: LearningGoal): LearningVerdict {
  const g = resolveGoal(goal);
  const curve: CurvePoint[] = metrics.map((m) => ({
    update: m.update, step: m.step, episodes: m.episodes, policyVersion: m.policyVersion, value: m[g.metric], returnMean: m.returnMean,
    counts: m.episodes >= g.minEpisodes && m.step >= g.minSteps,
  }));
  const finite = (p: CurvePoint) => Number.isFinite(p.value);
  const best = Math.max(-Infinity, ...curve.filter((p) => p.counts && finite(p)).map((p) => p.value));
  const step = curve.at(-1)?.step ?? 0;
  const base = { step, best, threshold: g.threshold, curve };
  if (errors.length > 0) return { status: 'failed', result: { ...base, passed: false, reason: `the page reported: ${errors.join('; ')}` } };
  if (best >= g.threshold) return { status: 'passed', result: { ...base, passed: true, reason: '' } };
  if (step >= g.maxSteps) {
    const early = curve.find((p) => !p.counts && finite(p) && p.value >= g.threshold);
    const ignored = early
      ? ` (an earlier ${fmt(early.value)} at step ${early.step}, policy v${early.policyVersion}, ${early.episodes} episodes did not count: ` +
        `it came before ${g.minEpisodes} episodes and ${g.minSteps.toLocaleString('en-US')} transitions)`
      : '';
    const reached = Number.isFinite(best) ? `reached ${fmt(best)}` : 'never counted';
    return { status: 'failed', result: { ...base, passed: false, reason: `${g.metric} ${reached} (needed ≥ ${fmt(g.threshold)}) within the budget of ${g.maxSteps.toLocaleString('en-US')} transitions${ignored}` } };
  }
  return { status: 'pending', result: { ...base, passed: false, reason: 'still training' } };
}

/** Reads the page's training log for `behavior` (null until the behavior exists, or while the log is off). */
export async function readBehaviorLog(page: Page, behavior: string): Promise<(BehaviorLog & { errors: string[]; warnings: string[] }) | null> {
  return page.evaluate((name) => {
    const log = (globalThis as unknown as { __phaserPpo?: TrainingLog }).__phaserPpo;
    const b = log?.behaviors[name];
    return b ? { ...b, errors: log!.errors, warnings: log!.warnings } : null;
  }, behavior);
}

/**
 * Makes the page write its training log, from the next navigation on (`page.addInitScript`: the
 * flag is set before the page's own scripts run). {@link openTraining} calls it.
 */
export async function enableTrainingLog(page: Page, flags: TestingFlags = {}): Promise<void> {
  await page.addInitScript((f: TestingFlags) => {
    const g = globalThis as unknown as Record<string, TestingFlags | undefined>;
    g.__phaserPpoTesting = { ...g.__phaserPpoTesting, ...f, log: true };
  }, flags);
}

/**
 * Opens `url` with the training log enabled and waits until `behavior` exists in it (the scene
 * added it); with `waitForBackend`, until its learner has started and reported its backend.
 */
export async function openTraining(page: Page, url: string, opts: { behavior: string; waitForBackend?: boolean; timeoutMs?: number }): Promise<void> {
  await enableTrainingLog(page);
  await page.goto(url);
  const timeout = opts.timeoutMs ?? 120_000;
  await page.waitForFunction(([name, backend]) => {
    const log = (globalThis as unknown as { __phaserPpo?: TrainingLog }).__phaserPpo;
    const b = log?.behaviors[name as string];
    return (log?.errors.length ?? 0) > 0 || (b !== undefined && (!backend || b.backend !== null));
  }, [opts.behavior, opts.waitForBackend ?? false] as const, { timeout });
}

/**
 * Waits on the page's log until the goal passes, or fails: the budget of `maxSteps` transitions is
 * spent, the page reported an error or threw one uncaught while it waited (at once, with its
 * message), or the wall-clock safety net ran out.
 * Never throws for a failed goal: see {@link expectLearning}.
 */
export async function waitForLearning(page: Page, goal: LearningGoal): Promise<LearningResult> {
  const { metric } = resolveGoal(goal);
  const deadline = Date.now() + (goal.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // The game loop throwing outside the plugin (the scene's own update) never reaches the log:
  // Playwright sees it as an uncaught page error, which fails the goal as at once as a logged one.
  const uncaught: string[] = [];
  let wake: (() => void) | null = null;
  const onPageError = (e: Error) => {
    uncaught.push(`uncaught in the page: ${e.message}`);
    wake?.();
  };
  page.on('pageerror', onPageError);
  let result: LearningResult;
  try {
    for (;;) {
      const log = await readBehaviorLog(page, goal.behavior);
      const verdict = judgeLearning(log?.metrics ?? [], [...(log?.errors ?? []), ...uncaught], goal);
      result = verdict.result;
      if (verdict.status !== 'pending') break;
      // Wait in the page for news: a new update, an error, or a new run of the behavior.
      const seen = { update: log?.metrics.at(-1)?.update ?? -1, length: log?.metrics.length ?? -1, errors: log?.errors.length ?? 0 };
      const remaining = deadline - Date.now();
      const pageNews = page.waitForFunction(([name, s]) => {
        const l = (globalThis as unknown as { __phaserPpo?: TrainingLog }).__phaserPpo;
        const b = l?.behaviors[name as string];
        const last = b?.metrics[b.metrics.length - 1];
        return (l?.errors.length ?? 0) !== s.errors || (last?.update ?? -1) !== s.update || (b?.metrics.length ?? -1) !== s.length;
      }, [goal.behavior, seen] as const, { polling: goal.pollMs ?? 500, timeout: Math.max(1, remaining) }).then(() => true, () => false);
      const news = remaining > 0 && await Promise.race([pageNews, new Promise<boolean>((resolve) => (wake = () => resolve(true)))]);
      wake = null;
      if (!news) {
        const where = log ? `after ${result.step.toLocaleString('en-US')} transitions, ${result.curve.length} updates` : `behavior "${goal.behavior}" never appeared in the page's training log (did the test enable it? openTraining does)`;
        result = { ...result, passed: false, reason: `timed out ${where}; ${metric} best ${fmt(result.best)} (needed ≥ ${fmt(result.threshold)})` };
        break;
      }
    }
  } finally {
    page.off('pageerror', onPageError);
  }
  if (goal.testInfo) await attachCurve(page, goal, metric, result);
  return result;
}

/** {@link waitForLearning}, throwing a {@link LearningTestError} with the curve's summary when the goal is missed. */
export async function expectLearning(page: Page, goal: LearningGoal): Promise<LearningResult> {
  const result = await waitForLearning(page, goal);
  if (!result.passed) {
    throw new LearningTestError(`behavior "${goal.behavior}" did not learn: ${result.reason}\n${summarize(result.curve)}`, result);
  }
  return result;
}

/**
 * Measures the mean return of `behavior` acting with its untrained policy (the weights its learner
 * would start from, actions sampled; no learning), in a page of its own opened at `url` beside
 * `page` and closed afterwards: the bar a learning test should clear by a margin.
 *
 * The page's plugin is told (through a flag set before the page's scripts run) to build that
 * behavior untrained whatever type the page gives it, so it works on the page the learning test
 * opens. The first `warmupEpisodes` are skipped (they are the quick ones); the mean is over the
 * next `episodes`, every one of them (not a window). Live behaviors only: a page that trains in a
 * fast-mode worker measures with its scene's behavior, which must exist in the scene plugin.
 */
export async function randomBaseline(page: Page, url: string, opts: { behavior: string; episodes?: number; warmupEpisodes?: number; timeoutMs?: number }): Promise<RandomBaseline> {
  const episodes = opts.episodes ?? 100;
  const warmup = opts.warmupEpisodes ?? 20;
  if (!Number.isInteger(episodes) || episodes < 1) throw new Error(`randomBaseline: episodes must be a positive integer, got ${episodes}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`randomBaseline: warmupEpisodes must be a non-negative integer, got ${warmup}`);
  const own = await page.context().newPage();
  try {
    await enableTrainingLog(own, { randomBaseline: [opts.behavior] });
    await own.goto(url);
    const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const progressAt = async (count: number): Promise<EpisodeProgress> => {
      await own.waitForFunction(([name, n]) => {
        const l = (globalThis as unknown as { __phaserPpo?: TrainingLog }).__phaserPpo;
        return (l?.errors.length ?? 0) > 0 || (l?.behaviors[name as string]?.episodes.count ?? 0) >= (n as number);
      }, [opts.behavior, count] as const, { polling: 250, timeout });
      const log = await readBehaviorLog(own, opts.behavior);
      if (!log || log.errors.length > 0) throw new Error(`randomBaseline for "${opts.behavior}": the page reported: ${log?.errors.join('; ') ?? 'no training log'}`);
      return log.episodes;
    };
    const from = await progressAt(warmup);
    const to = await progressAt(from.count + episodes);
    const n = to.count - from.count;
    return { behavior: opts.behavior, returnMean: (to.returnSum - from.returnSum) / n, episodes: n, decisions: to.decisions - from.decisions };
  } finally {
    await own.close();
  }
}

/** A few points of the curve, readable in a test failure's message. */
export function summarize(curve: readonly CurvePoint[], points = 8): string {
  if (curve.length === 0) return '(no updates reported)';
  const every = Math.max(1, Math.ceil(curve.length / points));
  const shown = curve.filter((_, i) => i % every === 0 || i === curve.length - 1);
  return shown.map((p) => `  update ${p.update}, step ${p.step}, ${p.episodes} episodes: ${fmt(p.value)}${p.counts ? '' : ' (too early to count)'}`).join('\n');
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : String(x);
}

/** Adds the curve (JSON; SVG drawn with the CLI's Vega-Lite chart) and a screenshot to the report. */
async function attachCurve(page: Page, goal: LearningGoal, metric: LearningMetric, result: LearningResult): Promise<void> {
  const info = goal.testInfo!;
  const name = `learning-curve-${goal.behavior}`;
  await attachFile(info, `${name}.json`, JSON.stringify({ goal: { ...goal, testInfo: undefined, metric }, ...result }, null, 1), 'application/json');
  const log = await readBehaviorLog(page, goal.behavior).catch(() => null);
  if (log && log.metrics.length > 0) {
    // Loaded only when there is a curve to draw: Vega is large and most passing runs never need it.
    const { learningCurveSvg } = await import('../cli/chart.js');
    const svg = await learningCurveSvg(log.metrics.map((m) => ({ ...m, ...engineDeviceOf(m) })), {
      title: `${goal.behavior}: ${result.passed ? 'passed' : 'FAILED'}`,
      ...(metric === 'returnMean' ? { targetReturn: result.threshold } : {}),
    });
    await attachFile(info, `${name}.svg`, svg, 'image/svg+xml');
  }
  if (!result.passed) {
    const shot = await page.screenshot().catch(() => null);
    if (shot) await attachFile(info, `${name}-page.png`, shot, 'image/png');
  }
}

/** Writes into the test's output folder and attaches by path, so the file stays on disk whatever the reporter. */
async function attachFile(info: TestInfo, name: string, body: string | Uint8Array, contentType: string): Promise<void> {
  const path = info.outputPath(name);
  await writeFile(path, body);
  await info.attach(name, { path, contentType });
}
