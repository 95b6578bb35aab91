/**
 * `npm run bench`: how fast the learner is on CartPole on this machine. Prints figures, asserts
 * nothing (speed is measured here, never in tests).
 *
 *   1. One minibatch update (B = 128, CleanRL's 4-64-64 nets): ms and tfjs kernels, for the
 *      textbook autograd update and the tfjs engine per backend, and for the kernels engine.
 *   2. Whole training loop: wall seconds and env steps/s to reach a mean return of 475 (CleanRL
 *      defaults), for the kernels engine (5 seeds) and the tfjs engine per backend (3 seeds).
 *      The bar for the kernels engine: ≥ 40,000 env steps/s, median ≤ 6 s to 475.
 *
 * Options: --backends wasm,cpu  --seeds 1,2,3,4,5 (kernels)  --tfjs-seeds 1,2,3
 *          --quick (tfjs on wasm only, 1 seed each)
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { useNodeBackend, type NodeBackend } from '../sdk/rl/backend.node.js';
import { Trainer } from '../sdk/runtime/trainer.js';
import { TfjsEngine } from '../sdk/rl/tfjs-engine.js';
import { KernelsEngine } from '../sdk/rl/kernels-engine.js';
import type { ComputeEngine } from '../sdk/rl/engine.js';
import { PPOLearner } from '../sdk/rl/learner.js';
import { resolveConfig } from '../sdk/rl/config.js';
import { ActorCriticLayout } from '../sdk/rl/network.js';
import { allocateRollout } from '../sdk/rl/rollout.js';
import { Rng } from '../sdk/core/rng.js';
import { ENVS } from '../sdk/envs/index.js';
import { AutogradUpdate } from './autograd-baseline.js';

const { values } = parseArgs({ options: {
  backends: { type: 'string', default: 'wasm,cpu' }, seeds: { type: 'string', default: '1,2,3,4,5' },
  'tfjs-seeds': { type: 'string', default: '1,2,3' }, quick: { type: 'boolean', default: false },
} });
const backends = (values.quick ? 'wasm' : values.backends).split(',') as NodeBackend[];
const seeds = (values.quick ? '1' : values.seeds).split(',').map(Number);
const tfjsSeeds = (values.quick ? '1' : values['tfjs-seeds']).split(',').map(Number);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

const B = 128;
const time = (fn: () => void, n: number) => { for (let i = 0; i < 20; i++) fn(); const t0 = performance.now(); for (let i = 0; i < n; i++) fn(); return (performance.now() - t0) / n; };

/**
 * One learner update with one minibatch of B (so one forward, backward and Adam step, plus the
 * per-update GAE over B rows), driven through the learner on a synthetic rollout.
 */
function learnerUpdate(engine: (layout: ActorCriticLayout) => ComputeEngine) {
  const rng = new Rng(0);
  const layout = new ActorCriticLayout(4, [64, 64], 2, false);
  const config = resolveConfig({ numEnvs: 1, numSteps: B, numMinibatches: 1, updateEpochs: 1, totalSteps: 1e9 });
  const learner = new PPOLearner({ observationSize: 4, actionSpace: { kind: 'discrete', n: 2 }, config, engine: engine(layout) });
  const r = allocateRollout(B, 1, 4, 1, 0);
  r.observations.forEach((_, i) => { r.observations[i] = rng.normal(); });
  r.actions.forEach((_, i) => { r.actions[i] = rng.int(2); });
  r.logProbs.fill(Math.log(0.5));
  r.rewards.forEach((_, i) => { r.rewards[i] = rng.normal(); });
  return { learner, r, layout, rng, update: () => { r.policyVersion = learner.version; learner.train(r); } };
}

async function minibatchFigures(backend: NodeBackend) {
  await useNodeBackend(backend);
  const { learner, r, layout, rng, update: ours } = learnerUpdate((l) => new TfjsEngine(l));
  const params = layout.initialize(rng, 0);

  const obs = tf.tensor2d(r.observations, [B, 4]);
  const acts = tf.tensor1d(r.actions);
  const oldLp = tf.tensor1d(r.logProbs);
  const adv = tf.tensor1d(r.rewards);
  const ret = tf.tensor1d(r.rewards);
  const oldV = tf.zeros([B]) as tf.Tensor1D;
  const autograd = new AutogradUpdate(layout, params);
  const baseline = () => autograd.step(obs, acts, oldLp, adv, ret, oldV);

  const kernels = async (fn: () => void) => (await tf.profile(fn)).kernels.length;
  const rows = [
    { how: 'tfjs autograd + tf.train.adam (textbook)', ms: time(baseline, 200), kernels: await kernels(baseline) },
    { how: 'tfjs engine: hand-derived backward + flat Adam', ms: time(ours, 200), kernels: await kernels(ours) },
  ];
  autograd.dispose();
  learner.engine.dispose();
  tf.dispose([obs, acts, oldLp, adv, ret, oldV]);
  return rows;
}

console.log(`phaser-ppo bench: CartPole, CleanRL defaults, node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
console.log('1. One minibatch update (B = 128, 4-64-64 actor and critic)');
console.log('| backend | how the update is computed | ms per minibatch update | tfjs kernels |');
console.log('|---|---|---|---|');
for (const backend of backends) {
  for (const row of await minibatchFigures(backend)) console.log(`| ${backend} | ${row.how} | ${row.ms.toFixed(2)} | ${row.kernels} |`);
}
{
  const { learner, update } = learnerUpdate((l) => new KernelsEngine(l));
  console.log(`| wasm-simd | kernels engine: AssemblyScript SIMD forward/backward + flat Adam | ${time(update, 2000).toFixed(2)} | 0 |`);
  learner.engine.dispose();
}

console.log('\n2. Training to a mean return of 475 (last 20 episodes), cap 500,000 steps');
console.log('| engine | seed | steps | wall s | env steps/s | reached |');
console.log('|---|---|---|---|---|---|');
const summary: string[] = [];
const runs: { name: string; seeds: number[]; backend?: NodeBackend; engine: (l: ActorCriticLayout) => ComputeEngine }[] = [
  { name: 'kernels', seeds, engine: (l) => new KernelsEngine(l) },
  ...backends.map((backend) => ({ name: `tfjs-${backend}`, seeds: tfjsSeeds, backend, engine: (l: ActorCriticLayout) => new TfjsEngine(l) })),
];
for (const { name, seeds, backend, engine } of runs) {
  if (backend) await useNodeBackend(backend);
  const secs: number[] = [];
  const sps: number[] = [];
  for (const seed of seeds) {
    const trainer = new Trainer({ env: ENVS.cartpole!.create, envName: 'cartpole', config: { ...ENVS.cartpole!.config, seed }, engine });
    const t0 = performance.now();
    const history = trainer.run({ targetReturn: 475 });
    const wall = (performance.now() - t0) / 1000;
    const last = history[history.length - 1]!;
    trainer.dispose();
    secs.push(wall);
    sps.push(last.step / wall);
    console.log(`| ${name} | ${seed} | ${last.step} | ${wall.toFixed(1)} | ${(last.step / wall).toFixed(0)} | ${last.returnMean >= 475 ? 'yes' : `no (${last.returnMean.toFixed(0)})`} |`);
  }
  summary.push(`${name}: median ${median(secs).toFixed(1)} s to 475, median ${median(sps).toFixed(0)} env steps/s (${seeds.length} seeds)`);
}
console.log('\n' + summary.join('\n'));
