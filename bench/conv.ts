/**
 * `npm run bench:conv`: the conv encoder (issue 16) in CPU time, per implementation. Prints
 * figures, asserts nothing.
 *
 *   - decision µs per agent: the encoder's forward pass on one agent's grid (batch 1) and on 8
 *     agents at once (per agent), plain TS (conv.ts's convForward, what JS acting runs) against
 *     the WASM SIMD kernels (KernelsConv: weights copied in at every call, as acting would);
 *   - update ms: the encoder's forward and backward pass on one minibatch (B rows; d loss /
 *     d output random), per implementation: the kernels (KernelsConv), plain TS, and tfjs on the
 *     cpu and wasm backends (tfjs-conv.ts's hand forward and backward, TfjsEngine's path; tensors
 *     made and read back inside the timing as an engine would).
 *
 *   - the whole network (one grid input, the encoder above, MLP 64-64, 5 discrete actions):
 *     Policy.act decision µs per agent (actor and critic, as a rollout decision), plain JS vs
 *     kernels; and each engine's update (forward + backward of actor and critic on B rows): the
 *     kernels engine, TfjsEngine on tfjs-wasm and tfjs-cpu.
 *
 * Shapes: the "two 3×3 conv layers" (16 filters each, stride 1) over a 7×7×4 grid and a
 * 15×15×4 grid. This is the encoder of ONE network (actor or critic); a PPO update runs two, plus
 * the MLPs (bench:acting and bench:node measure those). Rounds of every implementation in turn,
 * median round in process CPU time, so a shared machine slows all alike; figures stay noisy
 * (the load average is printed beside them).
 *
 * Options: --rounds 5  --batch 128 (minibatch rows)  --shapes 7,15
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from '../sdk/rl/backend.node.js';
import { convBackward, convForward, convOutSize, convScratchSize } from '../sdk/rl/conv.js';
import { convTestStack } from '../sdk/rl/conv-test-stack.js';
import { KernelsConv } from '../sdk/rl/kernels-conv.js';
import { convStackBackward, convStackForward, uploadConvLayers } from '../sdk/rl/tfjs-conv.js';
import { Rng } from '../sdk/core/rng.js';
import { ActorCriticLayout } from '../sdk/rl/network.js';
import { ActionDistribution } from '../sdk/rl/distributions.js';
import { KernelsEngine } from '../sdk/rl/kernels-engine.js';
import { TfjsEngine } from '../sdk/rl/tfjs-engine.js';
import { Policy } from '../sdk/rl/policy.js';
import { Discrete } from '../sdk/core/spaces.js';

const { values } = parseArgs({ options: {
  rounds: { type: 'string', default: '5' }, batch: { type: 'string', default: '128' }, shapes: { type: 'string', default: '7,15' },
} });
const rounds = Number(values.rounds);
const B = Number(values.batch);
const sides = values.shapes.split(',').map(Number);

const cpuMicros = () => { const u = process.cpuUsage(); return u.user + u.system; };
const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1]!;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Median over rounds (after one warm-up) of the CPU µs per call of each function, run in turn. */
function time(fns: Record<string, () => void>, callsOf: Record<string, number>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r <= rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const calls = callsOf[name]!;
      const t0 = cpuMicros();
      for (let c = 0; c < calls; c++) fn();
      if (r > 0) samples[name]!.push((cpuMicros() - t0) / calls);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

await useNodeBackend('cpu');
await useNodeBackend('wasm');
console.log(`conv encoder bench: two 3×3/1 conv layers → 16, 16 (ReLU); minibatch ${B}; ${rounds} rounds; load average ${load()} (${os.cpus().length} CPUs, shared: noisy)`);

for (const side of sides) {
  const shape = [side, side, 4] as const;
  const rng = new Rng(1);
  const { layers, size, gridSize, outSize } = convTestStack(shape, [[16, 3, 1], [16, 3, 1]], 0);
  const params = Float32Array.from({ length: size }, () => 0.2 * rng.normal());
  const x = Float32Array.from({ length: B * gridSize }, () => (rng.next() < 0.3 ? 1 : 0));
  const dOut = Float32Array.from({ length: B * outSize }, () => rng.normal());
  const actsOf = (n: number) => layers.map((L) => new Float32Array(n * convOutSize(L)));
  const macs = layers.reduce((s, L) => s + L.outH * L.outW * L.outC * L.kernel * L.kernel * L.inC, 0);

  // Decision cost: batch 1 and 8.
  const acting = new KernelsConv(layers, 8);
  const acts1 = actsOf(1);
  const acts8 = actsOf(8);
  const decide = time({
    'ts ×1': () => convForward(params, layers, x, gridSize, 0, 1, acts1),
    'wasm ×1': () => acting.forward(params, x, gridSize, 0, 1, acts1),
    'ts ×8': () => convForward(params, layers, x, gridSize, 0, 8, acts8),
    'wasm ×8': () => acting.forward(params, x, gridSize, 0, 8, acts8),
  }, { 'ts ×1': 400, 'wasm ×1': 2000, 'ts ×8': 50, 'wasm ×8': 400 });
  console.log(`\n${side}×${side}×4 grid (${macs} multiply-adds per agent, encoder output ${outSize}), load ${load()}`);
  console.log(`  decision µs per agent: plain TS ${decide['ts ×1']!.toFixed(1)} (1 agent), ${(decide['ts ×8']! / 8).toFixed(1)} (8 at once); `
    + `WASM SIMD ${decide['wasm ×1']!.toFixed(1)} (1 agent), ${(decide['wasm ×8']! / 8).toFixed(1)} (8 at once)`);

  // Update cost: forward + backward on B rows.
  const kernels = new KernelsConv(layers, B);
  const actsB = actsOf(B);
  const grads = new Float32Array(size);
  const scratchSize = convScratchSize(layers, B);
  const scratch: [Float32Array, Float32Array] = [new Float32Array(scratchSize), new Float32Array(scratchSize)];
  const tfjsStep = (backend: string) => () => {
    tf.setBackend(backend);
    const out = tf.tidy(() => {
      const tensors = uploadConvLayers(params, layers);
      const acts = convStackForward(tf.tensor4d(x, [B, ...shape]), tensors);
      return convStackBackward(acts, tensors, tf.tensor4d(dOut, [B, layers[1]!.outH, layers[1]!.outW, 16]));
    });
    for (const g of out) { g.dataSync(); g.dispose(); }
  };
  const update = time({
    kernels: () => { kernels.forward(params, x, gridSize, 0, B, actsB); kernels.backward(params, x, gridSize, 0, B, dOut, grads); },
    ts: () => { convForward(params, layers, x, gridSize, 0, B, actsB); grads.fill(0); convBackward(params, layers, x, gridSize, 0, B, actsB, dOut, grads, scratch); },
    'tfjs-cpu': tfjsStep('cpu'),
    'tfjs-wasm': tfjsStep('wasm'),
  }, { kernels: 10, ts: 1, 'tfjs-cpu': 1, 'tfjs-wasm': 2 });
  const ms = (name: string) => `${(update[name]! / 1000).toFixed(2)} ms`;
  console.log(`  update (forward + backward, ${B} rows): kernels ${ms('kernels')}, plain TS ${ms('ts')}, tfjs-cpu ${ms('tfjs-cpu')}, tfjs-wasm ${ms('tfjs-wasm')}`);
  console.log(`  kernels: ≈${((2 * 3 * macs * B) / update.kernels! / 1000).toFixed(2)} GFLOP/s over forward, weight and input gradients; load ${load()}`);

  // The whole network: one grid input through the encoder, then the MLP.
  const dist = new ActionDistribution(Discrete(5));
  const layout = new ActorCriticLayout(gridSize, [64, 64], dist.outputSize, false, {
    inputs: [{ name: 'grid', kind: 'grid', shape }], convLayers: [{ filters: 16, kernel: 3, stride: 1 }, { filters: 16, kernel: 3, stride: 1 }],
  });
  const netParams = layout.initialize(new Rng(2), 0);
  const policies = { js: new Policy(layout, dist, netParams, 8, 'js'), kernels: new Policy(layout, dist, netParams, 8, 'kernels') };
  const actions = new Float32Array(8);
  const logProbs = new Float32Array(8);
  const vals = new Float32Array(8);
  const actRng = new Rng(5);
  const engine = new KernelsEngine(layout, B);
  engine.setParams(netParams);
  const dA = Float32Array.from({ length: B * 5 }, () => rng.normal());
  const dV = Float32Array.from({ length: B }, () => rng.normal());
  const netGrads = new Float32Array(layout.size);
  const tfEngine = (backend: string) => {
    tf.setBackend(backend);
    const e = new TfjsEngine(layout);
    e.setParams(netParams);
    return () => { tf.setBackend(backend); e.forward(x, B); e.backward(dA, dV, netGrads); };
  };
  const tfWasm = tfEngine('wasm');
  const tfCpu = tfEngine('cpu');
  const whole = time({
    'js ×1': () => policies.js.act(x, 1, actRng, null, actions, logProbs, vals),
    'kernels ×1': () => policies.kernels.act(x, 1, actRng, null, actions, logProbs, vals),
    'js ×8': () => policies.js.act(x, 8, actRng, null, actions, logProbs, vals),
    'kernels ×8': () => policies.kernels.act(x, 8, actRng, null, actions, logProbs, vals),
    engine: () => { engine.forward(x, B); engine.backward(dA, dV, netGrads); },
    'engine tfjs-wasm': tfWasm,
    'engine tfjs-cpu': tfCpu,
  }, { 'js ×1': 100, 'kernels ×1': 1000, 'js ×8': 20, 'kernels ×8': 200, engine: 5, 'engine tfjs-wasm': 1, 'engine tfjs-cpu': 1 });
  console.log(`  whole network (encoder + MLP 64-64, actor and critic; ${layout.size} parameters): Policy.act µs per agent: plain JS ${whole['js ×1']!.toFixed(1)} (1 agent), `
    + `${(whole['js ×8']! / 8).toFixed(1)} (8 at once); kernels ${whole['kernels ×1']!.toFixed(1)} (1 agent), ${(whole['kernels ×8']! / 8).toFixed(1)} (8 at once)`);
  console.log(`  engine update (forward + backward, actor and critic, ${B} rows): kernels ${(whole.engine! / 1000).toFixed(2)} ms, `
    + `TfjsEngine on tfjs-wasm ${(whole['engine tfjs-wasm']! / 1000).toFixed(2)} ms, on tfjs-cpu ${(whole['engine tfjs-cpu']! / 1000).toFixed(2)} ms; load ${load()}`);
}
