/**
 * Learning, proven in the browser with the helpers a user gets from `phaser-ppo/testing`: each
 * game trains from scratch in its page to its stated score; live mode rises above random; every
 * learner backend learns in a page worker. Fixed seeds; the thresholds are out of a broken
 * learner's reach (random levels: balance ≈ 27, lander ≈ −162, chase ≈ −9.4).
 */
import { test } from './fixtures.js';
import { expectLearning, openTraining } from '../sdk/testing/index.js';
import { watchConsole } from './helpers.js';

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
      test.setTimeout(600_000);
      const errors = watchConsole(page);
      await openTraining(page, gameUrl(g.game, 'autostart=fast&backend=kernels'), { behavior: g.game });
      const r = await expectLearning(page, { behavior: g.game, atLeast: g.atLeast, maxSteps: g.maxSteps, testInfo });
      console.log(`${g.game}: fast mode reached ${r.best.toFixed(1)} at ${r.step} transitions`);
      test.expect(errors).toEqual([]);
    });
  }
});

test('balance, live mode: the carts learn in the game loop, the return rises far above random (≈ 27)', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await openTraining(page, gameUrl('balance', 'autostart=live&backend=kernels'), { behavior: 'balance', waitForBackend: true });
  const r = await expectLearning(page, { behavior: 'balance', atLeast: 100, maxSteps: 200_000, testInfo });
  console.log(`balance: live mode reached ${r.best.toFixed(1)} at ${r.step} transitions`);
});

test.describe('every learner backend learns in a page worker', () => {
  // webgl runs on SwiftShader here: the real code path, at software speed.
  for (const backend of ['webgl', 'wasm', 'cpu'] as const) {
    test(`balance, fast mode on ${backend}: mean return ≥ 150 within 200,000 transitions`, async ({ page }, testInfo) => {
      test.setTimeout(300_000);
      await openTraining(page, gameUrl('balance', `autostart=fast&backend=${backend}`), { behavior: 'balance' });
      const r = await expectLearning(page, { behavior: 'balance', atLeast: 150, maxSteps: 200_000, testInfo });
      const used = r.curve.length > 0 ? await page.evaluate(() => (globalThis as unknown as { __phaserPpo: { behaviors: Record<string, { metrics: { backend: string }[] }> } }).__phaserPpo.behaviors.balance!.metrics[0]!.backend) : '';
      test.expect(used).toBe(backend);
      console.log(`balance on ${backend}: reached ${r.best.toFixed(1)} at ${r.step} transitions`);
    });
  }
});
