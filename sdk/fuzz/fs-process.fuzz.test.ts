/**
 * The CLI and the brain loader attacked through the file system and processes (issue 17): two
 * runs on one directory, a run over an old run, symbolic links, FIFOs, devices and directories
 * where files belong, sizes that would allocate without bound, a full or read-only disk, envs
 * that never end or return garbage, signals. Every case is a real process with a hang limit, so
 * a hang fails the case; each expects an exit with a message naming the flag or field and the
 * cause, and nothing lost on disk. Prints one line per case (the README's count).
 */
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain, saveBrain } from '../io/brain.node.js';
import { cartpoleTestBrain } from '../io/test-brain.js';
import { readMetricsLog } from '../cli/metrics-log.js';
import { cli, envModule, finished, loadInChild, ROOT, startCli, whenStderr } from './cli-attack.js';

let root: string;
/** A small, fast cartpole config: 2 envs × 64 steps = 128 transitions per update. */
let small: string;
const BATCH = 128;
let cases = 0;
const count = (n = 1) => { cases += n; };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fs-process-'));
  small = join(root, 'small.json');
  writeFileSync(small, JSON.stringify({ numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [8] }));
});
afterAll(() => {
  console.log(`fuzz fs-process: ${cases} cases`);
  rmSync(root, { recursive: true, force: true });
});

function trainSmall(out: string, extra: string[] = [], steps = 1024) {
  return cli('train', ['cartpole', '--config', small, '--steps', String(steps), '--out', out, '--quiet', ...extra]);
}

/** Metrics of a run: update numbers each once, in order, steps a whole number of updates. */
function expectCleanLog(dir: string, updates: number): void {
  const m = readMetricsLog(join(dir, 'metrics.jsonl'));
  expect(m.map((x) => x.update)).toEqual(Array.from({ length: updates }, (_, i) => i + 1));
  expect(m.map((x) => x.step)).toEqual(Array.from({ length: updates }, (_, i) => (i + 1) * BATCH));
}

describe('one run per directory', () => {
  it('10 pairs of concurrent runs on one --out: exactly one trains, the other is refused naming the holder or the run; nothing interleaves', async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const out = join(root, `concurrent-${trial}`);
      const args = ['cartpole', '--config', small, '--steps', String(BATCH * 40), '--out', out, '--quiet'];
      const [a, b] = await Promise.all([finished(startCli('train', args)), finished(startCli('train', args))]);
      const statuses = [a.status, b.status].sort();
      expect(statuses, `${a.stderr}\n---\n${b.stderr}`).toEqual([0, 2]);
      const refused = a.status === 2 ? a : b;
      expect(refused.stderr).toMatch(/--out: .* (is in use by another run: pid \d+|already holds a run|is being locked by another run)/);
      expect(refused.stderr).not.toMatch(/ENOENT|at .*\.ts:\d+/);
      outcomes.push(/in use|being locked/.test(refused.stderr) ? 'locked' : 'holds-run');
      expectCleanLog(out, 40);
      expect(loadBrain(out).steps).toBe(BATCH * 40);
      expect(existsSync(join(out, 'run.lock')), 'the lock is released at the end').toBe(false);
      count();
    }
    console.log(`concurrent runs: ${outcomes.filter((o) => o === 'locked').length} refused by the lock, ${outcomes.filter((o) => o === 'holds-run').length} by the finished run`);
  }, 600_000);

  it('a stale lock (its process is gone) is taken over and said so', () => {
    const out = join(root, 'stale');
    mkdirSync(out);
    // A pid far above any Linux pid_max: surely not running.
    writeFileSync(join(out, 'run.lock'), JSON.stringify({ pid: 2 ** 30, host: execFileSync('hostname', { encoding: 'utf8' }).trim(), started: '2026-01-01T00:00:00Z', command: 'train cartpole' }));
    const r = trainSmall(out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/locked by pid 1073741824, which is gone: lock taken over/);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
    count();
  }, 120_000);

  it('a live lock names its holder (pid, start, command)', () => {
    const out = join(root, 'held');
    mkdirSync(out);
    writeFileSync(join(out, 'run.lock'), JSON.stringify({ pid: process.pid, host: execFileSync('hostname', { encoding: 'utf8' }).trim(), started: new Date().toISOString(), command: 'train pendulum --out held' }));
    const r = trainSmall(out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`is in use by another run: pid ${process.pid}`);
    expect(r.stderr).toContain('(train pendulum --out held)');
    count();
  }, 120_000);

  it('--out on an existing run refuses without --resume or --force; --force moves the old run aside, deleting nothing', () => {
    const out = join(root, 'existing');
    expect(trainSmall(out, [], BATCH * 6).status).toBe(0);
    const before = readFileSync(join(out, 'brain.json'), 'utf8');
    const r = trainSmall(out, [], BATCH * 2);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out: .* already holds a run \(a cartpole brain of 768 steps\)\. Continue it with --resume .*, give --force/);
    expect(readFileSync(join(out, 'brain.json'), 'utf8'), 'the old brain is untouched').toBe(before);
    count();
    const f = trainSmall(out, ['--force'], BATCH * 2);
    expect(f.status, f.stderr).toBe(0);
    const aside = /moved the old run in .* to (\S+)/.exec(f.stderr)?.[1];
    expect(aside).toBeDefined();
    expect(loadBrain(aside!).steps).toBe(BATCH * 6);
    expect(readMetricsLog(join(aside!, 'metrics.jsonl'))).toHaveLength(6);
    expect(loadBrain(out).steps).toBe(BATCH * 2);
    expectCleanLog(out, 2);
    count();
  }, 120_000);
});

describe('the default run directory', () => {
  it('the same command run again (no --out) trains into the next free runs/<env>-<seed>-N and keeps the earlier run', () => {
    // A uniquely named env module: its default directory is runs/<name>-1 under the repository root.
    const name = `again-${process.pid}`;
    const path = envModule(root, name, 'reset: () => new Float32Array(1), step: (a: number) => ({ observation: new Float32Array(1), reward: a, terminated: true, truncated: false }),');
    const dirs = [join(ROOT, 'runs', `${name}-1`), join(ROOT, 'runs', `${name}-1-2`)];
    try {
      const first = cli('train', ['--env', path, '--config', small, '--steps', String(BATCH * 2), '--quiet']);
      expect(first.status, first.stderr).toBe(0);
      const before = readFileSync(join(dirs[0]!, 'brain.json'), 'utf8');
      const again = cli('train', ['--env', path, '--config', small, '--steps', String(BATCH * 2), '--quiet']);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stderr).toContain(`holds an earlier run: this one goes to runs/${name}-1-2`);
      expect(readFileSync(join(dirs[0]!, 'brain.json'), 'utf8'), 'the earlier run is untouched').toBe(before);
      expect(loadBrain(dirs[1]!).steps).toBe(BATCH * 2);
      count();
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the brain loader opens regular files inside the brain folder only, and never hangs', () => {
  /** A fresh valid brain directory. */
  const brainDir = (name: string) => {
    const dir = join(root, 'brains', name);
    saveBrain(dir, cartpoleTestBrain());
    return dir;
  };
  const fifo = (path: string) => execFileSync('mkfifo', [path]);
  const setWeightsPath = (dir: string, file: string) => {
    const m = JSON.parse(readFileSync(join(dir, 'brain.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    m.weightsManifest[0]!.paths = [file];
    writeFileSync(join(dir, 'brain.json'), JSON.stringify(m));
  };

  it.each<[string, (dir: string) => string, RegExp]>([
    ['weights.bin -> /etc/passwd', (d) => { rmSync(join(d, 'weights.bin')); symlinkSync('/etc/passwd', join(d, 'weights.bin')); return d; }, /weights\.bin: is a symbolic link; links are not followed/],
    ['weights.bin -> another run\'s weights', (d) => { const other = brainDir('other'); rmSync(join(d, 'weights.bin')); symlinkSync(join(other, 'weights.bin'), join(d, 'weights.bin')); return d; }, /weights\.bin: is a symbolic link/],
    ['brain.json -> another run\'s brain.json', (d) => { const other = brainDir('other2'); rmSync(join(d, 'brain.json')); symlinkSync(join(other, 'brain.json'), join(d, 'brain.json')); return d; }, /brain\.json: is a symbolic link/],
    ['weights.bin is a FIFO', (d) => { rmSync(join(d, 'weights.bin')); fifo(join(d, 'weights.bin')); return d; }, /weights\.bin: is a FIFO \(named pipe\), not a regular file/],
    ['brain.json is a FIFO', (d) => { rmSync(join(d, 'brain.json')); fifo(join(d, 'brain.json')); return d; }, /brain\.json: is a FIFO \(named pipe\), not a regular file/],
    ['the manifest path is /dev/zero', () => '/dev/zero', /\/dev\/zero: is a character device, not a regular file/],
    ['weights.bin is a directory', (d) => { rmSync(join(d, 'weights.bin')); mkdirSync(join(d, 'weights.bin')); return d; }, /weights\.bin: is a directory, not a regular file/],
    ['the weights path is "."', (d) => { setWeightsPath(d, '.'); return d; }, /weights path "\." must stay beside the manifest/],
    ['the weights path holds a NUL byte', (d) => { setWeightsPath(d, 'weights\u0000.bin'); return d; }, /weights path "weights\\u0000\.bin" must stay beside the manifest/],
    ['the weights path goes through a subdirectory link', (d) => { symlinkSync('/etc', join(d, 'sub')); setWeightsPath(d, 'sub/passwd'); return d; }, /weights path "sub\/passwd" must stay beside the manifest/],
    ['the brain path holds a NUL byte', () => 'runs/a\u0000b', /the path holds a NUL byte/],
  ])('%s: refused by name, at once', (name, make, expected) => {
    const target = make(brainDir(name.replace(/\W+/g, '-')));
    const r = loadInChild(target);
    expect(r.hung, `${name}: the loader hung`).toBe(false);
    expect(r.stdout).toMatch(/^ERR BrainError: /);
    expect(r.stdout).toMatch(expected);
    // Nothing of the file it should not read leaks into the message (its size, its content).
    expect(r.stdout).not.toMatch(/root:|\d+ bytes/);
    count();
  }, 120_000);

  it('a FIFO fed 400 MB as weights.bin is refused before any byte is read (no memory growth)', async () => {
    const dir = brainDir('fed-fifo');
    rmSync(join(dir, 'weights.bin'));
    fifo(join(dir, 'weights.bin'));
    // A writer that would feed it 400 MB: it waits (in open) for a reader.
    const writer = spawn('bash', ['-c', `head -c 400M /dev/zero > ${JSON.stringify(join(dir, 'weights.bin'))}`], { stdio: 'ignore' });
    try {
      const r = loadInChild(dir);
      expect(r.hung).toBe(false);
      expect(r.stdout).toMatch(/weights\.bin: is a FIFO/);
    } finally {
      writer.kill('SIGKILL');
    }
    count();
  }, 120_000);

  it('a valid brain still loads; an unknown top-level manifest field is refused', () => {
    const dir = brainDir('valid');
    expect(loadInChild(dir).stdout).toBe('LOADED cartpole 6144');
    const m = JSON.parse(readFileSync(join(dir, 'brain.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'brain.json'), JSON.stringify({ ...m, rewardScale: 2 }));
    expect(loadInChild(dir).stdout).toMatch(/ERR BrainError: .*unknown field "rewardScale"/);
    count(2);
  }, 120_000);

  it('--env as a FIFO or a directory is refused, not imported (an import of a FIFO waits forever)', () => {
    const f = join(root, 'env-fifo.ts');
    fifo(f);
    for (const [path, kind] of [[f, 'a FIFO \\(named pipe\\)'], [root, 'a directory']] as const) {
      const r = cli('train', ['--env', path, '--out', join(root, 'envfifo-out')]);
      expect(r.hung).toBe(false);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`--env: .* is ${kind}, not a module file`));
      count();
    }
  }, 120_000);

  it('--config as a FIFO or /dev/zero is refused, not waited on; a link to a config file is followed', () => {
    const f = join(root, 'config-fifo.json');
    fifo(f);
    for (const path of [f, '/dev/zero']) {
      const r = cli('train', ['cartpole', '--config', path, '--out', join(root, 'cfg-out')]);
      expect(r.hung).toBe(false);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--config: .*: is a (FIFO|character device)/);
      count();
    }
    const link = join(root, 'config-link.json');
    symlinkSync(small, link);
    expect(cli('train', ['cartpole', '--config', link, '--steps', String(BATCH), '--out', join(root, 'cfg-link-out'), '--quiet']).status).toBe(0);
    count();
  }, 120_000);
});

describe('special files planted inside a run directory', () => {
  it('run.lock as a FIFO (left long ago) is taken over, not read', () => {
    const out = join(root, 'lock-fifo');
    mkdirSync(out);
    execFileSync('mkfifo', [join(out, 'run.lock')]);
    utimesSync(join(out, 'run.lock'), new Date(0), new Date(0));
    const r = trainSmall(out, [], BATCH);
    expect(r.hung).toBe(false);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
    count();
  }, 120_000);

  it('--resume where metrics.jsonl is a FIFO: refused naming it; where learning-curve.svg is a FIFO: replaced, not opened', () => {
    const out = join(root, 'planted');
    expect(trainSmall(out, [], BATCH).status).toBe(0);
    rmSync(join(out, 'learning-curve.svg'));
    execFileSync('mkfifo', [join(out, 'learning-curve.svg')]);
    const r = cli('train', ['cartpole', '--resume', out, '--steps', String(BATCH * 2), '--quiet']);
    expect(r.hung).toBe(false);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'learning-curve.svg'), 'utf8')).toMatch(/^<svg/);
    count();
    rmSync(join(out, 'metrics.jsonl'));
    execFileSync('mkfifo', [join(out, 'metrics.jsonl')]);
    const m = cli('train', ['cartpole', '--resume', out, '--steps', String(BATCH * 3), '--quiet']);
    expect(m.hung).toBe(false);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/metrics\.jsonl: is a FIFO \(named pipe\), not a regular file/);
    count();
  }, 120_000);
});

describe('every size a user controls is checked before allocation', () => {
  it.each<[string, () => string[], RegExp]>([
    ['--envs 1000000', () => ['cartpole', '--envs', '1000000'], /--envs: expected at most 4,096, got "1000000"/],
    ['numSteps 1e9', () => ['cartpole', '--config', json('steps1e9', { numSteps: 1e9 })], /PPOConfig\.numSteps: numEnvs 4 × numSteps 1000000000 = 4000000000 transitions per rollout, over the 16777216 limit/],
    ['eight 4096-wide layers', () => ['cartpole', '--config', json('wide', { hiddenSizes: Array(8).fill(4096) })], /hiddenSizes: the network would have \d+ parameters, over the 16777216 limit/],
    ['an env with Discrete(1e6)', () => ['--env', envModule(root, 'million', stepBody('0'), 'observationSpace: Box(-1, 1, 1), actionSpace: Discrete(1e6),')], /actionSpace\.n: expected an integer in \[1, 65536\], got 1000000/],
    ['an env with n: 0 (built by hand)', () => ['--env', envModule(root, 'zero', stepBody('0'), 'observationSpace: Box(-1, 1, 1), actionSpace: { kind: "discrete", n: 0 },')], /actionSpace\.n: expected an integer in \[1, 65536\], got 0/],
    ['--config numSteps 100000 with --steps 2000', () => ['cartpole', '--config', json('overshoot', { numSteps: 100000 }), '--steps', '2000'], /--steps: 2,000 steps is less than one rollout of numEnvs 4 × numSteps 100000 = 400,000 transitions/],
  ])('%s: exit 2 naming the field and the limit', (_name, argv, expected) => {
    const out = join(root, `size-${cases}`);
    const r = cli('train', [...argv(), '--out', out, '--quiet']);
    expect(r.hung).toBe(false);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/RangeError|at .*\.ts:\d+/);
    expect(existsSync(join(out, 'brain.json')), 'nothing trained').toBe(false);
    count();
  }, 120_000);
});

describe('file-system errors name --out and the cause; the last good brain is kept and named', () => {
  it('--out is a file, or under a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const r1 = trainSmall(file);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/--out: cannot create the directory .*a-file: it exists as a file, not a directory \(EEXIST\)/);
    const r2 = trainSmall(join(file, 'run'));
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--out: cannot create the directory .*a-file\/run: a part of the path is a file, not a directory \(ENOTDIR\)/);
    expect(readFileSync(file, 'utf8')).toBe('x');
    count(2);
  }, 120_000);

  /** Mounts a tmpfs at a new directory (root only); undefined where it cannot. */
  const mountTmpfs = (options: string): string | undefined => {
    const dir = mkdtempSync(join(root, 'mnt-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`skipped: cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()}); run as root to test a full or read-only disk`);
      return undefined;
    }
    return dir;
  };
  const unmount = (dir: string) => spawnSync('umount', [dir]);

  it('a read-only --out (EROFS)', () => {
    const mnt = mountTmpfs('ro,size=1m');
    if (!mnt) return;
    try {
      const r = trainSmall(join(mnt, 'run'));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--out: cannot create the directory .*\/run: the file system is read-only \(EROFS\)/);
      count();
    } finally {
      unmount(mnt);
    }
  }, 120_000);

  it('disk full mid-run (ENOSPC): exit 2 naming --out and the cause, the first error not hidden by the final save, the last good brain kept and named', () => {
    const mnt = mountTmpfs('size=1m');
    if (!mnt) return;
    try {
      const out = join(mnt, 'run');
      // 160-160 hidden: ~0.64 MB of weights with Adam's moments, so the first checkpoint fits in 1 MiB and a second beside it cannot.
      const big = join(root, 'big.json');
      writeFileSync(big, JSON.stringify({ numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [160, 160] }));
      const r = cli('train', ['cartpole', '--config', big, '--steps', String(BATCH * 4), '--checkpoint-every', '1', '--out', out, '--quiet']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/train: --out: could not save the brain in .*run: the disk is full \(ENOSPC\)\. The last good brain is .*run\/brain\.json \(step 0\), untouched\./);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
      expect(loadBrain(out).steps).toBe(0);
      expect(readdirSync(out).filter((f) => f.endsWith('.tmp')), 'no temporary file left behind').toEqual([]);
      count();
    } finally {
      unmount(mnt);
    }
  }, 120_000);
});

describe('no silent hang: envs that never end, signals', () => {
  let endless: string;
  let endlessBrain: string;
  beforeAll(() => {
    // Never terminates; says once on stderr that it is stepping (what the signal tests wait for).
    endless = envModule(root, 'endless', `reset: () => new Float32Array(1),
      step: (a: number) => { if (!said) { said = true; process.stderr.write('stepping\\n'); } return { observation: new Float32Array(1), reward: a, terminated: false, truncated: false }; },`, undefined, 'let said = false;');
    endlessBrain = join(root, 'endless-run');
  });

  it('training on an env that never ends says so instead of printing NaN silently', () => {
    const r = cli('train', ['--env', endless, '--config', small, '--steps', String(BATCH * 4), '--out', endlessBrain, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no episode has ended in 256 steps, so the mean return is unknown \(NaN\): does the environment ever set terminated or truncated\?/);
    count();
  }, 120_000);

  it('eval on it cuts each episode at --max-episode-steps and says so', () => {
    const r = cli('eval', ['--brain', endlessBrain, '--env', endless, '--episodes', '3', '--max-episode-steps', '50', '--json']);
    expect(r.hung).toBe(false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('3 of 3 episodes did not end by themselves and were cut at --max-episode-steps 50');
    expect(JSON.parse(r.stdout)).toMatchObject({ env: 'endless', episodes: 3, lengthTicksMean: 50, cut: 3 });
    count();
  }, 120_000);

  // Before, only SIGKILL stopped these loops: a process that never stops fails on the test's own
  // timeout, and its exit status and message say it stopped on the signal (no wall-clock bound).

  it('eval stops on SIGTERM and prints what it has', async () => {
    // Episodes cut at 50 ticks: the evaluation yields to the signal every 1,000 ticks, so some have ended by then.
    const child = startCli('eval', ['--brain', endlessBrain, '--env', endless, '--episodes', '1000000', '--max-episode-steps', '50']);
    const done = finished(child);
    await whenStderr(child, /stepping/);
    child.kill('SIGTERM');
    const r = await done;
    expect(r.status, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/eval: interrupted \(SIGTERM\) after \d+ of 1000000 episodes/);
    expect(r.stdout).toMatch(/^endless: mean return/);
    count();
  }, 120_000);

  it('train stops on SIGTERM and on SIGINT after the update in flight, saving the brain at the last completed update', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const out = join(root, `signal-${signal}`);
      const child = startCli('train', ['cartpole', '--config', small, '--steps', '100000000', '--out', out, '--quiet', '--checkpoint-every', '1000']);
      const done = finished(child);
      const log = join(out, 'metrics.jsonl');
      // Waits on updates (lines in the log), not on time.
      while (!existsSync(log) || readMetricsLog(log).length < 3) await new Promise((r) => setImmediate(r));
      child.kill(signal);
      const r = await done;
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`interrupted (${signal}): saved the brain as it is`);
      const last = readMetricsLog(log).at(-1)!;
      expect(loadBrain(out).steps).toBe(last.step);
      count();
    }
  }, 120_000);
});

describe('failures record the last completed update; resume never jumps', () => {
  it('an env that throws mid-rollout: the brain records the last completed update\'s steps, and --resume continues from there', () => {
    // Throws on its 700th step in this process: 5 updates of 128 complete (640), the 6th fails.
    const flaky = envModule(root, 'flaky', `reset: () => new Float32Array(1),
      step: (a: number) => { if (++n === 700) throw new Error('sensor unplugged'); return { observation: Float32Array.of(Math.sin(n)), reward: a, terminated: n % 20 === 0, truncated: false }; },`, undefined, 'let n = 0;');
    const out = join(root, 'flaky-run');
    const r = cli('train', ['--env', flaky, '--config', small, '--steps', String(BATCH * 8), '--out', out, '--quiet']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('sensor unplugged');
    expect(loadBrain(out).steps).toBe(640);
    expect(readMetricsLog(join(out, 'metrics.jsonl')).at(-1)!.step).toBe(640);
    const resumed = cli('train', ['--env', flaky, '--resume', out, '--quiet']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expectCleanLog(out, 8);
    count();
  }, 120_000);

  it('flags equal to the checkpoint\'s are accepted on --resume; a different one is refused naming the checkpoint\'s value', () => {
    const out = join(root, 'resume-flags');
    expect(cli('train', ['cartpole', '--config', small, '--seed', '3', '--steps', String(BATCH * 2), '--out', out, '--quiet']).status).toBe(0);
    const same = cli('train', ['cartpole', '--config', small, '--seed', '3', '--steps', String(BATCH * 4), '--resume', out, '--quiet']);
    expect(same.status, same.stderr).toBe(0);
    expectCleanLog(out, 4);
    const other = cli('train', ['cartpole', '--seed', '4', '--steps', String(BATCH * 6), '--resume', out, '--quiet']);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain("--seed: is 4, but the checkpoint's is 3");
    count(2);
  }, 120_000);
});

describe('messages that used to mislead', () => {
  it.each<[string, string, RegExp]>([
    ['a string reward "1"', stepBody('"1"'), /step 1: reward is "1", expected a finite number/],
    ['step() returning null', 'reset: () => new Float32Array(1), step: () => null,', /step 1: step\(\) returned null, expected \{ observation, reward, terminated, truncated \}/],
    ['a reward of 1e300', stepBody('1e300'), /step 1: reward is 1e\+300, beyond float32/],
    ['an observation of 1e300', 'reset: () => new Float32Array(1), step: () => ({ observation: [1e300], reward: 0, terminated: false, truncated: false }),', /step 1: observation\[0\] is 1e\+300/],
  ])('%s: exit 2 naming the env and the step', (name, body, expected) => {
    const path = envModule(root, name.replace(/\W+/g, '-'), body);
    const r = cli('train', ['--env', path, '--config', small, '--steps', String(BATCH * 2), '--out', join(root, `mis-${cases}`), '--quiet']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).toMatch(new RegExp(`${name.replace(/\W+/g, '-')}\\[\\d\\]`));
    count();
  }, 120_000);

  it('an async factory is named as such', () => {
    const path = join(root, 'async-env.ts');
    writeFileSync(path, `export default async () => ({});\n`);
    const r = cli('train', ['--env', path, '--out', join(root, 'async-out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the factory of "async-env" returned a Promise/);
    count();
  }, 60_000);

  it('the "Known:" list names the bundled games', () => {
    const r = cli('train', ['nosuchenv']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown environment "nosuchenv"\. Known: cartpole, pendulum \(built in\); balance, chase, jumper, lander, maze, sumo \(bundled games\)/);
    count();
  }, 60_000);

  it('eval labels the env played, and a brain that does not fit names that env', () => {
    const out = join(root, 'label-run');
    expect(trainSmall(out, [], BATCH * 2).status).toBe(0);
    const other = envModule(root, 'other', 'reset: () => new Float32Array(4), step: () => ({ observation: new Float32Array(4), reward: 1, terminated: true, truncated: false }),', 'observationSpace: Box(-1, 1, 4), actionSpace: Discrete(2),');
    const r = cli('eval', ['--brain', out, '--env', other, '--episodes', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^other: mean return 1\.0/);
    const p = cli('eval', ['--brain', out, 'pendulum', '--episodes', '1']);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/the brain \(trained as "cartpole"\) observes 4 values, behavior "pendulum" of the game "pendulum" gives 3: was it trained on this one\?/);
    count(2);
  }, 120_000);
});

/** A config file in the test directory. */
function json(name: string, value: unknown): string {
  const path = join(root, `${name}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** Env members whose every step pays `reward` (a JS expression) and ends the episode. */
function stepBody(reward: string): string {
  return `reset: () => new Float32Array(1), step: () => ({ observation: new Float32Array(1), reward: ${reward}, terminated: true, truncated: false }),`;
}

