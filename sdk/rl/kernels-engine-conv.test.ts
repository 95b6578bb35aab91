import { describe, it, expect } from 'vitest';
import { KernelsEngine } from './kernels-engine.js';
import { ActorCriticLayout, type LayerSlice } from './network.js';
import type { ConvStack } from './conv.js';
import { convBackwardReference, convForwardReference } from './conv-reference.js';
import { Rng } from '../core/rng.js';

/**
 * A network with conv encoders and its backward pass in float64: each grid's conv stack, the MLP
 * input row assembled per layout.mlpInput, the tanh MLP; gradients of Σ dHead · head written into
 * `grads` (conv stacks and MLP). Returns the head outputs.
 */
function reference(layout: ActorCriticLayout, params: Float32Array, stacks: readonly ConvStack[], mlp: readonly LayerSlice[],
  obs: Float32Array, B: number, dHead: Float32Array, grads: Float64Array): Float64Array {
  const obsSize = layout.observationSize;
  const M = layout.mlpInputSize;
  const convActs = stacks.map((s) => convForwardReference(params, s.layers, obs, obsSize, s.xOffset, B));
  const xm = new Float64Array(B * M);
  for (const p of layout.mlpInput) {
    for (let n = 0; n < B; n++) {
      for (let i = 0; i < p.size; i++) {
        const acts = p.conv >= 0 ? convActs[p.conv]! : null;
        xm[n * M + p.mlpOffset + i] = acts ? acts[acts.length - 1]![n * p.size + i]! : obs[n * obsSize + p.xOffset + i]!;
      }
    }
  }
  const hs: Float64Array[] = [xm];
  mlp.forEach(({ inSize, outSize, w, b }, l) => {
    const h = hs[l]!;
    const y = new Float64Array(B * outSize);
    for (let n = 0; n < B; n++) {
      for (let j = 0; j < outSize; j++) {
        let z = params[b + j]!;
        for (let i = 0; i < inSize; i++) z += h[n * inSize + i]! * params[w + i * outSize + j]!;
        y[n * outSize + j] = l === mlp.length - 1 ? z : Math.tanh(z);
      }
    }
    hs.push(y);
  });
  let g = Float64Array.from(dHead);
  for (let l = mlp.length - 1; l >= 0; l--) {
    const { inSize, outSize, w, b } = mlp[l]!;
    const h = hs[l]!;
    for (let j = 0; j < outSize; j++) {
      let db = 0;
      for (let n = 0; n < B; n++) db += g[n * outSize + j]!;
      grads[b + j] = db;
      for (let i = 0; i < inSize; i++) {
        let dw = 0;
        for (let n = 0; n < B; n++) dw += h[n * inSize + i]! * g[n * outSize + j]!;
        grads[w + i * outSize + j] = dw;
      }
    }
    const below = new Float64Array(B * inSize);
    for (let n = 0; n < B; n++) {
      for (let i = 0; i < inSize; i++) {
        let s = 0;
        for (let j = 0; j < outSize; j++) s += g[n * outSize + j]! * params[w + i * outSize + j]!;
        // Hidden layers' inputs are tanh outputs; the first layer's input (the MLP input row) is not squashed.
        below[n * inSize + i] = l > 0 ? s * (1 - h[n * inSize + i]! ** 2) : s;
      }
    }
    g = below;
  }
  for (const p of layout.mlpInput) {
    if (p.conv < 0) continue;
    const dOut = new Float64Array(B * p.size);
    for (let n = 0; n < B; n++) for (let i = 0; i < p.size; i++) dOut[n * p.size + i] = g[n * M + p.mlpOffset + i]!;
    const s = stacks[p.conv]!;
    convBackwardReference(params, s.layers, obs, layout.observationSize, s.xOffset, B, convActs[p.conv]!, dOut, grads);
  }
  return hs[mlp.length]!;
}

// As kernels-engine.test.ts and kernels-conv.test.ts: max |error| / max(1, |reference|), and
// gradients against the largest reference entry of their tensor (a sum's rounding grows with its
// terms). Measured worst: forward 2.4e-7, gradients 5.6e-7 (`CONV_TOL=1` prints them); 4× headroom.
const FORWARD_TOL = 1e-6;
const GRAD_TOL = 2e-6;

describe('KernelsEngine with conv encoders against a float64 reference', () => {
  const cases = [
    { name: 'grid 7×7×4, vector 3, grid 5×6×2; 3×3/1 → 8, 2×2/2 → 6; continuous; batch 13', batch: 13, continuous: true, filters: [8, 6] },
    { name: 'the same with 16, 16 filters (no channel padding); discrete; batch 1', batch: 1, continuous: false, filters: [16, 16] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const inputs = [
        { name: 'map', kind: 'grid', shape: [7, 7, 4] },
        { name: 'pos', kind: 'vector', size: 3 },
        { name: 'near', kind: 'grid', shape: [5, 6, 2] },
      ] as const;
      const convLayers = [{ filters: c.filters[0]!, kernel: 3, stride: 1 }, { filters: c.filters[1]!, kernel: 2, stride: 2 }];
      const obsSize = 7 * 7 * 4 + 3 + 5 * 6 * 2;
      const out = 2;
      const layout = new ActorCriticLayout(obsSize, [16, 8], out, c.continuous, { inputs, convLayers });
      const rng = new Rng(17);
      const params = layout.initialize(rng, -0.5);
      for (let i = 0; i < params.length; i++) params[i]! += 0.05 * rng.normal();
      const B = c.batch;
      const obs = Float32Array.from({ length: B * obsSize }, () => rng.normal());
      const dOut = Float32Array.from({ length: B * out }, () => rng.normal());
      const dV = Float32Array.from({ length: B }, () => rng.normal());
      const ref = new Float64Array(layout.size);
      const refOut = reference(layout, params, layout.actorConv, layout.actor, obs, B, dOut, ref);
      const refV = reference(layout, params, layout.criticConv, layout.critic, obs, B, dV, ref);

      // Grown from 2 rows: every buffer moves once.
      const engine = new KernelsEngine(layout, 2);
      engine.setParams(params);
      const { actorOut, values } = engine.forward(obs, B);
      const worst = { forward: 0, grad: 0 };
      for (let i = 0; i < refOut.length; i++) {
        const e = Math.abs(actorOut[i]! - refOut[i]!) / Math.max(1, Math.abs(refOut[i]!));
        worst.forward = Math.max(worst.forward, e);
        expect(e, `actorOut[${i}]`).toBeLessThan(FORWARD_TOL);
      }
      for (let i = 0; i < B; i++) {
        const e = Math.abs(values[i]! - refV[i]!) / Math.max(1, Math.abs(refV[i]!));
        worst.forward = Math.max(worst.forward, e);
        expect(e, `values[${i}]`).toBeLessThan(FORWARD_TOL);
      }
      const grads = new Float32Array(layout.size).fill(123);
      engine.backward(dOut, dV, grads);
      // Scale per tensor: conv stacks' W and b, MLP layers' W and b.
      const scale = new Float64Array(layout.size).fill(1);
      const tensors: [number, number][] = [];
      for (const s of [...layout.actorConv, ...layout.criticConv]) for (const L of s.layers) tensors.push([L.w, L.b], [L.b, L.b + L.outC]);
      for (const L of [...layout.actor, ...layout.critic]) tensors.push([L.w, L.b], [L.b, L.b + L.outSize]);
      for (const [from, to] of tensors) {
        let m = 1;
        for (let i = from; i < to; i++) m = Math.max(m, Math.abs(ref[i]!));
        scale.fill(m, from, to);
      }
      expect(tensors.reduce((n, [a, b]) => n + b - a, 0) + layout.logStdSize, 'the tensors cover the layout').toBe(layout.size);
      for (let i = 0; i < layout.size; i++) {
        if (layout.logStd >= 0 && i >= layout.logStd && i < layout.logStd + layout.logStdSize) {
          expect(grads[i], 'the log-std slot is the loss head\'s to fill').toBe(123);
          continue;
        }
        const e = Math.abs(grads[i]! - ref[i]!) / scale[i]!;
        worst.grad = Math.max(worst.grad, e);
        expect(e, `grad[${i}]`).toBeLessThan(GRAD_TOL);
      }
      if (process.env.CONV_TOL) console.log(c.name, worst);
    });
  }
});
