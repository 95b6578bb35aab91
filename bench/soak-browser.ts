/**
 * Browser soak: the balance page in live mode (game loop + learner worker) in Debian's Chromium
 * for `--minutes` (default 3; the long run is `--minutes 30`), printing one row per
 * minute: frame time p50/p99 (requestAnimationFrame deltas), the page's JS heap, learner updates
 * so far and learner restarts. Flat rows mean stable frame times and no leak. Builds the site,
 * serves it with vite preview on 127.0.0.1, asserts nothing.
 *
 *   npx tsx bench/soak-browser.ts [--minutes 3] [--port 4185] [--backend wasm]
 */
import { launchChromium, serveSite } from './site.js';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '3' }, port: { type: 'string', default: '4185' }, backend: { type: 'string', default: 'wasm' } } });
const minutes = Number(values.minutes);
const port = Number(values.port);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };

const site = await serveSite(port);
try {
  const browser = await launchChromium(['--enable-precise-memory-info']);
  const page = await browser.newPage();
  // Collect every frame's delta from the first frame on; the bench drains the list once a minute.
  // A string, not a function: tsx's helpers do not exist in the page.
  await page.addInitScript(`(() => {
    const deltas = [];
    globalThis.__soakFrames = deltas;
    let last = performance.now();
    const frame = (t) => { deltas.push(t - last); last = t; requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  })()`);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.base}/games/balance/index.html?autostart=live&backend=${values.backend}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');

  console.log(`balance, live mode (learner: ${values.backend}), ${minutes} min in headless Chromium (SwiftShader), one row per minute`);
  console.log('| minute | frames | frame p50 ms | frame p99 ms | JS heap MB | learner updates | restarts |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (let minute = 1; minute <= minutes; minute++) {
    await page.waitForTimeout(60_000);
    const deltas = await page.evaluate('globalThis.__soakFrames.splice(0)') as number[];
    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 2 ** 20;
    const last = await page.evaluate(`(() => { const s = globalThis.__balance; const m = s && s.metrics[s.metrics.length - 1]; return m ? { v: m.policyVersion, r: m.learnerRestarts ?? 0 } : null; })()`) as { v: number; r: number } | null;
    console.log(`| ${minute} | ${deltas.length} | ${pct(deltas, 0.5).toFixed(1)} | ${pct(deltas, 0.99).toFixed(1)} | ${heap.toFixed(1)} | ${last?.v ?? 0} | ${last?.r ?? 0} |`);
  }
  if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
  await browser.close();
} finally {
  site.close();
}
