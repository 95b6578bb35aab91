/**
 * The chase page in Chromium: fast mode (packs of chasers in a worker) learns far past random
 * while the visible pack plays the latest weights and catches the scripted runner; live mode
 * delivers updates; with "I am the runner" the player runs from the shipped chasers; the canvas
 * shows the arena and the rays. Random chasers never catch the runner in a 15 s round: mean chaser return ≈ -9.4.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { bestReturn, canvasContent, pageState, watchConsole, type GamePageState } from './helpers.js';

interface PageState extends GamePageState {
  tally: { catches: number; timeouts: number; catchTicks: number; runner: 'script' | 'player' } | null;
  watching: { policyVersion: number; steps: number; source: 'shipped' | 'mine' } | null;
}

const state = (page: Page) => pageState<PageState>(page, 'chase');

test('fast mode: the chasers learn far past random, and the visible pack catches the runner', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=chase&autostart=fast&backend=wasm');
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
  await page.goto('/?game=chase&autostart=live&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 30_000 }).toBe('wasm');
  await expect.poll(async () => (await state(page)).metrics.length, { timeout: 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(3);
  expect((await state(page)).metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('play against the NPCs: with "I am the runner" the shipped chasers hunt you, and the arrow keys steer', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=chase');
  await expect.poll(async () => (await state(page)).mode).toBe('heuristic');
  expect((await state(page)).tally?.runner).toBe('script');
  await page.getByTestId('player').check();
  await page.getByTestId('watch').click();
  await expect.poll(async () => (await state(page)).watching?.source).toBe('shipped');
  expect((await state(page)).tally?.runner).toBe('player');
  await page.keyboard.down('ArrowLeft');
  await page.waitForTimeout(500);
  await page.keyboard.up('ArrowLeft');
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.3);
  // A runner that stands still is caught by the trained pack.
  await expect.poll(async () => (await state(page)).tally?.catches ?? 0, { timeout: 30_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
