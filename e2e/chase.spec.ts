/**
 * The chase page in Chromium: fast mode (packs of chasers in a worker) learns far past random
 * while the visible pack plays the latest weights and catches the scripted runner; live mode
 * delivers updates; with "I am the runner" the player runs from the shipped chasers; the canvas
 * shows the arena and the rays. Random chasers never catch the runner in a 15 s round: mean chaser return ≈ -9.4.
 *
 * Every wait is a budget of the page's own progress (transitions trained, game ticks at 60 a
 * second of game time), so a loaded machine slows these tests down without failing them.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface PageState extends GamePageState {
  tally: { catches: number; timeouts: number; catchTicks: number; runner: 'script' | 'player' } | null;
  watching: { policyVersion: number; steps: number; source: 'shipped' | 'mine' } | null;
}

const state = (page: Page) => pageState<PageState>(page, 'chase');
/** A round lasts at most 15 s of game time; the pack acts every 6 ticks and a live rollout is 128 decisions of each chaser. */
const ROUND_TICKS = 900;
const LIVE_ROLLOUT_TICKS = 128 * 6;

test('fast mode: the chasers learn far past random, and the visible pack catches the runner', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=chase&autostart=fast&backend=wasm&workers=1');
  await waitFor<PageState>(page, 'chase', 'the fast learner reports wasm', (s) => s.backend?.backend === 'wasm');
  // Seed 1 on wasm: the curve is the same on every run; the fast run's own budget is 240,000.
  await waitFor<PageState, number>(page, 'chase', 'mean chaser return ≥ -5', (s, bar) => s.metrics.some((m) => m.returnMean >= bar), -5, { transitions: 200_000 });
  // The pack in view plays those weights: it catches the scripted runner within two rounds.
  await waitFor<PageState>(page, 'chase', 'the visible pack catches the runner', (s) => (s.tally?.catches ?? 0) >= 1, undefined, { ticks: 2 * ROUND_TICKS });
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.3);
  expect(shot.colors).toBeGreaterThan(8);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('live mode: the learner worker starts and updates arrive while the pack hunts', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=chase&autostart=live&backend=wasm');
  await waitFor<PageState>(page, 'chase', 'the live learner reports wasm', (s) => s.backend?.backend === 'wasm');
  // Three updates from the game ticks of at most eight rollouts (the learner may drop some while busy).
  const s = await waitFor<PageState>(page, 'chase', '3 learner updates', (x) => x.metrics.length >= 3, undefined, { ticks: 8 * LIVE_ROLLOUT_TICKS });
  expect(s.metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  expect(s.errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('play against the NPCs: with "I am the runner" the shipped chasers hunt you, and the arrow keys steer', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=chase');
  await waitFor<PageState>(page, 'chase', 'heuristic mode', (s) => s.mode === 'heuristic');
  expect((await state(page)).tally?.runner).toBe('script');
  await page.getByTestId('player').check();
  await page.getByTestId('watch').click();
  await waitFor<PageState>(page, 'chase', 'the shipped brain plays', (s) => s.watching?.source === 'shipped');
  expect((await state(page)).tally?.runner).toBe('player');
  // Half a second of game time with the key held.
  const held = (await state(page)).ticks;
  await page.keyboard.down('ArrowLeft');
  await waitFor<PageState, number>(page, 'chase', '30 ticks with ← held', (s, from) => s.ticks >= from + 30, held);
  await page.keyboard.up('ArrowLeft');
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.3);
  // A runner that stands still is caught by the trained pack within two rounds.
  await waitFor<PageState>(page, 'chase', 'the shipped pack catches the still runner', (s) => (s.tally?.catches ?? 0) >= 1, undefined, { ticks: 2 * ROUND_TICKS });
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
