/**
 * `npm run bench:curriculum`: jumper's hard gap (150 px) learned with its curriculum of widening
 * gaps versus trained on the hard gap from the start, same seeds, same budget, same config.
 * Prints figures, asserts nothing.
 *
 * Transitions-to-score: every 4 updates (4,096 transitions) the brain plays 32 rounds on the hard
 * gap (likeliest actions, seed 99); the first time ≥ 80% of them reach the flag. "never" if not
 * within the budget. After the budget it plays 50 rounds on the hard gap for the final score.
 * Also printed: when the curriculum reached its last lesson (the hard gap).
 *
 * Options: --seeds 1,2,3,4,5  --steps 150000
 */
import { parseArgs } from 'node:util';
import { FastTrainer } from '../sdk/runtime/fast-trainer.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import { evaluateGame } from '../sdk/runtime/evaluate.js';
import { JUMPER_HARD_GAP, jumperGame } from '../games/jumper/headless.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1,2,3,4,5' }, steps: { type: 'string', default: '150000' } } });
const seeds = values.seeds.split(',').map(Number);
const budget = Number(values.steps);
const SCORE = 0.8;

async function run(direct: boolean, seed: number): Promise<{ reached: number | null; hardFrom: number | null; final: number }> {
  const trainer = new FastTrainer(jumperGame, nodeBackends, { seed, backend: 'kernels', ...(direct ? { environmentParameters: { gapWidth: JUMPER_HARD_GAP } } : {}) });
  await trainer.start();
  let reached: number | null = null;
  let hardFrom: number | null = null;
  await trainer.run((u) => {
    if (hardFrom === null && (direct || u.lessons?.gapWidth === 3)) hardFrom = u.step;
    if (reached === null && u.update % 4 === 0 && evaluateGame(jumperGame, trainer.brain(), { episodes: 32, seed: 99, copies: 8 }).returnMean >= SCORE) reached = u.step;
  }, { maxSteps: budget });
  const final = evaluateGame(jumperGame, trainer.brain(), { episodes: 50, seed: 99, copies: 8 }).returnMean;
  trainer.dispose();
  return { reached, hardFrom, final };
}

const fmt = (x: number | null) => (x === null ? 'never' : x.toLocaleString('en-US'));
const median = (xs: (number | null)[]) => {
  const s = xs.map((x) => x ?? Infinity).sort((a, b) => a - b);
  const m = s[Math.floor((s.length - 1) / 2)]!;
  return Number.isFinite(m) ? m.toLocaleString('en-US') : 'never';
};
console.log(`curriculum bench: jumper, hard gap ${JUMPER_HARD_GAP} px, budget ${budget.toLocaleString('en-US')} transitions, seeds ${seeds.join(', ')} (kernels engine, Node ${process.version})\n`);
console.log(`| seed | curriculum: on the hard gap from | curriculum: transitions to ${SCORE} on the hard gap | direct: transitions to ${SCORE} | curriculum: final hard-gap score | direct: final hard-gap score |`);
console.log('|---|---|---|---|---|---|');
const cur: (number | null)[] = [];
const dir: (number | null)[] = [];
for (const seed of seeds) {
  const c = await run(false, seed);
  const d = await run(true, seed);
  cur.push(c.reached);
  dir.push(d.reached);
  console.log(`| ${seed} | ${fmt(c.hardFrom)} | ${fmt(c.reached)} | ${fmt(d.reached)} | ${c.final.toFixed(2)} | ${d.final.toFixed(2)} |`);
}
console.log(`\nmedian transitions to ${SCORE} on the hard gap: curriculum ${median(cur)}, direct ${median(dir)}`);
