/**
 * Gymnasium CartPole-v1, step for step: the same constants, Euler integration, thresholds, reward
 * and 500-step time limit, so returns compare with published baselines (Barto, Sutton & Anderson
 * 1983; gymnasium/envs/classic_control/cartpole.py).
 */
import type { Env, EnvFactory, StepResult } from '../core/env.js';
import { EnvError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete, type Action } from '../core/spaces.js';

const GRAVITY = 9.8;
const MASSCART = 1.0;
const MASSPOLE = 0.1;
const TOTAL_MASS = MASSPOLE + MASSCART;
/** Half the pole's length, as in Gymnasium. */
const LENGTH = 0.5;
const POLEMASS_LENGTH = MASSPOLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD_RADIANS = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;
const MAX_EPISODE_STEPS = 500;

/**
 * Balance a pole on a cart. Observation `[x, xDot, theta, thetaDot]`; action 0 pushes left, 1
 * right; reward 1 per step, including the one that ends the episode.
 *
 * @example
 * const env = new CartPole();
 * let obs = env.reset(0);
 * const { observation, reward, terminated, truncated } = env.step(1);
 */
export class CartPole implements Env {
  readonly observationSpace = Box(
    [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD_RADIANS * 2, Infinity].map((h) => -h),
    [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD_RADIANS * 2, Infinity],
  );
  readonly actionSpace = Discrete(2);
  /** `[x, xDot, theta, thetaDot]` in float64; public so tests can place the cart. */
  readonly state = new Float64Array(4);
  private rng: Rng;
  private steps = 0;
  private readonly obs = new Float32Array(4);

  constructor(seed = 0) {
    this.rng = new Rng(seed);
  }

  /** New episode from a uniform state in ±0.05; `seed` restarts the random stream. */
  reset(seed?: number): Float32Array {
    if (seed !== undefined) this.rng = new Rng(seed);
    for (let i = 0; i < 4; i++) this.state[i] = this.rng.uniform(-0.05, 0.05);
    this.steps = 0;
    return this.observe();
  }

  step(action: Action): StepResult {
    const a = typeof action === 'number' ? action : action[0];
    if (a !== 0 && a !== 1) throw new EnvError(`CartPole: action must be 0 or 1, got ${a}`);
    const x = this.state[0]!;
    const xDot = this.state[1]!;
    const theta = this.state[2]!;
    const thetaDot = this.state[3]!;
    const force = a === 1 ? FORCE_MAG : -FORCE_MAG;
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    // https://coneural.org/florian/papers/05_cart_pole.pdf
    // Parenthesized as Gymnasium's np.square so float64 rounding matches bit for bit.
    const temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
    const thetaacc = (GRAVITY * sintheta - costheta * temp) / (LENGTH * (4.0 / 3.0 - (MASSPOLE * (costheta * costheta)) / TOTAL_MASS));
    const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;

    // Euler: positions advance with the old velocities.
    this.state[0] = x + TAU * xDot;
    this.state[1] = xDot + TAU * xacc;
    this.state[2] = theta + TAU * thetaDot;
    this.state[3] = thetaDot + TAU * thetaacc;
    this.steps++;

    const nx = this.state[0]!;
    const nTheta = this.state[2]!;
    const terminated = nx < -X_THRESHOLD || nx > X_THRESHOLD || nTheta < -THETA_THRESHOLD_RADIANS || nTheta > THETA_THRESHOLD_RADIANS;
    // Gymnasium's TimeLimit sets truncated at the limit even when the same step terminates.
    return { observation: this.observe(), reward: 1.0, terminated, truncated: this.steps >= MAX_EPISODE_STEPS };
  }

  private observe(): Float32Array {
    this.obs.set(this.state);
    return this.obs;
  }
}

/** {@link EnvFactory} for CartPole; copy `index` starts from seed `index`. */
export const createCartPole: EnvFactory = (index) => new CartPole(index);
