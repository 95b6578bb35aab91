import { describe, it, expect } from 'vitest';
import { computeAdvantages } from './gae.js';
import { loadOracle } from '../../test-fixtures/oracle.js';

const oracle = loadOracle();
const f32 = (a: number[]) => Float32Array.from(a);
const u8 = (a: boolean[]) => Uint8Array.from(a, (b) => (b ? 1 : 0));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(actual[i]! - expected[i]!) / scale, `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThan(tol);
  }
}

describe('computeAdvantages (GAE)', () => {
  it('matches hand-computed values with a termination and a truncation in one rollout', () => {
    // Four steps, one env, γ = 0.5, λ = 0.5. Step 1 is truncated (bootstrap 10), step 2 terminates.
    const adv = new Float32Array(4);
    const ret = new Float32Array(4);
    computeAdvantages({
      numSteps: 4, numEnvs: 1, gamma: 0.5, lambda: 0.5,
      rewards: f32([1, 2, 3, 4]), values: f32([1, 1, 1, 1]),
      terminated: u8([false, false, true, false]), truncated: u8([false, true, false, false]),
      finalValues: f32([0, 10, 0, 0]), lastValues: f32([2]),
    }, adv, ret);
    const d3 = 4 + 0.5 * 2 - 1; // last step bootstraps V(s_N) = 2
    const d2 = 3 - 1; // terminal: no bootstrap, no continuation
    const d1 = 2 + 0.5 * 10 - 1; // truncated: bootstrap the final observation's value, no continuation
    const d0 = 1 + 0.5 * 1 - 1;
    const a1 = d1;
    const a0 = d0 + 0.25 * a1;
    expectClose(adv, [a0, a1, d2, d3], 1e-6);
    expectClose(ret, [a0 + 1, a1 + 1, d2 + 1, d3 + 1], 1e-6);
  });

  it('interleaves environments time-major and keeps them independent', () => {
    const adv = new Float32Array(4);
    const ret = new Float32Array(4);
    // env 0 rewards [1, 1], env 1 rewards [0, 0]; env 1 terminates at t = 0.
    computeAdvantages({
      numSteps: 2, numEnvs: 2, gamma: 1, lambda: 1,
      rewards: f32([1, 0, 1, 0]), values: f32([0, 0, 0, 0]),
      terminated: u8([false, true, false, false]), truncated: u8([false, false, false, false]),
      finalValues: f32([0, 0, 0, 0]), lastValues: f32([5, 7]),
    }, adv, ret);
    expectClose(adv, [7, 0, 6, 7], 1e-6);
  });

  for (const [k, cs] of oracle.gae.entries()) {
    it(`matches the PyTorch oracle, case ${k}`, () => {
      const n = cs.rewards.length;
      const adv = new Float32Array(n);
      const ret = new Float32Array(n);
      computeAdvantages({
        numSteps: n, numEnvs: 1, gamma: cs.gamma, lambda: cs.lambda,
        rewards: f32(cs.rewards), values: f32(cs.values),
        terminated: u8(cs.terminated), truncated: u8(cs.truncated),
        finalValues: f32(cs.finalValues), lastValues: f32([cs.lastValue]),
      }, adv, ret);
      expectClose(adv, cs.advantages);
      expectClose(ret, cs.returns);
    });
  }
});

describe('computeAdvantages with Retrace traces', () => {
  for (const [k, cs] of oracle.retraceGae.entries()) {
    const n = cs.rewards.length;
    const run = (logRatios?: Float32Array) => {
      const adv = new Float32Array(n);
      const ret = new Float32Array(n);
      computeAdvantages({
        numSteps: n, numEnvs: 1, gamma: cs.gamma, lambda: cs.lambda,
        rewards: f32(cs.rewards), values: f32(cs.values),
        terminated: u8(cs.dones), truncated: new Uint8Array(n),
        finalValues: new Float32Array(n), lastValues: f32([cs.lastValue]),
        ...(logRatios ? { logRatios } : {}),
      }, adv, ret);
      return { adv, ret };
    };

    it(`matches the PyTorch oracle, case ${k}`, () => {
      const logRatios = Float32Array.from(cs.targetLogProb, (t, i) => t - cs.behaviourLogProb[i]!);
      const { adv, ret } = run(logRatios);
      expectClose(adv, cs.advantages);
      // The oracle's returns are A + V (Retrace's Q-style target); the critic's V-trace target
      // weighs the first TD error by ρ_t = min(1, π/μ): V + ρ_t A_t (gae.ts).
      expectClose(ret, cs.advantages.map((a, i) => cs.values[i]! + Math.min(1, Math.exp(logRatios[i]!)) * a));
    });

    it(`reduces exactly to GAE with zero lag, case ${k}`, () => {
      const gae = run();
      const zeroLag = run(new Float32Array(n));
      expect(Array.from(zeroLag.adv)).toEqual(Array.from(gae.adv));
      // Lag only ever shortens traces: a policy that moved away cuts credit, never adds it.
      const lagged = run(Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -2 : 0.5)));
      expect(Array.from(lagged.adv)).not.toEqual(Array.from(gae.adv));
    });
  }

  it('cuts the trace by π/μ on a hand-computed lagged case', () => {
    // Two steps, γ = 1, λ = 1, zero values: A_1 = r_1 = 2; A_0 = r_0 + c_1 A_1 with c_1 = min(1, e^{log 0.25}).
    const adv = new Float32Array(2);
    const ret = new Float32Array(2);
    computeAdvantages({
      numSteps: 2, numEnvs: 1, gamma: 1, lambda: 1,
      rewards: f32([1, 2]), values: f32([0, 0]), terminated: new Uint8Array(2), truncated: new Uint8Array(2),
      finalValues: new Float32Array(2), lastValues: f32([0]), logRatios: f32([Math.log(3), Math.log(0.25)]),
    }, adv, ret);
    expectClose(adv, [1 + 0.25 * 2, 2], 1e-6);
  });

  it("gives the critic V-trace's target, the first TD error weighed by ρ, on a hand-computed case", () => {
    // Three steps, γ = 0.5, λ = 1, values [1, 2, 3], V(s_3) = 4, rewards [1, 1, 1].
    // π/μ = [2, 0.5, 0.25]: ρ = c = [1, 0.5, 0.25].
    // δ = r + γ V_next − V: δ_0 = 1 + 1 − 1 = 1, δ_1 = 1 + 1.5 − 2 = 0.5, δ_2 = 1 + 2 − 3 = 0.
    // IMPALA's definition, term by term: v_s = V_s + Σ_t γ^{t−s} (Π_{i=s}^{t−1} c_i) ρ_t δ_t.
    const v2 = 3 + 0.25 * 0;
    const v1 = 2 + 0.5 * 0.5 + 0.5 * (0.5 * 0.25 * 0);
    const v0 = 1 + 1 * 1 + 0.5 * (1 * 0.5 * 0.5) + 0.25 * (1 * 0.5 * 0.25 * 0);
    // The advantage credits a given a_t: no ρ on its own TD error, traces from t + 1.
    const a2 = 0;
    const a1 = 0.5 + 0.5 * 0.25 * a2;
    const a0 = 1 + 0.5 * 0.5 * a1;
    const adv = new Float32Array(3);
    const ret = new Float32Array(3);
    computeAdvantages({
      numSteps: 3, numEnvs: 1, gamma: 0.5, lambda: 1,
      rewards: f32([1, 1, 1]), values: f32([1, 2, 3]), terminated: new Uint8Array(3), truncated: new Uint8Array(3),
      finalValues: new Float32Array(3), lastValues: f32([4]), logRatios: f32([Math.log(2), Math.log(0.5), Math.log(0.25)]),
    }, adv, ret);
    expectClose(adv, [a0, a1, a2], 1e-6);
    expectClose(ret, [v0, v1, v2], 1e-6);
    expect(v1).toBe(2.25); // ρ_1 = 0.5 halves δ_1 in the target; A_1 + V_1 would be 2.5
  });
});
