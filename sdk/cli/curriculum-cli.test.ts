/** `train --config` with `environmentParameters`: checked with clear messages, lessons in metrics.jsonl and the brain, kept on `--resume`. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetricsLog } from './metrics-log.js';
import { loadBrain } from '../io/brain.node.js';

const tsx = join('node_modules', '.bin', 'tsx');
const train = (...args: string[]) => spawnSync(tsx, ['sdk/cli/train.ts', ...args, '--quiet'], { encoding: 'utf8', env: { ...process.env, CI: '1' } });

function configFile(dir: string, json: unknown): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('train --config with environmentParameters', () => {
  it('refuses a misspelt curriculum field, naming the file, parameter, lesson and field, before creating the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cur-cli-'));
    const path = configFile(dir, { learningRate: 0.001, environmentParameters: { gapWidth: { curriculum: [{ value: 0, completionCriteria: { threshold: 0.5, min_lesson_length: 5 } }, { value: 150 }] } } });
    const r = train('jumper', '--config', path, '--out', join(dir, 'run'));
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'run'))).toBe(false);
    expect(r.stderr).toContain(`train: --config: ${path}: environmentParameters.gapWidth.curriculum[0].completionCriteria: unknown field "min_lesson_length"; allowed: "measure", "behavior", "threshold", "minLessonLength", "signalSmoothing", "requireReset"`);
    const env = train('cartpole', '--config', configFile(dir, { environmentParameters: { wind: 1 } }), '--out', join(dir, 'run2'));
    expect(env.status).toBe(2);
    expect(env.stderr).toContain('"environmentParameters" needs a game (games/<name>/headless.ts); "cartpole" is an Env');
  }, 60_000);

  it('trains through the lessons, writes them to metrics.jsonl and the brain, and --resume continues in the same lesson', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cur-cli-'));
    const out = join(dir, 'run');
    // Lesson 0 ends once a third of the run is done (progress, smoothed: at update 2 of 4).
    const environmentParameters = { gapWidth: { curriculum: [
      { name: 'flat', value: 0, completionCriteria: { measure: 'progress', threshold: 0.3, minLessonLength: 0 } },
      { name: 'wide', value: 150 },
    ] } };
    const path = configFile(dir, { environmentParameters });
    const first = train('jumper', '--config', path, '--steps', '4096', '--out', out);
    expect(first.stderr).toContain('curriculum: gapWidth flat (1/2)');
    expect(first.stderr).toContain('lesson: gapWidth wide (2/2) from step 2,048');
    expect(first.status).toBe(0);
    const lines = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(lines.map((m) => m.lessons)).toEqual([{ gapWidth: 0 }, { gapWidth: 1 }, { gapWidth: 1 }, { gapWidth: 1 }]);
    expect(lines[0]!.envParams).toEqual({ gapWidth: 0 });
    expect(lines[3]!.envParams).toEqual({ gapWidth: 150 });
    const saved = loadBrain(out).training!.curriculum!;
    expect(saved.parameters).toEqual({ gapWidth: environmentParameters.gapWidth });
    expect(saved.progress.gapWidth!.lesson).toBe(1);

    // The same config file on resume is fine; a different curriculum is refused.
    const other = configFile(mkdtempSync(join(tmpdir(), 'cur-cli-')), { environmentParameters: { gapWidth: 20 } });
    const refused = train('--resume', out, '--config', other, '--steps', '6144');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('"environmentParameters" differ from the checkpoint\'s: a resumed run keeps its curriculum and lessons');
    const resumed = train('--resume', out, '--config', path, '--steps', '6144');
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toContain('curriculum: gapWidth wide (2/2)');
    expect(readMetricsLog(join(out, 'metrics.jsonl')).slice(4).map((m) => m.lessons)).toEqual([{ gapWidth: 1 }, { gapWidth: 1 }]);
  }, 120_000);
  it('--workers 2: the lessons live with the learner and move as in one thread; the brain holds them, and --resume on workers continues in the same lesson', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cur-cli-workers-'));
    const out = join(dir, 'run');
    const environmentParameters = { gapWidth: { curriculum: [
      { name: 'flat', value: 0, completionCriteria: { measure: 'progress', threshold: 0.3, minLessonLength: 0 } },
      { name: 'wide', value: 150 },
    ] } };
    const path = configFile(dir, { environmentParameters });
    const first = train('jumper', '--config', path, '--steps', '4096', '--workers', '2', '--lockstep', '--out', out);
    expect(first.stderr).toContain('2 actor workers (lockstep)');
    expect(first.stderr).toContain('curriculum: gapWidth flat (1/2)');
    expect(first.stderr).toContain('lesson: gapWidth wide (2/2) from step 2,048');
    expect(first.status).toBe(0);
    expect(readMetricsLog(join(out, 'metrics.jsonl')).map((m) => m.lessons)).toEqual([{ gapWidth: 0 }, { gapWidth: 1 }, { gapWidth: 1 }, { gapWidth: 1 }]);
    expect(loadBrain(out).training!.curriculum!.progress.gapWidth!.lesson).toBe(1);
    const resumed = train('--resume', out, '--config', path, '--steps', '6144', '--workers', '2', '--lockstep');
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toContain('curriculum: gapWidth wide (2/2)');
    expect(readMetricsLog(join(out, 'metrics.jsonl')).slice(4).map((m) => m.lessons)).toEqual([{ gapWidth: 1 }, { gapWidth: 1 }]);
  }, 120_000);
});
