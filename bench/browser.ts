/**
 * Browser figures for the balance page, in Debian's Chromium (headless, SwiftShader WebGL):
 *   - frame time p50/p99 with training on (live mode) and off (heuristic mode);
 *   - the learner's update time per tfjs backend (inside the learner worker);
 *   - fast-mode transitions/s.
 * Builds the site, serves it with vite preview on 127.0.0.1, prints a table, asserts nothing.
 *
 *   npx tsx bench/browser.ts [--seconds 15]
 */
import type { Page } from '@playwright/test';
import { launchChromium, serveSite } from './site.js';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, port: { type: 'string', default: '4179' } } });
const seconds = Number(values.seconds);
const port = Number(values.port);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };
const median = (xs: number[]) => pct(xs, 0.5);

/** rAF deltas over `ms`. A string, not a function: tsx's name helpers do not exist in the page. */
async function frameTimes(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const deltas = [];
    let last = performance.now();
    const end = last + ${ms};
    const frame = (t) => {
      deltas.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(frame); else resolve(deltas.slice(5));
    };
    requestAnimationFrame(frame);
  })`);
}

interface Metric { updateMs: number; sps: number; step: number }
const metrics = (page: Page) => page.evaluate(() => (globalThis as unknown as { __balance: { metrics: Metric[]; backend: { backend: string } | null } }).__balance);

const site = await serveSite(port);
try {
  const browser = await launchChromium();
  const page = await browser.newPage();
  const rows: string[] = [];

  await page.goto(`${site.base}/games/balance/index.html?autostart=heuristic`);
  await page.waitForTimeout(2000);
  const off = await frameTimes(page, seconds * 1000);
  rows.push(`| frame time, training off (heuristic) | p50 ${median(off).toFixed(1)} ms, p99 ${pct(off, 0.99).toFixed(1)} ms |`);
  await page.goto(`${site.base}/bench/learner.html?idle`);
  const blank = await frameTimes(page, 5000);
  rows.push(`| frame time of a page that draws nothing (this browser's floor) | p50 ${median(blank).toFixed(1)} ms, p99 ${pct(blank, 0.99).toFixed(1)} ms |`);

  for (const backend of ['wasm', 'webgl', 'cpu']) {
    await page.goto(`${site.base}/games/balance/index.html?autostart=live&backend=${backend}`);
    await page.waitForFunction(() => ((globalThis as unknown as { __balance: { metrics: unknown[] } }).__balance.metrics.length ?? 0) >= 2, null, { timeout: 120_000 });
    const on = await frameTimes(page, seconds * 1000);
    const m = (await metrics(page)).metrics.slice(1);
    rows.push(`| live mode on ${backend}: frame time, training on | p50 ${median(on).toFixed(1)} ms, p99 ${pct(on, 0.99).toFixed(1)} ms |`);
    const work = await page.evaluate(() => (globalThis as unknown as { __balance: { frameWork: () => { p50: number; p99: number } } }).__balance.frameWork());
    rows.push(`| live mode on ${backend}: the plugin's work per frame (4 fixed steps × 8 agents, physics) | p50 ${work.p50.toFixed(2)} ms, p99 ${work.p99.toFixed(2)} ms |`);
    rows.push(`| live mode on ${backend}: learner update (512 transitions, 4 epochs × 4 minibatches) | median ${median(m.map((x) => x.updateMs)).toFixed(0)} ms over ${m.length} updates |`);
  }

  // What `auto` measures in the learner worker: a full update (4 epochs × 4 minibatches of 128).
  await page.goto(`${site.base}/games/balance/index.html?autostart=fast&backend=auto`);
  await page.waitForFunction(() => (globalThis as unknown as { __balance: { backend: unknown } }).__balance.backend !== null, null, { timeout: 120_000 });
  const reason = (await metrics(page)).backend as unknown as { backend: string; reason: string };
  rows.push(`| learner worker, auto choice (one update = 16 minibatch updates of 128) | ${reason.reason} |`);
  for (const [, name, ms] of [...reason.reason.matchAll(/(\w+) ([\d.]+) ms\/update/g)]) {
    rows.push(`| learner worker on ${name}, while the page runs: one update ÷ 16 (B = 128, 7-64-64) | ${(Number(ms) / 16).toFixed(2)} ms |`);
  }

  await page.goto(`${site.base}/games/balance/index.html?autostart=fast&backend=kernels`);
  await page.waitForFunction(() => ((globalThis as unknown as { __balance: { metrics: unknown[] } }).__balance.metrics.length ?? 0) >= 3, null, { timeout: 120_000 });
  await page.waitForTimeout(seconds * 1000);
  const fast = (await metrics(page)).metrics;
  rows.push(`| fast mode (16 headless copies, kernels learner, in a worker) | ${fast.at(-1)!.sps.toFixed(0)} transitions/s |`);
  const fastFrames = await frameTimes(page, 5000);
  rows.push(`| frame time while fast mode trains | p50 ${median(fastFrames).toFixed(1)} ms, p99 ${pct(fastFrames, 0.99).toFixed(1)} ms |`);

  // One minibatch update (B = 128, CartPole's 4-64-64 nets) inside the learner worker, per backend.
  await page.goto(`${site.base}/bench/learner.html`);
  await page.waitForFunction(() => (globalThis as unknown as { __learnerBench: { done: boolean } }).__learnerBench.done, null, { timeout: 300_000 });
  const micro = await page.evaluate(() => (globalThis as unknown as { __learnerBench: { results: Record<string, { medianMs?: number; error?: string }> } }).__learnerBench.results);
  for (const [backend, r] of Object.entries(micro)) {
    rows.push(`| learner worker on ${backend}: one minibatch update (B = 128, 4-64-64, no game running) | ${r.medianMs !== undefined ? `${r.medianMs.toFixed(2)} ms` : `failed: ${r.error}`} |`);
  }

  await browser.close();
  console.log(`balance page in headless Chromium (${seconds} s per measurement; SwiftShader WebGL, so webgl numbers are CPU-emulated)\n`);
  console.log('| what | figure |\n|---|---|');
  for (const r of rows) console.log(r);
} finally {
  site.close();
}
