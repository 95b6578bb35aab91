/**
 * The lander page in Chromium: fast mode (headless copies in a worker) trains far past random
 * while the visible crafts fly the latest weights and come to rest on the pad; live mode delivers
 * updates; flying by keyboard works; the canvas shows the game. Random throttles score ≈ -160.
 *
 * Every wait is a budget of the page's own progress (transitions trained, game ticks at 60 a
 * second of game time), so a loaded machine slows these tests down without failing them.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface PageState extends GamePageState {
  tally: { landed: number; landedOffPad: number; crashed: number; timeout: number } | null;
}

const state = (page: Page) => pageState<PageState>(page, 'lander');
/** An episode lasts at most 10 s of game time; a live rollout is 128 decisions, one every 2 ticks. */
const EPISODE_TICKS = 600;
const LIVE_ROLLOUT_TICKS = 128 * 2;

test('fast mode: the crafts learn to land far past random, and the visible ones set down on the pad', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander&autostart=fast&backend=wasm&workers=1');
  await waitFor<PageState>(page, 'lander', 'the fast learner reports wasm', (s) => s.backend?.backend === 'wasm');
  // Seed 1 on wasm: the curve is the same on every run; the fast run's own budget is 300,000.
  await waitFor<PageState, number>(page, 'lander', 'mean return ≥ 100', (s, bar) => s.metrics.some((m) => m.returnMean >= bar), 100, { transitions: 250_000 });
  // The visible crafts fly those weights in game time (on a loaded machine the page may draw ~6
  // frames a second, so the budget is ticks, not seconds): one lands within six episodes.
  await waitFor<PageState>(page, 'lander', 'a visible craft lands', (s) => (s.tally?.landed ?? 0) >= 1, undefined, { ticks: 6 * EPISODE_TICKS });
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  expect(shot.colors).toBeGreaterThan(8);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('live mode: the learner worker starts and updates arrive while the crafts fly', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander&autostart=live&backend=wasm');
  await waitFor<PageState>(page, 'lander', 'the live learner reports wasm', (s) => s.backend?.backend === 'wasm');
  // Three updates from the game ticks of at most eight rollouts (the learner may drop some while busy).
  const s = await waitFor<PageState>(page, 'lander', '3 learner updates', (x) => x.metrics.length >= 3, undefined, { ticks: 8 * LIVE_ROLLOUT_TICKS });
  expect(s.metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('keyboard: a human flies the craft with the arrow keys, and the canvas shows it', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander');
  await waitFor<PageState>(page, 'lander', 'heuristic mode', (s) => s.mode === 'heuristic');
  await page.locator('#game canvas').click();
  // Thrust and steer for 36 ticks (0.6 s of game time), then thrust alone for 36 more.
  const ticksAfter = async (n: number, what: string) => {
    const from = (await state(page)).ticks;
    await waitFor<PageState, number>(page, 'lander', what, (s, until) => s.ticks >= until, from + n);
  };
  await page.keyboard.down('ArrowUp');
  await page.keyboard.down('ArrowRight');
  await ticksAfter(36, '36 ticks with ↑ → held');
  await page.keyboard.up('ArrowRight');
  await ticksAfter(36, '36 ticks with ↑ held');
  await page.keyboard.up('ArrowUp');
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  // Let go and the craft falls: the episode ends one way or another, within its 600 ticks.
  await waitFor<PageState>(page, 'lander', 'the flown episode ends', (s) => s.tally !== null && s.tally.crashed + s.tally.landed + s.tally.landedOffPad >= 1, undefined, { ticks: EPISODE_TICKS + 120 });
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
