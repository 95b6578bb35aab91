import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from './backend.node.js';
import { ActionDistribution } from './distributions.js';
import { imitationLoss } from './imitation-loss.js';
import { addImitationGradient, imitationScratch } from './behavioral-cloning.js';
import { KernelsEngine } from './kernels-engine.js';
import { TfjsEngine } from './tfjs-engine.js';
import { ActorCriticLayout } from './network.js';
import { Box, Discrete, Hybrid, MultiDiscrete, type Space } from '../core/spaces.js';
import { Rng } from '../core/rng.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

const SPACES: [string, Space][] = [
  ['discrete', Discrete(4)],
  ['multi-discrete', MultiDiscrete([3, 2])],
  ['continuous', Box(-1, 1, 2)],
  ['hybrid', Hybrid(Box(-1, 1, 2), MultiDiscrete([3]))],
];

/** A random batch with every branch's first choice masked out on even rows, and actions that respect the masks. */
function batchFor(dist: ActionDistribution, B: number, rng: Rng) {
  const actorOut = Float32Array.from({ length: B * dist.outputSize }, () => rng.normal());
  const actions = new Float32Array(B * dist.actionSize);
  const masks = dist.maskSize > 0 ? new Uint8Array(B * dist.maskSize).fill(1) : null;
  for (let i = 0; i < B; i++) {
    for (let d = 0; d < dist.numContinuous; d++) actions[i * dist.actionSize + d] = rng.normal() * 0.7;
    let off = 0;
    dist.branches.forEach((n, b) => {
      if (i % 2 === 0) masks![i * dist.maskSize + off] = 0;
      actions[i * dist.actionSize + dist.numContinuous + b] = i % 2 === 0 ? 1 + rng.int(n - 1) : rng.int(n);
      off += n;
    });
  }
  return { size: B, actorOut, actions, masks };
}

describe('imitationLoss (behaviour cloning NLL)', () => {
  for (const [name, space] of SPACES) {
    it(`${name}: the hand-derived gradient matches central finite differences of the loss, masks respected`, () => {
      const dist = new ActionDistribution(space);
      const rng = new Rng(3);
      const B = 6;
      const batch = batchFor(dist, B, rng);
      const logStd = dist.continuous ? Float32Array.from({ length: dist.logStdSize }, () => -0.3 + 0.2 * rng.normal()) : null;
      const w = 0.7;
      const dOut = new Float32Array(B * dist.outputSize);
      const dLogStd = logStd ? new Float32Array(logStd.length) : null;
      const stats = imitationLoss(dist, logStd, batch, w, dOut, dLogStd);
      // The loss in float64 from the same log-probs, as a function of one perturbed input.
      const loss = (out: Float32Array, ls: Float32Array | null) => {
        let s = 0;
        for (let i = 0; i < B; i++) {
          dist.evaluate(out, i * dist.outputSize, batch.actions, i * dist.actionSize, ls, batch.masks, i * dist.maskSize);
          s -= dist.logProb;
        }
        return (w * s) / B;
      };
      expect(stats.nll * w).toBeCloseTo(loss(batch.actorOut, logStd), 5);
      // Float32 inputs: a step big enough for the quotient to be exact to ~1e-5, small enough for O(h²) to stay below the bound.
      const h = 5e-3;
      const check = (arr: Float32Array, grad: Float32Array, what: string) => {
        for (let k = 0; k < arr.length; k++) {
          const x = arr[k]!;
          arr[k] = x + h; const up = loss(batch.actorOut, logStd);
          arr[k] = x - h; const down = loss(batch.actorOut, logStd);
          arr[k] = x;
          expect(Math.abs(grad[k]! - (up - down) / (2 * h)), `${what}[${k}]`).toBeLessThan(3e-4 * Math.max(1, Math.abs(grad[k]!)));
        }
      };
      check(batch.actorOut, dOut, 'dActorOut');
      if (logStd) check(logStd, dLogStd!, 'dLogStd');
      // A masked-out logit gets no gradient: it is not in its softmax.
      if (batch.masks) for (let i = 0; i < B; i += 2) expect(dOut[i * dist.outputSize + dist.numContinuous]).toBe(0);
      if (dist.branches.length > 0) expect(stats.accuracy).toBeGreaterThanOrEqual(0);
      else expect(stats.accuracy).toBeNaN();
    });
  }

  it('adds into the gradients (does not overwrite) and leaves the log-std alone when not fitting it', () => {
    const dist = new ActionDistribution(Box(-1, 1, 2));
    const batch = batchFor(dist, 4, new Rng(5));
    const logStd = Float32Array.of(-0.5, 0.1);
    const dOut = new Float32Array(8).fill(1);
    const dLogStd = Float32Array.of(2, 3);
    const fresh = new Float32Array(8);
    imitationLoss(dist, logStd, batch, 1, fresh, null, false);
    imitationLoss(dist, logStd, batch, 1, dOut, dLogStd, false);
    for (let i = 0; i < 8; i++) expect(dOut[i]).toBeCloseTo(1 + fresh[i]!, 6);
    expect(Array.from(dLogStd)).toEqual([2, 3]);
  });

  for (const [name, space] of [SPACES[0]!, SPACES[3]!]) {
    it(`${name}: the kernels and tfjs engines give the same parameter gradient on the same demo batch`, () => {
      const dist = new ActionDistribution(space);
      const layout = ActorCriticLayout.forDistribution(5, [16, 8], dist);
      const rng = new Rng(9);
      const params = layout.initialize(rng, -0.5);
      for (let i = 0; i < params.length; i++) params[i]! += 0.3 * rng.normal();
      const B = 13;
      const batch = batchFor(dist, B, rng);
      const obs = Float32Array.from({ length: B * 5 }, () => rng.normal());
      const results = [new KernelsEngine(layout, 16), new TfjsEngine(layout)].map((engine) => {
        engine.setParams(params);
        const grads = new Float32Array(layout.size);
        const stats = addImitationGradient({ engine, layout, dist, params, version: 0 }, obs, { ...batch, actorOut: new Float32Array(0) }, 1.3, true, grads, imitationScratch(layout, dist, B));
        engine.dispose();
        return { grads, stats };
      });
      const [k, t] = results as [typeof results[0], typeof results[0]];
      expect(Math.abs(k.stats.nll - t.stats.nll)).toBeLessThan(1e-5 * Math.max(1, Math.abs(k.stats.nll)));
      let nonZero = 0;
      for (let i = 0; i < layout.size; i++) {
        expect(Math.abs(k.grads[i]! - t.grads[i]!), `grad[${i}]`).toBeLessThan(2e-5 * Math.max(1, Math.abs(t.grads[i]!)));
        if (Math.abs(t.grads[i]!) > 1e-6) nonZero++;
      }
      // The actor's weights move; the critic's get nothing from cloning.
      expect(nonZero).toBeGreaterThan(layout.size / 4);
      for (const l of layout.critic) for (let i = l.w; i < l.w + l.inSize * l.outSize; i++) expect(t.grads[i]).toBe(0);
    });
  }
});
