/**
 * Playwright's `test`, with two additions every spec gets: the page's training log is enabled
 * (`globalThis.__phaserPpo`, written only when a test asks), and when a test fails, its report keeps what
 * the page knew (the training log `globalThis.__phaserPpo`, and each game page's `window.__<game>`
 * state) beside the screenshot Playwright takes.
 */
import { writeFile } from 'node:fs/promises';
import { test as base, expect } from '@playwright/test';
import { enableTrainingLog } from '../sdk/testing/index.js';

export const test = base.extend<{ keepPageStateOnFailure: void }>({
  keepPageStateOnFailure: [async ({ page }, use, testInfo) => {
    // The page writes its training log only when a test asks (phaser-ppo/testing): every spec reads it.
    await enableTrainingLog(page);
    await use();

    if (testInfo.status === testInfo.expectedStatus || page.isClosed()) return;
    const state = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      const keys = Object.keys(g).filter((k) => k.startsWith('__') && typeof g[k] === 'object' && g[k] !== null && !k.startsWith('__vite'));
      // Functions cannot be cloned out of the page: keep the JSON-able part. Typed arrays (weights)
      // are named, not written out: thousands of updates' weights would take minutes to move.
      const keep = (_: string, v: unknown) =>
        typeof v === 'function' ? undefined : ArrayBuffer.isView(v) ? `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})` : v;
      return JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, g[k]])), keep)) as unknown;
    }).catch((e: Error) => ({ unavailable: e.message }));
    // A file in the test's output folder, so it stays on disk whatever the reporter.
    const path = testInfo.outputPath('page-state.json');
    await writeFile(path, JSON.stringify(state, null, 1));
    await testInfo.attach('page-state.json', { path, contentType: 'application/json' });
  }, { auto: true }],
});

export { expect };
