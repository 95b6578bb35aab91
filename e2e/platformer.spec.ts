/**
 * A new user's Arcade platformer (test-fixtures/foreign-platformer) in a built page: the title
 * scene starts the level on a key, as the game's players do, and fast mode trains the level's
 * foxes in a worker whose headless copies run the same level (Tiled collision layer, Groups,
 * timers, the camera) from the files the page serves. The wait is on the page's own progress:
 * two fast-mode updates, or an error.
 */
import { test, expect } from './fixtures.js';
import { watchConsole } from './helpers.js';

interface PlatformerState { level: boolean; foxes: number; steps: number[]; errors: string[] }

test('the title scene starts the level; fast mode trains its foxes on headless copies of it, and they play the weights', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/e2e/pages/platformer.html');
  const read = () => page.evaluate(() => (globalThis as unknown as { __platformer: PlatformerState }).__platformer);
  // The title waits for its key: nothing of the level runs before.
  await page.waitForFunction(() => document.querySelector('canvas') !== null);
  expect((await read()).level).toBe(false);
  await page.locator('canvas').click();
  await page.waitForFunction(() => {
    const s = (globalThis as unknown as { __platformer: PlatformerState }).__platformer;
    return s.errors.length > 0 || s.steps.length >= 2;
  });
  // The foxes in the page play the worker's weights (from the frame after an update).
  await page.waitForFunction(() => {
    const g = globalThis as unknown as { __platformer: PlatformerState; __platformerPolicy?: () => number };
    return g.__platformer.errors.length > 0 || (g.__platformerPolicy?.() ?? 0) > 0;
  });
  const s = await read();
  expect(s.errors).toEqual([]);
  expect(s.foxes).toBe(4);
  // Two copies × four foxes × 128 decisions per update.
  expect(s.steps.slice(0, 2)).toEqual([1024, 2048]);
  expect(errors).toEqual([]);
});
