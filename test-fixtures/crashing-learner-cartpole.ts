/**
 * A CartPole `--env` module whose copy 0 throws at its 300th step when played in the main thread:
 * with overlapping `--workers N` the learner's own thread plays worker 1's copies (0 first), so
 * this is a failure of the learner thread's actor, which no restart covers
 * (sdk/cli/workers-cli.test.ts). Actor worker threads play it without fault.
 */
import { isMainThread } from 'node:worker_threads';
import type { StepResult } from '../sdk/core/env.js';
import type { Action } from '../sdk/core/spaces.js';
import { CartPole } from '../sdk/envs/cartpole.js';
import type { PPOConfig } from '../sdk/rl/config.js';

export const config: Partial<PPOConfig> = { numEnvs: 4, numSteps: 32, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16], totalSteps: 32 * 4 * 40 };

class CrashingCartPole extends CartPole {
  /** Not `steps`: CartPole counts its episode's steps under that name. */
  private played = 0;
  override step(action: Action): StepResult {
    if (++this.played >= 300 && isMainThread) throw new Error('copy 0 broke at its 300th step in the learner\'s thread (test fixture)');
    return super.step(action);
  }
}

export default (index: number) => (index === 0 ? new CrashingCartPole(index) : new CartPole(index));
