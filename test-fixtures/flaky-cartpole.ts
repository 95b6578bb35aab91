/**
 * A CartPole `--env` module whose copy 3 throws at its `FLAKY_AT`-th step (default 100) in an
 * actor worker's first `FLAKY_CRASHES` incarnations (default 1; `incarnation` counts the workers
 * an actor had before this one), never in the main thread: the actor-worker restart tests
 * (sdk/runtime/parallel-trainer.test.ts). A worker's `process.env` is a copy of its parent's
 * taken when it starts, so a test sets these before starting the trainer.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import type { StepResult } from '../sdk/core/env.js';
import type { Action } from '../sdk/core/spaces.js';
import { CartPole } from '../sdk/envs/cartpole.js';
import type { PPOConfig } from '../sdk/rl/config.js';

export const config: Partial<PPOConfig> = { numEnvs: 4, numSteps: 32, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16], totalSteps: 32 * 4 * 40 };

const crashAt = Number(process.env.FLAKY_AT ?? 100);
const crashes = Number(process.env.FLAKY_CRASHES ?? 1);
const incarnation = isMainThread ? -1 : Number((workerData as { incarnation?: number } | null)?.incarnation ?? 0);

class FlakyCartPole extends CartPole {
  /** Not `steps`: CartPole counts its episode's steps under that name. */
  private played = 0;
  override step(action: Action): StepResult {
    if (++this.played >= crashAt && incarnation >= 0 && incarnation < crashes) throw new Error(`copy 3 broke at its ${crashAt}th step in incarnation ${incarnation} (test fixture)`);
    return super.step(action);
  }
}

export default (index: number) => (index === 3 ? new FlakyCartPole(index) : new CartPole(index));
