/**
 * `npm run bench:games` (part of `npm run bench`): per bundled game, on this machine, in Node.
 * Prints figures, asserts nothing (speed is measured here, never in tests).
 *
 *   1. Headless env steps/s: fixed ticks of one copy's world and rules per second, with its agent
 *      observing and acting by its heuristic (balance, lander: no input; chase: the scripted
 *      pursuit); no policy network.
 *   2. Training transitions/s: FastTrainer (the CLI's fast mode) with the kernels engine (WASM
 *      SIMD), the game's tuned config and copies, over a short budget of updates; acting +
 *      learning. A transition is one decision: lander decides every 2 ticks, chase every 6.
 *
 * Each game twice, same machine, same run: `scene` is what trains today (its Phaser scene booted
 * HEADLESS per copy by sceneGame: the scene's fixed step plus one Phaser frame per tick), `sim` its
 * sims alone without Phaser (bench/sim-games.ts, what the copies were before).
 *
 * The two paths alternate, `--rounds` times each, and each figure is the median of its rounds:
 * on a shared machine one round alone says more about the load (and the first one about JIT
 * warm-up) than about the path.
 *
 * Options: --seconds 3 (per sim figure, over all rounds)  --updates 8 (per training figure)  --rounds 3  --games balance,lander,chase,sumo,jumper
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { OneBehaviorGame } from '../sdk/runtime/game.js';
import { simFigure, trainFigures } from './game-figures.js';
import balanceGame from '../games/balance/headless.js';
import landerGame from '../games/lander/headless.js';
import { chaseGame } from '../games/chase/headless.js';
import sumoGame from '../games/sumo/headless.js';
import jumperGame from '../games/jumper/headless.js';
import { balanceSimGame, chaseSimGame, jumperSimGame, landerSimGame, sumoSimGame } from './sim-games.js';

const GAMES: Record<string, { scene: OneBehaviorGame; sim: OneBehaviorGame }> = {
  balance: { scene: balanceGame, sim: balanceSimGame },
  lander: { scene: landerGame, sim: landerSimGame },
  chase: { scene: chaseGame, sim: chaseSimGame },
  // Sumo trains with self-play (only the learning team's wrestlers are transitions); jumper with its curriculum.
  sumo: { scene: sumoGame, sim: sumoSimGame },
  jumper: { scene: jumperGame, sim: jumperSimGame },
};

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '3' }, updates: { type: 'string', default: '8' }, rounds: { type: 'string', default: '3' }, games: { type: 'string', default: Object.keys(GAMES).join(',') },
} });
const seconds = Number(values.seconds);
const updates = Number(values.updates);
const rounds = Number(values.rounds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`games bench: Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (a shared machine: figures are noisy), ${seconds} s per sim figure, ${updates} updates per training figure (kernels engine), median of ${rounds} alternating rounds\n`);
console.log('| game | copies from | headless env steps/s (1 copy, heuristic) | training transitions/s (kernels) | copies (agents) × steps per rollout | ms per update (rollout + learn) |');
console.log('|---|---|---|---|---|---|');
for (const name of values.games.split(',')) {
  const paths = GAMES[name];
  if (!paths) throw new Error(`bench/games.ts: no game "${name}"; games: ${Object.keys(GAMES).join(', ')}`);
  const figures = { scene: { sim: [] as number[], sps: [] as number[], ms: [] as number[] }, sim: { sim: [] as number[], sps: [] as number[], ms: [] as number[] } };
  let shape = '';
  for (let r = 0; r < rounds; r++) {
    for (const path of ['scene', 'sim'] as const) {
      const game = paths[path];
      figures[path].sim.push(simFigure(game, seconds / rounds));
      const train = await trainFigures(game, updates);
      figures[path].sps.push(train.sps);
      figures[path].ms.push(train.updateMs);
      shape = `${train.copies} (${train.agents}) × ${train.batch / train.agents}`;
    }
  }
  for (const path of ['scene', 'sim'] as const) {
    const f = figures[path];
    console.log(`| ${name} | ${path} | ${fmt(median(f.sim))} | ${fmt(median(f.sps))} | ${shape} | ${median(f.ms).toFixed(0)} |`);
  }
}
