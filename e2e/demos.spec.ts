/**
 * Demonstrations in the gallery: Record (script) records lander's scripted autopilot in heuristic
 * mode; the recorded episodes and their mean return show while and after recording; Download gives
 * its two files, which load back through the file picker; Save keeps the demonstration in
 * IndexedDB, where it survives a reload and loads back with the same counts.
 * Budgets are decisions (e2e/helpers.ts), never time.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { pageState, waitFor, watchConsole, type GamePageState } from './helpers.js';

interface Summary { episodes: number; steps: number; meanReturn: number }
interface DemoPageState extends GamePageState {
  game: string;
  recording: Summary | null;
  demo: (Summary & { source: 'recorded' | 'loaded'; key: string | null }) | null;
  savedDemos: (Summary & { key: string; behavior: string })[];
  pretrain: { report: { epochs: number; trainRows: number; heldOutRows: number; heldOut: { nll: number; meanAbsError: number } | null }; policyVersion: number; playing: boolean } | null;
  returns: number[];
}

const state = (page: Page) => pageState<DemoPageState>(page, 'gallery');
const until = <A = undefined>(page: Page, what: string, f: (s: DemoPageState, arg: A) => boolean, arg?: A, budget?: Parameters<typeof waitFor>[5]) =>
  waitFor<DemoPageState, A>(page, 'gallery', what, f, arg, budget);

test.use({ viewport: { width: 1280, height: 720 } });

test('record the lander autopilot, see the count and mean return, download and pick its files, save it, and load it back after a reload', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander');
  await until(page, 'lander in heuristic mode', (s) => s.game === 'lander' && s.mode === 'heuristic');
  await expect(page.getByTestId('demo-episodes')).toHaveText('0');

  await page.getByTestId('record-script').click();
  // Six crafts decide together (every 2 ticks); an autopilot landing takes ~140 decisions.
  const recording = await until(page, '3 recorded episodes', (s) => (s.recording?.episodes ?? 0) >= 3, undefined, { decisions: 600 });
  expect(recording.mode).toBe('heuristic');
  await expect(page.getByTestId('demo-episodes')).not.toHaveText('0');

  await page.getByTestId('record-stop').click();
  const kept = (await until(page, 'the recording kept', (s) => s.recording === null && s.demo !== null)).demo!;
  expect(kept.source).toBe('recorded');
  expect(kept.episodes).toBeGreaterThanOrEqual(3);
  // The autopilot lands: lander counts 200 as solved, random play scores ≈ -162.
  expect(kept.meanReturn).toBeGreaterThan(200);
  await expect(page.getByTestId('demo-episodes')).toHaveText(String(kept.episodes));
  await expect(page.getByTestId('demo-steps')).toHaveText(kept.steps.toLocaleString('en-US'));
  await expect(page.getByTestId('demo-return')).toHaveText(kept.meanReturn.toFixed(1));

  await page.getByTestId('demo-save').click();
  const saved = await until(page, 'the demonstration saved', (s) => s.demo?.key != null && s.savedDemos.some((d) => d.key === s.demo!.key));
  const key = saved.demo!.key!;
  expect(saved.savedDemos.find((d) => d.key === key)).toMatchObject({ behavior: 'lander', episodes: kept.episodes, steps: kept.steps });

  // Download: the manifest and its data file, which load back through the file picker.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('demo-download').click();
  await expect.poll(() => downloads.length).toBe(2);
  const name = `lander-demo-${kept.episodes}ep`;
  expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual([`${name}.demo.bin`, `${name}.json`]);
  const files = await Promise.all(downloads.map(async (d) => ({ name: d.suggestedFilename(), mimeType: 'application/octet-stream', buffer: await readFile((await d.path())!) })));
  expect(JSON.parse(files.find((f) => f.name.endsWith('.json'))!.buffer.toString('utf8'))).toMatchObject({ format: 'phaser-ppo-demonstration', behavior: 'lander', episodes: kept.episodes, steps: kept.steps });
  await page.getByTestId('demo-file').setInputFiles(files);
  await until(page, 'the downloaded demonstration loaded', (s) => s.demo?.source === 'loaded' && s.demo.key === null);
  expect((await state(page)).demo).toMatchObject({ episodes: kept.episodes, steps: kept.steps });

  await page.reload();
  const after = await until(page, 'the saved demonstration listed after the reload', (s, k) => s.game === 'lander' && s.savedDemos.some((d) => d.key === k), key);
  expect(after.demo).toBeNull();
  await page.getByTestId('demo-list').selectOption(key);
  await page.getByTestId('demo-load').click();
  const loaded = (await until(page, 'the demonstration loaded', (s, k) => s.demo?.key === k && s.demo.source === 'loaded', key)).demo!;
  expect(loaded).toMatchObject({ episodes: kept.episodes, steps: kept.steps });
  expect(loaded.meanReturn).toBeCloseTo(kept.meanReturn, 3);
  await expect(page.getByTestId('demo-episodes')).toHaveText(String(kept.episodes));
  await expect(page.getByTestId('demo-return')).toHaveText(kept.meanReturn.toFixed(1));

  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('clone the recorded lander autopilot in fast mode: the scene plays the cloned policy before any PPO update, and it beats random play', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?game=lander');
  await until(page, 'lander in heuristic mode', (s) => s.game === 'lander' && s.mode === 'heuristic');
  await page.getByTestId('record-script').click();
  // Six crafts decide together; 12 episodes are two landings each (≈ 140 decisions apiece).
  await until(page, '12 recorded episodes', (s) => (s.recording?.episodes ?? 0) >= 12, undefined, { decisions: 1_500 });
  await page.getByTestId('record-stop').click();
  const demo = (await until(page, 'the recording kept', (s) => s.recording === null && s.demo !== null)).demo!;
  expect(demo.meanReturn).toBeGreaterThan(200);

  // Clone: behaviour cloning in the fast-mode worker, then update 0 (the cloned weights) and no PPO update.
  await page.getByTestId('demo-clone').click();
  const cloned = await until(page, 'the cloned policy playing in a fresh scene', (s) => s.mode === 'fast' && s.pretrain?.playing === true, undefined, { ticks: 10_000 });
  const report = cloned.pretrain!.report;
  expect(report.trainRows + report.heldOutRows).toBe(demo.steps);
  expect(report.heldOut).not.toBeNull();
  await expect(page.getByTestId('demo-bc')).toContainText('held-out');
  await expect(page.getByTestId('demo-bc')).toContainText(`NLL ${report.heldOut!.nll.toFixed(3)}`);
  // The scene's NPCs, flown by the cloned weights alone: 12 whole episodes begun after they arrived.
  const flown = await until(page, '12 episodes of the cloned policy', (s) => s.returns.length >= 12, undefined, { decisions: 2_000 });
  const returns = flown.returns.slice(0, 12);
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  console.log(`cloned lander in the page: mean return ${mean.toFixed(1)} over ${returns.length} episodes (${returns.map((r) => r.toFixed(0)).join(', ')})`);
  // Random play scores ≈ -160 in lander; the autopilot ≈ +250.
  expect(mean).toBeGreaterThan(0);
  // No PPO update ran: nothing on the curves, the scene still plays update 0's weights.
  expect(flown.metrics).toEqual([]);
  expect(flown.pretrain!.policyVersion).toBe(cloned.pretrain!.policyVersion);
  expect(flown.errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('a game without a scripted heuristic offers only recording with the keys', async ({ page }) => {
  await page.goto('/?game=balance');
  await until(page, 'balance in heuristic mode', (s) => s.game === 'balance' && s.mode === 'heuristic');
  await expect(page.getByTestId('record-script')).toBeDisabled();
  await page.getByTestId('record-keys').click();
  await until(page, 'recording with the keys', (s) => s.recording !== null);
  // The carts fall without keys pressed: whole episodes are recorded all the same.
  await until(page, 'an episode recorded', (s) => (s.recording?.episodes ?? 0) >= 1, undefined, { decisions: 2_000 });
  await page.getByTestId('record-stop').click();
  const s = await until(page, 'kept', (x) => x.demo !== null);
  expect(s.demo!.episodes).toBeGreaterThanOrEqual(1);
});
