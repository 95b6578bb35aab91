/**
 * The lander page in Chromium: fast mode (headless copies in a worker) trains far past random
 * while the visible crafts fly the latest weights and come to rest on the pad; live mode delivers
 * updates; flying by keyboard works; the canvas shows the game. Random throttles score ≈ -160.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { bestReturn, canvasContent, pageState, watchConsole, type GamePageState } from './helpers.js';

interface PageState extends GamePageState {
  tally: { landed: number; landedOffPad: number; crashed: number; timeout: number } | null;
}

const state = (page: Page) => pageState<PageState>(page, 'lander');

test('fast mode: the crafts learn to land far past random, and the visible ones set down on the pad', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander&autostart=fast&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 30_000 }).toBe('wasm');
  await expect.poll(() => bestReturn(page, 'lander'), { timeout: 75_000, intervals: [2000] }).toBeGreaterThanOrEqual(100);
  // The visible crafts fly in real time at best: on a loaded 2-core machine the page draws ~6 frames
  // a second while the worker trains, so a 10 s episode can take far longer than 10 s.
  await expect.poll(async () => (await state(page)).tally?.landed ?? 0, { timeout: 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  expect(shot.colors).toBeGreaterThan(8);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('live mode: the learner worker starts and updates arrive while the crafts fly', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander&autostart=live&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 30_000 }).toBe('wasm');
  await expect.poll(async () => (await state(page)).metrics.length, { timeout: 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(3);
  expect((await state(page)).metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('keyboard: a human flies the craft with the arrow keys, and the canvas shows it', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander');
  await expect.poll(async () => (await state(page)).mode).toBe('heuristic');
  await page.locator('#game canvas').click();
  await page.keyboard.down('ArrowUp');
  await page.keyboard.down('ArrowRight');
  await page.waitForTimeout(600);
  await page.keyboard.up('ArrowRight');
  await page.waitForTimeout(600);
  await page.keyboard.up('ArrowUp');
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  // Let go and the craft falls: the episode ends one way or another.
  await expect.poll(async () => { const t = (await state(page)).tally!; return t.crashed + t.landed + t.landedOffPad; }, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
