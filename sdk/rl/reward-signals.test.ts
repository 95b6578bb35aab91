/**
 * A value head and a discount per reward signal (issue 15, GAIL's `gamma`): the advantages of
 * computeSignalAdvantages and the multi-head value loss of ppoLoss.
 */
import { describe, it, expect } from 'vitest';
import { computeAdvantages, computeSignalAdvantages, type RewardSignalInput } from './gae.js';
import { ActionDistribution } from './distributions.js';
import { ppoLoss, type LossBatch, type LossCoefficients } from './ppo-loss.js';
import { Rng } from '../core/rng.js';
import { ActorCriticLayout } from './network.js';
import { KernelsEngine } from './kernels-engine.js';
import { Policy } from './policy.js';
import { resolveConfig, type GailConfig } from './config.js';
import { PPOLearner } from './learner.js';
import { syntheticDemo, syntheticDemoRollout } from '../io/test-demo.js';
import { cartpoleTestBrain } from '../io/test-brain.js';
import { decodeBrain, encodeBrain, layoutOf, type Brain } from '../io/brain.js';

const T = 7;
const E = 3;
const N = T * E;

function randomRollout(seed: number) {
  const rng = new Rng(seed);
  const f = (n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * rng.normal());
  const terminated = Uint8Array.from({ length: N }, () => (rng.next() < 0.15 ? 1 : 0));
  const truncated = Uint8Array.from(terminated, (t) => (!t && rng.next() < 0.15 ? 1 : 0));
  const signal = (gamma: number): RewardSignalInput => ({ gamma, rewards: f(N), values: f(N), finalValues: f(N), lastValues: f(E) });
  return { terminated, truncated, logRatios: f(N, 0.3), signal };
}

describe('computeSignalAdvantages', () => {
  for (const offPolicy of [false, true]) {
    const path = offPolicy ? 'Retrace/V-trace' : 'GAE';
    it(`one signal is exactly computeAdvantages (${path})`, () => {
      const r = randomRollout(1);
      const s = r.signal(0.97);
      const shared = { numSteps: T, numEnvs: E, lambda: 0.9, terminated: r.terminated, truncated: r.truncated, ...(offPolicy ? { logRatios: r.logRatios } : {}) };
      const adv = new Float32Array(N);
      const ret = new Float32Array(N);
      computeSignalAdvantages(shared, [s], adv, ret, new Float32Array(N));
      const refAdv = new Float32Array(N);
      const refRet = new Float32Array(N);
      computeAdvantages({ ...shared, ...s }, refAdv, refRet);
      expect(adv).toEqual(refAdv);
      expect(ret).toEqual(refRet);
    });

    it(`each signal discounts with its own gamma, advantages summed, targets per head (${path})`, () => {
      const r = randomRollout(2);
      const ext = r.signal(0.99);
      const gail = r.signal(0.5);
      const shared = { numSteps: T, numEnvs: E, lambda: 0.95, terminated: r.terminated, truncated: r.truncated, ...(offPolicy ? { logRatios: r.logRatios } : {}) };
      const adv = new Float32Array(N);
      const ret = new Float32Array(2 * N);
      computeSignalAdvantages(shared, [ext, gail], adv, ret, new Float32Array(N));
      const aExt = new Float32Array(N), rExt = new Float32Array(N), aGail = new Float32Array(N), rGail = new Float32Array(N);
      computeAdvantages({ ...shared, ...ext }, aExt, rExt);
      computeAdvantages({ ...shared, ...gail }, aGail, rGail);
      for (let i = 0; i < N; i++) expect(adv[i]).toBe(Math.fround(aExt[i]! + aGail[i]!));
      expect(ret.subarray(0, N)).toEqual(rExt);
      expect(ret.subarray(N)).toEqual(rGail);
      // The GAIL signal with the extrinsic γ would credit differently: γ is really used.
      const same = new Float32Array(N);
      computeSignalAdvantages(shared, [ext, { ...gail, gamma: 0.99 }], same, new Float32Array(2 * N), new Float32Array(N));
      expect(same.some((a, i) => Math.abs(a - adv[i]!) > 1e-3)).toBe(true);
    });

    it(`with equal gammas the sum is the shared critic's advantage of the summed reward (${path})`, () => {
      const r = randomRollout(3);
      const a = r.signal(0.9);
      const b = r.signal(0.9);
      const shared = { numSteps: T, numEnvs: E, lambda: 0.8, terminated: r.terminated, truncated: r.truncated, ...(offPolicy ? { logRatios: r.logRatios } : {}) };
      const adv = new Float32Array(N);
      computeSignalAdvantages(shared, [a, b], adv, new Float32Array(2 * N), new Float32Array(N));
      const sum = (x: Float32Array, y: Float32Array) => Float32Array.from(x, (v, i) => v + y[i]!);
      const ref = new Float32Array(N);
      computeAdvantages({ ...shared, gamma: 0.9, rewards: sum(a.rewards, b.rewards), values: sum(a.values, b.values),
        finalValues: sum(a.finalValues, b.finalValues), lastValues: sum(a.lastValues, b.lastValues) }, ref, new Float32Array(N));
      for (let i = 0; i < N; i++) expect(Math.abs(adv[i]! - ref[i]!), `row ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref[i]!)));
    });
  }

  it('says what is wrong with too small a returns buffer or no signal', () => {
    const r = randomRollout(4);
    const shared = { numSteps: T, numEnvs: E, lambda: 0.9, terminated: r.terminated, truncated: r.truncated };
    expect(() => computeSignalAdvantages(shared, [r.signal(0.9), r.signal(0.9)], new Float32Array(N), new Float32Array(N), new Float32Array(N)))
      .toThrow(/returns has 21 entries, expected 42/);
    expect(() => computeSignalAdvantages(shared, [], new Float32Array(N), new Float32Array(N), new Float32Array(N))).toThrow(/at least one reward signal/);
  });
});

describe('ppoLoss with a value head per reward signal', () => {
  const B = 5;
  const H = 2;
  const rng = new Rng(9);
  const f = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const dist = new ActionDistribution({ kind: 'discrete', n: 3 });
  const base = {
    size: B, actorOut: f(B * 3), actions: Float32Array.from({ length: B }, (_, i) => i % 3), oldLogProbs: Float32Array.from({ length: B }, () => Math.log(1 / 3)),
    advantages: f(B),
  };
  const values = f(B * H);
  const returns = f(B * H);
  // Old values within and beyond ε̂ of the values, so both clip branches are taken.
  const oldValues = Float32Array.from(values, (v, j) => v + (j % 2 ? 0.05 : 0.6));
  const grads = (n: number) => ({ dActorOut: new Float32Array(B * 3), dValues: new Float32Array(n), dLogStd: null });

  for (const clipVloss of [true, false]) {
    const coef: LossCoefficients = { clipCoef: 0.2, valueClipCoef: 0.2, entCoef: 0.01, vfCoef: 0.5, clipVloss, normAdv: true };
    it(`is the mean of the heads' value losses, policy part untouched (clipVloss ${clipVloss})`, () => {
      const g2 = grads(B * H);
      const both = ppoLoss(dist, null, { ...base, values, returns, oldValues, valueHeads: H }, coef, g2);
      const heads = [0, 1].map((h) => {
        const g1 = grads(B);
        const part = (a: Float32Array) => a.slice(h * B, (h + 1) * B);
        const s = ppoLoss(dist, null, { ...base, values: part(values), returns: part(returns), oldValues: part(oldValues) }, coef, g1);
        return { s, g1 };
      });
      expect(both.valueLoss).toBeCloseTo((heads[0]!.s.valueLoss + heads[1]!.s.valueLoss) / 2, 6);
      expect(both.policyLoss).toBe(heads[0]!.s.policyLoss);
      expect(both.entropy).toBe(heads[0]!.s.entropy);
      expect(g2.dActorOut).toEqual(heads[0]!.g1.dActorOut);
      for (let h = 0; h < H; h++) for (let i = 0; i < B; i++) expect(g2.dValues[h * B + i]).toBeCloseTo(heads[h]!.g1.dValues[i]! / 2, 7);
    });

    it(`its value gradient matches finite differences of the loss (clipVloss ${clipVloss})`, () => {
      const g = grads(B * H);
      ppoLoss(dist, null, { ...base, values, returns, oldValues, valueHeads: H }, coef, g);
      const lossAt = (v: Float64Array) => {
        // In float64, so the difference quotient is not float32 rounding.
        let sum = 0;
        for (let j = 0; j < B * H; j++) {
          const err = v[j]! - returns[j]!;
          const clippedV = oldValues[j]! + Math.min(Math.max(v[j]! - oldValues[j]!, -0.2), 0.2);
          sum += clipVloss ? Math.max(err * err, (clippedV - returns[j]!) ** 2) : err * err;
        }
        return 0.5 * 0.5 * sum / (B * H);
      };
      const eps = 1e-6;
      for (let j = 0; j < B * H; j++) {
        const up = Float64Array.from(values);
        const down = Float64Array.from(values);
        up[j]! += eps;
        down[j]! -= eps;
        expect(g.dValues[j], `dValues[${j}]`).toBeCloseTo((lossAt(up) - lossAt(down)) / (2 * eps), 5);
      }
    });
  }

  it('one head (valueHeads omitted or 1) is the same loss, bit for bit', () => {
    const coef: LossCoefficients = { clipCoef: 0.2, valueClipCoef: 0.2, entCoef: 0.01, vfCoef: 0.5, clipVloss: true, normAdv: true };
    const batch: LossBatch = { ...base, values: values.slice(0, B), returns: returns.slice(0, B), oldValues: oldValues.slice(0, B) };
    const a = grads(B);
    const b = grads(B);
    expect(ppoLoss(dist, null, batch, coef, a)).toEqual(ppoLoss(dist, null, { ...batch, valueHeads: 1 }, coef, b));
    expect(a.dValues).toEqual(b.dValues);
  });
});

describe('Policy acting with a value head per reward signal', () => {
  for (const H of [2, 3]) {
    for (const forward of ['js', 'kernels'] as const) {
      it(`${H} heads (${forward}): the extrinsic value where it always was, the others head-major beside it, as the engine computes them`, () => {
        const layout = new ActorCriticLayout(6, [16, 8], 3, false, undefined, H);
        const rng = new Rng(5);
        const params = layout.initialize(rng, 0);
        for (let i = 0; i < params.length; i++) params[i]! += 0.3 * rng.normal();
        const B = 5;
        const obs = Float32Array.from({ length: B * 6 }, () => rng.normal());
        const policy = new Policy(layout, new ActionDistribution({ kind: 'discrete', n: 3 }), params, 8, forward);
        expect(policy.forward).toBe(forward);
        const values = new Float32Array(B);
        const signals = new Float32Array(B * (H - 1));
        policy.act(obs, B, new Rng(1), null, new Float32Array(B), new Float32Array(B), values, signals);
        const engine = new KernelsEngine(layout, 8);
        engine.setParams(params);
        const ref = engine.forward(obs, B).values;
        for (let n = 0; n < B; n++) expect(Math.abs(values[n]! - ref[n]!), `values[${n}]`).toBeLessThan(3e-6);
        for (let j = 0; j < B * (H - 1); j++) expect(Math.abs(signals[j]! - ref[B + j]!), `signalValues[${j}]`).toBeLessThan(3e-6);
        // Without a signal buffer the extrinsic values come out alone, the same.
        const alone = new Float32Array(B);
        policy.values(obs, B, alone);
        expect(alone).toEqual(values);
        engine.dispose();
      });
    }
  }
});

describe('brains and GAIL value heads', () => {
  const base = cartpoleTestBrain();
  const withGail = (gail: Record<string, unknown>) => {
    const config = resolveConfig({ hiddenSizes: [8, 8], normalizeObs: true, gail: gail as unknown as GailConfig });
    return { ...base, config, params: layoutOf({ ...base, config }).initialize(new Rng(3), 0) };
  };
  const roundTrip = (brain: Brain, edit: (m: { config: { gail: Record<string, unknown> } }) => void = () => undefined) => {
    const { manifest, weights } = encodeBrain(brain);
    const json = JSON.parse(JSON.stringify(manifest)) as { config: { gail: Record<string, unknown> } };
    edit(json);
    return decodeBrain(json, weights);
  };

  it('a GAIL brain has a two-output critic and keeps gail.gamma', () => {
    const brain = withGail({ strength: 0.1, gamma: 0.9 });
    const layout = layoutOf(brain);
    expect(layout.valueHeads).toBe(2);
    expect(layout.critic[layout.critic.length - 1]!.outSize).toBe(2);
    const back = roundTrip(brain);
    expect(back.config.gail!.gamma).toBe(0.9);
    expect(back.params).toEqual(brain.params);
  });

  it('a GAIL brain saved before gail.gamma existed loads as it was trained: one critic output, GAIL sharing it (gamma null)', () => {
    const old = withGail({ strength: 0.1, gamma: null });
    expect(layoutOf(old).valueHeads).toBe(1);
    const back = roundTrip(old, (m) => { delete m.config.gail.gamma; });
    expect(back.config.gail!.gamma).toBeNull();
    expect(layoutOf(back).valueHeads).toBe(1);
    expect(back.params).toEqual(old.params);
  });

  it("refuses a two-output critic whose manifest lost gail.gamma, naming the critic's head tensor", () => {
    expect(() => roundTrip(withGail({ strength: 0.1 }), (m) => { delete m.config.gail.gamma; }))
      .toThrow(/weightsManifest\[0\]\.weights\[\d+\] is .*critic\/dense_2\/kernel.*\[8,2\].* expected .*\[8,1\]/);
  });
});

describe('the learner with GAIL value heads', () => {
  const demo = syntheticDemo(5);
  const dist = new ActionDistribution(demo.actionSpace);
  const fields = { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2, totalSteps: 64 * 2 * 10, hiddenSizes: [16, 16], seed: 3 };
  const rollout = (signals: number) => syntheticDemoRollout(new Rng(7), signals);
  function learner(gail: Partial<GailConfig>) {
    const config = resolveConfig({ ...fields, gail: { strength: 0.5, ...gail } });
    const l = new PPOLearner({ observationSize: 5, actionSpace: demo.actionSpace, config, engine: new KernelsEngine(ActorCriticLayout.forBehavior(5, undefined, config, dist)) });
    l.setDemonstrations(demo, null);
    return l;
  }

  it("says what is missing when GAIL has its own value head and the rollout lacks that head's values", () => {
    expect(() => learner({}).train(rollout(0))).toThrow(/^rollout\.signalValues is missing: the critic has 2 value heads \(config\.gail\.gamma gives GAIL its own\)/);
    const r = rollout(1);
    r.signalValues!.lastValues = new Float32Array(1);
    expect(() => learner({}).train(r)).toThrow(/^rollout\.signalValues\.lastValues has 1 entries, expected 2$/);
    const nan = rollout(1);
    nan.signalValues!.values[3] = NaN;
    expect(() => learner({}).train(nan)).toThrow(/^rollout\.signalValues\.values holds NaN at index 3/);
  });

  it("GAIL's gamma is what its head's targets discount with: the same rollout trains differently under another gamma, the extrinsic head alike", () => {
    const a = learner({ gamma: 0.99 });
    const b = learner({ gamma: 0.5 });
    const sa = a.train(rollout(1));
    const sb = b.train(rollout(1));
    expect(sa.gailValue).toBe(sb.gailValue);
    // Same discriminator stream and rewards; only GAIL's discount differs, and so do the weights.
    expect(sa.gailLoss).toBe(sb.gailLoss);
    let diff = 0;
    for (let i = 0; i < a.params.length; i++) diff = Math.max(diff, Math.abs(a.params[i]! - b.params[i]!));
    expect(diff).toBeGreaterThan(1e-4);
  });

  it('with gamma null GAIL shares the one-output critic and the extrinsic gamma (the behaviour before gail.gamma)', () => {
    const l = learner({ gamma: null });
    expect(l.layout.valueHeads).toBe(1);
    const s = l.train(rollout(0));
    expect(s.gailValue).toBeUndefined();
    expect(s.gailRewardShare).toBeGreaterThan(0);
  });
});
