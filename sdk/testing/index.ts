/**
 * Learning tests for your own game, in Playwright: open the page, let a behavior train, and pass
 * when a metric crosses a threshold, or fail, once a step budget runs out, with the learning curve
 * attached to the report.
 *
 * They read the page's training log (`globalThis.__phaserPpo`), which the scene plugin fills with
 * every update of every behavior; a page that trains in a fast-mode worker records its updates
 * with `recordMetrics` from `phaser-ppo/phaser`. Node side only: import this from test files.
 *
 * @example
 * import { test } from '@playwright/test';
 * import { expectLearning, openTraining } from 'phaser-ppo/testing';
 *
 * test('the guards learn to block the door', async ({ page }, testInfo) => {
 *   // The page starts its behavior in `train` mode (here: when the URL says so).
 *   await openTraining(page, '/?train=1', { behavior: 'guard' });
 *   await expectLearning(page, { behavior: 'guard', atLeast: 50, maxSteps: 200_000, testInfo });
 * });
 */
import { writeFile } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import type { LiveMetrics } from '../phaser/behavior.js';
import type { BehaviorLog, TrainingLog } from '../phaser/training-log.js';
import { engineDeviceOf } from '../rl/metrics.js';

/** Metrics a goal can watch: every numeric field of an update's metrics. */
export type LearningMetric = { [K in keyof LiveMetrics]: LiveMetrics[K] extends number ? K : never }[keyof LiveMetrics];

export interface LearningGoal {
  /** The behavior's name, as given to `ppo.addBehavior`. */
  behavior: string;
  /** Default `returnMean` (mean return of the last 20 finished episodes). */
  metric?: LearningMetric;
  /** Passes once the metric is at least this. */
  atLeast: number;
  /** Fails once the behavior has trained on this many transitions without passing. */
  maxSteps: number;
  /**
   * Wall-clock safety net in ms (default 10 minutes): a page that stops reporting fails the test
   * instead of hanging it. The step budget is the real limit; this only catches a stalled page.
   */
  timeoutMs?: number;
  /** How often the log is read, ms (default 500). */
  pollMs?: number;
  /** Attaches the curve (SVG and JSON) and a screenshot to this test's report. */
  testInfo?: TestInfo;
}

/** One point of a learning curve, as the report's JSON attachment holds it. */
export interface CurvePoint {
  update: number;
  step: number;
  policyVersion: number;
  value: number;
  returnMean: number;
}

export interface LearningResult {
  passed: boolean;
  /** Transitions trained when the run passed or gave up. */
  step: number;
  /** The best value the metric reached. */
  best: number;
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

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** Reads the page's training log for `behavior` (null until the behavior exists). */
export async function readBehaviorLog(page: Page, behavior: string): Promise<(BehaviorLog & { errors: string[] }) | null> {
  return page.evaluate((name) => {
    const log = (globalThis as unknown as { __phaserPpo?: TrainingLog }).__phaserPpo;
    const b = log?.behaviors[name];
    return b ? { ...b, errors: log!.errors } : null;
  }, behavior);
}

/**
 * Opens `url` and waits until `behavior` exists in the page's training log (the scene added it);
 * with `waitForBackend`, until its learner has started and reported its backend.
 */
export async function openTraining(page: Page, url: string, opts: { behavior: string; waitForBackend?: boolean; timeoutMs?: number }): Promise<void> {
  await page.goto(url);
  const timeout = opts.timeoutMs ?? 120_000;
  await page.waitForFunction(([name, backend]) => {
    const log = (globalThis as unknown as { __phaserPpo?: TrainingLog }).__phaserPpo;
    const b = log?.behaviors[name as string];
    return b !== undefined && (!backend || b.backend !== null);
  }, [opts.behavior, opts.waitForBackend ?? false] as const, { timeout });
}

/**
 * Polls the page until the goal's metric reaches `atLeast` (passed), or the behavior has trained
 * `maxSteps` transitions, reported an error, or the timeout ran out (failed). Never throws for a
 * failed goal: see {@link expectLearning}.
 */
export async function waitForLearning(page: Page, goal: LearningGoal): Promise<LearningResult> {
  const metric = goal.metric ?? 'returnMean';
  const deadline = Date.now() + (goal.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let result: LearningResult;
  for (;;) {
    const log = await readBehaviorLog(page, goal.behavior);
    const metrics = log?.metrics ?? [];
    const curve = metrics.map((m) => ({ update: m.update, step: m.step, policyVersion: m.policyVersion, value: m[metric], returnMean: m.returnMean }));
    const last = curve[curve.length - 1];
    const best = Math.max(-Infinity, ...curve.map((p) => p.value).filter(Number.isFinite));
    const step = last?.step ?? 0;
    const base = { step, best, curve };
    if (best >= goal.atLeast) {
      result = { ...base, passed: true, reason: '' };
      break;
    }
    if (log && log.errors.length > 0) {
      result = { ...base, passed: false, reason: `the page reported: ${log.errors.join('; ')}` };
      break;
    }
    if (step >= goal.maxSteps) {
      result = { ...base, passed: false, reason: `${metric} reached ${fmt(best)} (needed ≥ ${goal.atLeast}) within the budget of ${goal.maxSteps.toLocaleString('en-US')} transitions` };
      break;
    }
    if (Date.now() > deadline) {
      const where = log ? `after ${step.toLocaleString('en-US')} transitions, ${curve.length} updates` : `behavior "${goal.behavior}" never appeared in the page's training log`;
      result = { ...base, passed: false, reason: `timed out ${where}; ${metric} best ${fmt(best)} (needed ≥ ${goal.atLeast})` };
      break;
    }
    await page.waitForTimeout(goal.pollMs ?? 500);
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

/** A few points of the curve, readable in a test failure's message. */
export function summarize(curve: readonly CurvePoint[], points = 8): string {
  if (curve.length === 0) return '(no updates reported)';
  const every = Math.max(1, Math.ceil(curve.length / points));
  const shown = curve.filter((_, i) => i % every === 0 || i === curve.length - 1);
  return shown.map((p) => `  update ${p.update}, step ${p.step}: ${fmt(p.value)}`).join('\n');
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
      ...(metric === 'returnMean' ? { targetReturn: goal.atLeast } : {}),
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
