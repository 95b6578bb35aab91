/**
 * `npm run bench:conv`: conv encoder costs on the CPU, printed (asserts nothing).
 *
 * - Acting: `Policy.act` + values per decision for a batch of agents with a grid input (the plain-TS
 *   conv, then the MLP in JS or on the WASM SIMD kernels), in CPU µs per agent.
 * - Learning: one minibatch forward + backward (what an update repeats) on the kernels engine
 *   (plain-TS conv) and the tfjs engine (tf.conv2d + hand backward) on the Node backends, in ms.
 *
 * Rounds of each alternate and the median round is reported, in process CPU time, so a shared,
 * noisy machine slows all alike; the load average is printed beside the figures.
 *
 * Options: --rounds 7  --decisions 2000  --updates 20
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { ActorCriticLayout } from '../sdk/rl/network.js';
import { ActionDistribution } from '../sdk/rl/distributions.js';
import { Policy } from '../sdk/rl/policy.js';
import { KernelsEngine } from '../sdk/rl/kernels-engine.js';
import { TfjsEngine } from '../sdk/rl/tfjs-engine.js';
import { useNodeBackend } from '../sdk/rl/backend.node.js';
import type { ComputeEngine } from '../sdk/rl/engine.js';
import type { ConvLayerConfig, ObservationInput } from '../sdk/rl/conv.js';
import { Rng } from '../sdk/core/rng.js';
import { Discrete } from '../sdk/core/spaces.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, decisions: { type: 'string', default: '2000' }, updates: { type: 'string', default: '20' } } });
const rounds = Number(values.rounds);
const decisions = Number(values.decisions);
const updates = Number(values.updates);

interface Shape { name: string; inputs: ObservationInput[]; convLayers: ConvLayerConfig[]; agents: number; minibatch: number }
const DEFAULT_CONV: ConvLayerConfig[] = [{ filters: 16, kernel: 3, stride: 1 }, { filters: 32, kernel: 3, stride: 1 }];
const SHAPES: Shape[] = [
  { name: '7×7×3 tilemap grid + 4 values, default conv (16, 32 × 3×3)', inputs: [{ name: 'observations', kind: 'vector', size: 4 }, { name: 'map', kind: 'grid', shape: [7, 7, 3] }], convLayers: DEFAULT_CONV, agents: 8, minibatch: 128 },
  { name: '9×9×4 grid + 4 values, default conv', inputs: [{ name: 'observations', kind: 'vector', size: 4 }, { name: 'near', kind: 'grid', shape: [9, 9, 4] }], convLayers: DEFAULT_CONV, agents: 8, minibatch: 128 },
  { name: '9×9×4 grid + 4 values, flattened (convLayers: [])', inputs: [{ name: 'observations', kind: 'vector', size: 4 }, { name: 'near', kind: 'grid', shape: [9, 9, 4] }], convLayers: [], agents: 8, minibatch: 128 },
];

const cpuMicros = () => { const u = process.cpuUsage(); return u.user + u.system; };
const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1]!;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`conv bench (CPU time, median of ${rounds} rounds; load average ${load()}; 2 shared cores: figures are noisy)`);
for (const shape of SHAPES) {
  const size = shape.inputs.reduce((s, i) => s + (i.kind === 'grid' ? i.shape[0] * i.shape[1] * i.shape[2] : i.size), 0);
  const layout = new ActorCriticLayout(size, [64, 64], 5, false, { inputs: shape.inputs, convLayers: shape.convLayers });
  const rng = new Rng(1);
  const params = layout.initialize(rng, 0);
  const dist = new ActionDistribution(Discrete(5));
  const obs = Float32Array.from({ length: shape.minibatch * size }, () => (rng.int(4) === 0 ? 1 : 0));
  const actions = new Float32Array(shape.agents);
  const logProbs = new Float32Array(shape.agents);
  const vals = new Float32Array(shape.agents);
  const policies = (['js', 'kernels'] as const).map((f) => new Policy(layout, dist, params, shape.agents, f));
  const act: number[][] = [[], []];
  for (let r = 0; r < rounds + 1; r++) {
    policies.forEach((p, k) => {
      const t0 = cpuMicros();
      for (let d = 0; d < decisions; d++) p.act(obs, shape.agents, rng, null, actions, logProbs, vals);
      if (r > 0) act[k]!.push((cpuMicros() - t0) / decisions / shape.agents);
    });
  }
  console.log(`${shape.name}: ${layout.size} parameters; acting per agent (batch ${shape.agents}): plain JS ${median(act[0]!).toFixed(2)} µs, kernels MLP ${median(act[1]!).toFixed(2)} µs`);

  const B = shape.minibatch;
  const dOut = Float32Array.from({ length: B * 5 }, () => rng.normal());
  const dV = Float32Array.from({ length: B }, () => rng.normal());
  const grads = new Float32Array(layout.size);
  const engines: [string, () => Promise<ComputeEngine>][] = [
    ['kernels (TS conv)', async () => new KernelsEngine(layout, B)],
    ['tfjs-wasm', async () => { await useNodeBackend('wasm'); return new TfjsEngine(layout); }],
    ['tfjs-cpu', async () => { await useNodeBackend('cpu'); return new TfjsEngine(layout); }],
  ];
  const line: string[] = [];
  for (const [name, make] of engines) {
    const engine = await make();
    const times: number[] = [];
    for (let r = 0; r < Math.max(3, rounds >> 1) + 1; r++) {
      const t0 = cpuMicros();
      for (let u = 0; u < updates; u++) {
        engine.setParams(params);
        engine.forward(obs, B);
        engine.backward(dOut, dV, grads);
      }
      if (r > 0) times.push((cpuMicros() - t0) / updates / 1000);
    }
    engine.dispose();
    line.push(`${name} ${median(times).toFixed(2)} ms`);
  }
  console.log(`  minibatch ${B} forward + backward: ${line.join(', ')}`);
}
console.log(`load average after: ${load()}`);
