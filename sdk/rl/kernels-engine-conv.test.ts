import { describe, it, expect } from 'vitest';
import { KernelsEngine } from './kernels-engine.js';
import { ActorCriticLayout } from './network.js';
import { netReference } from './conv-reference.js';
import { Rng } from '../core/rng.js';

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
      const refOut = netReference(layout, params, 'actor', obs, B, { dHead: dOut, grads: ref });
      const refV = netReference(layout, params, 'critic', obs, B, { dHead: dV, grads: ref });

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
