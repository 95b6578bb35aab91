/**
 * The scene plugin in a real Phaser game (e2e/pages/plugin.html): a scene restarted 20 times keeps
 * the same listeners (the plugin hooks UPDATE in `start` and unhooks in `shutdown`, the example
 * scenes take their own UPDATE listener off on SHUTDOWN); an error thrown in an agent hook or in
 * the fixed step reaches the training log and fails `waitForLearning` at once, with its message,
 * instead of freezing the loop; Matter stepping on its own is reported; settings come from the
 * plugin's data and the scene's config; `randomBaseline` measures the untrained policy.
 * Every wait is on ticks, episodes or log entries read from the page.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { openTraining, randomBaseline, readBehaviorLog, waitForLearning } from '../sdk/testing/index.js';
import { watchConsole } from './helpers.js';

const PAGE = '/e2e/pages/plugin.html';

interface Counts { scene: Record<string, number>; ppo: Record<string, number>; sceneTotal: number }
interface PluginPage {
  restarts(key: string, times: number): Promise<Counts[]>;
  settings(): { stepMs: number; speed: number; maxStepsPerFrame: number };
  probeTicks(): number;
  failUpdate(): void;
}

const restarts = (page: Page, key: string, times: number) =>
  page.evaluate(([k, n]) => (globalThis as unknown as { __pluginPage: PluginPage }).__pluginPage.restarts(k as string, n as number), [key, times] as const);

/** Waits until the probe agent has been judged `ticks` times (fixed steps run). */
const probeTicks = (page: Page, ticks: number) =>
  page.waitForFunction((n) => ((globalThis as unknown as { __pluginPage?: PluginPage }).__pluginPage?.probeTicks() ?? 0) >= n, ticks);

for (const key of ['balance', 'lander', 'chase']) {
  test(`${key}: 20 restarts of the scene leave its listeners as the first start left them`, async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto(PAGE);
    const counts = await restarts(page, key, 20);
    expect(counts).toHaveLength(21);
    const first = counts[0]!;
    expect(first.scene.update).toBeGreaterThan(0);
    for (const c of counts) {
      expect(c.scene.update).toBe(first.scene.update);
      expect(c.scene).toEqual(first.scene);
      expect(c.sceneTotal).toBe(first.sceneTotal);
      expect(c.ppo).toEqual(first.ppo);
    }
    expect(errors).toEqual([]);
  });
}

test('addReward(NaN) in the fixed step reaches the training log and fails waitForLearning at once, with the message', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openTraining(page, `${PAGE}?scene=probe&fault=reward`, { behavior: 'probe' });
  const r = await waitForLearning(page, { behavior: 'probe', atLeast: 1, maxSteps: 1_000_000 });
  expect(r.passed).toBe(false);
  expect(r.reason).toContain("the scene's fixed step (onFixedStep) threw");
  expect(r.reason).toContain('addReward(NaN)');
  // Nothing stepped after the throw, and it did not escape into Phaser's loop.
  expect(await page.evaluate(() => (globalThis as unknown as { __pluginPage: PluginPage }).__pluginPage.probeTicks())).toBe(30);
  expect(pageErrors).toEqual([]);
});

test('an agent hook that throws stops its behavior and reaches the training log', async ({ page }) => {
  await openTraining(page, `${PAGE}?scene=probe&fault=observe`, { behavior: 'probe' });
  const r = await waitForLearning(page, { behavior: 'probe', atLeast: 1, maxSteps: 1_000_000 });
  expect(r.passed).toBe(false);
  expect(r.reason).toContain('behavior "probe" stopped: an agent hook threw: probe: collectObservations failed on purpose');
});

test("the scene's own update throwing (outside the plugin) fails waitForLearning at once too", async ({ page }) => {
  await openTraining(page, `${PAGE}?scene=probe`, { behavior: 'probe' });
  // waitForLearning listens from the call on; the scene throws after that.
  const waiting = waitForLearning(page, { behavior: 'probe', atLeast: 1, maxSteps: 1_000_000 });
  await page.evaluate(() => (globalThis as unknown as { __pluginPage: PluginPage }).__pluginPage.failUpdate());
  const r = await waiting;
  expect(r.passed).toBe(false);
  expect(r.reason).toContain('uncaught in the page: probe: the scene update failed on purpose');
});

test("Matter's world stepping on its own besides the fixed step is reported once; settings come from plugin data and scene config", async ({ page }) => {
  await openTraining(page, `${PAGE}?scene=probe&autoUpdate=1`, { behavior: 'probe' });
  await probeTicks(page, 120);
  const log = (await readBehaviorLog(page, 'probe'))!;
  expect(log.warnings).toHaveLength(1);
  expect(log.warnings[0]).toContain('autoUpdate is true');
  expect(log.errors).toEqual([]);
  // speed from the scene's physics.ppo, maxStepsPerFrame from the plugin entry's data, stepMs the default.
  expect(await page.evaluate(() => (globalThis as unknown as { __pluginPage: PluginPage }).__pluginPage.settings())).toEqual({ stepMs: 1000 / 60, speed: 2, maxStepsPerFrame: 8 });

  await openTraining(page, `${PAGE}?scene=probe&autoUpdate=0`, { behavior: 'probe' });
  await probeTicks(page, 120);
  expect((await readBehaviorLog(page, 'probe'))!.warnings).toEqual([]);
});

test('randomBaseline measures the untrained policy of a train behavior, without learning', async ({ page }) => {
  const baseline = await randomBaseline(page, `${PAGE}?scene=probe&type=train`, { behavior: 'probe', episodes: 40, warmupEpisodes: 5 });
  expect(baseline.episodes).toBeGreaterThanOrEqual(40);
  // A random walk from cell 5 reaches cell 10 within 40 steps in some episodes, not all
  // (the scripted heuristic, always right, would score exactly 1).
  expect(baseline.returnMean).toBeGreaterThan(0.05);
  expect(baseline.returnMean).toBeLessThan(0.95);
  // The page it measured in is closed; the test's own page was not navigated.
  expect(page.url()).toBe('about:blank');
});
