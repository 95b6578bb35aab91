/**
 * The maze page in Chromium: fast mode (headless copies of the tilemap scene in a worker) trains
 * the grid NPC far past the random walk (mean return ≈ -0.29, the exit in 10% of episodes) while
 * the visible rooms play the latest weights; a human walks the NPC with the arrow keys.
 *
 * Every wait is a budget of the page's own progress (transitions trained, game ticks: a move per
 * tick), so a loaded machine slows these tests down without failing them.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { expectLearning, openTraining } from '../sdk/testing/index.js';
import { canvasContent, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface PageState extends GamePageState {
  tally: { exits: number; timeouts: number } | null;
  walker: { x: number; y: number; open: boolean[] } | null;
}

const state = (page: Page) => pageState<PageState>(page, 'maze');
/** An episode is cut after 40 moves, a move per tick. */
const EPISODE_TICKS = 40;

test('fast mode: the grid NPC learns to find the exit far past the random walk, and the visible rooms reach exits', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await openTraining(page, '/?game=maze&autostart=fast&backend=kernels&workers=1', { behavior: 'maze' });
  // Seed 1 on kernels: the Node test's run (games/maze/maze.test.ts) passes 0.4 at about 250,000.
  const r = await expectLearning(page, { behavior: 'maze', atLeast: 0.3, maxSteps: 300_000, testInfo });
  console.log(`maze: fast mode reached ${r.best.toFixed(2)} at ${r.step} transitions`);
  // The visible rooms play those weights: of the next 12 episodes to end in view, a third or more
  // reach the exit (a random walk: 10%), within 20 episodes' moves of the six NPCs.
  const before = (await state(page)).tally!;
  const ended = before.exits + before.timeouts;
  await waitFor<PageState, number>(page, 'maze', '12 more episodes end in view', (s, n) => s.tally!.exits + s.tally!.timeouts >= n, ended + 12, { ticks: 20 * EPISODE_TICKS });
  const after = (await state(page)).tally!;
  const rate = (after.exits - before.exits) / (after.exits + after.timeouts - ended);
  console.log(`maze: the visible NPCs reached the exit in ${(100 * rate).toFixed(0)}% of ${after.exits + after.timeouts - ended} episodes`);
  expect(rate).toBeGreaterThanOrEqual(1 / 3);
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  expect(shot.colors).toBeGreaterThan(4);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('keyboard: a human walks the NPC with the arrow keys; with no key it stays', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=maze');
  // The walker is published from the first tick on (tile x 0 is the border: not yet placed).
  await waitFor<PageState>(page, 'maze', 'heuristic mode, the NPC placed', (s) => s.mode === 'heuristic' && (s.walker?.x ?? 0) > 0, undefined, { ticks: 10 });
  await page.locator('#game canvas').click();
  // No key: the NPC stays on its tile for 10 moves.
  const start = structuredClone((await state(page)).walker!);
  const from = (await state(page)).ticks;
  await waitFor<PageState, number>(page, 'maze', '10 ticks without keys', (s, until) => s.ticks >= until, from + 10);
  expect((await state(page)).walker).toEqual(start);
  // Walls around the start read as closed: the page state says where the keys can walk.
  expect(start.open.some((o) => o)).toBe(true);
  // Hold the key of a move onto floor: the NPC steps that way within a few ticks.
  const move = start.open.indexOf(true);
  const key = ['ArrowUp', 'ArrowRight', 'ArrowDown', 'ArrowLeft'][move]!;
  const [dx, dy] = ([[0, -1], [1, 0], [0, 1], [-1, 0]] as const)[move]!;
  await page.keyboard.down(key);
  // The predicate runs in the page: the start comes in as its argument.
  await waitFor<PageState, { x: number; y: number }>(page, 'maze', `a step with ${key} held`, (s, from) => s.walker!.x !== from.x || s.walker!.y !== from.y, { x: start.x, y: start.y }, { ticks: 10 });
  await page.keyboard.up(key);
  const s = (await state(page)).walker!;
  // It walked along the key's direction only (or reached the exit: a new level, anywhere).
  const tally = (await state(page)).tally!;
  if (tally.exits === 0) expect((s.x - start.x) * dy === 0 && (s.y - start.y) * dx === 0 && (s.x - start.x) * dx + (s.y - start.y) * dy > 0).toBe(true);
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
