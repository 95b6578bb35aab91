import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from './backend.node.js';
import { KernelsEngine } from './kernels-engine.js';
import { instantiateKernels } from './kernels/load.js';
import { TfjsEngine } from './tfjs-engine.js';
import type { ComputeEngine } from './engine.js';
import { ActorCriticLayout, forwardMlp, widestLayer } from './network.js';
import { netReference } from './conv-reference.js';
import { PPOLearner } from './learner.js';
import { resolveConfig } from './config.js';
import { ActionDistribution } from './distributions.js';
import { allocateRollout } from './rollout.js';
import { Trainer } from '../runtime/trainer.js';
import { Box, Discrete, type Space } from '../core/spaces.js';
import { Rng } from '../core/rng.js';
import { createCartPole } from '../envs/index.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/**
 * Tolerances against the float64 reference. Float32 cannot meet 1e-6 relative per element: a
 * weight gradient is a sum over the batch of products of sums over a layer, and where its terms
 * cancel the relative error of the result grows without bound. Measured worst cases on these
 * cases (random weights with 0.3-sized noise, so every term is exercised), max |error| / max(1,
 * |reference|): forward 1.0e-6 (kernels) and 8.2e-7 (tfjs-wasm/XNNPACK); gradients 4.5e-6
 * (kernels) and 5.4e-6 (tfjs) at batch 128. The bounds below leave ~3× headroom and apply to
 * both engines alike.
 */
const FORWARD_TOL = 3e-6;
const GRAD_TOL = 2e-5;

const CASES = [
  { name: 'discrete 4-64-64-2, batch 128', obs: 4, hidden: [64, 64], out: 2, continuous: false, batch: 128 },
  { name: 'discrete 4-64-64-2, batch 13', obs: 4, hidden: [64, 64], out: 2, continuous: false, batch: 13 },
  { name: 'continuous 3-5-7-2, batch 13', obs: 3, hidden: [5, 7], out: 2, continuous: true, batch: 13 },
  { name: 'continuous 6-7-5-3, batch 1', obs: 6, hidden: [7, 5], out: 3, continuous: true, batch: 1 },
  { name: 'discrete 5-9-3 (one hidden layer), batch 6', obs: 5, hidden: [9], out: 3, continuous: false, batch: 6 },
  { name: 'continuous 2-16-8-4-1 (three hidden layers), batch 30', obs: 2, hidden: [16, 8, 4], out: 1, continuous: true, batch: 30 },
  { name: 'discrete 18-16-3 (wide observation rows copied into a padded stride), batch 7', obs: 18, hidden: [16], out: 3, continuous: false, batch: 7 },
  // A value head per reward signal (GAIL's own discount): values and their gradients head-major.
  { name: 'discrete 4-64-64-2, two value heads, batch 13', obs: 4, hidden: [64, 64], out: 2, continuous: false, batch: 13, heads: 2 },
  { name: 'continuous 3-5-7-2, three value heads, batch 6', obs: 3, hidden: [5, 7], out: 2, continuous: true, batch: 6, heads: 3 },
] as const;

/** Head-major (engine order: head h of row n at h·B + n) to row-major (the MLP's n·H + h). */
function rowMajor(headMajor: Float32Array, B: number, H: number): Float32Array {
  const out = new Float32Array(B * H);
  for (let n = 0; n < B; n++) for (let h = 0; h < H; h++) out[n * H + h] = headMajor[h * B + n]!;
  return out;
}

describe('KernelsEngine against a float64 reference, beside TfjsEngine', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const H = 'heads' in c ? c.heads : 1;
      const layout = new ActorCriticLayout(c.obs, c.hidden, c.out, c.continuous, undefined, H);
      expect(layout.critic[layout.critic.length - 1]!.outSize).toBe(H);
      const rng = new Rng(11);
      const params = layout.initialize(rng, -0.5);
      for (let i = 0; i < params.length; i++) params[i]! += 0.3 * rng.normal();
      const B = c.batch;
      const obs = Float32Array.from({ length: B * c.obs }, () => rng.normal());
      const dOut = Float32Array.from({ length: B * c.out }, () => rng.normal());
      const dV = Float32Array.from({ length: B * H }, () => rng.normal());
      const refGrads = new Float64Array(layout.size);
      const refOut = netReference(layout, params, 'actor', obs, B, { dHead: dOut, grads: refGrads });
      // The reference is row-major; its values come back head-major as the engines return them.
      const refRows = netReference(layout, params, 'critic', obs, B, { dHead: rowMajor(dV, B, H), grads: refGrads });
      const refV = new Float64Array(B * H);
      for (let n = 0; n < B; n++) for (let h = 0; h < H; h++) refV[h * B + n] = refRows[n * H + h]!;

      // The acting forward pass (Policy.act's) meets the same reference and agrees with the engines.
      const width = Math.max(widestLayer(layout.actor), widestLayer(layout.critic));
      const scratch: [Float32Array, Float32Array] = [new Float32Array(B * width), new Float32Array(B * width)];
      const actOut = new Float32Array(B * c.out);
      const actRows = new Float32Array(B * H);
      forwardMlp(params, layout.actor, obs, B, actOut, scratch);
      forwardMlp(params, layout.critic, obs, B, actRows, scratch);
      const actV = new Float32Array(B * H);
      for (let n = 0; n < B; n++) for (let h = 0; h < H; h++) actV[h * B + n] = actRows[n * H + h]!;
      for (let i = 0; i < refOut.length; i++) expect(Math.abs(actOut[i]! - refOut[i]!), `forwardMlp actorOut[${i}]`).toBeLessThan(FORWARD_TOL * Math.max(1, Math.abs(refOut[i]!)));
      for (let i = 0; i < B * H; i++) expect(Math.abs(actV[i]! - refV[i]!), `forwardMlp values[${i}]`).toBeLessThan(FORWARD_TOL * Math.max(1, Math.abs(refV[i]!)));

      const engines: ComputeEngine[] = [new KernelsEngine(layout, 4), new TfjsEngine(layout)];
      for (const engine of engines) {
        engine.setParams(params);
        const { actorOut, values } = engine.forward(obs, B);
        expect(actorOut.length).toBe(B * c.out);
        expect(values.length).toBe(B * H);
        for (let i = 0; i < refOut.length; i++) expect(Math.abs(actorOut[i]! - refOut[i]!), `${engine.name} actorOut[${i}]`).toBeLessThan(FORWARD_TOL * Math.max(1, Math.abs(refOut[i]!)));
        for (let i = 0; i < B * H; i++) expect(Math.abs(values[i]! - refV[i]!), `${engine.name} values[${i}]`).toBeLessThan(FORWARD_TOL * Math.max(1, Math.abs(refV[i]!)));
        for (let i = 0; i < refOut.length; i++) expect(Math.abs(actorOut[i]! - actOut[i]!), `${engine.name} vs forwardMlp actorOut[${i}]`).toBeLessThan(2 * FORWARD_TOL * Math.max(1, Math.abs(refOut[i]!)));
        for (let i = 0; i < B * H; i++) expect(Math.abs(values[i]! - actV[i]!), `${engine.name} vs forwardMlp values[${i}]`).toBeLessThan(2 * FORWARD_TOL * Math.max(1, Math.abs(refV[i]!)));

        const grads = new Float32Array(layout.size).fill(123);
        engine.backward(dOut, dV, grads);
        for (let i = 0; i < layout.size; i++) {
          if (i >= layout.logStd && i < layout.logStd + layout.logStdSize) {
            expect(grads[i], 'the log-std slot is the loss head\'s to fill').toBe(123);
            continue;
          }
          expect(Math.abs(grads[i]! - refGrads[i]!), `${engine.name} grad[${i}]`).toBeLessThan(GRAD_TOL * Math.max(1, Math.abs(refGrads[i]!)));
        }
        engine.dispose();
      }
    });
  }

  it('grows its buffers for a batch bigger than maxBatch, with the same results', () => {
    const layout = new ActorCriticLayout(4, [64, 64], 2, false);
    const rng = new Rng(5);
    const params = layout.initialize(rng, 0);
    const obs = Float32Array.from({ length: 130 * 4 }, () => rng.normal());
    const dOut = Float32Array.from({ length: 130 * 2 }, () => rng.normal());
    const dV = Float32Array.from({ length: 130 }, () => rng.normal());
    const run = (engine: KernelsEngine) => {
      engine.setParams(params);
      const small = Float32Array.from(engine.forward(obs, 3).actorOut);
      const { actorOut, values } = engine.forward(obs, 130);
      const grads = new Float32Array(layout.size);
      engine.backward(dOut, dV, grads);
      return [small, Float32Array.from(actorOut), Float32Array.from(values), grads];
    };
    expect(run(new KernelsEngine(layout, 2))).toEqual(run(new KernelsEngine(layout, 256)));
  });

  it('says what is wrong when driven out of order or with the wrong sizes', () => {
    const layout = new ActorCriticLayout(4, [8], 2, false);
    const engine = new KernelsEngine(layout);
    expect(() => engine.forward(new Float32Array(8), 2)).toThrow(/call setParams first/);
    expect(() => engine.setParams(new Float32Array(3))).toThrow(/got 3 parameters, the layout has/);
    engine.setParams(new Float32Array(layout.size));
    expect(() => engine.backward(new Float32Array(4), new Float32Array(2), new Float32Array(layout.size))).toThrow(/call forward first/);
    expect(() => engine.forward(new Float32Array(7), 2)).toThrow(/need 8 observation floats, got 7/);
    expect(engine.name).toBe('kernels');
    expect(engine.device).toBe('wasm-simd');
  });
});

describe('the kernels tanh', () => {
  it('is within 4e-7 of Math.tanh everywhere, keeps NaN and saturates at ±Infinity', () => {
    const memory = new WebAssembly.Memory({ initial: 8 });
    const k = instantiateKernels(memory);
    const n = 40_000;
    const xAt = (k.heapBase() + 15) & ~15;
    const yAt = xAt + 4 * (n + 8);
    const f32 = new Float32Array(memory.buffer);
    const x = f32.subarray(xAt / 4, xAt / 4 + n + 8);
    for (let i = 0; i < n; i++) x[i] = -12 + (24 * i) / (n - 1);
    x.set([0, -0, 1e-30, -1e-7, Infinity, -Infinity, NaN, 7.9], n);
    k.tanh(xAt, yAt, n + 8);
    const y = f32.subarray(yAt / 4, yAt / 4 + n + 8);
    let maxErr = 0;
    for (let i = 0; i < n + 6; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - Math.tanh(x[i]!)));
    // Measured 3.6e-7: a few float32 ulps of 1 near the clamp at ±7.9.
    expect(maxErr).toBeLessThan(4e-7);
    expect(Math.abs(y[n + 2]! - 1e-30)).toBeLessThan(1e-36);
    expect(y[n + 4]).toBeCloseTo(1, 6);
    expect(y[n + 5]).toBeCloseTo(-1, 6);
    expect(y[n + 6]).toBeNaN();
  });
});

describe('KernelsEngine through the learner', () => {
  const spaces: [string, Space][] = [['discrete', Discrete(3)], ['continuous', Box(-1, 1, 2)]];
  for (const [name, actionSpace] of spaces) {
    it(`gives the same parameters as TfjsEngine after 24 clipped Adam steps: ${name}`, () => {
      const obsSize = 5;
      const config = resolveConfig({ numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 4, totalSteps: 64 * 2 * 10, hiddenSizes: [64, 64], seed: 3 });
      const dist = new ActionDistribution(actionSpace);
      const layout = new ActorCriticLayout(obsSize, config.hiddenSizes, dist.outputSize, dist.continuous);
      const rng = new Rng(8);
      const r = allocateRollout(64, 2, obsSize, dist.actionSize, 0);
      r.observations.forEach((_, i) => { r.observations[i] = rng.normal(); });
      r.actions.forEach((_, i) => { r.actions[i] = dist.continuous ? rng.normal() : rng.int(3); });
      r.logProbs.forEach((_, i) => { r.logProbs[i] = -1 + 0.2 * rng.normal(); });
      r.values.forEach((_, i) => { r.values[i] = rng.normal(); });
      r.rewards.forEach((_, i) => { r.rewards[i] = 3 * rng.normal(); });
      const train = (engine: ComputeEngine) => {
        const learner = new PPOLearner({ observationSize: obsSize, actionSpace, config, engine });
        const norms: number[] = [];
        for (let u = 0; u < 3; u++) {
          r.policyVersion = learner.version;
          norms.push(learner.train(r).gradNorm);
        }
        engine.dispose();
        return { params: learner.params, norms };
      };
      const kernels = train(new KernelsEngine(layout));
      const tfjs = train(new TfjsEngine(layout));
      // Clipping was active: the average norm before clipping exceeds maxGradNorm.
      expect(Math.min(...kernels.norms)).toBeGreaterThan(config.maxGradNorm);
      let maxDiff = 0;
      for (let i = 0; i < layout.size; i++) maxDiff = Math.max(maxDiff, Math.abs(kernels.params[i]! - tfjs.params[i]!));
      expect(maxDiff).toBeLessThan(1e-5);
    });
  }

  it('trains CartPole through the Trainer and reports the engine in the metrics', () => {
    const trainer = new Trainer({
      env: createCartPole, envName: 'cartpole', config: { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2, totalSteps: 64 * 2 * 10 },
      engine: (l) => new KernelsEngine(l),
    });
    const m = trainer.runUpdate();
    expect(m.engine).toBe('kernels');
    expect(m.device).toBe('wasm-simd');
    expect(Number.isFinite(m.policyLoss) && Number.isFinite(m.valueLoss)).toBe(true);
    trainer.dispose();
  });
});
