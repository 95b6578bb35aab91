/**
 * `npm run bench:maze`: the maze game's figures in Node, on this machine. Prints, asserts nothing.
 *
 *   1. Headless env steps/s of one copy (the scene booted HEADLESS by sceneGame), its NPC
 *      deciding every tick by its heuristic (no key: it stays) so the sensor is read every tick:
 *      the grid NPC (13 × 13 × 2 cells read from the Phaser tilemap) and the rays NPC (8 rays).
 *   2. Training transitions/s, FastTrainer with the kernels engine, the game's config and 16 copies.
 *   3. Grid against rays (games/maze/compare.ts, what games/maze/maze.test.ts asserts): each
 *      trains `--budget` transitions with seed 1, then plays `--episodes` fresh levels (seed 7,
 *      most likely moves); the random walk is the untrained brain, sampled.
 *
 * The machine is shared: figures move with the load average printed beside them.
 *
 * Options: --seconds 2 (per env figure)  --updates 6 (per training figure)  --budget 300000  --episodes 200
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { useNodeBackend } from '../sdk/rl/backend.node.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import { mazeGame, mazeRaysGame } from '../games/maze/headless.js';
import { compareEyes } from '../games/maze/compare.js';
import { simFigure, trainFigures } from './game-figures.js';

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '2' }, updates: { type: 'string', default: '6' }, budget: { type: 'string', default: '300000' }, episodes: { type: 'string', default: '200' },
} });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

await useNodeBackend('wasm', false);
console.log(`maze bench: Node ${process.version}, load average ${load()} (a shared machine: figures are noisy)\n`);
console.log('| NPC | observation | headless env steps/s (1 copy) | training transitions/s (kernels, 16 copies) | ms per update |');
console.log('|---|---|---|---|---|');
for (const [name, game] of [['grid', mazeGame], ['rays', mazeRaysGame]] as const) {
  const steps = simFigure(game, Number(values.seconds));
  const train = await trainFigures(game, Number(values.updates));
  const size = name === 'grid' ? '13 × 13 × 2 = 338' : '8 × 4 = 32';
  console.log(`| ${name} | ${size} | ${fmt(steps)} | ${fmt(train.sps)} | ${train.updateMs.toFixed(0)} |`);
}
console.log(`\nload average ${load()}\n`);

const budget = Number(values.budget);
const episodes = Number(values.episodes);
const t0 = performance.now();
const r = await compareEyes({ budget, seed: 1, evalSeed: 7, episodes, backends: nodeBackends });
console.log(`grid vs rays: ${fmt(budget)} transitions each (seed 1), ${episodes} evaluated levels each (seed 7, most likely moves)\n`);
console.log('| NPC | mean return | exit reached |');
console.log('|---|---|---|');
for (const k of ['grid', 'rays', 'random'] as const) console.log(`| ${k} | ${r[k].returnMean.toFixed(3)} | ${(100 * r[k].exitRate).toFixed(0)}% |`);
console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s for both runs and the evaluations; load average ${load()}`);
