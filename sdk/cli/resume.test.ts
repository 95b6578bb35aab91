/**
 * Checkpoints and resume: a run saved as a brain (with its training state), written to disk and
 * read back, continues exactly where the learner stopped, and `train --resume` continues a run.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetricsLog } from './metrics-log.js';
import { loadBrain, saveBrain } from '../io/brain.node.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import type { PPOConfig } from '../rl/config.js';
import type { LearnerState } from '../rl/learner.js';
import { Trainer } from '../runtime/trainer.js';
import type { Brain } from '../io/brain.js';
import { createCartPole } from '../envs/index.js';

const config: Partial<PPOConfig> = {
  numEnvs: 2, numSteps: 32, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16], totalSteps: 64 * 10,
  normalizeObs: true, normalizeReward: true, seed: 4,
};
const trainer = (resume?: Brain) => new Trainer({
  env: createCartPole, envName: 'cartpole', config, engine: (l) => new KernelsEngine(l), ...(resume ? { resume } : {}),
});

function plain(s: LearnerState) {
  return { params: Array.from(s.params), m: Array.from(s.adam.m), v: Array.from(s.adam.v), t: s.adam.t, updates: s.updates, version: s.version, rng: s.rngState };
}

/** Saves `t` as a checkpoint on disk and reads it back, as `--resume` does. */
function roundTrip(t: Trainer) {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  saveBrain(dir, t.brain());
  return loadBrain(dir);
}

describe('resume from a checkpoint', () => {
  it('restores the learner (weights, Adam, schedules, shuffle RNG), statistics and acting RNG exactly, and learns on as the uninterrupted learner does', () => {
    const a = trainer();
    for (let i = 0; i < 3; i++) a.runUpdate();
    const saved = a.brain();
    const b = trainer(roundTrip(a));
    expect(plain(b.learner.getState())).toEqual(plain(a.learner.getState()));
    expect(b.step).toBe(saved.steps);
    expect(b.brain().training!.rewardStats!.toJSON()).toEqual(saved.training!.rewardStats!.toJSON());
    expect(b.brain().observationStats!.toJSON()).toEqual(saved.observationStats!.toJSON());
    expect(b.brain().training!.actingRng).toEqual(saved.training!.actingRng);
    expect(saved.training!.actingRng).not.toBeNull();
    expect(b.learner.updates).toBe(3);

    // The same rollout gives the same update, bit for bit, in the original and the resumed learner.
    a.runUpdate();
    const rollout = (a as unknown as { rollout: Parameters<typeof a.learner.train>[0] }).rollout;
    const c = trainer(roundTrip(trainerAt(3)));
    c.learner.train(rollout);
    expect(plain(c.learner.getState())).toEqual(plain(a.learner.getState()));
    a.dispose(); b.dispose(); c.dispose();
  });

  it('is deterministic: two resumes of one checkpoint train identically', () => {
    const snap = roundTrip(trainerAt(2));
    const [x, y] = [trainer(snap), trainer(roundTrip(trainerAt(2)))];
    for (let i = 0; i < 2; i++) {
      const [mx, my] = [x.runUpdate(), y.runUpdate()];
      expect(mx.policyLoss).toBe(my.policyLoss);
    }
    expect(plain(x.learner.getState())).toEqual(plain(y.learner.getState()));
    x.dispose(); y.dispose();
  });
});

function trainerAt(updates: number): Trainer {
  const t = trainer();
  for (let i = 0; i < updates; i++) t.runUpdate();
  return t;
}

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

describe('train --resume', () => {
  it('continues a run from its directory: steps, updates, LR schedule and metrics carry on', () => {
    const out = mkdtempSync(join(tmpdir(), 'resume-'));
    const run = (...args: string[]) => execFileSync(tsx, ['sdk/cli/train.ts', ...args, '--quiet'], { stdio: 'pipe', encoding: 'utf8' });
    run('cartpole', '--steps', '2048', '--seed', '5', '--out', out, '--checkpoint-every', '2');
    const first = loadBrain(out);
    expect([first.steps, first.policyVersion, first.training?.updates]).toEqual([2048, 4, 4]);

    // As a run killed after its last checkpoint leaves it: an update logged that the checkpoint lacks,
    // and a line cut short.
    appendFileSync(join(out, 'metrics.jsonl'), `${JSON.stringify({ ...readMetricsLog(join(out, 'metrics.jsonl'))[3], update: 5, step: 2560 })}\n{"upd`);
    run('--resume', out, '--steps', '4096');
    const brain = loadBrain(out);
    expect([brain.steps, brain.policyVersion, brain.training?.updates, brain.config.seed]).toEqual([4096, 8, 8, 5]);
    const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(metrics.map((m) => m.update)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(metrics.map((m) => m.step)).toEqual([512, 1024, 1536, 2048, 2560, 3072, 3584, 4096]);
    expect(metrics[4]!.time).toBeGreaterThan(metrics[3]!.time);
    // The annealed LR continues from update 4 of the extended (8-update) schedule: lr0 × (1 − 4/8).
    expect(metrics[4]!.learningRate).toBeCloseTo(first.config.learningRate * (1 - 4 / 8), 12);
    // One weights file beside the manifest, whichever of the two names it took last.
    expect(readdirSync(out).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(out, 'brain.json'), 'utf8')).formatVersion).toBe(3);
  }, 60_000);

  it("into a new --out: the closing line gives this session's steps, time and steps/s (not the checkpoint's steps over this session's time)", () => {
    const from = mkdtempSync(join(tmpdir(), 'resume-from-'));
    const out = mkdtempSync(join(tmpdir(), 'resume-to-'));
    const run = (...args: string[]) => spawnSync(tsx, ['sdk/cli/train.ts', ...args, '--quiet'], { encoding: 'utf8' });
    expect(run('cartpole', '--steps', '2048', '--seed', '5', '--out', from).status).toBe(0);
    const resumed = run('--resume', from, '--steps', '4096', '--out', out);
    expect(resumed.status).toBe(0);
    const line = /^ {2}4,096 steps, 2,048 of them this session in ([\d.]+) s \(([\d,]+) steps\/s on /m.exec(resumed.stderr);
    expect(line, resumed.stderr).not.toBeNull();
    // The new folder's log starts this session's clock at 0: its last time is this session's, as the line says.
    const last = readMetricsLog(join(out, 'metrics.jsonl')).at(-1)!;
    expect(last.step).toBe(4096);
    expect(line![1]).toBe(last.time.toFixed(1));
    expect(Number(line![2]!.replaceAll(',', ''))).toBe(Math.round(2048 / last.time));
  }, 60_000);
});
