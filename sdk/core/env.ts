import type { Action, BoxSpace, Space } from './spaces.js';

/** What `Env.step` returns, as in Gymnasium. */
export interface StepResult {
  observation: Float32Array;
  reward: number;
  /** The episode reached a terminal state: no future reward, do not bootstrap. */
  terminated: boolean;
  /** The episode was cut short (time limit): the state is not terminal, bootstrap from it. */
  truncated: boolean;
}

/**
 * A single environment with a Gymnasium-like contract. `reset` starts an episode; `step` advances
 * it. Observations are flat Float32Arrays of `observationSpace.size` finite numbers. The returned
 * observation may be a buffer the env reuses: callers copy what they keep.
 */
export interface Env {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  reset(seed?: number): Float32Array;
  step(action: Action): StepResult;
}

/** Builds the `index`-th copy of an environment (a `--env` module's default export). */
export type EnvFactory = (index: number) => Env;
