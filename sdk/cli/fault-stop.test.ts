/**
 * A game that glitches for good: after 4 healthy updates every reward is 3e38 (finite, but the
 * advantages overflow). The CLI discards each poisoned update, reports it once, stops after
 * maxConsecutiveFaults with a clear error (exit 2) and leaves the last good brain on disk.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain } from '../io/brain.node.js';
import { readMetricsLog } from './metrics-log.js';

describe('train on an environment whose rewards overflow', () => {
  it('discards the poisoned updates, stops after maxConsecutiveFaults with exit 2, and keeps the last good brain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fault-stop-'));
    try {
      const module = join(dir, 'glitch.ts');
      // Steps are counted across all copies: 4 envs × 128 steps = 512 per update, 4 good updates.
      writeFileSync(module, `
        import { Box, Discrete } from ${JSON.stringify(join(process.cwd(), 'sdk/core/spaces.ts'))};
        let steps = 0;
        export default () => ({
          observationSpace: Box(-1, 1, 1), actionSpace: Discrete(2),
          reset: () => new Float32Array(1),
          step: (a: number) => ({ observation: Float32Array.of(Math.sin(steps)), reward: ++steps > 2048 ? 3e38 : a, terminated: steps % 16 === 0, truncated: false }),
        });`);
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ numEnvs: 4, numSteps: 128, maxConsecutiveFaults: 3 }));
      const out = join(dir, 'run');
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'sdk/cli/train.ts', '--env', module, '--config', config, '--steps', '20480', '--out', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/train: training stopped: 3 updates in a row went non-finite and were discarded \(last: .*(loss|gradient norm).*\)/);
      // Reported once for the run of faults, not once per fault.
      expect(r.stderr.match(/update discarded, weights restored/g)).toHaveLength(1);
      const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
      expect(metrics.map((m) => m.consecutiveFaults)).toEqual([0, 0, 0, 0, 1, 2]);
      const brain = loadBrain(out);
      expect(brain.policyVersion).toBe(4);
      expect(brain.params.every(Number.isFinite)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
