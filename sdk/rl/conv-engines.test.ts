import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from './backend.node.js';
import { KernelsEngine } from './kernels-engine.js';
import { TfjsEngine } from './tfjs-engine.js';
import type { ComputeEngine } from './engine.js';
import { ActorCriticLayout } from './network.js';
import { ActionDistribution } from './distributions.js';
import { Policy } from './policy.js';
import { netReference } from './conv-reference.js';
import type { ConvLayerConfig, ObservationInput } from './conv.js';
import { Rng } from '../core/rng.js';
import { Box } from '../core/spaces.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

const CASES: { name: string; inputs: ObservationInput[]; convLayers: ConvLayerConfig[]; hidden: number[]; out: number; continuous: boolean; batch: number }[] = [
  {
    name: 'vector + 6×7×2 grid + vector, two 3×3 / 2×2-stride-2 layers, continuous, batch 9',
    inputs: [{ name: 'self', kind: 'vector', size: 3 }, { name: 'map', kind: 'grid', shape: [6, 7, 2] }, { name: 'goal', kind: 'vector', size: 2 }],
    convLayers: [{ filters: 5, kernel: 3, stride: 1 }, { filters: 4, kernel: 2, stride: 2 }], hidden: [8, 6], out: 2, continuous: true, batch: 9,
  },
  {
    name: 'two grids only (5×5×1 and 4×6×3), one 2×2 stride-1 layer, discrete, batch 1',
    inputs: [{ name: 'a', kind: 'grid', shape: [5, 5, 1] }, { name: 'b', kind: 'grid', shape: [4, 6, 3] }],
    convLayers: [{ filters: 3, kernel: 2, stride: 1 }], hidden: [7], out: 3, continuous: false, batch: 1,
  },
];

/** Σ dOut·actorOut + Σ dV·values in float64: the scalar whose gradient backward gives. */
function lossRef(layout: ActorCriticLayout, p: ArrayLike<number>, obs: Float32Array, B: number, dOut: Float32Array, dV: Float32Array): number {
  const a = netReference(layout, p, 'actor', obs, B);
  const v = netReference(layout, p, 'critic', obs, B);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * dOut[i]!;
  for (let i = 0; i < v.length; i++) s += v[i]! * dV[i]!;
  return s;
}

function setup(c: typeof CASES[number], seed: number) {
  const obsSize = c.inputs.reduce((s, i) => s + (i.kind === 'grid' ? i.shape[0] * i.shape[1] * i.shape[2] : i.size), 0);
  const layout = new ActorCriticLayout(obsSize, c.hidden, c.out, c.continuous, { inputs: c.inputs, convLayers: c.convLayers });
  const rng = new Rng(seed);
  const params = layout.initialize(rng, -0.5);
  for (let i = 0; i < params.length; i++) params[i]! += 0.2 * rng.normal();
  // Positive conv biases keep most ReLUs alive (a dead one has no gradient to check).
  for (const s of [...layout.actorConv, ...layout.criticConv]) for (const L of s.layers) for (let k = 0; k < L.outC; k++) params[L.b + k]! += 0.3;
  const B = c.batch;
  const obs = Float32Array.from({ length: B * obsSize }, () => (rng.int(3) === 0 ? 0 : rng.uniform(0, 1)));
  const dOut = Float32Array.from({ length: B * c.out }, () => rng.normal());
  const dV = Float32Array.from({ length: B }, () => rng.normal());
  return { layout, params, obs, dOut, dV, B, rng };
}

describe('conv networks: TfjsEngine and KernelsEngine against a float64 reference and finite differences', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { layout, params, obs, dOut, dV, B, rng } = setup(c, 21);
      expect(layout.hasConv).toBe(true);
      const refOut = netReference(layout, params, 'actor', obs, B);
      const refV = netReference(layout, params, 'critic', obs, B);
      // Central differences of the float64 loss (h small against the 0.3-sized weights; float64 keeps them exact to ~1e-9).
      const p64 = Float64Array.from(params);
      const h = 1e-5;
      const fdGrad = (i: number) => {
        const keep = p64[i]!;
        p64[i] = keep + h;
        const up = lossRef(layout, p64, obs, B, dOut, dV);
        p64[i] = keep - h;
        const down = lossRef(layout, p64, obs, B, dOut, dV);
        p64[i] = keep;
        return (up - down) / (2 * h);
      };
      // Every conv parameter (the new code), and a sample of the MLPs'.
      const checked = new Set<number>();
      for (const s of [...layout.actorConv, ...layout.criticConv]) {
        const last = s.layers[s.layers.length - 1]!;
        for (let i = s.layers[0]!.w; i < last.b + last.outC; i++) checked.add(i);
      }
      for (let k = 0; k < 40; k++) {
        const i = rng.int(layout.size);
        if (layout.logStd < 0 || i < layout.logStd || i >= layout.logStd + layout.logStdSize) checked.add(i);
      }
      const fd = new Map([...checked].map((i) => [i, fdGrad(i)]));

      const results: Float32Array[] = [];
      const engines: ComputeEngine[] = [new KernelsEngine(layout, 4), new TfjsEngine(layout)];
      for (const engine of engines) {
        engine.setParams(params);
        const { actorOut, values } = engine.forward(obs, B);
        for (let i = 0; i < refOut.length; i++) expect(Math.abs(actorOut[i]! - refOut[i]!), `${engine.name} actorOut[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(refOut[i]!)));
        for (let i = 0; i < B; i++) expect(Math.abs(values[i]! - refV[i]!), `${engine.name} values[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(refV[i]!)));
        const grads = new Float32Array(layout.size).fill(123);
        engine.backward(dOut, dV, grads);
        for (let i = 0; i < layout.logStdSize; i++) expect(grads[layout.logStd + i], 'the log-std slot is the loss head\'s to fill').toBe(123);
        for (const [i, g] of fd) expect(Math.abs(grads[i]! - g), `${engine.name} grad[${i}] vs finite differences ${g}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(g)));
        results.push(grads);
        engine.dispose();
      }
      // The two engines agree on every parameter's gradient.
      for (let i = 0; i < layout.size; i++) expect(Math.abs(results[0]![i]! - results[1]![i]!), `kernels vs tfjs grad[${i}]`).toBeLessThan(2e-5 * Math.max(1, Math.abs(results[1]![i]!)));
      // Some conv gradient is non-zero (the check above is not vacuous).
      const s0 = layout.actorConv[0]!.layers[0]!;
      expect(Math.max(...results[0]!.subarray(s0.w, s0.b).map(Math.abs))).toBeGreaterThan(1e-3);
    });
  }

  it('TfjsEngine keeps tf.memory().numTensors flat across conv updates', () => {
    const { layout, params, obs, dOut, dV, B } = setup(CASES[0]!, 3);
    const engine = new TfjsEngine(layout);
    const grads = new Float32Array(layout.size);
    const step = () => { engine.setParams(params); engine.forward(obs, B); engine.backward(dOut, dV, grads); };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    engine.dispose();
  });

  it('Policy (plain JS and kernels acting) runs the conv stacks: values and means match the reference', () => {
    for (const c of CASES) {
      const { layout, params, obs, B } = setup(c, 8);
      const refOut = netReference(layout, params, 'actor', obs, B);
      const refV = netReference(layout, params, 'critic', obs, B);
      const dist = new ActionDistribution(c.continuous ? Box(-1, 1, c.out) : { kind: 'discrete', n: c.out } as never);
      for (const forward of ['js', 'kernels'] as const) {
        const policy = new Policy(layout, dist, params, B + 2, forward);
        const values = new Float32Array(B);
        policy.values(obs, B, values);
        for (let i = 0; i < B; i++) expect(Math.abs(values[i]! - refV[i]!), `${forward} values[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(refV[i]!)));
        const actions = new Float32Array(B * dist.actionSize);
        policy.act(obs, B, null, null, actions, null, null);
        if (c.continuous) {
          // The mode of a Gaussian is its mean: the actor's output.
          for (let i = 0; i < refOut.length; i++) expect(Math.abs(actions[i]! - refOut[i]!), `${forward} mean[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(refOut[i]!)));
        } else {
          for (let n = 0; n < B; n++) {
            const row = Array.from(refOut.subarray(n * c.out, n * c.out + c.out));
            expect(actions[n], `${forward} argmax of row ${n}`).toBe(row.indexOf(Math.max(...row)));
          }
        }
      }
    }
  });
});
