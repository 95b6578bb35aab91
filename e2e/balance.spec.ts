/**
 * The balance page in Chromium: the learner worker starts, reports its backend, and the NPCs
 * learn, in live mode (game loop + worker) and in fast mode (headless copies in a worker).
 * A random policy balances ~27 ticks; the bars below are far above it.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { bestReturn, canvasContent, pageState, watchConsole, type GamePageState } from './helpers.js';

const state = (page: Page) => pageState(page, 'balance');

test('live mode: the learner worker picks a backend and the carts learn while the game runs', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance&autostart=live&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 60_000 }).toBe('wasm');
  await expect.poll(() => bestReturn(page, 'balance'), { timeout: 150_000, intervals: [2000] }).toBeGreaterThanOrEqual(100);
  const s = await state(page);
  expect(s.metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  // The carts are drawn: the canvas is not blank.
  expect((await canvasContent(page)).drawn).toBeGreaterThan(0.005);
  expect(s.errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('fast mode: headless copies in a worker train far past random while the scene plays the latest weights', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance&autostart=fast&backend=auto');
  await expect.poll(async () => (await state(page)).backend?.reason ?? '', { timeout: 90_000 }).toMatch(/^auto: .*→ (kernels|webgl|wasm|cpu)/);
  await expect.poll(() => bestReturn(page, 'balance'), { timeout: 150_000, intervals: [2000] }).toBeGreaterThanOrEqual(200);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('switching modes restarts the scene and it keeps running: play, then train fast, then watch', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance');
  await expect.poll(async () => (await state(page)).mode).toBe('heuristic');
  await page.getByTestId('train-fast').click();
  await expect.poll(async () => (await state(page)).metrics.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await page.getByTestId('watch').click();
  // The restarted scene steps: the shipped brain's carts finish episodes (500 ticks each at 60 per second).
  await expect.poll(async () => (await pageState<{ returns: number[] } & GamePageState>(page, 'balance')).returns.length, { timeout: 60_000 }).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
