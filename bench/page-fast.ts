/**
 * `npm run bench:page-fast`: the gallery's fast mode in headless Chromium (Debian's), training
 * transitions/s with 1 and 2 fast-mode workers (`?workers=N`: one learns and plays its share of
 * the copies, the others play the rest), per game. Builds the site, serves it with vite preview on
 * 127.0.0.1, prints a table with the load average, asserts nothing.
 *
 * A figure is the learner's own clock: transitions between two updates `--seconds` apart divided
 * by the worker's time between them (boot, tfjs and the first update are left out). The worker
 * counts alternate, `--rounds` times each, and each figure is the median of its rounds: on a
 * shared machine one round says more about the load than about the worker count.
 *
 *   npx tsx bench/page-fast.ts [--games balance,lander,chase] [--workers 1,2] [--seconds 15] [--rounds 2] [--port 4181]
 */
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { launchChromium, serveSite } from './site.js';

const { values } = parseArgs({ options: {
  games: { type: 'string', default: 'balance,lander,chase' }, workers: { type: 'string', default: '1,2' },
  seconds: { type: 'string', default: '15' }, rounds: { type: 'string', default: '2' }, port: { type: 'string', default: '4181' },
} });
const games = values.games.split(',');
const counts = values.workers.split(',').map(Number);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Metric { step: number; time: number }
const metrics = (page: Page, game: string): Promise<Metric[]> =>
  page.evaluate((g) => (globalThis as unknown as Record<string, { metrics: Metric[] }>)[`__${g}`]!.metrics.map((m) => ({ step: m.step, time: m.time })), game);

async function figure(page: Page, base: string, game: string, workers: number): Promise<number> {
  await page.goto(`${base}/?game=${game}&autostart=fast&backend=kernels&workers=${workers}`);
  // Past boot and the first updates (tfjs, JIT), then a window of `seconds`.
  await page.waitForFunction((g) => ((globalThis as unknown as Record<string, { metrics?: unknown[] }>)[`__${g}`]?.metrics?.length ?? 0) >= 3, game, { timeout: 300_000 });
  const a = (await metrics(page, game)).at(-1)!;
  await page.waitForTimeout(seconds * 1000);
  const b = (await metrics(page, game)).at(-1)!;
  return (b.step - a.step) / (b.time - a.time);
}

console.log(`page fast mode: headless Chromium, ${cpus().length} cores (navigator.hardwareConcurrency), kernels learner, ${seconds} s window per figure, median of ${rounds} alternating rounds`);
console.log(`load average (1/5/15 min) at start: ${load()} (the machine is shared: figures are noisy)\n`);
const site = await serveSite(Number(values.port));
try {
  const browser = await launchChromium();
  const page = await browser.newPage();
  console.log('| game | workers | training transitions/s |\n|---|---|---|');
  for (const game of games) {
    const got = new Map<number, number[]>(counts.map((n) => [n, []]));
    for (let r = 0; r < rounds; r++) for (const n of counts) got.get(n)!.push(await figure(page, site.base, game, n));
    for (const n of counts) console.log(`| ${game} | ${n} | ${Math.round(median(got.get(n)!)).toLocaleString('en-US')} |`);
  }
  await browser.close();
  console.log(`\nload average at the end: ${load()}`);
} finally {
  site.close();
}
