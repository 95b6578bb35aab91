/**
 * A new user's Arcade platformer (test-fixtures/foreign-platformer: a Tiled level whose ground
 * collides by a tile property, sprite sheets, slimes in a Group on a timer, a keyboard player the
 * camera follows, a title scene the page starts first), trained as its developer would: `train`
 * on its module learns past a random policy on a fixed seed, `--resume` with the module continues,
 * `eval` plays the brain.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain } from '../io/brain.node.js';
import { readMetricsLog } from './metrics-log.js';
import { runCli } from './run-cli.js';

const GAME = 'test-fixtures/foreign-platformer/src/headless.ts';
/** One rollout: 2 copies × 4 foxes × 128 decisions. */
const ROLLOUT = 1024;
/**
 * A policy after one update (near uniform) scores −0.2 and −0.3 a 150-decision episode, sampled
 * (eval --sample, 100 episodes, seeds 1 and 2; best episode 1.6); the heuristic (record) 0.3.
 * The trained foxes fetch two gems and more an episode.
 */
const LEARNED = 2;


describe('a foreign Arcade platformer on a Tiled map (scene "Level", behavior "fox")', () => {
  it('learns past random on a fixed seed in 40 rollouts, resumes with its module, and eval plays it', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'platformer-')), 'run');
    const first = runCli('train', GAME, '--steps', String(40 * ROLLOUT), '--seed', '1', '--out', out, '--quiet');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('8 agents × 128 steps');
    const trained = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(trained).toHaveLength(40);
    const last = trained.at(-1)!;
    expect(last.episodes).toBeGreaterThanOrEqual(100);
    expect(last.returnMean).toBeGreaterThanOrEqual(LEARNED);
    expect(loadBrain(out).env).toBe('fox');

    const resumed = runCli('train', GAME, '--resume', out, '--steps', String(50 * ROLLOUT), '--quiet');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${out} at step 40,960 (update 40)`);
    expect(resumed.stderr).not.toContain('no episode has ended');
    expect(readMetricsLog(join(out, 'metrics.jsonl')).map((m) => m.step).slice(-2)).toEqual([49 * ROLLOUT, 50 * ROLLOUT]);

    const played = runCli('eval', GAME, '--brain', join(out, 'brain.json'), '--episodes', '16', '--json');
    expect(played.status, played.stderr).toBe(0);
    expect((JSON.parse(played.stdout) as { returnMean: number }).returnMean).toBeGreaterThanOrEqual(LEARNED);
  }, 240_000);
});
