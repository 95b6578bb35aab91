/**
 * A foreign game (test-fixtures/foreign-game) in a built page: its scene loads a Tiled map, a
 * sprite sheet, an atlas and a level JSON in preload, and fast mode trains it in a worker whose
 * headless copies read the same files from the page's server (synchronous requests, by the URLs
 * the page's loader uses). Before, a copy refused the JSON files and fast mode stopped at once.
 * The wait is on the page's own progress: two fast-mode updates, or an error.
 */
import { test, expect } from './fixtures.js';
import { watchConsole } from './helpers.js';

interface ForeignState { steps: number[]; errors: string[]; level: unknown }

test('fast mode trains a scene that loads a tilemap, sprite sheet, atlas and level JSON: the worker\'s copies load the served files', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/e2e/pages/foreign.html');
  const read = () => page.evaluate(() => (globalThis as unknown as { __foreign?: ForeignState }).__foreign);
  await page.waitForFunction(() => {
    const s = (globalThis as unknown as { __foreign?: ForeignState }).__foreign;
    return s !== undefined && (s.errors.length > 0 || s.steps.length >= 2);
  });
  const s = (await read())!;
  expect(s.errors).toEqual([]);
  expect(s.level).toEqual({ name: 'first steps', start: 2, goal: 5 });
  // Two copies × 64 steps per update.
  expect(s.steps.slice(0, 2)).toEqual([128, 256]);
  expect(errors).toEqual([]);
});
