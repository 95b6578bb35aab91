/** Jumper's environment parameter `gapWidth`: the hard setting and the default curriculum towards it. */
import type { EnvironmentParameters } from '../../sdk/runtime/env-params.js';

/** The hard setting: a gap the ball clears only at full speed, jumping within ~30 px of the edge. */
export const JUMPER_HARD_GAP = 150;

/**
 * The default curriculum: each lesson ends when 80% of the last 40 rounds in it reached the flag
 * (mean return ≥ 0.8; the return is 1 at the flag, 0 otherwise), then the gap widens.
 */
export const JUMPER_CURRICULUM: EnvironmentParameters = {
  gapWidth: {
    curriculum: [
      { name: 'none', value: 0, completionCriteria: { threshold: 0.8, minLessonLength: 32 } },
      { name: 'narrow', value: 40, completionCriteria: { threshold: 0.8, minLessonLength: 32 } },
      { name: 'medium', value: 100, completionCriteria: { threshold: 0.8, minLessonLength: 32 } },
      { name: 'wide', value: JUMPER_HARD_GAP },
    ],
  },
};
