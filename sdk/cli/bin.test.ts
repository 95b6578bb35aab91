/** The `phaser-ppo` command as a user runs it (from source here; the install e2e runs the built one). */
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

describe('phaser-ppo', () => {
  it('--help lists the subcommands; an unknown one is refused with the list', () => {
    const help = phaserPpo('--help');
    expect(help.status).toBe(0);
    for (const c of ['train', 'eval', 'record', 'new', 'serve']) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const wrong = phaserPpo('trian');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/unknown command "trian"; the commands are train, eval, record, serve and new/);
  });

  it('train and eval take the same flags as npm run train / eval', () => {
    expect(phaserPpo('train', '--help').stdout).toMatch(/--checkpoint-every/);
    expect(phaserPpo('eval', '--help').stdout).toMatch(/--brain PATH/);
    expect(phaserPpo('serve', '--help').stdout).toMatch(/--port P/);
    const noPort = phaserPpo('serve', 'balance');
    expect(noPort.status).toBe(2);
    expect(noPort.stderr).toMatch(/^serve: --port: expected the port to listen on/);
    const bad = phaserPpo('train', 'cartpole', '--steps', 'many');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--steps/);
  });

  it('trains a game from the path of its headless module (a default-exported HeadlessGame)', () => {
    const out = mkdtempSync(join(tmpdir(), 'bin-game-'));
    try {
      const run = phaserPpo('train', 'games/balance/headless.ts', '--steps', '1024', '--out', out, '--quiet');
      expect(run.stderr).not.toMatch(/must have a default export/);
      expect(run.status).toBe(0);
      expect(readMetricsLog(join(out, 'metrics.jsonl')).at(-1)?.step).toBe(1024);
      expect(loadBrain(join(out, 'brain.json')).env).toBe('balance');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it("trains a Phaser scene from a module that imports Phaser and the page entry (Vite's ?url imports) before phaser-ppo/scene", () => {
    const out = mkdtempSync(join(tmpdir(), 'bin-scene-'));
    try {
      const run = phaserPpo('train', 'sdk/scene/test-scene-game.ts', '--steps', '1024', '--out', out, '--quiet');
      expect(run.stderr).not.toMatch(/Error|not defined|\.wasm/);
      expect(run.status).toBe(0);
      expect(readMetricsLog(join(out, 'metrics.jsonl')).at(-1)?.step).toBe(1024);
      expect(loadBrain(join(out, 'brain.json')).env).toBe('rail');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
