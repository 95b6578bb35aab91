/**
 * `phaser-ppo train` on a foreign game (test-fixtures/foreign-game) whose scene loads a tilemap,
 * a sprite sheet, an atlas, a level JSON and a sound from its package's public/, and an image it
 * imports as a module: the CLI finds the files by the game module's package and reads the
 * imported image by its file: URL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetricsLog } from './metrics-log.js';

describe('phaser-ppo train on a game whose scene loads files', () => {
  it('trains it: the copies read the real files (public/ of the game package, imported images)', () => {
    const out = mkdtempSync(join(tmpdir(), 'foreign-game-'));
    try {
      const run = spawnSync(join(process.cwd(), 'node_modules', '.bin', 'tsx'),
        ['sdk/cli/bin.ts', 'train', 'test-fixtures/foreign-game/src/headless.ts', '--steps', '256', '--out', out, '--quiet'], { encoding: 'utf8' });
      expect(run.stderr).not.toMatch(/Error|refus|not found/);
      expect(run.status).toBe(0);
      expect(readMetricsLog(join(out, 'metrics.jsonl')).at(-1)?.step).toBe(256);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
