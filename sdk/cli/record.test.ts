/** `phaser-ppo record`, in process: what it writes, what it prints, what it refuses. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDemonstration } from '../io/demonstration.node.js';
import { summarizeDemonstration } from '../io/demonstration.js';
import { CliError, parseRecordArgs } from './args.js';
import { runRecord } from './record.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs `record argv` and returns what it printed. */
async function record(argv: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  process.exitCode = 0;
  await runRecord(argv);
  vi.restoreAllMocks();
  return { out, err, code: Number(process.exitCode ?? 0) };
}

describe('phaser-ppo record', () => {
  it('records lander\'s scripted autopilot: 10 whole episodes that land (mean return over the solved 200; random ≈ -160)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'record-'));
    dirs.push(dir);
    const out = join(dir, 'lander');
    const r = await record(['lander', '--episodes', '10', '--seed', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out.match(/episode \d+\/10/g)).toHaveLength(10);
    const demo = loadDemonstration(out);
    const s = summarizeDemonstration(demo);
    expect(s.episodes).toBe(10);
    expect(s.meanReturn).toBeGreaterThan(200);
    expect(r.out).toContain(`record lander: 10 episodes, ${s.steps} decisions, mean return ${s.meanReturn.toFixed(1)} -> ${join(out, 'demo.json')}`);
    expect(demo.behavior).toBe('lander');
    expect(demo.actionSpace).toMatchObject({ kind: 'box', size: 2 });
    expect(JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8')).recordedBy).toBe('phaser-ppo record lander --seed 1');

    // An existing demonstration is kept unless --force.
    const again = await record(['lander', '--episodes', '2', '--out', out, '-q']);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`record: --out: ${out} already holds a demonstration (demo.json). Give --force to replace it`);
    expect(loadDemonstration(out).steps).toBe(s.steps);
    const forced = await record(['lander', '--episodes', '2', '--out', out, '-q', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.out).not.toContain('episode 1/2');
    expect(summarizeDemonstration(loadDemonstration(out)).episodes).toBe(2);
  });

  it('says which behaviors can be recorded when one has no scripted heuristic, and refuses an Env', async () => {
    const balance = await record(['balance', '--out', join(tmpdir(), 'never-written')]);
    expect(balance.code).toBe(2);
    // It says what to change and where (the old hint named a field without saying where it goes).
    expect(balance.err).toBe('record: behavior "balance" of the game "balance" is not marked as a scripted heuristic, so there is nothing to play headless.'
      + ' To record "balance" here, give its agents a heuristic(out) that decides by itself (a script, not the keyboard) and mark it in the game\'s headless module:'
      + ' sceneGame({ ..., behaviors: { "balance": { scriptedHeuristic: true } } }) (a hand-built HeadlessGame: scriptedHeuristic: true on the behavior).'
      + ' A player at the keyboard is recorded in the page instead: behavior.startRecording().\n');
    const env = await record(['cartpole']);
    expect(env.err).toMatch(/^record: "cartpole" is an environment, not a game/);
    const behavior = await record(['lander', '--behavior', 'pilot', '--out', join(tmpdir(), 'never-written')]);
    expect(behavior.err).toBe('record: game "lander" has no behavior "pilot"; its behaviors: "lander"\n');
  });

  it('refuses an --out it cannot write before recording, naming the cause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'record-'));
    dirs.push(dir);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const r = await record(['lander', '--episodes', '1', '--out', file, '-q']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`record: --out: cannot use ${file} as the output directory: it exists as a file, not a directory (EEXIST)\n`);
    expect(r.out).toBe('');
    // Under the file: a part of the path is a file.
    const under = await record(['lander', '--episodes', '1', '--out', join(file, 'demos'), '-q']);
    expect(under.err).toMatch(/record: --out: cannot use .*a-file\/demos as the output directory: a part of the path is a file, not a directory \(ENOTDIR\)/);
  });

  it('parses its flags from the table, with defaults', () => {
    expect(parseRecordArgs(['lander'])).toEqual({ envName: 'lander', episodes: 10, seed: 1, force: false, quiet: false });
    expect(parseRecordArgs(['--env', './g/headless.ts', '--episodes', '3', '--behavior', 'chaser', '--out', 'd'])).toMatchObject({ envModule: './g/headless.ts', episodes: 3, behavior: 'chaser', out: 'd' });
    expect(() => parseRecordArgs(['lander', '--episodes', '100001'])).toThrow('--episodes: expected at most 100,000, got "100001"');
    expect(() => parseRecordArgs(['lander', '--episode', '3'])).toThrow(/unknown option "--episode". Did you mean --episodes\?/);
    expect(() => parseRecordArgs([])).toThrow(CliError);
    expect(parseRecordArgs(['lander', '--help'])).toEqual({ help: true });
  });
});
