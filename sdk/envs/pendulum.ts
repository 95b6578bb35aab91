/**
 * Gymnasium Pendulum-v1, step for step: swing a pendulum up and hold it with a bounded torque
 * (gymnasium/envs/classic_control/pendulum.py). Never terminates; 200-step time limit.
 */
import type { Env, EnvFactory, StepResult } from '../core/env.js';
import { Rng } from '../core/rng.js';
import { Box, type Action } from '../core/spaces.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const G = 10.0;
const M = 1.0;
const L = 1.0;
const MAX_EPISODE_STEPS = 200;

const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** Wraps an angle to [−π, π) with Python's floored modulo, as Gymnasium's `angle_normalize`. */
export function angleNormalize(x: number): number {
  const twoPi = 2 * Math.PI;
  return ((((x + Math.PI) % twoPi) + twoPi) % twoPi) - Math.PI;
}

/**
 * Observation `[cos θ, sin θ, θdot]`, action `[torque]` in [−2, 2], reward
 * −(θ² + 0.1 θdot² + 0.001 u²) with θ normalized (0 is upright).
 *
 * @example
 * const env = new Pendulum();
 * env.reset(0);
 * const { reward } = env.step(Float32Array.of(0.5));
 */
export class Pendulum implements Env {
  readonly observationSpace = Box([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED]);
  readonly actionSpace = Box(-MAX_TORQUE, MAX_TORQUE, 1);
  /** `[θ, θdot]` in float64; public so tests can place the pendulum. */
  readonly state = new Float64Array(2);
  private rng: Rng;
  private steps = 0;
  private readonly obs = new Float32Array(3);

  constructor(seed = 0) {
    this.rng = new Rng(seed);
  }

  /** New episode with θ uniform in [−π, π], θdot in [−1, 1]; `seed` restarts the random stream. */
  reset(seed?: number): Float32Array {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.state[0] = this.rng.uniform(-Math.PI, Math.PI);
    this.state[1] = this.rng.uniform(-1, 1);
    this.steps = 0;
    return this.observe();
  }

  step(action: Action): StepResult {
    const th = this.state[0]!;
    const thdot = this.state[1]!;
    const u = clip(typeof action === 'number' ? action : action[0]!, -MAX_TORQUE, MAX_TORQUE);
    const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;

    const newthdot = clip(thdot + ((3 * G) / (2 * L) * Math.sin(th) + (3.0 / (M * L ** 2)) * u) * DT, -MAX_SPEED, MAX_SPEED);
    this.state[0] = th + newthdot * DT;
    this.state[1] = newthdot;
    this.steps++;
    return { observation: this.observe(), reward: -costs, terminated: false, truncated: this.steps >= MAX_EPISODE_STEPS };
  }

  private observe(): Float32Array {
    const th = this.state[0]!;
    this.obs[0] = Math.cos(th);
    this.obs[1] = Math.sin(th);
    this.obs[2] = this.state[1]!;
    return this.obs;
  }
}

/** {@link EnvFactory} for Pendulum; copy `index` starts from seed `index`. */
export const createPendulum: EnvFactory = (index) => new Pendulum(index);
