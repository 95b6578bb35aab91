/**
 * The balance page in Chromium: the learner worker starts, reports its backend, and the NPCs
 * learn, in live mode (game loop + worker) and in fast mode (headless copies in a worker).
 * A random policy balances ~27 ticks; the bars below are far above it.
 *
 * Every wait is a budget of the page's own progress (transitions trained, game ticks at 60 a
 * second of game time), so a loaded machine slows these tests down without failing them.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface PageState extends GamePageState { returns: number[]; watching: object | null }
const state = (page: Page) => pageState<PageState>(page, 'balance');
const reached = (s: PageState, bar: number) => s.metrics.some((m) => m.returnMean >= bar);

test('live mode: the learner worker picks a backend and the carts learn while the game runs', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance&autostart=live&backend=wasm');
  await waitFor<PageState>(page, 'balance', 'the live learner reports wasm', (s) => s.backend?.backend === 'wasm');
  // The budget of e2e/learning.spec.ts's live test.
  await waitFor(page, 'balance', 'mean return ≥ 100', reached, 100, { transitions: 200_000 });
  const s = await state(page);
  expect(s.metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  // The carts are drawn: the canvas is not blank.
  expect((await canvasContent(page)).drawn).toBeGreaterThan(0.005);
  expect(s.errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('fast mode: headless copies in a worker train far past random while the scene plays the latest weights', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance&autostart=fast&backend=auto&workers=1');
  await waitFor<PageState>(page, 'balance', 'the auto backend choice is reported', (s) => /^auto: .*→ (kernels|webgl|wasm|cpu)/.test(s.backend?.reason ?? ''));
  // Whichever backend auto picks: e2e/learning.spec.ts has every backend reach 150 within 200,000.
  await waitFor(page, 'balance', 'mean return ≥ 200', reached, 200, { transitions: 300_000 });
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('switching modes restarts the scene and it keeps running: play, then train fast, then watch', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance');
  await waitFor<PageState>(page, 'balance', 'heuristic mode', (s) => s.mode === 'heuristic');
  await page.getByTestId('train-fast').click();
  // Fast mode's worker trains on its own (no budget of its progress says more than "it trains").
  await waitFor<PageState>(page, 'balance', '2 fast-mode updates', (s) => s.metrics.length >= 2);
  await page.getByTestId('watch').click();
  await waitFor<PageState>(page, 'balance', 'the shipped brain plays', (s) => s.watching !== null);
  // The restarted scene steps: the shipped brain's carts finish episodes (500 ticks each at most).
  await waitFor<PageState>(page, 'balance', 'an episode ends in the restarted scene', (s) => s.returns.length > 0, undefined, { ticks: 2 * 500 });
  expect(errors).toEqual([]);
});
