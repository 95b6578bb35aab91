import { describe, it, expect } from 'vitest';
import { ActionDistribution } from './distributions.js';
import { ppoLoss, type LossCoefficients } from './ppo-loss.js';
import { loadOracle, type PpoDiscreteCase } from '../../test-fixtures/oracle.js';

const oracle = loadOracle();
const f32 = (a: number[]) => Float32Array.from(a);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(actual[i]! - expected[i]!) / scale, `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThan(tol);
  }
}

const coefs = (c: PpoDiscreteCase): LossCoefficients => ({
  clipCoef: c.clipCoef, valueClipCoef: c.valueClipCoef, entCoef: c.entCoef, vfCoef: c.vfCoef, clipVloss: true, normAdv: true,
});

describe('ppoLoss against the PyTorch oracle', () => {
  for (const [k, c] of oracle.ppoDiscrete.entries()) {
    it(`discrete case ${k}: losses, diagnostics and gradients`, () => {
      const [B, A] = c.shape;
      const dist = new ActionDistribution({ kind: 'discrete', n: A });
      const grads = { dActorOut: new Float32Array(B * A), dValues: new Float32Array(B), dLogStd: null };
      const stats = ppoLoss(dist, null, {
        size: B, actorOut: f32(c.logits), values: f32(c.values), actions: f32(c.actions),
        oldLogProbs: f32(c.oldLogProb), advantages: f32(c.advantages), returns: f32(c.returns), oldValues: f32(c.oldValues),
      }, coefs(c), grads);
      const e = c.expected;
      expectClose([stats.policyLoss, stats.valueLoss, stats.entropy, stats.loss, stats.approxKl, stats.clipFraction],
        [e.policyLoss, e.valueLoss, e.entropyMean, e.loss, e.approxKl, e.clipFraction]);
      // Gradients are small numbers; compare with an absolute tolerance at float32 precision.
      for (let i = 0; i < B * A; i++) expect(Math.abs(grads.dActorOut[i]! - e.gradLogits[i]!), `dLogits[${i}]`).toBeLessThan(1e-6);
      for (let i = 0; i < B; i++) expect(Math.abs(grads.dValues[i]! - e.gradValues[i]!), `dValues[${i}]`).toBeLessThan(1e-6);
      const logp = new Float32Array(B);
      for (let i = 0; i < B; i++) { dist.evaluate(f32(c.logits), i * A, f32(c.actions), i, null, null, 0); logp[i] = dist.logProb; }
      expectClose(logp, e.logProb);
    });
  }
});

describe('the clipping gradient table (PPO.md)', () => {
  // One sample, two actions, logits chosen so that π(a=0) is known; oldLogProb sets the ratio.
  const dist = new ActionDistribution({ kind: 'discrete', n: 2 });
  const logits = f32([0.3, -0.2]);
  dist.evaluate(logits, 0, f32([0]), 0, null, null, 0);
  const logp = dist.logProb;

  function gradFor(ratio: number, advantage: number): number {
    const grads = { dActorOut: new Float32Array(2), dValues: new Float32Array(1), dLogStd: null };
    ppoLoss(dist, null, {
      size: 1, actorOut: logits, values: f32([0]), actions: f32([0]), oldLogProbs: f32([logp - Math.log(ratio)]),
      advantages: f32([advantage]), returns: f32([0]), oldValues: f32([0]),
    }, { clipCoef: 0.2, valueClipCoef: 0.2, entCoef: 0, vfCoef: 0, clipVloss: true, normAdv: false }, grads);
    return grads.dActorOut[0]!;
  }

  it('A ≥ 0, ratio > 1+ε: gradient exactly 0', () => expect(gradFor(1.5, 1)).toBe(0));
  it('A ≥ 0, ratio < 1−ε: same as unclipped (pushes π up)', () => {
    const g = gradFor(0.5, 1);
    // Unclipped: −A·ratio·(1 − p_0).
    expect(g).toBeCloseTo(-1 * 0.5 * (1 - Math.exp(logp)), 6);
  });
  it('A < 0, ratio > 1+ε: same as unclipped (pushes π down)', () => {
    expect(gradFor(1.5, -1)).toBeCloseTo(1 * 1.5 * (1 - Math.exp(logp)), 6);
  });
  it('A < 0, ratio < 1−ε: gradient exactly 0', () => expect(gradFor(0.5, -1)).toBe(0));
  it('inside the clip range: the unclipped gradient for either sign', () => {
    expect(gradFor(1.1, 1)).toBeCloseTo(-1.1 * (1 - Math.exp(logp)), 6);
    expect(gradFor(0.9, -1)).toBeCloseTo(0.9 * (1 - Math.exp(logp)), 6);
  });
});

describe('clipped value loss', () => {
  function valueCase(v: number, oldV: number, ret: number, clipVloss: boolean) {
    const dist = new ActionDistribution({ kind: 'discrete', n: 2 });
    const grads = { dActorOut: new Float32Array(2), dValues: new Float32Array(1), dLogStd: null };
    const s = ppoLoss(dist, null, {
      size: 1, actorOut: f32([0, 0]), values: f32([v]), actions: f32([0]), oldLogProbs: f32([Math.log(0.5)]),
      advantages: f32([0]), returns: f32([ret]), oldValues: f32([oldV]),
    }, { clipCoef: 0.2, valueClipCoef: 0.2, entCoef: 0, vfCoef: 1, clipVloss, normAdv: false }, grads);
    return { loss: s.valueLoss, grad: grads.dValues[0]! };
  }
  it('takes the larger error: moving past ε̂ toward the target gains nothing', () => {
    // oldV 0, V 1, R 1: unclipped error 0, clipped error (0.2 − 1)² = 0.64 is larger and flat in V.
    const r = valueCase(1, 0, 1, true);
    expect(r.loss).toBeCloseTo(0.5 * 0.64, 6);
    expect(r.grad).toBe(0);
  });
  it('keeps the unclipped gradient when the unclipped error is larger', () => {
    // oldV 0, V 0.5, R −1: unclipped (1.5)² > clipped (1.2)².
    const r = valueCase(0.5, 0, -1, true);
    expect(r.loss).toBeCloseTo(0.5 * 2.25, 6);
    expect(r.grad).toBeCloseTo(1.5, 6);
  });
  it('is ½·(V − R)² when switched off', () => {
    const r = valueCase(1, 0, 3, false);
    expect(r.loss).toBeCloseTo(2, 6);
    expect(r.grad).toBeCloseTo(-2, 6);
  });
});
