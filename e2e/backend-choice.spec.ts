/**
 * Issue 13: `auto` backend choice never stops the game. On the balance page in live mode with
 * `auto`, the carts act from the first ticks, long before the learner reports its choice, and the
 * choice reports its own cost (`chosen in N ms`).
 * Issue 16: WebGPU is a candidate where the page has an adapter; this headless Chromium has no GPU,
 * so the reason says it was skipped and why, and tfjs-backend-webgpu was never fetched.
 */
import { test, expect } from './fixtures.js';
import { waitFor, watchConsole } from './helpers.js';

test('live mode with auto: agents act while the backend is chosen, and the choice reports its cost', async ({ page }) => {
  const errors = watchConsole(page);
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(r.url()));
  await page.goto('/?game=balance&autostart=live&backend=auto');
  // The first ticks the scene runs: decisions already (before today's change, none until init answered).
  const early = await waitFor(page, 'balance', 'the scene runs its first ticks', (s) => s.ticks > 0);
  const atChoice = await waitFor(page, 'balance', 'the auto backend choice is reported', (s) => /^auto: .*→ (kernels|webgl|wasm|cpu).*; chosen in \d+ ms$/.test(s.backend?.reason ?? ''));
  const choiceMs = Number(/chosen in (\d+) ms/.exec(atChoice.backend!.reason)![1]);
  console.log(`[backend-choice] first read: ticks ${early.ticks}, decisions ${early.decisions}; at the choice: ticks ${atChoice.ticks}, decisions ${atChoice.decisions}; ${atChoice.backend!.reason}`);
  test.info().annotations.push({ type: 'auto choice', description: `${choiceMs} ms; ${atChoice.backend!.reason}` });
  expect(early.decisions).toBeGreaterThan(0);
  expect(atChoice.decisions).toBeGreaterThan(0);
  expect(atChoice.backend!.reason).toMatch(/, webgpu skipped \((no navigator\.gpu in this browser \(WebGPU unsupported or off\)|navigator\.gpu has no adapter \(no usable GPU, or blocked\))\), /);
  // The scripts the page and its workers loaded: the one that holds the probe's message (so worker
  // fetches are seen), and none holding tfjs-backend-webgpu (one of its flags' names).
  const scripts = await Promise.all([...new Set(fetched.filter((url) => url.endsWith('.js')))].map(async (url) => (await page.request.get(url)).text()));
  expect(scripts.some((js) => js.includes('navigator.gpu has no adapter'))).toBe(true);
  expect(scripts.filter((js) => js.includes('WEBGPU_USE_LOW_POWER_GPU'))).toHaveLength(0);
  expect(atChoice.errors).toEqual([]);
  expect(errors).toEqual([]);
});
