/**
 * A CartPole `--env` module whose copy 3 throws at its 300th step when played by an actor worker
 * (never in the main thread, which builds copy 0 to read the spaces): the actor-worker failure
 * tests (sdk/runtime/parallel-trainer.test.ts, sdk/cli/workers-cli.test.ts) use it.
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
    if (++this.played >= 300 && !isMainThread) throw new Error('copy 3 broke at its 300th step (test fixture)');
    return super.step(action);
  }
}

export default (index: number) => (index === 3 ? new CrashingCartPole(index) : new CartPole(index));
