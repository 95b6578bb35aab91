/** `train` and `eval` of a game whose behaviors learn against each other (chase: the pack and the runner). */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetricsLog } from './metrics-log.js';
import { loadBrain } from '../io/brain.node.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

describe('train / eval of a game of several behaviors', () => {
  it('saves a brain, metrics with ELO and a curve per behavior, resumes them all, and eval plays one against the other\'s brain', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rivals-')), 'run');
    // 4,096 pack transitions: 2 pack updates; the runner's schedule scales with its own (60,000 of 240,000): 1,024, 2 updates.
    execFileSync(tsx, ['sdk/cli/train.ts', 'chase', '--steps', '4096', '--out', out, '--quiet'], { stdio: 'pipe' });
    for (const [name, steps] of [['chase', 4096], ['runner', 1024]] as const) {
      const brain = loadBrain(join(out, name));
      expect(brain.env).toBe(name);
      expect(brain.steps).toBe(steps);
      expect(brain.config.totalSteps).toBe(steps);
      const metrics = readMetricsLog(join(out, name, 'metrics.jsonl'));
      expect(metrics.map((m) => m.step)).toEqual([steps / 2, steps]);
      const elo = (metrics[1] as unknown as { ratings: Record<string, number> }).ratings;
      expect(elo.chase! + elo.runner!).toBeCloseTo(2400, 6);
      expect(existsSync(join(out, name, 'learning-curve.svg'))).toBe(true);
    }
    // Each behavior keeps its own tuned config: the runner's γ is not the pack's.
    expect(loadBrain(join(out, 'runner')).config.gamma).toBe(0.995);
    expect(loadBrain(join(out, 'chase')).config.gamma).toBe(0.97);
    expect(existsSync(join(out, 'brain.json'))).toBe(false);

    // The same command again is refused: the directory holds a run (in its behavior directories).
    const again = spawnSync(tsx, ['sdk/cli/train.ts', 'chase', '--steps', '4096', '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`${out} already holds a run`);

    // --resume continues both, each from its own checkpoint, to --steps (the runner's scaled).
    execFileSync(tsx, ['sdk/cli/train.ts', '--resume', out, '--steps', '8192', '--quiet'], { stdio: 'pipe' });
    expect(loadBrain(join(out, 'chase')).steps).toBe(8192);
    expect(loadBrain(join(out, 'runner')).steps).toBe(2048);
    expect(readMetricsLog(join(out, 'runner', 'metrics.jsonl')).map((m) => m.step)).toEqual([512, 1024, 1536, 2048]);

    // A run missing a behavior's checkpoint is refused, not half resumed.
    const partial = join(mkdtempSync(join(tmpdir(), 'rivals-')), 'run');
    cpSync(join(out, 'chase'), join(partial, 'chase'), { recursive: true });
    const half = spawnSync(tsx, ['sdk/cli/train.ts', '--resume', partial, '--steps', '16384', '--quiet'], { encoding: 'utf8' });
    expect(half.status).toBe(2);
    expect(half.stderr).toContain(`${partial} holds brains of "chase", but "chase" trains "chase", "runner"`);

    // eval: the runner against the pack's brain from the same run; then against the scripted pursuit.
    const vsBrain = JSON.parse(execFileSync(tsx, ['sdk/cli/eval.ts', '--brain', out, '--behavior', 'runner', '--episodes', '3', '--json'], { encoding: 'utf8' })) as { behavior: string; episodes: number; wins: number; losses: number };
    expect(vsBrain.behavior).toBe('runner');
    expect(vsBrain.episodes).toBe(3);
    expect(vsBrain.wins + vsBrain.losses).toBe(3);
    const text = execFileSync(tsx, ['sdk/cli/eval.ts', '--brain', out, '--behavior', 'runner', '--others', 'heuristic', '--episodes', '2'], { encoding: 'utf8' });
    expect(text).toMatch(/^chase runner against chase \(heuristic\) \(won \d, lost \d\): mean return/);
    const bad = spawnSync(tsx, ['sdk/cli/eval.ts', '--brain', out, '--behavior', 'hunter'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('holds brains of "chase", "runner", none of "hunter"');
  }, 180_000);
});
