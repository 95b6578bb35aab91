/**
 * Generalized Advantage Estimation (Schulman et al. 2016) and its off-policy form with truncated
 * Retrace traces (Munos et al. 2016), as one backward loop over Float32Arrays (the way
 * Stable-Baselines3 does it in numpy: no tensors, no kernels).
 *
 * Layout is time-major: index `t * numEnvs + e` is step t of environment e, as in CleanRL.
 */

export interface AdvantageInput {
  numSteps: number;
  numEnvs: number;
  gamma: number;
  lambda: number;
  rewards: Float32Array;
  /** V_old(s_t), recorded when acting. */
  values: Float32Array;
  /** 1 where step t ended its episode in a terminal state: no bootstrap. */
  terminated: Uint8Array;
  /** 1 where step t hit a time limit: bootstrap with finalValues[t], no continuation. */
  truncated: Uint8Array;
  /** V(final observation) where truncated; ignored elsewhere. */
  finalValues: Float32Array;
  /** V(s_N) per environment: bootstraps the rollout's last step. */
  lastValues: Float32Array;
  /**
   * log π(a_t|s_t) − log μ(a_t|s_t): the learner's policy against the one that acted. Omitted,
   * μ = π and every trace is λ, which is plain GAE.
   */
  logRatios?: Float32Array;
}

/**
 * Fills `advantages` (the policy's credit) and `returns` (the critic's targets).
 *
 * δ_t = r_t + γ V_next − V_t, with V_next = 0 after a termination, V(final obs) after a
 * truncation, V(s_{t+1}) otherwise (lastValues at the end of the rollout), and
 * A_t = δ_t + γ c_{t+1} (1 − done_t) A_{t+1}, c_i = λ min(1, π/μ) (λ when on-policy).
 * The trace starts at t+1 because a_t itself is given when crediting (s_t, a_t): see PPO.md.
 *
 * The critic's target is V-trace's (Espeholt et al. 2018, ρ̄ = c̄ = 1):
 * v_t = V_t + ρ_t δ_t + γ c_t (1 − done_t) (v_{t+1} − V_{t+1}), ρ_t = min(1, π/μ) at t, c_t = λ ρ_t.
 * A target for V(s_t) must weigh the first TD error too, because a_t was drawn by μ, not π (the
 * advantage above credits a given a_t, so it does not). Unrolled, v_t − V_t = ρ_t A_t, so
 * returns = V_t + ρ_t A_t: the same loop, one product more. On-policy ρ_t = 1 and this is GAE's
 * A_t + V_t. V is the acting critic's (`values`): the rollout carries that critic's values of the
 * bootstrap observations (finalValues, lastValues), which are not in the rollout, and V-trace's
 * target is consistent for any fixed baseline V, while mixing two critics in one δ would not be.
 */
export function computeAdvantages(input: AdvantageInput, advantages: Float32Array, returns: Float32Array): void {
  const { numSteps, numEnvs, gamma, lambda, rewards, values, terminated, truncated, finalValues, lastValues, logRatios } = input;
  const n = numSteps * numEnvs;
  for (const [name, arr] of [['rewards', rewards], ['values', values], ['terminated', terminated], ['truncated', truncated], ['finalValues', finalValues], ['advantages', advantages], ['returns', returns]] as const) {
    if (arr.length < n) throw new RangeError(`computeAdvantages: ${name} has ${arr.length} entries, expected ${n} (numSteps × numEnvs)`);
  }
  if (lastValues.length < numEnvs) throw new RangeError(`computeAdvantages: lastValues has ${lastValues.length} entries, expected ${numEnvs}`);

  for (let e = 0; e < numEnvs; e++) {
    let lastGaeLam = 0;
    for (let t = numSteps - 1; t >= 0; t--) {
      const i = t * numEnvs + e;
      const isLast = t === numSteps - 1;
      let nextValue: number;
      let nextNonTerminal: number;
      if (terminated[i]) {
        nextValue = 0;
        nextNonTerminal = 0;
      } else if (truncated[i]) {
        nextValue = finalValues[i]!;
        nextNonTerminal = 0;
      } else {
        nextValue = isLast ? lastValues[e]! : values[i + numEnvs]!;
        nextNonTerminal = 1;
      }
      const delta = rewards[i]! + gamma * nextValue - values[i]!;
      let trace = lambda;
      if (logRatios && !isLast && nextNonTerminal) trace = lambda * Math.min(1, Math.exp(logRatios[i + numEnvs]!));
      lastGaeLam = delta + gamma * trace * nextNonTerminal * (isLast ? 0 : lastGaeLam);
      advantages[i] = lastGaeLam;
      const rho = logRatios ? Math.min(1, Math.exp(logRatios[i]!)) : 1;
      returns[i] = rho * lastGaeLam + values[i]!;
    }
  }
}

/**
 * One reward signal of {@link computeSignalAdvantages}: its discount, its rewards and its value
 * head's V(s_t), V(final observation) and V(s_N) (as {@link AdvantageInput}'s).
 */
export interface RewardSignalInput {
  gamma: number;
  rewards: Float32Array;
  values: Float32Array;
  finalValues: Float32Array;
  lastValues: Float32Array;
}

/**
 * Advantages with a value head and a discount per reward signal (ML-Agents' reward signals: the
 * extrinsic reward and GAIL's each have their own γ and critic output). Each signal's advantages
 * and critic targets come from {@link computeAdvantages} with its own γ (Retrace traces and
 * V-trace targets as there, with the shared `logRatios`); the policy's advantage is their sum.
 *
 * Summed rather than averaged (ML-Agents averages): GAE is linear in rewards and values, so with
 * equal γ the sum is exactly one critic's advantage of the summed reward, the shared-γ behaviour;
 * with per-minibatch advantage normalization the two differ only by the 1e-8 guard.
 *
 * `returns` holds one block of N critic targets per signal, head-major (signal h at h·N), the
 * order the engines' values come in; `scratch` (N entries) takes the signals after the first.
 * One signal is exactly {@link computeAdvantages}.
 */
export function computeSignalAdvantages(shared: Omit<AdvantageInput, 'gamma' | 'rewards' | 'values' | 'finalValues' | 'lastValues'>,
  signals: readonly RewardSignalInput[], advantages: Float32Array, returns: Float32Array, scratch: Float32Array): void {
  const n = shared.numSteps * shared.numEnvs;
  if (signals.length < 1) throw new RangeError('computeSignalAdvantages: needs at least one reward signal');
  if (returns.length < n * signals.length) throw new RangeError(`computeSignalAdvantages: returns has ${returns.length} entries, expected ${n * signals.length} (one block of numSteps × numEnvs per signal)`);
  signals.forEach((signal, h) => {
    const target = h === 0 ? advantages : scratch;
    computeAdvantages({ ...shared, ...signal }, target, returns.subarray(h * n, (h + 1) * n));
    if (h > 0) for (let i = 0; i < n; i++) advantages[i]! += scratch[i]!;
  });
}
