/**
 * Chase's Rivals mode in the gallery: the pack and a learning runner train against each other in
 * fast-mode workers (chaseRivalsGame, two behaviors; the page's default count, or 2), the scene plays both sides' newest weights (its runner
 * an agent of the `runner` behavior), and the ELO chart draws a line per behavior that moves.
 *
 * Every wait is a budget of the page's own progress: transitions the pack trained (the page's
 * metrics are the pack's) or game ticks, never the clock.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface RivalUpdate { behavior: string; update: number; step: number; returnMean: number; ratings: Record<string, number> }
interface PageState extends GamePageState {
  mine: { policyVersion: number; steps: number; source: string; rivals?: Record<string, { policyVersion: number; steps: number }> } | null;
  fastRestarts: number;
  fastRunWorkers: number;
  watching: { policyVersion: number; steps: number; source: 'shipped' | 'mine' } | null;
  returns: number[];
  tally: { catches: number; timeouts: number; catchTicks: number; runner: 'script' | 'player' | 'brain' } | null;
  rivals: RivalUpdate[];
}

const state = (page: Page) => pageState<PageState>(page, 'chase');
/** One pack update is 16 chasers × 128 decisions = 2,048 transitions (the runner's: 4 × 128 = 512). */
const PACK_UPDATE = 2048;

test('rivals: both sides train in a worker, the scene plays both, and the ELO chart moves', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=chase&backend=wasm');
  await waitFor<PageState>(page, 'chase', 'heuristic mode', (s) => s.mode === 'heuristic');
  await expect(page.getByTestId('train-rivals')).toBeVisible();
  await page.getByTestId('train-rivals').click();
  await waitFor<PageState>(page, 'chase', 'rivals mode with the wasm learner', (s) => s.mode === 'rivals' && s.backend?.backend === 'wasm');
  // The runner in view is steered by the runner behavior's actions, not the script: from its first
  // decision with weights (a 512-transition update of the runner comes with the pack's first).
  await waitFor<PageState>(page, 'chase', "the runner behavior's brain steers the runner", (s) => s.tally?.runner === 'brain', undefined, { transitions: 2 * PACK_UPDATE });
  // Four updates of each side: every update carries both ratings, and rounds ended by then move them.
  const s = await waitFor<PageState>(page, 'chase', '4 updates of each side, with ratings that moved',
    (x) => ['chase', 'runner'].every((b) => x.rivals.filter((u) => u.behavior === b).length >= 4)
      && x.rivals.some((u) => Math.abs((u.ratings.chase ?? 1200) - 1200) > 1),
    undefined, { transitions: 12 * PACK_UPDATE });
  const pack = s.rivals.filter((u) => u.behavior === 'chase');
  const runner = s.rivals.filter((u) => u.behavior === 'runner');
  // Each side on its own rollout: the runner trains a quarter of the pack's transitions per update.
  expect(pack[0]!.step).toBe(PACK_UPDATE);
  expect(runner[0]!.step).toBe(PACK_UPDATE / 4);
  // One ELO for the two: zero-sum around the start.
  const last = s.rivals.at(-1)!;
  expect(Object.keys(last.ratings).sort()).toEqual(['chase', 'runner']);
  expect(last.ratings.chase! + last.ratings.runner!).toBeCloseTo(2400, 6);
  // The page's metrics (and its charts) are the pack's alone.
  expect(s.metrics.map((m) => m.step)).toEqual(pack.map((u) => u.step));
  // The ELO chart has a line per behavior, a point per update of the run.
  await expect(page.getByTestId('chart-elo')).toBeVisible();
  const points = await page.evaluate(() => (globalThis as unknown as { __chase: { eloPoints: () => Record<string, number> } }).__chase.eloPoints());
  expect(Object.keys(points).sort()).toEqual(['chase', 'runner']);
  expect(points.chase).toBeGreaterThanOrEqual(8);
  expect(points.runner).toBe(points.chase);
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.3);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('inference with "learned runner": the shipped runner brain runs from the shipped pack, and rounds end', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=chase');
  await waitFor<PageState>(page, 'chase', 'heuristic mode', (s) => s.mode === 'heuristic');
  // The scripted runner stays the default.
  expect((await state(page)).tally?.runner).toBe('script');
  await page.getByTestId('rival-brains').check();
  await page.getByTestId('watch').click();
  await waitFor<PageState>(page, 'chase', 'the shipped brains play', (s) => s.watching?.source === 'shipped');
  // Its actions steer the runner from its first decision (every 6 ticks).
  await waitFor<PageState>(page, 'chase', "the runner's brain steers it", (s) => s.tally?.runner === 'brain', undefined, { ticks: 60 });
  // Two rounds of game time at most 15 s each: at least one ends (a catch or an escape).
  await waitFor<PageState>(page, 'chase', 'a round ends', (s) => (s.tally?.catches ?? 0) + (s.tally?.timeouts ?? 0) >= 1, undefined, { ticks: 2 * 900 });
  expect(await page.getByTestId('status-line').textContent()).toContain('runner: brain');
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

/** Keeps a handle on every worker the page starts (`__workers`), as an outside party could. */
async function keepWorkerHandles(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = globalThis.Worker;
    const started: { name: string; worker: Worker }[] = [];
    (globalThis as unknown as { __workers: typeof started }).__workers = started;
    globalThis.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        started.push({ name: options?.name ?? '', worker: this });
      }
    };
  });
}

test('rivals on 2 workers: a killed worker resumes both sides from their checkpoints, and the runner is kept with your brain and plays in Inference', async ({ page }) => {
  const errors = watchConsole(page);
  await keepWorkerHandles(page);
  // Two workers (the learner's and an actor), both named for the rivals' worker module.
  await page.goto('/?game=chase&backend=wasm&workers=2');
  await waitFor<PageState>(page, 'chase', 'heuristic mode', (s) => s.mode === 'heuristic');
  await page.getByTestId('train-rivals').click();
  // Checkpoints ride on every 5th update of each side; the two sides update on the same ticks.
  const before = await waitFor<PageState>(page, 'chase', '6 updates of each side',
    (x) => ['chase', 'runner'].every((b) => x.rivals.filter((u) => u.behavior === b).length >= 6), undefined, { transitions: 10 * PACK_UPDATE });
  const killedAfter = before.rivals.length;
  expect(before.fastRunWorkers).toBe(2);
  // The actor (the last started): the run's workers all end, and new ones go on from the checkpoints.
  await page.evaluate(() => {
    const rivals = (globalThis as unknown as { __workers: { name: string; worker: Worker }[] }).__workers.filter((w) => w.name === 'chase-rivals');
    rivals.at(-1)!.worker.terminate();
  });
  await waitFor<PageState>(page, 'chase', 'the rivals worker restarted', (s) => s.fastRestarts === 1);
  const after = await waitFor<PageState, number>(page, 'chase', 'an update of each side from the new worker',
    (x, n) => ['chase', 'runner'].every((b) => x.rivals.slice(n).some((u) => u.behavior === b)), killedAfter, { transitions: 20 * PACK_UPDATE });
  const first = (b: string) => after.rivals.slice(killedAfter).find((u) => u.behavior === b)!;
  // Both went on from their update-5 checkpoints (or later), not from scratch (2,048 and 512).
  expect(first('chase').step).toBeGreaterThanOrEqual(6 * PACK_UPDATE);
  expect(first('runner').step).toBeGreaterThanOrEqual(6 * PACK_UPDATE / 4);
  // The ratings went on from the last update's: still zero-sum around the start, and not reset to it.
  expect(first('chase').ratings.chase! + first('chase').ratings.runner!).toBeCloseTo(2400, 6);

  // Inference with your brain and the rivals' brains: the pack and the runner of this run play.
  await page.getByTestId('rival-brains').check();
  await page.getByTestId('brain-source').selectOption('mine');
  await page.getByTestId('watch').click();
  const w = await waitFor<PageState>(page, 'chase', 'your brains play', (s) => s.mode === 'watch' && s.watching?.source === 'mine');
  const lastRunner = after.rivals.filter((u) => u.behavior === 'runner').at(-1)!;
  expect(w.mine?.rivals?.runner?.steps).toBeGreaterThanOrEqual(lastRunner.step);
  await waitFor<PageState>(page, 'chase', "your runner's brain steers it", (s) => s.tally?.runner === 'brain', undefined, { ticks: 60 });
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
