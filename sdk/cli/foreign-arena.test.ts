/**
 * A new user's top-down Arcade arena (test-fixtures/foreign-arena: pooled bats and bullets, timers,
 * tweens, a HUD scene in parallel, `this.scene.restart()` on game over), trained as its developer
 * would: `train` on its module learns past a random policy on a fixed seed, `--resume` with the
 * module continues, `eval` plays the brain. Game overs restart the scene inside a tick: their
 * episodes count (before, only the ones cut by maxSteps did, and each restart dropped a rollout).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain } from '../io/brain.node.js';
import { readMetricsLog } from './metrics-log.js';
import { runCli } from './run-cli.js';

const GAME = 'test-fixtures/foreign-arena/src/headless.ts';
/** One rollout: 2 copies × 1 ship × 128 decisions. */
const ROLLOUT = 256;
/**
 * A policy after one update (near uniform) scores −2.5 and −2.6 an episode, sampled (eval --sample,
 * 50 episodes, seeds 1 and 2; best episode 0.2): hit three times before it fetches a gem. Trained
 * on seed 1, the autopilot's last 20 episodes average 7.4 (eval, most likely actions: 16.6).
 */
const LEARNED = 3;


describe('a foreign top-down Arcade arena (scene "Arena" with a HUD, behavior "pilot")', () => {
  it('learns past random on a fixed seed in 160 rollouts, counting game overs, resumes with its module, and eval plays it', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'arena-')), 'run');
    const first = runCli('train', GAME, '--steps', String(160 * ROLLOUT), '--seed', '1', '--out', out, '--quiet');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('2 agents × 128 steps');
    expect(first.stderr).not.toContain('Scene key not found');
    const trained = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(trained).toHaveLength(160);
    // The first episodes, played near random: hit three times.
    expect(trained.find((m) => m.episodes >= 5)!.returnMean).toBeLessThan(-1.5);
    const last = trained.at(-1)!;
    // 40,960 decisions at most 450 an episode: at least 91 episodes even if none ended early.
    expect(last.episodes).toBeGreaterThanOrEqual(100);
    expect(last.returnMean).toBeGreaterThanOrEqual(LEARNED);
    expect(loadBrain(out).env).toBe('pilot');

    const resumed = runCli('train', GAME, '--resume', out, '--steps', String(170 * ROLLOUT), '--quiet');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${out} at step 40,960 (update 160)`);
    expect(readMetricsLog(join(out, 'metrics.jsonl')).map((m) => m.step).slice(-2)).toEqual([169 * ROLLOUT, 170 * ROLLOUT]);

    const played = runCli('eval', GAME, '--brain', join(out, 'brain.json'), '--episodes', '8', '--json');
    expect(played.status, played.stderr).toBe(0);
    const result = JSON.parse(played.stdout) as { returnMean: number; terminated: number };
    expect(result.returnMean).toBeGreaterThanOrEqual(LEARNED);
  }, 240_000);

  it('on actor workers (--workers 2), game overs restart the copies\' scenes in both threads and their episodes count', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'arena-workers-')), 'run');
    const r = runCli('train', GAME, '--workers', '2', '--steps', String(24 * ROLLOUT), '--seed', '1', '--out', out, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 actor workers');
    const log = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(log.at(-1)!.step).toBe(24 * ROLLOUT);
    // 6,144 decisions: at most 13 episodes cut at 450 decisions; the rest are game overs.
    expect(log.at(-1)!.episodes).toBeGreaterThanOrEqual(14);
  }, 120_000);
});
