/**
 * Soak: many learner updates through the live-mode path (ResilientLearner over an in-process
 * LearnerHost: train, then getState for the restart snapshot, every update) on small rollouts,
 * printing every 1,000 updates: tfjs tensor count, JS heap (after a forced GC) and ms/update.
 * Flat columns mean no leak. Also prints what the numerical fault guard costs per update.
 * Figures only, asserts nothing.
 *
 *   npx tsx --expose-gc bench/soak.ts [--updates 10000] [--engines kernels,wasm]
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { LearnerHost, type LearnerSpec } from '../sdk/runtime/learner-host.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import { inProcessLearner } from '../sdk/runtime/learner-client.js';
import { ResilientLearner } from '../sdk/runtime/resilient-learner.js';
import { allocateRollout, type Rollout } from '../sdk/rl/rollout.js';
import { Rng } from '../sdk/core/rng.js';
import { FaultGuard } from '../sdk/rl/fault-guard.js';
import { ActorCriticLayout } from '../sdk/rl/network.js';
import { resolveConfig } from '../sdk/rl/config.js';
import { useNodeBackend } from '../sdk/rl/backend.node.js';

const { values } = parseArgs({ options: { updates: { type: 'string', default: '10000' }, engines: { type: 'string', default: 'kernels,wasm' } } });
const UPDATES = Number(values.updates);
const engines = values.engines.split(',') as ('kernels' | 'wasm' | 'cpu')[];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.error('note: run with --expose-gc (npx tsx --expose-gc bench/soak.ts) for heap figures after a forced GC');

// An NPC-sized net (balance: 4 observations, 2 actions, 64-64) on small rollouts: 64 transitions, 2 minibatches, 2 epochs.
const config = { numEnvs: 2, numSteps: 32, numMinibatches: 2, updateEpochs: 2, totalSteps: 64 * UPDATES, hiddenSizes: [64, 64] };
const spec = (backend: LearnerSpec['backend']): LearnerSpec => ({ observationSize: 4, actionSpace: { kind: 'discrete', n: 2 }, config, backend });

function fill(r: Rollout, rng: Rng, version: number): void {
  for (let i = 0; i < r.observations.length; i++) r.observations[i] = rng.normal();
  for (let i = 0; i < r.actions.length; i++) r.actions[i] = rng.next() < 0.5 ? 0 : 1;
  r.logProbs.fill(Math.log(0.5));
  for (let i = 0; i < r.rewards.length; i++) r.rewards[i] = rng.normal();
  r.policyVersion = version;
}

const heapMb = () => { gc?.(); return process.memoryUsage().heapUsed / 2 ** 20; };

// tfjs must be up for tf.memory() even when the kernels engine learns (it then counts 0 tensors).
await useNodeBackend('wasm');
for (const backend of engines) {
  const learner = new ResilientLearner(() => inProcessLearner(new LearnerHost(nodeBackends)));
  await learner.init(spec(backend));
  const rng = new Rng(1);
  const r = allocateRollout(config.numSteps, config.numEnvs, 4, 1, 0);
  let version = 0;
  let faults = 0;
  let t0 = performance.now();
  console.log(`\n${backend === 'kernels' ? 'kernels (wasm-simd)' : `tfjs-${backend}`}: ${UPDATES.toLocaleString('en-US')} updates of 64 transitions (4-64-64-2, 2 epochs × 2 minibatches)`);
  console.log('| updates | tfjs tensors | heap MB | ms/update (last 1,000) |');
  console.log('|---:|---:|---:|---:|');
  for (let u = 1; u <= UPDATES; u++) {
    fill(r, rng, version);
    const reply = await learner.train(r);
    version = reply.version;
    faults = reply.stats.faults ?? 0;
    if (u === 1 || u % 1000 === 0) {
      const ms = (performance.now() - t0) / (u === 1 ? 1 : 1000);
      console.log(`| ${u.toLocaleString('en-US')} | ${tf.memory().numTensors} | ${heapMb().toFixed(1)} | ${ms.toFixed(2)} |`);
      t0 = performance.now();
    }
  }
  console.log(`version ${version}, faults ${faults}, restarts ${learner.restarts}`);
  learner.dispose();
}

// What the guard adds to an update: one snapshot (3 Float32Array copies) and one finiteness scan of the new weights.
const layout = new ActorCriticLayout(4, [64, 64], 2, false);
const guard = new FaultGuard(layout.size, resolveConfig().maxConsecutiveFaults);
const params = layout.initialize(new Rng(2), 0);
const adam = { m: new Float32Array(layout.size), v: new Float32Array(layout.size), t: 0 };
for (let k = 0; k < 1000; k++) { guard.save(params, adam); FaultGuard.checkState(layout, params); }
const n = 20_000;
const g0 = performance.now();
for (let k = 0; k < n; k++) { guard.save(params, adam); FaultGuard.checkState(layout, params); }
console.log(`\nfault guard: ${(((performance.now() - g0) / n) * 1000).toFixed(1)} µs per update (snapshot of weights + Adam moments, scan of the weights; ${layout.size.toLocaleString('en-US')} parameters)`);
