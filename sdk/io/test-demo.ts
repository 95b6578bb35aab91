/** Small demonstrations the demonstration tests (unit, fuzz) share. Test-only. */
import { Rng } from '../core/rng.js';
import { Box, Discrete, Hybrid, MultiDiscrete } from '../core/spaces.js';
import { ActionDistribution } from '../rl/distributions.js';
import { allocateRollout, type Rollout } from '../rl/rollout.js';
import type { DemonstrationData } from './demonstration-data.js';

/** {@link syntheticDemo}'s action space: one continuous value and one choice of 4. */
const SYNTHETIC_SPACE = Hybrid(Box(-10, 10, 1), MultiDiscrete([4]));

/** 5 decisions in 2 episodes (3 terminated, 2 truncated) of 3 observations and Discrete(3) choices, masked. */
export function discreteTestDemo(): DemonstrationData {
  return {
    behavior: 'walker', observationSize: 3, actionSpace: Discrete(3), steps: 5,
    observations: Float32Array.from([0, 1, 2, 0.5, -1, 3, 1e6, 0, -2, 0, 0, 0, 7, 8, 9]),
    actions: Float32Array.from([0, 1, 2, 1, 0]),
    masks: Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1]),
    rewards: Float32Array.from([1, 2, 3.5, -1, 0.25]),
    ends: Uint8Array.from([0, 0, 1, 0, 2]),
  };
}

/** 3 decisions in 1 episode, hybrid actions (2 continuous in [-1, 1] and [0, 0.1], branches 2 and 3), unmasked. */
export function hybridTestDemo(): DemonstrationData {
  return {
    behavior: 'lander', observationSize: 2, actionSpace: Hybrid(Box([-1, 0], [1, 0.1]), MultiDiscrete([2, 3])), steps: 3,
    observations: Float32Array.from([0, 1, 2, 3, 4, 5]),
    actions: Float32Array.from([-1, Math.fround(0.1), 1, 2, 0.5, 0, 0, 0, 1, 0.05, 1, 1]),
    masks: null,
    rewards: Float32Array.from([-0.5, 0, 10]),
    ends: Uint8Array.from([0, 0, 1]),
  };
}

/**
 * A demonstrator of Hybrid(Box(1), MultiDiscrete([4])): choice = the largest of obs[0..3] among the
 * allowed ones (one choice masked per row), continuous = obs[4] / 2. 40 episodes of 25 decisions.
 */
export function syntheticDemo(seed: number): DemonstrationData {
  const rng = new Rng(seed);
  const steps = 40 * 25;
  const observations = Float32Array.from({ length: steps * 5 }, () => rng.normal());
  const actions = new Float32Array(steps * 2);
  const masks = new Uint8Array(steps * 4).fill(1);
  const ends = new Uint8Array(steps);
  for (let i = 0; i < steps; i++) {
    masks[i * 4 + rng.int(4)] = 0;
    let best = -1;
    for (let j = 0; j < 4; j++) if (masks[i * 4 + j] && (best < 0 || observations[i * 5 + j]! > observations[i * 5 + best]!)) best = j;
    actions[i * 2] = observations[i * 5 + 4]! / 2;
    actions[i * 2 + 1] = best;
    if (i % 25 === 24) ends[i] = i % 50 === 49 ? 2 : 1;
  }
  return { behavior: 'synthetic', observationSize: 5, actionSpace: SYNTHETIC_SPACE, steps, observations, actions, masks, rewards: new Float32Array(steps), ends };
}

/**
 * A rollout of {@link syntheticDemo}'s behavior, 64 decisions × 2 agents, every field drawn from
 * `rng` (actions valid, masks all open), with `signals` extra value heads (GAIL's own: 1): what
 * the learners that also take these demonstrations train on.
 */
export function syntheticDemoRollout(rng: Rng, signals = 1): Rollout {
  const dist = new ActionDistribution(SYNTHETIC_SPACE);
  const r = allocateRollout(64, 2, 5, dist.actionSize, dist.maskSize, false, signals);
  r.observations.forEach((_, i) => { r.observations[i] = rng.normal(); });
  for (let i = 0; i < 128; i++) { r.actions[i * 2] = rng.normal(); r.actions[i * 2 + 1] = rng.int(4); }
  r.masks!.fill(1);
  r.logProbs.forEach((_, i) => { r.logProbs[i] = -2 + 0.2 * rng.normal(); });
  r.values.forEach((_, i) => { r.values[i] = rng.normal(); });
  const sv = r.signalValues;
  if (sv) for (const a of [sv.values, sv.finalValues, sv.lastValues]) a.forEach((_, i) => { a[i] = rng.normal(); });
  r.rewards.forEach((_, i) => { r.rewards[i] = rng.normal(); });
  return r;
}
