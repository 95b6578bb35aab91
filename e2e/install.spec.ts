/**
 * phaser-ppo in a game's own repository, as a new user meets it, in an empty folder outside this
 * repo: install phaser-ppo from a git URL (a `git+file://` clone of this repo at HEAD: npm clones
 * it, installs its devDependencies and runs its `prepare` build), `npx phaser-ppo new my-game`
 * (the starter, depending on this phaser-ppo packed into the game), `npm install` there, `vite
 * build`, `vite dev` answers, `npx phaser-ppo train` on the game's headless copies for a fixed
 * budget, then `npx phaser-ppo eval` of the brain it wrote reaches the starter's stated score
 * (src/headless.ts `solvedAt`), and the game's own `npm test` (typecheck and learning test) and
 * `npm run test:page` (its Playwright learning test, in the page's fast mode) pass.
 *
 * Offline: every install is `npm ci --offline` with a lockfile cut from this repo's
 * (e2e/starter-lock.ts), so packages come from the npm cache this repo's `npm ci` warmed.
 * HEAD is what is tested: uncommitted changes are not in the clone (the test says so).
 */
import { test, expect } from './fixtures.js';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { starterLock, type Lockfile, type StarterManifest } from './starter-lock.js';
import { sh } from './shell.js';

const repo = resolve(import.meta.dirname, '..');
// `vite dev` of the game: its own port beside the suite's (E2E_PORT) and the package test's (+1).
const PORT = Number(process.env.E2E_INSTALL_PORT ?? Number(process.env.E2E_PORT ?? 4183) + 2);
/** Transitions `phaser-ppo train` gets (40 updates of 8 copies × 64 decisions). */
const BUDGET = 20_480;
/** Rounds `phaser-ppo eval` plays, every one to its end (no early-success window). */
const ROUNDS = 40;

let work = '';

test.describe.configure({ mode: 'serial' });

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The repo's lockfile, from which each install's lockfile is cut. */
function repoLock(): Lockfile {
  return JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lockfile;
}

/** Writes `manifest` and its lockfile (phaser-ppo from `phaserPpo`) into `dir`, then `npm ci --offline`. */
function install(dir: string, manifest: StarterManifest, phaserPpo: { spec: string; integrity?: string }): void {
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(starterLock(repoLock(), manifest, phaserPpo), null, 2));
  sh('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], dir);
}

test('from an empty folder: install from git, phaser-ppo new, npm install, build, dev, train to the stated score, npm test', async () => {
  test.setTimeout(900_000);
  const started = performance.now();
  const lap = (what: string) => console.log(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${what}`);
  work = mkdtempSync(join(tmpdir(), 'phaser-ppo-install-'));
  const commit = sh('git', ['rev-parse', 'HEAD'], repo).trim();
  if (sh('git', ['status', '--porcelain', '--untracked-files=no'], repo).trim() !== '') {
    console.log(`install.spec: testing commit ${commit.slice(0, 10)}; uncommitted changes in ${repo} are not in it`);
  }
  const clone = join(work, 'phaser-ppo.git');
  sh('git', ['clone', '--quiet', '--no-checkout', repo, clone], work);

  // 1. A project that installs phaser-ppo from the git URL: npm runs its prepare build.
  const host = join(work, 'project');
  mkdirSync(host);
  const gitSpec = `git+file://${clone}#${commit}`;
  install(host, { name: 'project', version: '1.0.0', dependencies: { 'phaser-ppo': gitSpec } }, { spec: gitSpec });
  lap('npm install git+file://… (clone, its devDependencies, prepare build)');
  const installed = join(host, 'node_modules/phaser-ppo');
  // dist/ is not in git: only the prepare build makes it. A skipped build would leave none.
  expect(existsSync(join(installed, 'dist/sdk/index.js')), 'the installed package holds the build').toBe(true);
  // What a repo install leaves out: sources and tests are not in the package.
  expect(existsSync(join(installed, 'sdk'))).toBe(false);
  const bin = join(host, 'node_modules/.bin/phaser-ppo');
  const help = sh(bin, ['--help'], host);
  for (const command of ['train', 'eval', 'new']) expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));

  // 2. The scaffolder: the installed package writes the starter with phaser-ppo packed into it.
  const scaffolded = sh(bin, ['new', 'my-game', '--tarball'], host);
  lap('phaser-ppo new my-game --tarball');
  const game = join(host, 'my-game');
  const manifest = JSON.parse(readFileSync(join(game, 'package.json'), 'utf8')) as StarterManifest;
  expect(manifest.name).toBe('my-game');
  const spec = manifest.dependencies['phaser-ppo']!;
  expect(spec).toMatch(/^file:vendor\/phaser-ppo-[\d.]+\.tgz$/);
  expect(scaffolded).toContain(spec);
  expect(existsSync(join(game, '.gitignore'))).toBe(true);
  // A folder that is not empty is refused, with the reason, and left alone.
  const again = spawnResult(bin, ['new', 'my-game'], host);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/my-game is not empty \(.*\); give a new or empty folder/);
  expect(readFileSync(join(game, 'package.json'), 'utf8')).toBe(JSON.stringify(manifest, null, 2) + '\n');

  // 3. npm install in the game (the packed phaser-ppo and the starter's own dependencies).
  const tarball = readFileSync(join(game, spec.slice('file:'.length)));
  install(game, manifest, { spec, integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}` });
  lap('npm install in my-game');

  // 4. The game builds, and `vite dev` serves it.
  sh('npm', ['run', 'build', '--silent'], game);
  expect(existsSync(join(game, 'dist/index.html'))).toBe(true);
  lap('npm run build');
  await devServerAnswers(game);
  lap('npm run dev answers');

  // 5. Training the game's headless copies from the game's folder, then playing the brain.
  const gameBin = join(game, 'node_modules/.bin/phaser-ppo');
  const out = join(game, 'runs', 'e2e');
  sh(gameBin, ['train', 'src/headless.ts', '--steps', String(BUDGET), '--out', out, '--quiet'], game);
  const brain = JSON.parse(readFileSync(join(out, 'brain.json'), 'utf8')) as { env: string; steps: number };
  expect(brain.env).toBe('reach');
  expect(brain.steps).toBe(BUDGET);
  const played = JSON.parse(sh(gameBin, ['eval', 'src/headless.ts', '--brain', join(out, 'brain.json'), '--episodes', String(ROUNDS), '--seed', '7', '--json'], game)) as { returnMean: number; episodes: number };
  // The stated score, from the game's own module (a random ball scores about −0.64).
  const solvedAt = Number(/solvedAt: (-?[\d.]+)/.exec(readFileSync(join(game, 'src/headless.ts'), 'utf8'))?.[1]);
  expect(solvedAt).toBeGreaterThan(0);
  expect(played.episodes).toBe(ROUNDS);
  expect(played.returnMean, `mean return over ${ROUNDS} rounds after ${BUDGET} transitions`).toBeGreaterThanOrEqual(solvedAt);
  lap(`phaser-ppo train + eval: mean return ${played.returnMean.toFixed(2)} ≥ ${solvedAt} over ${ROUNDS} rounds: a learning NPC`);
  // On actor workers: each worker thread loads the game's .ts module through tsx by itself (the
  // installed command's workers failed: Unknown file extension ".ts"). Two copies (one a worker),
  // two rollouts of 2 × 8 balls × 64 decisions.
  const onWorkers = join(game, 'runs', 'e2e-workers');
  sh(gameBin, ['train', 'src/headless.ts', '--workers', '2', '--envs', '2', '--steps', '2048', '--out', onWorkers, '--quiet'], game);
  expect((JSON.parse(readFileSync(join(onWorkers, 'brain.json'), 'utf8')) as { steps: number }).steps).toBe(2048);
  lap('phaser-ppo train --workers 2');
  console.log(`install.spec: empty folder to a learning NPC in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  // 6. The game's own tests: typecheck and its learning test, then its browser learning test
  // (Playwright, this machine's Chromium, the game's fast mode in the page).
  sh('npm', ['test', '--silent'], game);
  lap('npm test in my-game');
  sh('npm', ['run', 'test:page', '--silent'], game, { CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', PORT: String(PORT), CI: '1' });
  lap('npm run test:page in my-game (Playwright: learns in fast mode)');
});

/** Exit code and stderr of a command that is expected to fail. */
function spawnResult(cmd: string, args: string[], cwd: string): { code: number; stderr: string } {
  try {
    execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { status: number | null; stderr?: string };
    return { code: e.status ?? -1, stderr: e.stderr ?? '' };
  }
}

/** `npm run dev` in `dir` answers with the game's page and its transformed entry module. */
async function devServerAnswers(dir: string): Promise<void> {
  const child = spawn(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), '--port', String(PORT), '--strictPort'], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    // Vite prints its address once it listens: wait on that line, not on the clock.
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', () => { if (output.includes(`:${PORT}/`)) ready(); });
      child.on('exit', (code) => fail(new Error(`vite exited (${code}) before it listened:\n${output}`)));
    });
    const page = await fetch(`http://127.0.0.1:${PORT}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src/main.ts');
    const main = await fetch(`http://127.0.0.1:${PORT}/src/main.ts`);
    expect(main.status, output).toBe(200);
    expect(await main.text()).toContain('PPOPlugin');
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  }
}
