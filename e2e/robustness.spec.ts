/**
 * A learner worker killed from outside: the page's own `Worker.terminate()` is called on the live
 * learner (as devtools, an extension or a crash would end it). The game keeps drawing frames, the
 * scene plugin starts a new learner from the last learner state, and training carries on from the
 * version it reached. Run: `E2E_PORT=4183 npx playwright test e2e/robustness.spec.ts`.
 */
import { test, expect } from './fixtures.js';
import type { Page } from '@playwright/test';
import { keepWorkerHandles, pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface Metric { policyVersion: number; step: number; returnMean: number; backend: string; learnerRestarts?: number }
interface State extends GamePageState { metrics: Metric[]; fastRestarts: number }

const metrics = async (page: Page): Promise<Metric[]> => (await pageState<State>(page, 'balance')).metrics;
/** Waits on the page state of the balance page (see {@link waitFor}). */
const until = <A = undefined>(page: Page, what: string, f: (s: State, arg: A) => boolean, arg?: A, budget?: Parameters<typeof waitFor>[5]) =>
  waitFor<State, A>(page, 'balance', what, f, arg, budget);
/** A live rollout: 64 decisions of the 8 carts, one a tick. The learner may drop some while busy. */
const LIVE_ROLLOUT_TICKS = 64;


test('live mode: terminating the learner worker from outside loses nothing learned and training goes on', async ({ page }) => {
  const errors = watchConsole(page);
  await keepWorkerHandles(page);
  await page.goto('/games/balance/index.html?autostart=live&backend=wasm');
  await until(page, 'the live learner reports wasm', (s) => s.backend?.backend === 'wasm');
  await until(page, '3 learner updates', (s) => s.metrics.length >= 3, undefined, { ticks: 50 * LIVE_ROLLOUT_TICKS });
  const before = (await metrics(page)).at(-1)!;
  expect(before.learnerRestarts ?? 0).toBe(0);

  // Kill the learner: the game must not stall or wait for a new one. Its ticks go on (a stalled
  // loop would hang here until the test's timeout).
  const killedAt = await page.evaluate(() => {
    const learners = (globalThis as unknown as { __workers: { name: string; worker: Worker }[] }).__workers.filter((w) => w.name === 'phaser-ppo-learner');
    learners.at(-1)!.worker.terminate();
    return (globalThis as unknown as { __balance: { ticks: number } }).__balance.ticks;
  });
  await until(page, '60 ticks after the kill', (s, from) => s.ticks >= from + 60, killedAt);

  // A new learner took over from the last state: the restart is counted and versions keep climbing.
  // (A new worker boots in its own time: only the test's timeout bounds that.)
  await until(page, 'the restarted learner updates', (s) => (s.metrics.at(-1)?.learnerRestarts ?? 0) === 1);
  await until(page, '3 more versions after the restart', (s, v) => (s.metrics.at(-1)?.policyVersion ?? 0) > v, before.policyVersion + 2, { ticks: 50 * LIVE_ROLLOUT_TICKS });
  const versions = (await metrics(page)).map((m) => m.policyVersion);
  // Each update is one version past the previous: the new learner resumed, it did not start over.
  for (let i = 1; i < versions.length; i++) expect(versions[i]).toBe(versions[i - 1]! + 1);
  const learners = await page.evaluate(() => (globalThis as unknown as { __workers: { name: string }[] }).__workers.filter((w) => w.name === 'phaser-ppo-learner').length);
  expect(learners).toBe(2);
  expect((await pageState(page, 'balance')).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('fast mode: terminating the fast-mode worker from outside restarts it from its last checkpoint, not from scratch', async ({ page }) => {
  const errors = watchConsole(page);
  await keepWorkerHandles(page);
  await page.goto('/?game=balance&autostart=fast&backend=kernels');
  // Fast mode's worker trains on its own: no budget of its progress says more than "it trains".
  await until(page, '12 fast-mode updates', (s) => s.metrics.length >= 12);
  const killedAt = (await metrics(page)).length;
  const before = (await metrics(page)).at(-1)!.policyVersion;
  await page.evaluate(() => {
    const fast = (globalThis as unknown as { __workers: { name: string; worker: Worker }[] }).__workers.filter((w) => w.name === 'balance-fast');
    fast.at(-1)!.worker.terminate();
  });
  await until(page, 'the fast-mode worker restarted', (s) => s.fastRestarts === 1);
  await until(page, 'an update past the killed version', (s, v) => (s.metrics.at(-1)?.policyVersion ?? 0) > v, before);
  const all = await metrics(page);
  // The new worker went on from a checkpoint (every 5 updates) at most 5 versions back: not from version 1.
  const resumedAt = all.slice(killedAt).find((m) => m.policyVersion <= before)?.policyVersion ?? all[killedAt]!.policyVersion;
  expect(resumedAt).toBeGreaterThan(before - 6);
  expect(resumedAt).toBeGreaterThan(1);
  expect((await pageState(page, 'balance')).errors).toEqual([]);
  expect(errors).toEqual([]);
});
