/**
 * Killed processes: `train cartpole` is SIGKILLed at seeded random moments (after a random number
 * of logged updates; mid-update, mid-save, whatever it is doing), then `--resume DIR` finishes the run. Each trial checks the
 * checkpoint loads, at most one update is lost, and the step count, learning-rate schedule and
 * normalizer statistics carry on where the checkpoint left them. (Exact resumption of weights,
 * Adam, RNG streams: resume.test.ts.) Prints a line per trial: what was lost.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain } from '../io/brain.node.js';
import { Rng } from '../core/rng.js';

const BATCH = 4 * 128; // cartpole: 4 envs × 128 steps
const UPDATES = 60;
const TRIALS = 4;

interface Line { update: number; step: number; learningRate: number }

function readLog(path: string): Line[] {
  if (!existsSync(path)) return [];
  // A kill mid-write leaves a partial last line: a reader must skip it, as the resumed run does.
  return readFileSync(path, 'utf8').split('\n').flatMap((l) => { try { return [JSON.parse(l) as Line]; } catch { return []; } });
}

function train(args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', 'sdk/cli/train.ts', 'cartpole', ...args, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function exit(child: ReturnType<typeof spawn>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('train killed with SIGKILL, then --resume', () => {
  it(`${TRIALS} trials at seeded random moments: the checkpoint loads, at most one update is lost, the run carries on`, async () => {
    const rng = new Rng(8);
    const root = mkdtempSync(join(tmpdir(), 'kill-resume-'));
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ normalizeObs: true, normalizeReward: true }));
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        const dir = join(root, `t${trial}`);
        const log = join(dir, 'metrics.jsonl');
        const child = train(['--steps', String(UPDATES * BATCH), '--out', dir, '--checkpoint-every', '1', '--config', config]);
        const exited = exit(child);
        // Kill once a seeded random number of updates (1 to half the run) is logged, a few ms later:
        // anywhere in collect, update, log or save, and never after the run has ended, however fast
        // the machine (a delay in ms since the first update outlived the whole run once training sped up).
        const after = 1 + Math.floor(rng.next() * (UPDATES / 2));
        const jitter = Math.floor(rng.next() * 10);
        while (readLog(log).length < after) await sleep(2);
        await sleep(jitter);
        child.kill('SIGKILL');
        const { code } = await exited;
        const logged = readLog(log);
        expect(code, 'the run must still have been going when killed').toBeNull();

        const checkpoint = loadBrain(dir);
        const ckUpdate = checkpoint.training!.updates;
        const lastLogged = logged.at(-1)!.update;
        // Logged before its checkpoint was written: that update is redone. The rollout being collected is lost too.
        expect(lastLogged - ckUpdate).toBeGreaterThanOrEqual(0);
        expect(lastLogged - ckUpdate).toBeLessThanOrEqual(1);
        expect(checkpoint.steps).toBe(ckUpdate * BATCH);
        console.log(`kill trial ${trial + 1}: killed ${jitter} ms after update ${after} was logged, at update ${lastLogged} logged; checkpoint at update ${ckUpdate} `
          + `(step ${checkpoint.steps}); lost ${lastLogged > ckUpdate ? 'one update (logged, killed before its checkpoint was written)' : 'the rollout being collected'}`);

        const resumed = await exit(train(['--resume', dir]));
        expect(resumed.code, resumed.stderr).toBe(0);
        expect(resumed.stderr).toContain(`resuming ${dir} at step ${checkpoint.steps.toLocaleString('en-US')} (update ${ckUpdate})`);
        const lines = readLog(log);
        // One line per update, 1..UPDATES, in order: the count carried on, nothing twice, nothing skipped.
        expect(lines.map((l) => l.update)).toEqual(Array.from({ length: UPDATES }, (_, i) => i + 1));
        expect(lines.map((l) => l.step)).toEqual(lines.map((l) => l.update * BATCH));
        // The learning-rate schedule continued (annealed linearly over the whole run, not restarted).
        const lr0 = lines[0]!.learningRate;
        for (const l of lines) expect(l.learningRate).toBeCloseTo(lr0 * (1 - (l.update - 1) / UPDATES), 12);
        const final = loadBrain(dir);
        expect(final.steps).toBe(UPDATES * BATCH);
        expect(final.training!.updates).toBe(UPDATES);
        // The normalizer kept its statistics: it went on counting from the checkpoint's.
        const added = final.observationStats!.count - checkpoint.observationStats!.count;
        expect(added).toBeGreaterThanOrEqual(UPDATES * BATCH - checkpoint.steps);
        expect(added).toBeLessThanOrEqual(UPDATES * BATCH - checkpoint.steps + 2 * 4);
        // (A kill after the last update's checkpoint leaves nothing to train on resume.)
        if (checkpoint.steps < UPDATES * BATCH) expect(final.training!.rewardStats!.count).toBeGreaterThan(checkpoint.training!.rewardStats!.count);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
