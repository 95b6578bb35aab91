/**
 * An Arcade Physics scene live in a real page (e2e/pages/arcade.html): PPOPlugin steps the world
 * exactly once per fixed step on the browser's frames at speed 4, the agents learn to catch (live,
 * and in fast mode: the scene's headless copies in a worker), and a world whose fps disagrees with
 * stepMs is reported. Every wait is on steps or transitions read
 * from the page.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { openTraining, readBehaviorLog, waitForLearning } from '../sdk/testing/index.js';
import { watchConsole } from './helpers.js';

const PAGE = '/e2e/pages/arcade.html';

interface Steps { frames: number; fixedSteps: number; worldSteps: number; catches: number }
const steps = (page: Page) => page.evaluate(() => (globalThis as unknown as { __arcadePage: { steps(): Steps | null } }).__arcadePage.steps());
const fixedSteps = (page: Page, n: number) =>
  page.waitForFunction((k) => ((globalThis as unknown as { __arcadePage?: { steps(): Steps | null } }).__arcadePage?.steps()?.fixedSteps ?? 0) >= k, n);

test('one Arcade world step per fixed step at speed 4 on the page\'s frames, not one per frame', async ({ page }) => {
  const errors = watchConsole(page);
  await openTraining(page, `${PAGE}?type=heuristic`, { behavior: 'catch' });
  await fixedSteps(page, 400);
  const s = (await steps(page))!;
  expect(s.worldSteps).toBe(s.fixedSteps);
  // Speed 4: several fixed steps per frame (Arcade on its own would step about once per frame).
  expect(s.fixedSteps).toBeGreaterThan(s.frames * 2);
  expect((await readBehaviorLog(page, 'catch'))!.warnings).toEqual([]);
  expect(errors).toEqual([]);
});

test('learns to catch live: mean return 0.5 within 60,000 transitions (random play scores about -1)', async ({ page }) => {
  await openTraining(page, PAGE, { behavior: 'catch' });
  const r = await waitForLearning(page, { behavior: 'catch', atLeast: 0.5, maxSteps: 60_000 });
  expect(r.passed, r.reason).toBe(true);
});

test("an Arcade world at 30 fps against stepMs 1000/60 is reported once, with both values (code arcade-fps)", async ({ page }) => {
  await openTraining(page, `${PAGE}?type=heuristic&fps=30`, { behavior: 'catch' });
  await fixedSteps(page, 60);
  const log = (await readBehaviorLog(page, 'catch'))!;
  expect(log.warnings).toHaveLength(1);
  expect(log.warnings[0]).toMatch(/the Arcade world steps 33\.333 ms \(physics\.arcade\.fps 30\) but the plugin's fixed step is 16\.667 ms/);
});

test('learns to catch in fast mode (headless copies in a worker), and the scene plays the weights: its squares catch', async ({ page }) => {
  const errors = watchConsole(page);
  await openTraining(page, `${PAGE}?mode=fast`, { behavior: 'catch' });
  const r = await waitForLearning(page, { behavior: 'catch', atLeast: 0.5, maxSteps: 65_536 });
  expect(r.passed, r.reason).toBe(true);
  // The visible scene, on the weights fast mode sent: catches over the next 3,000 fixed steps
  // (4 squares: trained, a square catches its ball in about 60 steps; random play caught none in 100
  // episodes of 300 steps, measured in Node with the untrained policy's sampled actions).
  const from = (await steps(page))!;
  await fixedSteps(page, from.fixedSteps + 3000);
  const to = (await steps(page))!;
  expect(to.catches - from.catches).toBeGreaterThanOrEqual(30);
  expect(errors).toEqual([]);
});
