/**
 * Sumo and jumper in the gallery, as Phaser scenes: sumo trains with self-play in fast mode (a
 * worker; the scene plays the newest weights) and live (the scene's behavior splits its wrestlers
 * by team), and its ELO moves on the chart; jumper trains fast with its curriculum and the scene
 * shows the lesson its weights are in. Both fast runs also on two workers (`&workers=2`): the
 * learner's self-play and curriculum live in the first worker and the other plays its share.
 *
 * Every wait is a budget of the page's own progress (transitions, ticks), never the clock.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface Metrics { step: number; update?: number; elo?: number; learningTeam?: number; lessons?: Record<string, number>; envParams?: Record<string, number> }
interface SumoState extends GamePageState {
  fastRunWorkers: number;
  metrics: (GamePageState['metrics'][number] & Metrics)[];
  tally: { blue: number; red: number; draw: number } | null;
}
interface JumperState extends GamePageState {
  fastRunWorkers: number;
  metrics: (GamePageState['metrics'][number] & Metrics)[];
  tally: { training: boolean; lesson: number; gap: number } | null;
}

/** A fast update of sumo: 16 learning wrestlers × 64 decisions; live: 4 × 64. */
const SUMO_FAST_UPDATE = 1024;
const SUMO_LIVE_UPDATE = 256;
/** A fast update of jumper: 16 jumpers × 64 decisions. */
const JUMPER_UPDATE = 1024;

/** The ELO chart's points per line and the updates the page logged, read in one go (training goes on meanwhile). */
const chartAndMetrics = (page: Page, game: string) => page.evaluate((g) => {
  const s = (globalThis as unknown as Record<string, { eloPoints: () => Record<string, number>; metrics: unknown[] }>)[`__${g}`]!;
  return { points: s.eloPoints(), updates: s.metrics.length };
}, game);

for (const workers of [1, 2]) {
  test(`sumo trains in fast mode with self-play on ${workers} worker(s): every update reports the learner's ELO, which moves, and the ELO chart draws it`, async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto(`/?game=sumo&backend=wasm&workers=${workers}`);
    await waitFor<SumoState>(page, 'sumo', 'heuristic mode', (s) => s.mode === 'heuristic');
    // Heuristic: the scripted wrestlers decide matches in view.
    await waitFor<SumoState>(page, 'sumo', 'a match decided', (s) => (s.tally?.blue ?? 0) + (s.tally?.red ?? 0) + (s.tally?.draw ?? 0) >= 1, undefined, { ticks: 4 * 300 });
    await page.getByTestId('train-fast').click();
    await waitFor<SumoState>(page, 'sumo', 'fast mode with the wasm learner', (s) => s.mode === 'fast' && s.backend?.backend === 'wasm');
    const s = await waitFor<SumoState>(page, 'sumo', '6 updates with an ELO that moved off 1200',
      (x) => x.metrics.length >= 6 && x.metrics.some((m) => m.elo !== undefined && Math.abs(m.elo - 1200) > 1), undefined, { transitions: 16 * SUMO_FAST_UPDATE });
    expect(s.fastRunWorkers).toBe(workers);
    expect(s.metrics.every((m) => typeof m.elo === 'number' && typeof m.learningTeam === 'number')).toBe(true);
    // Only the learning team's 16 wrestlers fill the rollouts (all the workers' together).
    expect(s.metrics[0]!.step).toBe(SUMO_FAST_UPDATE);
    await expect(page.getByTestId('chart-elo')).toBeVisible();
    // Read together: the run goes on meanwhile. A point per update.
    const { points, updates } = await chartAndMetrics(page, 'sumo');
    expect(Object.keys(points)).toEqual(['sumo (learning)']);
    expect(points['sumo (learning)']).toBe(updates);
    expect(await page.getByTestId('status-line').textContent()).toMatch(/ELO \d+ \(team [01] learns\)/);
    const shot = await canvasContent(page);
    expect(shot.drawn).toBeGreaterThan(0.05);
    expect((await pageState<SumoState>(page, 'sumo')).errors).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('sumo trains live with self-play: the scene\'s behavior learns on one team and reports ELO', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=sumo&backend=wasm&autostart=live');
  const s = await waitFor<SumoState>(page, 'sumo', '2 live updates with ELO', (x) => x.mode === 'live' && x.metrics.length >= 2, undefined, { transitions: 4 * SUMO_LIVE_UPDATE });
  // The 4 blue wrestlers (team 0) learn first; the red ones play the snapshot.
  expect(s.metrics.map((m) => m.step)).toEqual(s.metrics.map((_, i) => SUMO_LIVE_UPDATE * (i + 1)));
  expect(s.metrics.every((m) => typeof m.elo === 'number' && m.learningTeam === 0)).toBe(true);
  const { points, updates } = await chartAndMetrics(page, 'sumo');
  expect(points['sumo (learning)']).toBe(updates);
  expect(s.errors).toEqual([]);
  expect(errors).toEqual([]);
});

for (const workers of [1, 2]) {
  test(`jumper trains fast with its curriculum on ${workers} worker(s): the lesson moves on and the scene plays and shows it`, async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto(`/?game=jumper&backend=wasm&workers=${workers}`);
    await waitFor<JumperState>(page, 'jumper', 'heuristic mode', (s) => s.mode === 'heuristic');
    // Heuristic mode plays the hard gap, outside any lesson.
    // The status line follows the scene every 15 ticks: checked in the page with the state, on the same budget.
    await waitFor<JumperState>(page, 'jumper', 'the hard gap in view and on the status line',
      (s) => s.tally?.gap === 150 && !s.tally.training && /^gap 150 px/.test(document.querySelector('[data-testid="status-line"]')?.textContent ?? ''), undefined, { ticks: 60 });
    await page.getByTestId('train-fast').click();
    const s = await waitFor<JumperState>(page, 'jumper', 'the second lesson', (x) => x.mode === 'fast' && x.metrics.some((m) => (m.lessons?.gapWidth ?? 0) >= 1), undefined, { transitions: 40 * JUMPER_UPDATE });
    expect(s.fastRunWorkers).toBe(workers);
    const lesson = s.metrics.at(-1)!.lessons!.gapWidth!;
    const gap = s.metrics.at(-1)!.envParams!.gapWidth!;
    // The scene's next rounds play the lesson the weights were trained in.
    const shown = await waitFor<JumperState, { lesson: number; gap: number }>(page, 'jumper', 'the lesson in view and on the status line',
      (x, want) => x.tally?.training === true && x.tally.lesson >= want.lesson && x.tally.gap >= want.gap &&
        (document.querySelector('[data-testid="status-line"]')?.textContent ?? '').includes(`lesson ${x.tally.lesson + 1}/4`), { lesson, gap }, { ticks: 2 * 360 });
    expect(shown.tally!.lesson).toBeGreaterThanOrEqual(lesson);
    expect((await pageState<JumperState>(page, 'jumper')).errors).toEqual([]);
    expect(errors).toEqual([]);
  });
}
