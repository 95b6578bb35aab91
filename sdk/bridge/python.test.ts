/**
 * The Python side, end to end: a CleanRL-style PyTorch PPO (python/examples/cleanrl_ppo.py)
 * trains `balance` over `phaser-ppo serve`, and the brain it writes plays in phaser-ppo with the
 * same actions torch takes. Runs only where /usr/bin/python3 imports numpy and torch (CI installs
 * Debian's python3-numpy and python3-torch); the numpy-only brain round trip needs only numpy.
 */
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { balanceGame } from '../../games/balance/headless.js';
import { loadBrain } from '../io/brain.node.js';
import { policyFromBrain, type Brain } from '../io/brain.js';
import { loadBrainFromUrl } from '../io/brain.browser.js';
import { evaluateGame } from '../runtime/evaluate.js';

const PYTHON = process.env.PHASER_PPO_PYTHON ?? '/usr/bin/python3';
const imports = (mods: string) => spawnSync(PYTHON, ['-c', `import ${mods}`], { stdio: 'ignore' }).status === 0;
const hasNumpy = imports('numpy');
const hasTorch = hasNumpy && imports('numpy, torch');
if (!hasNumpy) console.log(`python.test: skipped: ${PYTHON} cannot import numpy (apt-get install python3-numpy)`);
else if (!hasTorch) console.log(`python.test: PPO over the bridge skipped: ${PYTHON} cannot import torch (apt-get install python3-torch)`);

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

interface Probe { observations: number[][]; actions: number[][] | number[]; margins: number[][] | number[] }

/** Greedy actions of a brain through phaser-ppo's own policy (what the page runs), one row per observation. */
function brainActions(brainOrPath: string | Brain, observations: number[][]): number[][] {
  const brain = typeof brainOrPath === 'string' ? loadBrain(brainOrPath) : brainOrPath;
  const { policy, normalizer } = policyFromBrain(brain, observations.length);
  const O = brain.observationSpace.size;
  const obs = Float32Array.from(observations.flat());
  normalizer?.normalize(obs, observations.length, obs);
  const A = policy.dist.actionSize;
  const actions = new Float32Array(observations.length * A);
  policy.act(obs, observations.length, null, null, actions, null, null);
  expect(obs.length).toBe(observations.length * O);
  return observations.map((_, i) => Array.from(actions.subarray(i * A, (i + 1) * A)));
}

/** `phaser-ppo serve ... --port 0` in a child process, once it says where it listens. */
async function serve(args: string[]): Promise<{ child: ChildProcess; port: number; line: string }> {
  const child = spawn(tsx, ['sdk/cli/bin.ts', 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve ${args.join(' ')} exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const port = Number(/listening on 127\.0\.0\.1:(\d+)$/.exec(line)?.[1]);
  return { child, port, line };
}

describe('Python over the bridge', () => {
  it.skipIf(!hasNumpy)('write_brain (numpy only): a torch-layout hybrid policy acts the same in phaser-ppo, loaded as the page loads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-brain-'));
    try {
      const run = spawnSync(PYTHON, ['python/tests/roundtrip_numpy.py', dir], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const probe = JSON.parse(readFileSync(join(dir, 'probe.json'), 'utf8')) as Probe;
      const ours = brainActions(join(dir, 'brain.json'), probe.observations);
      let checked = 0;
      ours.forEach((row, i) => {
        const theirs = probe.actions[i] as number[];
        expect(row[0]).toBeCloseTo(theirs[0]!, 4);
        expect(row[1]).toBeCloseTo(theirs[1]!, 4);
        const margins = probe.margins[i] as number[];
        for (let b = 0; b < 2; b++) if (margins[b]! > 1e-4) { expect(row[2 + b]).toBe(theirs[2 + b]); checked++; }
      });
      expect(checked).toBeGreaterThan(56);
      // The page's loader (fetch) reads the same files into the same brain and actions.
      const served: Record<string, Buffer> = { 'https://game.test/brains/b/brain.json': readFileSync(join(dir, 'brain.json')), 'https://game.test/brains/b/weights.bin': readFileSync(join(dir, 'weights.bin')) };
      const inPage = await loadBrainFromUrl('https://game.test/brains/b/brain.json', async (url) => (served[url] ? new Response(new Uint8Array(served[url])) : new Response('no', { status: 404 })));
      expect(inPage.actionSpace).toEqual(loadBrain(join(dir, 'brain.json')).actionSpace);
      expect(brainActions(inPage, probe.observations)).toEqual(ours);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasNumpy)('the Gymnasium and PettingZoo wrappers drive served games (with stand-ins for those packages)', async () => {
    const balance = await serve(['balance', '--copies', '1']);
    const line = await serve(['--env', 'sdk/bridge/test-game-module.ts', '--copies', '1']);
    try {
      const run = spawnSync(PYTHON, ['python/tests/wrappers_stub.py', String(balance.port), String(line.port)], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('wrappers ok');
      expect(run.status).toBe(0);
    } finally {
      balance.child.kill('SIGTERM');
      line.child.kill('SIGTERM');
    }
  }, 120_000);

  it.skipIf(!hasTorch)('a CleanRL-style PyTorch PPO trains balance over the socket; its brain plays in phaser-ppo with the same actions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-ppo-'));
    const { child: server, port, line } = await serve(['balance', '--seed', '1']);
    try {
      expect(line).toMatch(/^phaser-ppo serve: balance \(8 copies, seed 1\) listening on 127\.0\.0\.1:\d+$/);
      const budget = 40_960; // transitions: 80 updates of 8 agents × 64 decisions
      const py = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(PYTHON, ['python/examples/cleanrl_ppo.py', '--port', String(port), '--seed', '1', '--total-transitions', String(budget),
          '--brain-out', join(dir, 'brain'), '--probe-out', join(dir, 'probe.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
        child.on('exit', (code) => resolve({ code, out }));
      });
      expect(py.code).toBe(0);
      const summary = JSON.parse(py.out.trim().split('\n').at(-1)!) as { transitions: number; episodes: number; window: number; mean_return: number };
      console.log(`python PPO over the bridge: ${JSON.stringify(summary)}`);
      expect(summary.transitions).toBe(budget);
      // A random policy balances ~27 ticks; the last 20 training episodes (sampled actions) average far more.
      expect(summary.window).toBe(20);
      expect(summary.mean_return).toBeGreaterThan(200);

      // The brain plays in phaser-ppo (the page's inference path), greedily, on unseen seeds.
      const brainPath = join(dir, 'brain', 'brain.json');
      const played = evaluateGame(balanceGame, loadBrain(brainPath), { episodes: 8, seed: 99, copies: 8 });
      console.log(`torch brain in phaser-ppo: mean return ${played.returnMean} over ${played.episodes} episodes`);
      expect(played.returnMean).toBeGreaterThan(200);

      // Round trip: the same observations get the same greedy actions as in torch (near-ties aside).
      const probe = JSON.parse(readFileSync(join(dir, 'probe.json'), 'utf8')) as Probe;
      const ours = brainActions(brainPath, probe.observations);
      let checked = 0;
      ours.forEach((row, i) => {
        if ((probe.margins[i] as number) <= 1e-4) return;
        expect(row[0]).toBe(probe.actions[i]);
        checked++;
      });
      expect(checked).toBeGreaterThan(48);
    } finally {
      server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
