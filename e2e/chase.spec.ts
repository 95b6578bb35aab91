/**
 * The chase page in Chromium: fast mode (packs of chasers in a worker) learns far past random
 * while the visible pack plays the latest weights and catches the scripted runner; live mode
 * delivers updates; the arrow keys hand the runner to the player; the canvas shows the arena and
 * the rays. Random chasers never catch the runner in a 15 s round: mean chaser return ≈ -9.4.
 */
import { test, expect, type Page } from '@playwright/test';
import { bestReturn, canvasContent, pageState, watchConsole, type GamePageState } from './helpers.js';

interface PageState extends GamePageState {
  tally: { catches: number; timeouts: number; catchTicks: number; runner: 'script' | 'player' } | null;
  chasers: 'scripted' | 'trained' | 'learning';
}

const state = (page: Page) => pageState<PageState>(page, 'chase');

test('fast mode: the chasers learn far past random, and the visible pack catches the runner', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/games/chase/index.html?autostart=fast&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 30_000 }).toBe('wasm');
  await expect.poll(() => bestReturn(page, 'chase'), { timeout: 75_000, intervals: [2000] }).toBeGreaterThanOrEqual(-5);
  await expect.poll(async () => (await state(page)).tally?.catches ?? 0, { timeout: 30_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.3);
  expect(shot.colors).toBeGreaterThan(8);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('live mode: the learner worker starts and updates arrive while the pack hunts', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/games/chase/index.html?autostart=live&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 30_000 }).toBe('wasm');
  await expect.poll(async () => (await state(page)).metrics.length, { timeout: 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(3);
  expect((await state(page)).metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('play: the arrow keys take over the runner; the scripted chasers still catch a runner that stops', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/games/chase/index.html');
  await expect.poll(async () => (await state(page)).mode).toBe('heuristic');
  expect((await state(page)).chasers).toBe('scripted');
  await page.locator('#game canvas').click();
  await page.keyboard.down('ArrowLeft');
  await page.waitForTimeout(500);
  await page.keyboard.up('ArrowLeft');
  await expect.poll(async () => (await state(page)).tally?.runner).toBe('player');
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.3);
  await expect.poll(async () => (await state(page)).tally?.catches ?? 0, { timeout: 30_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
