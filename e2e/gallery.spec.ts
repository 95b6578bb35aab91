/**
 * The gallery page (root index.html) at 1280×720: it loads with no console errors; each game
 * renders when picked; each shipped brain, played in the page, scores above its random level;
 * the behavior type switches (heuristic → train fast → inference with your brain); the
 * hyperparameter form names a bad field and holds Train back; a brain saved to IndexedDB loads
 * back at the same policy version; Download gives two files, which load back; a run resumes from it.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface GalleryState extends GamePageState {
  game: string;
  returns: number[];
  watching: { policyVersion: number; steps: number; source: 'shipped' | 'mine' } | null;
  mine: { policyVersion: number; steps: number; source: string; name: string } | null;
  saved: { key: string; policyVersion: number }[];
  hyperparams: { valid: boolean; error: string | null };
}

const state = (page: Page) => pageState<GalleryState>(page, 'gallery');
/** Waits on the gallery's page state (see {@link waitFor}). */
const until = <A = undefined>(page: Page, what: string, f: (s: GalleryState, arg: A) => boolean, arg?: A, budget?: Parameters<typeof waitFor>[5]) =>
  waitFor<GalleryState, A>(page, 'gallery', what, f, arg, budget);
type Watching = NonNullable<GalleryState['watching']>;
const isWatching = (s: GalleryState, w: Watching) =>
  s.watching !== null && s.watching.policyVersion === w.policyVersion && s.watching.steps === w.steps && s.watching.source === w.source;

const games = [
  // 8 carts: one episode each, at most 500 ticks.
  { name: 'balance', random: 27, episodes: 8, ticks: 2 * 500 },
  // 6 crafts: one episode each, at most 600 ticks (~5 s when they land).
  { name: 'lander', random: -162, episodes: 6, ticks: 2 * 600 },
  // 4 chasers end a round together: 3 rounds, at most 900 ticks (15 s) each.
  { name: 'chase', random: -9.4, episodes: 12, ticks: 4 * 900 },
] as const;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test.use({ viewport: { width: 1280, height: 720 } });

test('the gallery loads at 1280×720 with no console errors; each game renders when picked; the panel fits', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  for (const g of games) {
    await page.getByTestId(`game-${g.name}`).click();
    await until(page, `${g.name} picked`, (s, name) => s.game === name && s.mode === 'heuristic', g.name);
    await expect(page).toHaveURL(new RegExp(`[?&]game=${g.name}`));
    // Half a second of game time: the canvas shows the game, not the background.
    const from = (await state(page)).ticks;
    await until(page, `30 ticks of ${g.name}`, (s, t) => s.ticks >= t, from + 30);
    const shot = await canvasContent(page);
    expect(shot.drawn, `${g.name} canvas`).toBeGreaterThan(0.005);
    expect(shot.colors, `${g.name} canvas`).toBeGreaterThan(4);
  }
  for (const id of ['game-balance', 'train-live', 'train-fast', 'watch', 'heuristic', 'stop', 'save-idb', 'download', 'chart-returnMean', 'chart-sps', 'hp-learningRate']) {
    await expect(page.getByTestId(id), id).toBeInViewport({ ratio: 1 });
  }
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('a wait on the page fails once its budget is spent: ticks and decisions count while the game runs', async ({ page }) => {
  await page.goto('/?game=balance&autostart=watch');
  await until(page, 'the shipped brain plays', (x) => x.watching !== null);
  const before = await state(page);
  await expect(until(page, 'a mode that never comes', (x) => x.mode === 'never', undefined, { ticks: 60 })).rejects.toThrow(/^a mode that never comes: not within 60 ticks \(\d+ spent; page: mode watch, /);
  const after = await state(page);
  expect(after.ticks - before.ticks).toBeGreaterThanOrEqual(60);
  // The carts decide every tick.
  expect(after.decisions - before.decisions).toBeGreaterThanOrEqual(60);
});

test('old per-game addresses forward to the gallery, keeping their query', async ({ page }) => {
  await page.goto('/games/lander/index.html?autostart=watch');
  await expect(page).toHaveURL(/\/index\.html\?autostart=watch&game=lander$/);
  await until(page, 'the shipped brain plays', (s) => s.watching?.source === 'shipped');
  expect(await pageState(page, 'lander')).toBeTruthy();
});

for (const g of games) {
  test(`${g.name}: Inference with the shipped brain plays above the random level (${g.random})`, async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto(`/?game=${g.name}`);
    await expect(page.locator('#game canvas')).toBeVisible();
    await page.getByTestId('watch').click();
    await until(page, 'the shipped brain plays', (s) => (s.watching?.steps ?? 0) > 0);
    const s = await until(page, `${g.episodes} episodes`, (x, n) => x.returns.length >= n, g.episodes, { ticks: g.ticks });
    const m = mean(s.returns);
    console.log(`${g.name}: shipped brain v${s.watching?.policyVersion}, mean return ${m.toFixed(2)} over ${s.returns.length} episodes in the page (random ${g.random})`);
    expect(s.mode).toBe('watch');
    expect(s.watching?.source).toBe('shipped');
    expect(m).toBeGreaterThan(g.random);
    expect(s.errors).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('hyperparameters: a bad value is named next to the form and Train waits until it is fixed', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance');
  await until(page, 'heuristic mode', (s) => s.mode === 'heuristic');
  await expect(page.getByTestId('hp-numMinibatches')).toHaveValue('4');
  // Balance's live rollout is 8 carts × 64 steps = 512: 7 minibatches do not divide it.
  await page.getByTestId('hp-numMinibatches').fill('7');
  await expect(page.getByTestId('hp-error')).toBeVisible();
  await expect(page.getByTestId('hp-error')).toContainText('PPOConfig.numMinibatches: must divide');
  await expect(page.getByTestId('hp-numMinibatches')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('train-live')).toBeDisabled();
  await expect(page.getByTestId('train-fast')).toBeDisabled();
  await page.getByTestId('hp-numMinibatches').fill('8');
  await page.getByTestId('hp-learningRate').fill('-0.1');
  await expect(page.getByTestId('hp-error')).toContainText('PPOConfig.learningRate: expected a number in (0, 1)');
  await page.getByTestId('hp-learningRate').fill('0.002');
  await expect(page.getByTestId('hp-error')).toBeHidden();
  // Typed keys reach the field (the game's key capture leaves space and arrows to it).
  await page.getByTestId('hp-hiddenSizes').fill('');
  await page.getByTestId('hp-hiddenSizes').pressSequentially('32, 32');
  await expect(page.getByTestId('hp-hiddenSizes')).toHaveValue('32, 32');
  await expect(page.getByTestId('train-fast')).toBeEnabled();
  expect((await state(page)).hyperparams.valid).toBe(true);
  expect(errors).toEqual([]);
});

test('behavior types and brains: train fast, play your brain, save it to IndexedDB and load it back, download it', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=balance&backend=wasm');
  await until(page, 'heuristic mode', (s) => s.mode === 'heuristic');
  await page.getByTestId('hp-updateEpochs').fill('3');
  await page.getByTestId('train-fast').click();
  // Fast mode's worker trains on its own: no budget of its progress says more than "it trains".
  await until(page, '3 fast-mode updates', (s) => s.metrics.length >= 3);
  // Every chart has the updates so far.
  const points = await page.evaluate(() => (globalThis as unknown as { __gallery: { chartPoints(): number[] } }).__gallery.chartPoints());
  expect(points.length).toBe(8);
  expect(Math.min(...points)).toBeGreaterThanOrEqual(2);
  expect((await state(page)).backend?.backend).toBe('wasm');

  // Inference with your brain: the fast run's newest weights, kept when the run ended.
  await page.getByTestId('stop').click();
  await until(page, 'your brain kept at v3 or later', (s) => (s.mine?.policyVersion ?? 0) >= 3);
  const mine = (await state(page)).mine!;
  const yours: Watching = { policyVersion: mine.policyVersion, steps: mine.steps, source: 'mine' };
  await page.getByTestId('brain-source').selectOption('mine');
  await page.getByTestId('watch').click();
  await until(page, 'your brain plays', isWatching, yours);

  // Heuristic: the keyboard drives.
  await page.getByTestId('heuristic').click();
  await until(page, 'heuristic mode', (s) => s.mode === 'heuristic');

  // Save to IndexedDB, then load it back.
  await page.getByTestId('save-idb').click();
  await until(page, 'one brain saved', (s) => s.saved.length === 1);
  expect((await state(page)).saved[0]!.policyVersion).toBe(mine.policyVersion);
  await page.getByTestId('load-idb').click();
  await until(page, 'the saved brain loaded', (s) => s.mine?.source === 'loaded');
  await until(page, 'the saved brain plays', isWatching, yours);

  // Download: the manifest and its weights.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('download').click();
  await expect.poll(() => downloads.length).toBe(2);
  expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual([`balance-v${mine.policyVersion}.json`, `balance-v${mine.policyVersion}.weights.bin`]);

  // The two files load back (Load files…) as the same brain.
  const files = await Promise.all(downloads.map(async (d) => ({ name: d.suggestedFilename(), mimeType: 'application/octet-stream', buffer: await readFile((await d.path())!) })));
  await page.getByTestId('load-file').setInputFiles(files);
  await until(page, 'the downloaded brain loaded', (s, name) => s.mine?.name === name, `balance-v${mine.policyVersion}.json`);
  await until(page, 'the downloaded brain plays', isWatching, yours);

  // Train from your brain: the run resumes at its policy version, not from scratch.
  await page.getByTestId('train-from').selectOption('mine');
  await page.getByTestId('train-fast').click();
  await until(page, 'the resumed run updates', (s) => s.mode === 'fast' && s.metrics.length >= 1);
  const resumed = (await state(page)).metrics[0]!;
  expect(resumed.policyVersion).toBe(mine.policyVersion + 1);
  expect(resumed.step).toBeGreaterThan(mine.steps);

  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
