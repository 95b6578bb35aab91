/**
 * A learner worker killed from outside: the page's own `Worker.terminate()` is called on the live
 * learner (as devtools, an extension or a crash would end it). The game keeps drawing frames, the
 * scene plugin starts a new learner from the last learner state, and training carries on from the
 * version it reached. Run: `E2E_PORT=4183 npx playwright test e2e/robustness.spec.ts`.
 */
import { test, expect } from './fixtures.js';
import type { Page } from '@playwright/test';
import { pageState, watchConsole } from './helpers.js';

interface Metric { policyVersion: number; learnerRestarts?: number }

const metrics = async (page: Page): Promise<Metric[]> => (await pageState(page, 'balance')).metrics as Metric[];

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

test('live mode: terminating the learner worker from outside loses nothing learned and training goes on', async ({ page }) => {
  const errors = watchConsole(page);
  await keepWorkerHandles(page);
  await page.goto('/games/balance/index.html?autostart=live&backend=wasm');
  await expect.poll(async () => (await metrics(page)).length, { timeout: 90_000, intervals: [500] }).toBeGreaterThanOrEqual(3);
  const before = (await metrics(page)).at(-1)!;
  expect(before.learnerRestarts ?? 0).toBe(0);

  // Kill the learner, then count animation frames for a second: the game must not stall or wait.
  const frames = await page.evaluate(async () => {
    const learners = (globalThis as unknown as { __workers: { name: string; worker: Worker }[] }).__workers.filter((w) => w.name === 'phaser-ppo-learner');
    learners.at(-1)!.worker.terminate();
    let n = 0;
    const end = performance.now() + 1000;
    await new Promise<void>((done) => {
      const tick = () => { n++; if (performance.now() < end) requestAnimationFrame(tick); else done(); };
      requestAnimationFrame(tick);
    });
    return n;
  });
  // Frames kept coming right after the kill (no frame-rate bar: this machine's rate says nothing about the SDK).
  expect(frames).toBeGreaterThan(1);

  // A new learner took over from the last state: the restart is counted and versions keep climbing.
  await expect.poll(async () => (await metrics(page)).at(-1)!.learnerRestarts ?? 0, { timeout: 90_000, intervals: [500] }).toBe(1);
  await expect.poll(async () => (await metrics(page)).at(-1)!.policyVersion, { timeout: 90_000, intervals: [500] }).toBeGreaterThan(before.policyVersion + 2);
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
  await expect.poll(async () => (await metrics(page)).length, { timeout: 90_000, intervals: [250] }).toBeGreaterThanOrEqual(12);
  const killedAt = (await metrics(page)).length;
  const before = (await metrics(page)).at(-1)!.policyVersion;
  await page.evaluate(() => {
    const fast = (globalThis as unknown as { __workers: { name: string; worker: Worker }[] }).__workers.filter((w) => w.name === 'balance-fast');
    fast.at(-1)!.worker.terminate();
  });
  await expect.poll(async () => (await page.evaluate(() => (globalThis as unknown as { __gallery: { fastRestarts: number } }).__gallery.fastRestarts))).toBe(1);
  await expect.poll(async () => (await metrics(page)).at(-1)!.policyVersion, { timeout: 90_000, intervals: [250] }).toBeGreaterThan(before);
  const all = await metrics(page);
  // The new worker went on from a checkpoint (every 5 updates) at most 5 versions back: not from version 1.
  const resumedAt = all.slice(killedAt).find((m) => m.policyVersion <= before)?.policyVersion ?? all[killedAt]!.policyVersion;
  expect(resumedAt).toBeGreaterThan(before - 6);
  expect(resumedAt).toBeGreaterThan(1);
  expect((await pageState(page, 'balance')).errors).toEqual([]);
  expect(errors).toEqual([]);
});
