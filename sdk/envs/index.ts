/** Built-in environments by name, for the CLI's `--env` and for tests. */
import type { EnvFactory } from '../core/env.js';
import { createCartPole } from './cartpole.js';
import { createPendulum } from './pendulum.js';

export { CartPole, createCartPole } from './cartpole.js';
export { Pendulum, createPendulum } from './pendulum.js';

/** Registered environments: a factory and a one-line description each. */
export const ENVS: Record<string, { create: EnvFactory; description: string }> = {
  cartpole: { create: createCartPole, description: 'Gymnasium CartPole-v1: balance a pole on a cart (Discrete(2), obs 4, 500 steps)' },
  pendulum: { create: createPendulum, description: 'Gymnasium Pendulum-v1: swing up and hold a pendulum (Box(1) torque, obs 3, 200 steps)' },
};

/** Looks up a registered environment; unknown names throw with the list of known ones. */
export function getEnv(name: string): { create: EnvFactory; description: string } {
  const entry = Object.hasOwn(ENVS, name) ? ENVS[name] : undefined;
  if (!entry) throw new Error(`Unknown environment "${name}". Known: ${Object.keys(ENVS).join(', ')}`);
  return entry;
}
