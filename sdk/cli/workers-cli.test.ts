/**
 * `train --workers N`: one worker is today's one-thread run (the same curve as the Trainer), a
 * worker that dies is named with its copies while the checkpoint keeps the last completed update,
 * and what actor workers do not train is refused naming the flag.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetricsLog } from './metrics-log.js';
import { loadBrain } from '../io/brain.node.js';
import { ENVS } from '../envs/index.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import { Trainer } from '../runtime/trainer.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
/** A metrics line without its wall-clock fields, as JSON keeps it (NaN as null). */
const curve = (m: object) => {
  const { time: _t, sps: _s, ...rest } = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
  return rest;
};

describe('train --workers', () => {
  it('--workers 1 trains in this thread exactly as before: the same metrics as the in-process Trainer of the same seed', () => {
    const out = mkdtempSync(join(tmpdir(), 'workers1-'));
    execFileSync(tsx, ['sdk/cli/train.ts', 'cartpole', '--workers', '1', '--steps', '2048', '--seed', '5', '--out', out, '--quiet'], { stdio: 'pipe' });
    const cli = readMetricsLog(join(out, 'metrics.jsonl')).map(curve);
    const t = new Trainer({ env: ENVS.cartpole!.create, envName: 'cartpole', config: { ...ENVS.cartpole!.config, seed: 5, totalSteps: 2048 }, engine: (l) => new KernelsEngine(l) });
    const direct = t.run().map(curve);
    t.dispose();
    expect(cli).toHaveLength(4);
    expect(cli).toEqual(direct);
  }, 60_000);

  it('overlapping --workers 2: this thread acts worker 1\'s copies beside one actor thread, and the run trains its steps with policy lag 1', () => {
    const out = mkdtempSync(join(tmpdir(), 'workers-overlap-'));
    const r = spawnSync(tsx, ['sdk/cli/train.ts', 'cartpole', '--workers', '2', '--steps', '2048', '--seed', '2', '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('2 actor workers (this thread and 1 more, acting while learning: policy lag 1)');
    const m = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(m.map((u) => [u.step, u.policyLag])).toEqual([[512, 0], [1024, 1], [1536, 1], [2048, 1]]);
  }, 120_000);

  it('a worker that dies is restarted (said on stderr) and the run finishes its steps', () => {
    const out = mkdtempSync(join(tmpdir(), 'workers-restart-'));
    // Copy 3 breaks at its 300th step in every worker that plays it: every 9 updates; 40 updates in all.
    const r = spawnSync(tsx, ['sdk/cli/train.ts', '--env', 'test-fixtures/crashing-cartpole.ts', '--workers', '2', '--lockstep', '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/actor worker 2 of 2 \(copies 2–3 of "crashing-cartpole"\) died \(copy 3 broke at its 300th step \(test fixture\)\); restarted \(1 in a row of at most 3\)/);
    expect(r.stderr.match(/restarted \(/g)).toHaveLength(4);
    expect(r.status).toBe(0);
    const brain = loadBrain(out);
    expect([brain.steps, brain.policyVersion]).toEqual([40 * 128, 40]);
  }, 120_000);

  it('with --restarts 0, a worker that dies: the error names it and its copies, and the checkpoint holds the last completed update', () => {
    const out = mkdtempSync(join(tmpdir(), 'workers-crash-'));
    const r = spawnSync(tsx, ['sdk/cli/train.ts', '--env', 'test-fixtures/crashing-cartpole.ts', '--workers', '2', '--lockstep', '--restarts', '0', '--checkpoint-every', '100', '--out', out, '--quiet'], { encoding: 'utf8', env: { ...process.env, npm_package_name: 'phaser-ppo' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/actor worker 2 of 2 \(copies 2–3 of "crashing-cartpole"\) failed: copy 3 broke at its 300th step/);
    expect(r.stderr).toContain(`the last completed update's brain: ${join(out, 'brain.json')} (step 1,152); continue with npm run train -- test-fixtures/crashing-cartpole.ts --resume ${out}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const brain = loadBrain(out);
    // 300 steps of copy 3 are 9 full rollouts of 32: all 9 updates kept (the checkpoint was due only every 100).
    expect([brain.steps, brain.policyVersion, brain.training!.updates]).toEqual([1152, 9, 9]);
    expect(readMetricsLog(join(out, 'metrics.jsonl'))).toHaveLength(9);
  }, 120_000);

  it("overlapping --workers 2, the learner thread's own actor fails: the run stops (exit 2) naming it and --lockstep, and the checkpoint holds the last completed update", () => {
    const out = mkdtempSync(join(tmpdir(), 'workers-learner-crash-'));
    const r = spawnSync(tsx, ['sdk/cli/train.ts', '--env', 'test-fixtures/crashing-learner-cartpole.ts', '--workers', '2', '--checkpoint-every', '100', '--out', out, '--quiet'], { encoding: 'utf8', env: { ...process.env, npm_package_name: 'phaser-ppo' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/train: actor 1 of 2 in the learner's thread \(copies 0–1 of "crashing-learner-cartpole"; unlike actor threads it is not restarted: --lockstep gives every actor a thread\) failed: copy 0 broke at its 300th step/);
    expect(r.stderr).toContain(`the last completed update's brain: ${join(out, 'brain.json')} (step 1,152); continue with npm run train -- test-fixtures/crashing-learner-cartpole.ts --resume ${out}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Copy 0 steps once per decision: 300 decisions are 9 full rollouts of 32 (the checkpoint was due only every 100).
    expect([loadBrain(out).steps, loadBrain(out).training!.updates]).toEqual([1152, 9]);
  }, 120_000);

  it('a game of two learning behaviors on --workers 2: each behavior\'s brain, metrics and ELO in OUT/<behavior>/, as in one thread; --resume with --workers 2 continues both behaviors', () => {
    const out = mkdtempSync(join(tmpdir(), 'workers-rivals-'));
    const r = spawnSync(tsx, ['sdk/cli/train.ts', 'chase', '--workers', '2', '--lockstep', '--steps', '4096', '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('2 actor workers (lockstep)');
    for (const [name, steps] of [['chase', 4096], ['runner', 1024]] as const) {
      expect(loadBrain(join(out, name)).steps).toBe(steps);
      const m = readMetricsLog(join(out, name, 'metrics.jsonl'));
      expect(m.at(-1)!.step).toBe(steps);
      const elo = (m.at(-1) as { ratings?: Record<string, number> }).ratings!;
      expect(elo.chase! + elo.runner!).toBeCloseTo(2400, 6);
    }
    const again = spawnSync(tsx, ['sdk/cli/train.ts', 'chase', '--workers', '2', '--lockstep', '--steps', '8192', '--resume', out, '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(again.stderr).toContain('2 actor workers (lockstep)');
    expect(again.status).toBe(0);
    // Each behavior from its own checkpoint: its steps and updates go on, its metrics continue its log.
    for (const [name, steps, updates] of [['chase', 8192, 4], ['runner', 2048, 4]] as const) {
      const brain = loadBrain(join(out, name));
      expect([brain.steps, brain.training!.updates]).toEqual([steps, updates]);
      expect(readMetricsLog(join(out, name, 'metrics.jsonl')).map((m) => m.update)).toEqual([1, 2, 3, 4]);
    }
    // (That the ELO goes on exactly from the given ratings: parallel-rivals.test.ts.)
  }, 120_000);

  it('self-play on --workers 2 (sumo): the checkpoint holds the learner\'s pool and ELO, as in one thread', () => {
    const out = mkdtempSync(join(tmpdir(), 'workers-sumo-'));
    const r = spawnSync(tsx, ['sdk/cli/train.ts', 'sumo', '--workers', '2', '--lockstep', '--steps', '4096', '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('2 actor workers (lockstep)');
    const brain = loadBrain(out);
    expect(brain.steps).toBe(4096);
    expect(brain.training!.selfPlay!.pool.length).toBeGreaterThanOrEqual(1);
    const m = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(m.at(-1)!.step).toBe(4096);
    expect(Number.isFinite((m.at(-1) as { elo?: number }).elo)).toBe(true);
  }, 120_000);

  it('refuses what actor workers do not train, and --lockstep without workers, naming the flag', () => {
    const lockstep = spawnSync(tsx, ['sdk/cli/train.ts', 'cartpole', '--lockstep', '--steps', '4096'], { encoding: 'utf8' });
    expect(lockstep.status).toBe(2);
    expect(lockstep.stderr).toMatch(/train: --lockstep: needs --workers 2 or more/);
    const restarts = spawnSync(tsx, ['sdk/cli/train.ts', 'cartpole', '--workers', '1', '--restarts', '2', '--steps', '4096'], { encoding: 'utf8' });
    expect(restarts.status).toBe(2);
    expect(restarts.stderr).toMatch(/train: --restarts: needs --workers 2 or more/);
    const many = spawnSync(tsx, ['sdk/cli/train.ts', 'cartpole', '--workers', '5', '--steps', '4096'], { encoding: 'utf8' });
    expect(many.status).toBe(2);
    expect(many.stderr).toMatch(/train: --workers: 5 is more than the 4 copies of "cartpole"/);
  }, 120_000);
});
