/** Built-in environments by name, for the CLI's `--env` and for tests. */
import type { EnvFactory } from '../core/env.js';
import type { PPOConfig } from '../rl/config.js';
import { EnvError } from '../core/errors.js';
import { createCartPole } from './cartpole.js';
import { createPendulum } from './pendulum.js';

export { CartPole, createCartPole } from './cartpole.js';
export { Pendulum, createPendulum } from './pendulum.js';

export interface RegisteredEnv {
  create: EnvFactory;
  description: string;
  /**
   * The tuned config shipped for this env (as rl-baselines3-zoo ships per-env hyperparameters),
   * merged over DEFAULT_PPO_CONFIG; `--config` overrides it field by field.
   */
  config: Partial<PPOConfig>;
  /** The mean return that counts as solved (the learning tests' bar). */
  solvedAt: number;
}

/** Registered environments: a factory, a one-line description and a tuned config each. */
export const ENVS: Record<string, RegisteredEnv> = {
  cartpole: {
    create: createCartPole,
    description: 'Gymnasium CartPole-v1: balance a pole on a cart (Discrete(2), obs 4, 500 steps)',
    // CleanRL's ppo.py defaults, unchanged.
    config: { totalSteps: 500_000 },
    solvedAt: 475,
  },
  pendulum: {
    create: createPendulum,
    description: 'Gymnasium Pendulum-v1: swing up and hold a pendulum (Box(1) torque, obs 3, 200 steps)',
    // rl-baselines3-zoo's Pendulum-v1 PPO (no gSDE: γ 0.9, λ 0.95, lr 1e-3, 4 × 1024 steps, no entropy
    // bonus) with 3 epochs of 128-sample minibatches and no value clipping, tuned here: 10 epochs
    // collapsed the policy std and stuck near −600 on some seeds; this reaches −400 by ~75–100k on seeds 1–10.
    config: {
      totalSteps: 400_000,
      numEnvs: 4,
      numSteps: 1024,
      gamma: 0.9,
      gaeLambda: 0.95,
      updateEpochs: 3,
      numMinibatches: 32,
      clipVloss: false,
      entCoef: 0,
      learningRate: 1e-3,
      normalizeObs: true,
      normalizeReward: true,
    },
    solvedAt: -400,
  },
};

/** Looks up a registered environment; unknown names throw with the list of known ones. */
export function getEnv(name: string): RegisteredEnv {
  const entry = Object.hasOwn(ENVS, name) ? ENVS[name] : undefined;
  if (!entry) throw new EnvError(`Unknown environment "${name}". Known: ${Object.keys(ENVS).join(', ')}`);
  return entry;
}
