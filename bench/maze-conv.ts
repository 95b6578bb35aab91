/**
 * `npm run bench:maze-conv`: the grid maze NPC with its 13 × 13 × 2 grid flattened into the MLP
 * (`convLayers: []`, the shipped setting) against the same grid through a conv encoder, one seed.
 * Each trains `--budget` transitions (FastTrainer, kernels engine, the game's tuned config, seed
 * `--seed`), then plays `--episodes` fresh levels (seed 7, most likely moves), as games/maze/compare.ts
 * scores grid against rays. Prints, asserts nothing; one seed says little about which learns
 * better, so read it as a first look.
 *
 * Options: --budget 300000  --episodes 200  --seed 1  --conv 16x3x1,16x3x2 (filters×kernel×stride per layer)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { useNodeBackend } from '../sdk/rl/backend.node.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import { evaluateGame } from '../sdk/runtime/evaluate.js';
import { mazeGame } from '../games/maze/headless.js';
import { score, train } from '../games/maze/compare.js';
import type { ConvLayerConfig } from '../sdk/rl/conv.js';

const { values } = parseArgs({ options: {
  budget: { type: 'string', default: '300000' }, episodes: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' },
  conv: { type: 'string', default: '16x3x1,16x3x2' },
} });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const budget = Number(values.budget);
const episodes = Number(values.episodes);
const seed = Number(values.seed);
const convLayers: ConvLayerConfig[] = values.conv.split(',').map((l) => {
  const [filters, kernel, stride] = l.split('x').map(Number);
  return { filters: filters!, kernel: kernel!, stride: stride! };
});

await useNodeBackend('wasm', false);
console.log(`maze conv bench: ${fmt(budget)} transitions each (seed ${seed}), ${episodes} evaluated levels each (seed 7, most likely moves); load average ${load()}\n`);
console.log('| grid input | conv layers | mean return | exit reached | training s | transitions/s |');
console.log('|---|---|---|---|---|---|');
for (const [name, layers] of [['flattened', []], ['conv encoder', convLayers]] as const) {
  const t0 = performance.now();
  const { brain, steps } = await train(mazeGame, 'grid', { budget, seed, evalSeed: 7, episodes, backends: nodeBackends, config: { convLayers: [...layers] } });
  const seconds = (performance.now() - t0) / 1000;
  const s = score(evaluateGame(mazeGame, brain, { episodes, seed: 7, copies: 8, action: 'mode' }), steps, brain);
  const described = layers.length === 0 ? '[]' : layers.map((l) => `${l.filters}×${l.kernel}/${l.stride}`).join(', ');
  console.log(`| ${name} | ${described} | ${s.returnMean.toFixed(3)} | ${(100 * s.exitRate).toFixed(0)}% | ${seconds.toFixed(0)} | ${fmt(steps / seconds)} |`);
}
console.log(`\nload average ${load()}`);
