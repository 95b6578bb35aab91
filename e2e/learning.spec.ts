/**
 * Learning, proven in the browser with the helpers a user gets from `phaser-ppo/testing`: each
 * game trains from scratch in its page to its stated score; live mode rises above random; every
 * learner backend learns in a page worker; a brain keeps what it learned across a reload and
 * between Node and the page. Fixed seeds; the thresholds are out of a broken
 * learner's reach (random levels: balance ≈ 27, lander ≈ −162, chase ≈ −9.4). Fast mode runs on
 * `workers=1` here (and in the games' specs): the gallery's default, one worker per core, would tie
 * each curve to the machine's core count; e2e/fast-workers.spec.ts trains on 2 workers.
 */
import { test } from './fixtures.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectLearning, openTraining } from '../sdk/testing/index.js';
import { waitFor, watchConsole, type GamePageState } from './helpers.js';

const gameUrl = (game: string, query: string) => `/games/${game}/index.html?${query}`;

test.describe('fast mode trains each game from scratch to its stated score', () => {
  // The games' `solvedAt` (headless.ts) and budgets a little above the Node tests' (the page
  // trains 16 copies with seed 1, the Node tests 8 or 16).
  const goals = [
    { game: 'balance', atLeast: 450, maxSteps: 400_000 },
    { game: 'lander', atLeast: 200, maxSteps: 400_000 },
    { game: 'chase', atLeast: 0, maxSteps: 320_000 },
  ];
  for (const g of goals) {
    test(`${g.game}: mean return ≥ ${g.atLeast} within ${g.maxSteps.toLocaleString('en-US')} transitions`, async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await openTraining(page, gameUrl(g.game, 'autostart=fast&backend=kernels&workers=1'), { behavior: g.game });
      const r = await expectLearning(page, { behavior: g.game, atLeast: g.atLeast, maxSteps: g.maxSteps, testInfo });
      console.log(`${g.game}: fast mode reached ${r.best.toFixed(1)} at ${r.step} transitions`);
      test.expect(errors).toEqual([]);
    });
  }
});

test('balance, live mode: the carts learn in the game loop, the return rises far above random (≈ 27)', async ({ page }, testInfo) => {
  await openTraining(page, gameUrl('balance', 'autostart=live&backend=kernels'), { behavior: 'balance', waitForBackend: true });
  const r = await expectLearning(page, { behavior: 'balance', atLeast: 100, maxSteps: 200_000, testInfo });
  console.log(`balance: live mode reached ${r.best.toFixed(1)} at ${r.step} transitions`);
});

test.describe('every learner backend learns in a page worker', () => {
  // webgl runs on SwiftShader here: the real code path, at software speed.
  for (const backend of ['webgl', 'wasm', 'cpu'] as const) {
    test(`balance, fast mode on ${backend}: mean return ≥ 150 within 200,000 transitions`, async ({ page }, testInfo) => {
      await openTraining(page, gameUrl('balance', `autostart=fast&backend=${backend}&workers=1`), { behavior: 'balance' });
      const r = await expectLearning(page, { behavior: 'balance', atLeast: 150, maxSteps: 200_000, testInfo });
      const used = r.curve.length > 0 ? await page.evaluate(() => (globalThis as unknown as { __phaserPpo: { behaviors: Record<string, { metrics: { backend: string }[] }> } }).__phaserPpo.behaviors.balance!.metrics[0]!.backend) : '';
      test.expect(used).toBe(backend);
      console.log(`balance on ${backend}: reached ${r.best.toFixed(1)} at ${r.step} transitions`);
    });
  }
});

interface Evaluation { episodes: number; returns: number[]; lengths: number[] }
interface GalleryState extends GamePageState { mine: { policyVersion: number; source: string } | null; saved: unknown[] }
const gallery = (page: Page) => page.evaluate(() => (globalThis as unknown as { __gallery: GalleryState }).__gallery);
/** Waits on the gallery's page state (see {@link waitFor}): these are the page's answers to a click, with no budget. */
const until = (page: Page, what: string, f: (s: GalleryState) => boolean) => waitFor<GalleryState>(page, 'gallery', what, f);
/** The page's deterministic evaluation of your brain (most likely actions, seeded episodes). */
const evaluateMine = (page: Page, episodes: number, seed: number) =>
  page.evaluate(([n, s]) => (globalThis as unknown as { __gallery: { evaluateMine(n: number, s: number): Evaluation | null } }).__gallery.evaluateMine(n!, s!), [episodes, seed]);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('nothing learned is lost: a brain trained in the page, saved to IndexedDB, plays the same after a reload', async ({ page }, testInfo) => {
  await openTraining(page, '/?game=balance&autostart=fast&backend=kernels&workers=1', { behavior: 'balance' });
  await expectLearning(page, { behavior: 'balance', atLeast: 200, maxSteps: 300_000, testInfo });
  await page.getByTestId('stop').click();
  await until(page, 'your brain kept', (s) => (s.mine?.policyVersion ?? 0) > 0);
  const version = (await gallery(page)).mine!.policyVersion;
  const before = (await evaluateMine(page, 10, 7))!;
  test.expect(mean(before.returns)).toBeGreaterThan(100); // random ≈ 27: it learned something worth keeping

  await page.getByTestId('save-idb').click();
  await until(page, 'one brain saved', (s) => s.saved.length === 1);
  await page.reload();
  await until(page, 'the saved brain listed after the reload', (s) => s.saved.length === 1);
  test.expect((await gallery(page)).mine).toBeNull();
  await page.getByTestId('load-idb').click();
  await until(page, 'the saved brain loaded', (s) => s.mine?.source === 'loaded');
  test.expect((await gallery(page)).mine!.policyVersion).toBe(version);
  // The same weights and normalizer statistics: every seeded episode plays out identically.
  test.expect(await evaluateMine(page, 10, 7)).toEqual(before);
  test.expect((await gallery(page)).errors).toEqual([]);
});

test('one format everywhere: a brain trained by the Node CLI plays in the page exactly as `npm run eval` plays it', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-brain-'));
  const tsx = (args: string[]) => execFileSync('npx', ['tsx', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  tsx(['sdk/cli/train.ts', 'balance', '--steps', '20000', '--out', dir, '--quiet']);
  const node = JSON.parse(tsx(['sdk/cli/eval.ts', '--brain', join(dir, 'brain.json'), '--episodes', '5', '--seed', '7', '--json'])) as { returnMean: number; episodes: number };

  await page.goto('/?game=balance');
  await until(page, 'heuristic mode', (s) => s.mode === 'heuristic');
  // The manifest names its weights file (a checkpointed save alternates between two names).
  const manifest = JSON.parse(readFileSync(join(dir, 'brain.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const weights = manifest.weightsManifest[0]!.paths[0]!;
  await page.getByTestId('load-file').setInputFiles([join(dir, 'brain.json'), join(dir, weights)]);
  await until(page, 'the CLI brain loaded', (s) => s.mine?.source === 'loaded');
  const inPage = (await evaluateMine(page, 5, 7))!;
  test.expect(inPage.episodes).toBe(node.episodes);
  test.expect(mean(inPage.returns)).toBeCloseTo(node.returnMean, 9);
  test.expect((await gallery(page)).errors).toEqual([]);
});
