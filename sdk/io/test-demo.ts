/** Small demonstrations the demonstration tests (unit, fuzz) share. Test-only. */
import { Box, Discrete, Hybrid, MultiDiscrete } from '../core/spaces.js';
import type { DemonstrationData } from './demonstration-data.js';

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
