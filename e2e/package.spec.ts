/**
 * phaser-ppo as a game meets it: `npm pack`, the tarball installed into a fresh copy of
 * templates/starter (no link to this repo's sources; `npm ci --offline` with a lockfile cut from
 * this repo's, so every dependency comes from the npm cache at this repo's version),
 * the type test compiled there with `strict`, `vite build` by the game's own Vite, the result
 * served on 127.0.0.1 (port `E2E_PACKAGE_PORT`, else one past `E2E_PORT`, else 4184) and played in Chromium: the learner worker starts, reports its backend
 * (tfjs's wasm binary loaded among the candidates), and the agent learns far past random. Then
 * the same page under `vite dev`, where dependency pre-bundling is the known trap for workers.
 *
 * The starter's task (templates/starter: roll a ball onto a flag) scores about −0.64 per episode
 * under a uniform random policy (17% of episodes arrive; 400 episodes, the same dynamics in Node:
 * `npx tsx scripts/starter-random-level.ts`); a learned policy scores about 1.6. The bar, a mean
 * of 1.0 over 20 episodes, is out of a broken learner's reach.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TrainingLog } from '../sdk/phaser/training-log.js';
import { waitForLog, watchConsole } from './helpers.js';
import { starterLock, type Lockfile, type StarterManifest } from './starter-lock.js';

// Its own port beside the suite's, so runs on other ports side by side do not collide.
const PORT = Number(process.env.E2E_PACKAGE_PORT ?? (process.env.E2E_PORT ? Number(process.env.E2E_PORT) + 1 : 4184));
const URL_ = `http://127.0.0.1:${PORT}/`;
const repo = resolve(import.meta.dirname, '..');
/** Returns above this are out of a random (or non-learning) policy's reach; see the header. */
const LEARNED_RETURN = 1.0;
/** Transitions (8 agents × 1,500 steps) before the mean return counts; see the learning test. */
const SETTLED_STEPS = 12_000;
/** Transitions the starter may train before it must have passed {@link LEARNED_RETURN} (it passed at 12,288 on a loaded machine). */
const LEARN_BUDGET = 60_000;

let work = '';
let app = '';

/** Runs a command, failing with its output (the part a reader needs) when it fails. */
function sh(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`.slice(-6000));
  }
}

/** A running vite server: the process to stop and everything it printed so far. */
interface Server { child: ChildProcess; output: () => string }

/** Starts a server in the app folder and waits until it answers. */
async function serve(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), ...args, '--port', String(PORT), '--strictPort'], {
    cwd: app, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // Vite prints its address once it listens: wait on that line, not on the clock.
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', () => { if (output.includes(`:${PORT}/`)) ready(); });
    child.on('exit', (code) => fail(new Error(`vite ${args.join(' ')} exited (${code}) before it listened:\n${output}`)));
  });
  const res = await fetch(URL_);
  if (!res.ok) throw new Error(`vite ${args.join(' ')} listens on ${URL_} but answered HTTP ${res.status}:\n${output}`);
  return { child, output: () => output };
}

function stop({ child }: Server): void {
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
}

/** The page's training log entry for the starter's behavior. */
function reachLog(page: Page) {
  return page.evaluate(() => (globalThis as unknown as { __phaserPpo?: TrainingLog }).__phaserPpo?.behaviors['reach'] ?? null);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'phaser-ppo-package-'));
  app = join(work, 'starter');
  // The library build, then the tarball exactly as `npm publish` would upload it.
  sh('npm', ['run', 'build', '--silent'], repo);
  const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo)) as { filename: string; integrity: string; files: { path: string }[] }[];
  const files = packed[0]!.files.map((f) => f.path);
  // Only the library (its CLI built into dist/) and the starter `phaser-ppo new` copies ship: no sources, games or tests.
  expect(files.filter((f) => !f.startsWith('dist/') && !f.startsWith('templates/starter/') && f !== 'package.json' && f !== 'README.md' && f !== 'LICENSE')).toEqual([]);
  expect(files).toContain('dist/workers/learner.worker.js');

  cpSync(join(repo, 'templates/starter'), app, { recursive: true, filter: (src) => !/node_modules|[/\\]dist$/.test(src) });
  cpSync(join(repo, 'test-types/consumer.ts'), join(app, 'src/consumer.ts'));
  // The README's Phaser quick start, word for word (sdk/phaser/readme-quickstart.test.ts): compiled, never run here.
  cpSync(join(repo, 'test-types/quickstart.ts'), join(app, 'src/quickstart.ts'));
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as StarterManifest;
  const spec = `file:../${packed[0]!.filename}`;
  pkg.dependencies['phaser-ppo'] = spec;
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  // Exactly this repo's versions, from the npm cache only (this repo's `npm ci` warmed it).
  const lock = starterLock(JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lockfile, pkg, { spec, integrity: packed[0]!.integrity });
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
  sh('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel', 'error'], app);
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a consumer file compiles with strict against the published .d.ts, through the exports map only', () => {
  // The starter's tsconfig is strict and includes src/, where consumer.ts (test-types/) was copied.
  sh(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], app);
});

test('vite build of the starter: the learner worker starts, reports its backend, and the agent learns', async ({ page }, testInfo) => {
  const log = sh(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build'], app);
  // A Node built-in reaching a browser entry point shows up as Vite's externalization warning.
  expect(log).not.toMatch(/externalized for browser compatibility/);
  const assets = readdirSync(join(app, 'dist/assets')).map((f) => `${f} ${(statSync(join(app, 'dist/assets', f)).size / 1024).toFixed(0)} KiB`);
  console.log(`starter build (dist/assets):\n  ${assets.join('\n  ')}`);
  expect(assets.some((a) => a.startsWith('learner.worker-'))).toBe(true);
  expect(assets.filter((a) => a.endsWith('.wasm') || /\.wasm /.test(a)).length).toBeGreaterThanOrEqual(3);

  const server = await serve(['preview']);
  try {
    const errors = watchConsole(page);
    await page.goto(URL_);
    const started = await waitForLog(page, 'reach', 'the learner reports its backend', (b) => b.backend !== null);
    // wasm ran updates in the built worker (timed, or dropped by the bounded choice after timing them).
    expect(started.backend!.reason).toMatch(/^auto: .*wasm (\d[\d.]* ms\/update|dropped after \d+ updates? \(\d[\d.]* ms).*→ (kernels|webgl|wasm|cpu)/);
    // The first episodes to finish are the short ones, and short episodes are the arrivals: a
    // random policy's first 20 average well above its true level. Only updates after every agent
    // has played 1,500 steps (five of the longest rounds) count.
    const bestSettled = async () => {
      const metrics = (await reachLog(page))?.metrics ?? [];
      return Math.max(-Infinity, ...metrics.filter((m) => m.step >= SETTLED_STEPS).map((m) => m.returnMean).filter(Number.isFinite));
    };
    await waitForLog(page, 'reach', `a settled mean return ≥ ${LEARNED_RETURN}`, (b, [settled, bar]) => b.metrics.some((m) => m.step >= settled && m.returnMean >= bar),
      [SETTLED_STEPS, LEARNED_RETURN] as const, { transitions: LEARN_BUDGET });
    const curve = ((await reachLog(page))?.metrics ?? []).map((m) => `${m.step}: ${m.returnMean.toFixed(2)}`);
    console.log(`starter learned: mean return ${(await bestSettled()).toFixed(2)} (random ≈ −0.64); step: return ${curve.filter((_, i) => i % 4 === 0).join(', ')}`);
    await testInfo.attach('reach-curve.json', { body: JSON.stringify(curve), contentType: 'application/json' });
    expect(errors).toEqual([]);
  } finally {
    stop(server);
  }
});

test('fast mode of the built starter: its fast worker (phaser-ppo/fast-worker) trains, the scene plays its weights, the agent learns', async ({ page }) => {
  // The build of the previous test: the fast worker is its own chunk, beside the learner worker.
  expect(readdirSync(join(app, 'dist/assets')).some((f) => f.startsWith('fast.worker-'))).toBe(true);
  const server = await serve(['preview']);
  try {
    const errors = watchConsole(page);
    await page.goto(`${URL_}?fast`);
    // Same bar, same settling and same transitions budget as live mode: fast mode is the same learner on headless copies.
    await waitForLog(page, 'reach', `a settled mean return ≥ ${LEARNED_RETURN} in fast mode`, (b, [settled, bar]) => b.metrics.some((m) => m.step >= settled && m.returnMean >= bar),
      [SETTLED_STEPS, LEARNED_RETURN] as const, { transitions: LEARN_BUDGET });
    const log = (await reachLog(page))!;
    // The scene's behavior is in inference mode: only the page side of fast mode (FastTraining) writes its backend and metrics.
    expect(log.backend?.reason).toMatch(/^auto: /);
    console.log(`starter fast mode: ${log.metrics.length} updates, last step ${log.metrics.at(-1)?.step}, return ${log.metrics.at(-1)?.returnMean.toFixed(2)}`);
    expect(errors).toEqual([]);
  } finally {
    stop(server);
  }
});

test('vite dev of the starter: the worker from node_modules starts and trains (pre-bundling does not break it)', async ({ page }) => {
  const server = await serve([]);
  try {
    const errors = watchConsole(page);
    await page.goto(URL_);
    const started = await waitForLog(page, 'reach', 'the learner reports its backend', (b) => b.backend !== null);
    // wasm ran updates in the dev server's worker (timed, or dropped by the bounded choice after timing
    // them): pre-bundling did not break it. A broken wasm backend reads "wasm failed (...)".
    expect(started.backend!.reason).toMatch(/^auto: .*wasm (\d[\d.]* ms\/update|dropped after \d+ updates? \(\d[\d.]* ms)/);
    // The live learner trains on the game's own ticks; the starter publishes no tick count, so only the test's timeout bounds this.
    await waitForLog(page, 'reach', 'two learner updates', (b) => (b.metrics.at(-1)?.policyVersion ?? 0) >= 2);
    expect(errors).toEqual([]);
    // Every dependency was pre-bundled up front (phaserPpo()'s list): none found late, no reload.
    expect(server.output()).not.toMatch(/new dependencies optimized|optimized dependencies changed|reloading/i);
  } finally {
    stop(server);
  }
});
