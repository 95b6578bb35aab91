/**
 * `npx tsx bench/sumo-selfplay.ts`: sumo trained with self-play (FastTrainer, kernels engine, the
 * game's tuned config), then the latest policy plays 100 games on each side of the ring against
 * the first snapshot past 10,240 transitions and against the initial weights (sampled actions,
 * evaluation seed 99), as games/sumo/sumo.test.ts does. Prints figures, asserts nothing.
 *
 * Options: --steps 61440  --seed 1  --lr (learning rate override; e.g. 1e-9 to see an untrained bar)
 */
import { parseArgs } from 'node:util';
import type { Brain } from '../sdk/io/brain.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import { evaluateGame } from '../sdk/runtime/evaluate.js';
import { FastTrainer } from '../sdk/runtime/fast-trainer.js';
import { sumoGame } from '../games/sumo/headless.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '61440' }, seed: { type: 'string', default: '1' }, lr: { type: 'string' } } });
const steps = Number(values.steps);
const t0 = performance.now();
const trainer = new FastTrainer(sumoGame, nodeBackends, { seed: Number(values.seed), backend: 'kernels', ...(values.lr ? { config: { learningRate: Number(values.lr) } } : {}) });
await trainer.start();
const initial = trainer.brain();
let early: Brain | null = null;
await trainer.run((u) => {
  if (!early && u.step >= 10_240) early = trainer.brain();
  if (u.update % 10 === 0) console.log(`step ${u.step}  elo ${u.elo!.toFixed(1)}  opponent elo ${u.opponentElo!.toFixed(1)}  learning team ${u.learningTeam}  return ${u.returnMean.toFixed(2)}`);
}, { maxSteps: steps });
const latest = trainer.brain();
const seconds = (performance.now() - t0) / 1000;
for (const [name, opponent] of [['the 10,240-step snapshot', early!], ['the initial weights', initial]] as const) {
  let wins = 0, losses = 0, draws = 0;
  for (const team of [0, 1]) {
    const r = evaluateGame(sumoGame, latest, { episodes: 100, seed: 99, copies: 8, opponent, team, action: 'sample' });
    wins += r.wins; losses += r.losses; draws += r.draws;
  }
  console.log(`latest (${latest.steps} transitions) vs ${name}: ${wins} wins, ${losses} losses, ${draws} draws of 200 (${(100 * wins / 200).toFixed(1)}%)`);
}
console.log(`trained in ${seconds.toFixed(1)} s, final ELO ${trainer.selfPlay()!.elo.toFixed(1)}, pool of ${trainer.selfPlay()!.pool.length}`);
trainer.dispose();
