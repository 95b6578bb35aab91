/**
 * Rollouts of several actors as the one rollout a single thread would have filled: used by the
 * learner of Node's actor workers (parallel-trainer.ts) and of the page's (fast-actors.ts), so it
 * loads in a browser worker too.
 */
import { allocateRollout, type Rollout } from '../rl/rollout.js';

/** The workers' rollouts as one, their columns side by side in worker order (time-major rows). */
export function joinRollouts(parts: readonly Rollout[]): Rollout {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const T = first.numSteps;
  const E = parts.reduce((n, p) => n + p.numEnvs, 0);
  const obsSize = first.observations.length / (T * first.numEnvs);
  const actSize = first.actions.length / (T * first.numEnvs);
  const maskSize = first.masks ? first.masks.length / (T * first.numEnvs) : 0;
  const out = allocateRollout(T, E, obsSize, actSize, maskSize, parts.some((p) => p.versions !== null));
  out.policyVersion = Math.min(...parts.map((p) => p.policyVersion));
  let col = 0;
  for (const p of parts) {
    if (p.numSteps !== T) throw new Error(`joinRollouts: rollouts of ${T} and ${p.numSteps} steps`);
    const e = p.numEnvs;
    for (let t = 0; t < T; t++) {
      const src = t * e;
      const dst = t * E + col;
      out.observations.set(p.observations.subarray(src * obsSize, (src + e) * obsSize), dst * obsSize);
      out.actions.set(p.actions.subarray(src * actSize, (src + e) * actSize), dst * actSize);
      if (out.masks && p.masks) out.masks.set(p.masks.subarray(src * maskSize, (src + e) * maskSize), dst * maskSize);
      out.logProbs.set(p.logProbs.subarray(src, src + e), dst);
      out.values.set(p.values.subarray(src, src + e), dst);
      out.rewards.set(p.rewards.subarray(src, src + e), dst);
      out.terminated.set(p.terminated.subarray(src, src + e), dst);
      out.truncated.set(p.truncated.subarray(src, src + e), dst);
      out.finalValues.set(p.finalValues.subarray(src, src + e), dst);
    }
    out.lastValues.set(p.lastValues, col);
    col += e;
  }
  if (out.versions) {
    // A row's version is the oldest any worker acted with there.
    for (let t = 0; t < T; t++) out.versions[t] = Math.min(...parts.map((p) => (p.versions ? p.versions[t]! : p.policyVersion)));
  }
  return out;
}

