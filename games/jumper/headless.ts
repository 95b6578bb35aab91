/**
 * Jumper without a view, for fast mode, tests and the CLI (`npm run train -- jumper`): one copy
 * is one world with one jumper. Its `gapWidth` parameter defaults to a curriculum from no gap to
 * the hard 140 px gap; give `environmentParameters: { gapWidth: 140 }` to train on the hard gap
 * directly.
 */
import type { OneBehaviorGame } from '../../sdk/runtime/game.js';
import type { EnvironmentParameters } from '../../sdk/runtime/env-params.js';
import { Rng } from '../../sdk/core/rng.js';
import { JUMPER_ACTIONS, JUMPER_OBSERVATIONS, JumperAgent } from './agent.js';
import { JumperWorld } from './sim.js';

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

const jumper = {
  name: 'jumper',
  observationSize: JUMPER_OBSERVATIONS,
  actionSpec: JUMPER_ACTIONS,
  // 16 jumpers × 64 decisions = 1,024 transitions per update; a quicker learning rate than the default.
  config: { numEnvs: 16, numSteps: 64, learningRate: 1e-3, schedule: 'constant' as const, totalSteps: 150_000 },
  // Mean return = share of rounds that reach the flag.
  solvedAt: 0.8,
};

export const jumperGame: OneBehaviorGame = {
  ...jumper,
  behaviors: [jumper],
  copies: 16,
  environmentParameters: JUMPER_CURRICULUM,
  createCopy(index, seed, ctx) {
    const world = new JumperWorld();
    const agent = new JumperAgent(world, ctx.params, new Rng(seed * 1000 + index), `jumper-${index}`);
    ctx.addAgent(jumper.name, agent);
    return { step: () => { world.step(); agent.judge(); } };
  },
};

export default jumperGame;
