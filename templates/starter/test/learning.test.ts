/**
 * The NPC learns: `phaser-ppo train` on the game's headless copies (src/headless.ts) for a fixed
 * budget of transitions, then `phaser-ppo eval` plays the brain it wrote, greedily, for a fixed
 * set of rounds. Every round counts to its end, so quick early successes cannot carry the mean:
 * a random ball scores about −0.64 per round, a trained one about 1.6, and the bar is 1.0.
 *
 * Seeds are fixed (the config's seed 1 for training, --seed for the rounds): the same code gives
 * the same result on every run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

/** Transitions to train on: 8 copies × 64 decisions per update, ~60 updates. */
const BUDGET = 30_720;
/** Mean return over the rounds that only a trained ball reaches (random: about −0.64). */
const BAR = 1.0;
const ROUNDS = 40;

const bin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'phaser-ppo');
const out = mkdtempSync(join(tmpdir(), 'reach-'));
after(() => rmSync(out, { recursive: true, force: true }));

function phaserPpo(...args: string[]): string {
  return execFileSync(bin, args, { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

interface Evaluation { returnMean: number; episodes: number }

function evaluate(brain: string): Evaluation {
  return JSON.parse(phaserPpo('eval', 'src/headless.ts', '--brain', brain, '--episodes', String(ROUNDS), '--seed', '7', '--json')) as Evaluation;
}

test(`the ball learns to reach its flag: mean return ≥ ${BAR} over ${ROUNDS} rounds after ${BUDGET} transitions`, () => {
  phaserPpo('train', 'src/headless.ts', '--steps', String(BUDGET), '--out', out, '--quiet');
  const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number });
  assert.equal(metrics.at(-1)?.step, BUDGET, 'training ran its whole budget');
  const trained = evaluate(join(out, 'brain.json'));
  assert.equal(trained.episodes, ROUNDS);
  assert.ok(trained.returnMean >= BAR, `mean return ${trained.returnMean.toFixed(2)} over ${ROUNDS} rounds, below ${BAR}`);
});
