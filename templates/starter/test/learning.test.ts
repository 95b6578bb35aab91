/**
 * The NPC learns: `phaser-ppo train` on the game's headless copies (src/headless.ts) for a fixed
 * budget of transitions; the training curve's last window (after at least 100 episodes, so not the
 * quick early arrivals) and `phaser-ppo eval` of the brain it wrote (greedy, a fixed set of rounds,
 * every one played to its end) must both reach the bar. A random ball scores about −0.64 per round,
 * an untrained network played greedily −1.3 (it never arrives), a trained ball about 1.6; the bar
 * is 1.0.
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

/** Transitions to train on: 40 updates of 8 copies × 64 decisions. */
const BUDGET = 20_480;
/** Episodes the training curve must have seen before its last window counts (early ones are the quick arrivals). */
const MIN_EPISODES = 100;
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
  const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; episodes: number; returnMean: number | null });
  const last = metrics.at(-1);
  assert.ok(last, 'metrics.jsonl holds a line per update');
  assert.equal(last.step, BUDGET, 'training ran its whole budget');
  // While training (actions sampled): the last 20 episodes, once many have ended.
  assert.ok(last.episodes >= MIN_EPISODES, `only ${last.episodes} episodes ended in ${BUDGET} transitions`);
  assert.ok((last.returnMean ?? -Infinity) >= BAR, `training's last mean return ${last.returnMean} is below ${BAR}`);
  const trained = evaluate(join(out, 'brain.json'));
  assert.equal(trained.episodes, ROUNDS);
  assert.ok(trained.returnMean >= BAR, `mean return ${trained.returnMean.toFixed(2)} over ${ROUNDS} rounds, below ${BAR}`);
});
