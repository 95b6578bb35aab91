import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import type { UpdateMetrics } from '../rl/metrics.js';
import { MetricsLog, readMetricsLog } from './metrics-log.js';

function metrics(update: number, returnMean: number): UpdateMetrics {
  return {
    update, step: update * 2048, time: update * 0.5, episodes: update * 3, returnMean, returnMin: returnMean, returnMax: returnMean,
    episodeLength: 22.5, policyLoss: -0.012, valueLoss: 3.25, entropy: 0.69, approxKl: 0.004, clipFraction: 0.05,
    explainedVariance: 0.3, gradNorm: 0.7, learningRate: 3e-4, clipCoef: 0.2, epochs: 10, minibatches: 40, klStop: false, policyLagMean: 0, scheduleDone: false, policyLag: 0, sps: 4096.5, engine: 'tfjs', device: 'wasm',
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'phaser-ppo-metrics-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('MetricsLog', () => {
  it('round-trips updates, NaN as null on disk', () => {
    const log = new MetricsLog(join(dir, 'run', 'nested'));
    const written = [metrics(1, NaN), metrics(2, 21.5), metrics(3, 40)];
    for (const m of written) log.append(m);

    const lines = readFileSync(log.path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('"returnMean":null');
    expect(lines[0]).not.toContain('NaN');
    expect(readMetricsLog(log.path)).toEqual(written); // toEqual treats NaN as equal to NaN
  });

  it('starts a fresh file unless resuming', () => {
    new MetricsLog(dir).append(metrics(1, 5));
    const resumed = new MetricsLog(dir, { resume: true });
    resumed.append(metrics(2, 6));
    expect(readMetricsLog(resumed.path).map((m) => m.update)).toEqual([1, 2]);

    const fresh = new MetricsLog(dir);
    fresh.append(metrics(1, 7));
    expect(readMetricsLog(fresh.path).map((m) => m.returnMean)).toEqual([7]);
  });

  it('skips a last line cut short, but rejects a corrupt line in the middle', () => {
    const log = new MetricsLog(dir);
    log.append(metrics(1, 5));
    appendFileSync(log.path, '{"update":2,"st');
    expect(readMetricsLog(log.path)).toHaveLength(1);

    appendFileSync(log.path, '\n');
    log.append(metrics(3, 5));
    expect(() => readMetricsLog(log.path)).toThrow(/metrics\.jsonl:2: not a JSON line/);
  });
});
