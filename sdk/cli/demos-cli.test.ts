/** `train <game> --demos DIR`, in process: cloning, BC and GAIL during PPO, the demonstrations' reference on resume, and what it refuses. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain } from '../io/brain.node.js';
import { demonstrationHash } from '../io/demonstration.js';
import { loadDemonstration } from '../io/demonstration.node.js';
import { readMetricsLog } from './metrics-log.js';
import { runRecord } from './record.js';
import { runTrain } from './train.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs a command in process and returns what it printed to stderr and its exit code. */
async function run(command: (argv: string[]) => Promise<void>, argv: string[]): Promise<{ err: string; code: number }> {
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  process.exitCode = 0;
  try {
    await command(argv);
  } finally {
    vi.restoreAllMocks();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { err, code };
}

describe('train --demos', () => {
  it('clones the demonstrations, learns from them with BC and GAIL (progress and metrics say so), records them by path and SHA-256, and resumes only with the same ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demos-cli-'));
    dirs.push(dir);
    const demos = join(dir, 'demos');
    const out = join(dir, 'run');
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ behavioralCloning: { strength: 0.5 }, gail: { strength: 0.1, encodingSize: 16 } }));
    expect((await run(runRecord, ['lander', '--episodes', '3', '--seed', '1', '--out', demos, '--quiet'])).code).toBe(0);
    const sha256 = await demonstrationHash(loadDemonstration(demos));

    // lander: 8 agents × 128 decisions = 1,024 transitions per update.
    const first = await run(runTrain, ['lander', '--demos', demos, '--config', cfg, '--steps', '2048', '--out', out, '--quiet', '--pretrain-epochs', '3']);
    expect(first.err).not.toMatch(/^train: /m);
    expect(first.code).toBe(0);
    expect(first.err).toContain(`demonstrations: ${demos} of "lander" (3 episodes,`);
    expect(first.err).toMatch(/cloned them first: 3 epochs; held-out \d+ decisions: NLL [\d.]+, mean \|error\| [\d.]+/);
    // The progress line: cloning's NLL and strength, the discriminator's loss and GAIL's share.
    expect(first.err).toMatch(/step 2048\/2048 .* bc [\d.]+ ×0\.5 {2}gail [\d.]+ \d+% {2}eta/);
    const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(metrics.map((m) => m.step)).toEqual([1024, 2048]);
    for (const m of metrics) {
      expect(Number.isFinite(m.bcLoss)).toBe(true);
      expect(m.gailRewardShare).toBeGreaterThan(0);
    }
    // Actor workers carry no demonstrations: refused, naming the flag, before anything is written.
    const parallel = await run(runTrain, ['lander', '--demos', demos, '--config', cfg, '--steps', '2048', '--out', join(dir, 'parallel'), '--workers', '2', '--quiet']);
    expect(parallel.code).toBe(2);
    expect(parallel.err).toContain('train: --workers: learning from demonstrations (--demos) trains in one thread: use --workers 1');
    const brain = loadBrain(out);
    expect(brain.config.gail!.demo).toEqual({ source: demos, sha256 });
    expect(brain.config.behavioralCloning!.demo).toEqual({ source: demos, sha256 });
    expect(brain.training!.demonstrations!.gail!.adam.t).toBeGreaterThan(0);

    // --resume finds the demonstrations by the checkpoint's path and checks their hash.
    const resumed = await run(runTrain, ['--resume', out, '--steps', '3072', '--quiet']);
    expect(resumed.err).not.toMatch(/^train: /m);
    expect(resumed.code).toBe(0);
    expect(loadBrain(out).steps).toBe(3072);
    expect(readMetricsLog(join(out, 'metrics.jsonl')).map((m) => m.step)).toEqual([1024, 2048, 3072]);

    // Other demonstrations under that path: refused, naming it and what to do.
    expect((await run(runRecord, ['lander', '--episodes', '2', '--seed', '9', '--out', demos, '--force', '--quiet'])).code).toBe(0);
    const changed = await run(runTrain, ['--resume', out, '--steps', '4096', '--quiet']);
    expect(changed.code).toBe(2);
    expect(changed.err).toContain(`train: ${demos}: SHA-256 `);
    expect(changed.err).toContain(`but the checkpoint of "lander" learned from ${demos} with SHA-256 ${sha256.slice(0, 12)}… (config.behavioralCloning.demo): the demonstrations changed since`);
    // Gone: the same, with the reason.
    rmSync(demos, { recursive: true });
    const gone = await run(runTrain, ['--resume', out, '--steps', '4096', '--quiet']);
    expect(gone.code).toBe(2);
    expect(gone.err).toContain(`train: the checkpoint learned from the demonstrations ${demos} (SHA-256 ${sha256.slice(0, 12)}…), which cannot be read: ${demos}: no such file or directory. Put them back there, or give --demos DIR`);
    expect(loadBrain(out).steps).toBe(3072);
  }, 180_000);

  it('refuses what cannot work, naming the flag: demonstrations for an Env, a config that needs them without them, --pretrain-epochs alone, a missing directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demos-cli-'));
    dirs.push(dir);
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ gail: { strength: 0.1 } }));
    const env = await run(runTrain, ['cartpole', '--demos', dir, '--out', join(dir, 'a')]);
    expect(env.code).toBe(2);
    expect(env.err).toContain('train: --demos: demonstrations are recorded from a game\'s behaviors');
    const none = await run(runTrain, ['lander', '--config', cfg, '--out', join(dir, 'b')]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('train: --config: "gail" learns from demonstrations: give --demos DIR (record some with: phaser-ppo record lander)');
    const alone = await run(runTrain, ['lander', '--pretrain-epochs', '5']);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('train: --pretrain-epochs: clones demonstrations, but no --demos DIR was given');
    const missing = await run(runTrain, ['lander', '--demos', join(dir, 'nothing'), '--out', join(dir, 'c')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`train: ${join(dir, 'nothing')}: no such file or directory`);
  }, 60_000);
});
