/** `phaser-ppo train` and `eval` on an Arcade Physics scene's module, as a user runs them (from source). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain } from '../io/brain.node.js';
import { readMetricsLog } from './metrics-log.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
function phaserPpo(...args: string[]) {
  return spawnSync(tsx, ['sdk/cli/bin.ts', ...args], { encoding: 'utf8' });
}

describe('phaser-ppo on an Arcade scene', () => {
  it('trains the Arcade catch scene from its module, then evaluates the brain on it', () => {
    const out = mkdtempSync(join(tmpdir(), 'bin-arcade-'));
    try {
      const run = phaserPpo('train', 'sdk/scene/test-arcade-scene-game.ts', '--steps', '1024', '--out', out, '--quiet');
      expect(run.stderr).not.toMatch(/Error|not defined/);
      expect(run.status).toBe(0);
      expect(readMetricsLog(join(out, 'metrics.jsonl')).at(-1)?.step).toBe(1024);
      const brain = join(out, 'brain.json');
      expect(loadBrain(brain).env).toBe('catch');
      const evaluation = phaserPpo('eval', '--brain', brain, 'sdk/scene/test-arcade-scene-game.ts', '--episodes', '4', '--json');
      expect(evaluation.stderr).not.toMatch(/Error/);
      expect(evaluation.status).toBe(0);
      const result = JSON.parse(evaluation.stdout) as { env: string; returns: number[] };
      expect(result.env).toBe('arcade-catch');
      expect(result.returns).toHaveLength(4);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it("trains a 50 Hz Arcade game (the plugin's stepMs 20, fps 50) from its module, in this thread and on actor workers", () => {
    const out = mkdtempSync(join(tmpdir(), 'bin-arcade-50hz-'));
    try {
      for (const workers of ['1', '2']) {
        const run = phaserPpo('train', 'sdk/scene/test-arcade-50hz-game.ts', '--workers', workers, '--steps', '1024', '--out', join(out, workers), '--quiet');
        expect(run.stderr).not.toMatch(/Error|Arcade world steps/);
        expect(run.status).toBe(0);
        expect(readMetricsLog(join(out, workers, 'metrics.jsonl')).at(-1)?.step).toBe(1024);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses a module whose Arcade world's fps disagrees with the fixed step: the message, no stack", () => {
    const out = mkdtempSync(join(tmpdir(), 'bin-arcade-fps-'));
    try {
      const run = phaserPpo('train', 'sdk/scene/test-arcade-fps-game.ts', '--steps', '1024', '--out', out, '--quiet');
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/the Arcade world steps 33\.333 ms \(physics\.arcade\.fps 30\) but the plugin's fixed step is 16\.667 ms.*physics: \{ default: 'arcade', arcade: \{ fps: 60 \} \} in sceneGame's options/);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
