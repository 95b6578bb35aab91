/**
 * `npm run bench:demos`: what demonstrations buy on lander, in transitions (seeded; prints
 * figures, asserts nothing). Demonstrations: `--episodes` (10) episodes of the shipped brain
 * flying as a scripted heuristic (games/lander/demonstrator.ts), recorded with seed 1.
 *
 *   1. Behaviour cloning alone: the policy fitted to the demonstrations before any PPO update,
 *      evaluated on 20 fresh episodes (seed 7, most likely actions), beside the untrained policy.
 *   2. Transitions until the training window (last 20 episodes) first reaches a mean return of
 *      200: PPO from scratch against BC pre-training + PPO with `behavioralCloning` (strength 0.5,
 *      annealed over 100,000 transitions), same seeds, capped at `--budget` transitions.
 *
 *   3. (section `sparse`) lander with a sparse reward (games/lander/sparse.ts: +1 for landing on the pad,
 *      nothing else): the training window's landing rate after `--sparse-budget` transitions, and
 *      the most likely actions' over 20 fresh episodes, for PPO alone, GAIL alone (strength 0.1),
 *      BC pre-training + PPO, and BC pre-training + GAIL.
 *
 * Options: --seeds 1,2  --budget 300000  --episodes 10  --sections dense,sparse  --sparse-budget 100000
 *          --gail-gamma 0.99 (GAIL's own discount and value head; `null`: GAIL shares the PPO critic and gamma)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadBrain } from '../sdk/io/brain.node.js';
import { FastTrainer } from '../sdk/runtime/fast-trainer.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import { evaluateGame } from '../sdk/runtime/evaluate.js';
import { useNodeBackend } from '../sdk/rl/backend.node.js';
import type { PPOConfig } from '../sdk/rl/config.js';
import type { DemonstrationData } from '../sdk/io/demonstration-data.js';
import { landerGame } from '../games/lander/headless.js';
import { recordLanderDemonstrations } from '../games/lander/demonstrator.js';
import { sparseLanderGame } from '../games/lander/sparse.js';

const { values } = parseArgs({ options: {
  seeds: { type: 'string', default: '1,2' }, budget: { type: 'string', default: '300000' }, episodes: { type: 'string', default: '10' },
  sections: { type: 'string', default: 'dense,sparse' }, 'sparse-budget': { type: 'string', default: '100000' },
  'gail-gamma': { type: 'string', default: '0.99' },
} });
const gailGamma = values['gail-gamma'] === 'null' ? null : Number(values['gail-gamma']);
const seeds = values.seeds.split(',').map(Number);
const budget = Number(values.budget);
await useNodeBackend('wasm');

const demo = recordLanderDemonstrations(loadBrain(new URL('../games/lander', import.meta.url).pathname), Number(values.episodes), 1);
let demoReturn = 0;
let demoEpisodes = 0;
for (let i = 0; i < demo.steps; i++) { demoReturn += demo.rewards[i]!; if (demo.ends[i]) demoEpisodes++; }
console.log(`lander demonstrations: ${demoEpisodes} episodes, ${demo.steps} decisions, mean return ${(demoReturn / demoEpisodes).toFixed(1)} (the shipped brain)\n`);

/** Transitions until the 20-episode training window first reaches 200 (null: not within the budget). */
async function toSolve(seed: number, demos: DemonstrationData | null, config: Partial<PPOConfig>): Promise<{ steps: number | null; bc: number | null; last: number }> {
  const trainer = new FastTrainer(landerGame, nodeBackends, { seed, backend: 'kernels', config, ...(demos ? { demonstrations: { data: demos } } : {}) });
  await trainer.start();
  const bc = demos ? evaluateGame(landerGame, trainer.brain(), { episodes: 20, seed: 7 }).returnMean : null;
  let solved: number | null = null;
  let last = NaN;
  while (trainer.step < budget && solved === null) {
    const u = trainer.runUpdate();
    last = u.returnMean;
    if (u.episodes >= 20 && u.returnMean >= (landerGame.solvedAt ?? 200)) solved = u.step;
  }
  trainer.dispose();
  return { steps: solved, bc, last };
}

const sections = values.sections.split(',');
const fmt = (x: number | null) => (x === null ? `> ${budget.toLocaleString('en-US')}` : x.toLocaleString('en-US'));
if (sections.includes('dense')) console.log('| seed | untrained policy (20 ep.) | BC alone (20 ep.) | BC pre-training: held-out NLL, mean abs. error | PPO from scratch: transitions to 200 | BC + PPO: transitions to 200 | ratio |\n|---|---|---|---|---|---|---|');
for (const seed of sections.includes('dense') ? seeds : []) {
  const untrained = new FastTrainer(landerGame, nodeBackends, { seed, backend: 'kernels' });
  await untrained.start();
  const random = evaluateGame(landerGame, untrained.brain(), { episodes: 20, seed: 7 }).returnMean;
  untrained.dispose();
  const probe = new FastTrainer(landerGame, nodeBackends, { seed, backend: 'kernels', demonstrations: { data: demo } });
  await probe.start();
  const held = probe.pretrainReport!.heldOut!;
  probe.dispose();
  const scratch = await toSolve(seed, null, {});
  const withDemos = await toSolve(seed, demo, { behavioralCloning: { strength: 0.5, steps: 100_000 } });
  const ratio = scratch.steps !== null && withDemos.steps !== null ? (scratch.steps / Math.max(1, withDemos.steps)).toFixed(1) : 'n/a';
  console.log(`| ${seed} | ${random.toFixed(1)} | ${withDemos.bc!.toFixed(1)} | ${held.nll.toFixed(3)}, ${held.meanAbsError.toFixed(3)} | ${fmt(scratch.steps)} | ${fmt(withDemos.steps)} | ${ratio} |`);
}

/** Sparse lander: landing rate of the training window after the budget, and of the most likely actions after it. */
async function sparseRun(seed: number, mode: 'ppo' | 'gail' | 'bc+ppo' | 'bc+gail', sparseBudget: number): Promise<{ window: number; evaluated: number; share: number }> {
  const gail = mode.endsWith('gail');
  const demonstrations = mode === 'ppo' ? {} : { demonstrations: { data: demo, pretrain: mode.startsWith('bc') ? {} : false as const } };
  const trainer = new FastTrainer(sparseLanderGame, nodeBackends, { seed, backend: 'kernels', config: gail ? { gail: { strength: 0.1, gamma: gailGamma } } : {}, ...demonstrations });
  await trainer.start();
  let last: { returnMean: number; gailRewardShare?: number } = { returnMean: NaN };
  while (trainer.step < sparseBudget) last = trainer.runUpdate();
  const evaluated = evaluateGame(sparseLanderGame, trainer.brain(), { episodes: 20, seed: 7 }).returnMean;
  trainer.dispose();
  return { window: last.returnMean, evaluated, share: last.gailRewardShare ?? 0 };
}

if (sections.includes('sparse')) {
  const sparseBudget = Number(values['sparse-budget']);
  console.log(`\nsparse lander (+1 per landing, nothing else): landing rate after ${sparseBudget.toLocaleString('en-US')} transitions (training window / 20 fresh episodes, most likely actions); gail.gamma ${gailGamma}\n`);
  console.log('| seed | PPO alone | GAIL alone | BC + PPO | BC + GAIL | GAIL reward share (GAIL alone, BC + GAIL) |');
  console.log('|---|---|---|---|---|---|');
  for (const seed of seeds) {
    const r = [];
    for (const mode of ['ppo', 'gail', 'bc+ppo', 'bc+gail'] as const) r.push(await sparseRun(seed, mode, sparseBudget));
    const cell = (x: { window: number; evaluated: number }) => `${x.window.toFixed(2)} / ${x.evaluated.toFixed(2)}`;
    console.log(`| ${seed} | ${r.map(cell).join(' | ')} | ${r[1]!.share.toFixed(2)}, ${r[3]!.share.toFixed(2)} |`);
  }
  console.log(`\nload average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (a shared 2-core machine: transitions are seeded, timings are not reported)`);
}
