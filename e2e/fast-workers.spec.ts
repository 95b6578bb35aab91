/**
 * Fast mode on two workers in the page (`workers=2`): the gallery starts two fast-mode workers of
 * the game (one learns and plays half the copies, the other plays the rest), the scene plays the
 * newest weights, and the one learner trains balance to its stated score within a budget of
 * transitions. Fixed seed; random play scores ≈ 27.
 */
import { test, expect } from './fixtures.js';
import { expectLearning, openTraining } from '../sdk/testing/index.js';
import { keepWorkerHandles, pageState, watchConsole, type GamePageState } from './helpers.js';

interface State extends GamePageState { fastRunWorkers: number }

test('balance, fast mode on 2 workers: mean return ≥ 450 within 400,000 transitions, with 2 fast-mode workers running', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await keepWorkerHandles(page);
  await openTraining(page, '/?game=balance&autostart=fast&backend=kernels&workers=2', { behavior: 'balance' });
  const r = await expectLearning(page, { behavior: 'balance', atLeast: 450, maxSteps: 400_000, testInfo });
  console.log(`balance on 2 workers: reached ${r.best.toFixed(1)} at ${r.step} transitions`);
  const s = await pageState<State>(page, 'balance');
  expect(s.fastRunWorkers).toBe(2);
  // One learner for both workers' copies: 16 copies × 64 steps per update, whatever the split.
  expect(s.metrics[0]!.step).toBe(16 * 64);
  const fast = await page.evaluate(() => (globalThis as unknown as { __workers: { name: string }[] }).__workers.filter((w) => w.name === 'balance-fast').length);
  expect(fast).toBe(2);
  expect(s.errors).toEqual([]);
  expect(errors).toEqual([]);
});
