/**
 * `npm run bench:browser-conv`: the conv nets of bench/conv.ts (S×S×4 grid, two 3×3/1 conv layers
 * of 16 filters, MLP 64-64, 5 actions) trained inside the real learner worker in Debian's headless
 * Chromium, per backend: kernels (WASM SIMD), tfjs wasm, webgl (SwiftShader here: the GPU is
 * emulated on the same CPU cores), cpu, and webgpu (skipped with its reason where there is no
 * adapter). One update = one minibatch of 128 transitions (actor and critic forward and backward,
 * PPO loss, Adam), timed in the worker; median of the timed updates after a warm-up one.
 * Prints a table with the load average (this machine is shared: figures are noisy); asserts nothing.
 *
 *   npx tsx bench/browser-conv.ts [--sides 7,15] [--port 4179]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { launchChromium, serveSite } from './site.js';

const { values } = parseArgs({ options: { sides: { type: 'string', default: '7,15' }, port: { type: 'string', default: '4179' } } });
const sides = values.sides.split(',').map(Number);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

type Result = { medianMs: number; backend: string; updates: number; warmupMs: number } | { error: string };

const site = await serveSite(Number(values.port));
try {
  const browser = await launchChromium();
  const page = await browser.newPage();
  const loadBefore = load();
  const t0 = Date.now();
  await page.goto(`${site.base}/bench/learner.html?conv=${sides.join(',')}`);
  await page.waitForFunction(() => (globalThis as unknown as { __learnerBench: { done: boolean } }).__learnerBench.done, null, { timeout: 40 * 60_000 });
  const results = await page.evaluate(() => (globalThis as unknown as { __learnerBench: { results: Record<string, Result> } }).__learnerBench.results);
  const version = browser.version();
  await browser.close();
  console.log(`conv nets in the learner worker, headless Chromium ${version} (SwiftShader WebGL: webgl runs on the CPU here); `
    + `${os.cpus().length} CPUs, shared: noisy; load average ${loadBefore} at the start, ${load()} at the end (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  console.log(`| backend | ${sides.map((s) => `${s}×${s}×4: ms per update (B = 128), median (timed updates; warm-up ms)`).join(' | ')} |`);
  console.log(`|---|${sides.map(() => '---').join('|')}|`);
  for (const backend of ['kernels', 'wasm', 'webgl', 'cpu', 'webgpu']) {
    const cells = sides.map((side) => {
      const r = results[`${side}:${backend}`];
      if (!r) return 'not run';
      if ('error' in r) return `failed: ${r.error}`;
      return `${r.medianMs.toFixed(1)} (${r.updates}; ${r.warmupMs.toFixed(0)})`;
    });
    console.log(`| ${backend} | ${cells.join(' | ')} |`);
  }
} finally {
  site.close();
}
