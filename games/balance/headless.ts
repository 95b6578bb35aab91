/** Balance without a view: one copy = one sim + one agent, for fast mode and the CLI. */
import type { HeadlessCopy } from '../../sdk/runtime/fast-trainer.js';
import { Rng } from '../../sdk/core/rng.js';
import { BalanceAgent } from './agent.js';
import { BalanceSim } from './sim.js';

/** The tuned config for balance (CleanRL's CartPole defaults; 8 copies × 64 decisions per rollout). */
export const BALANCE_CONFIG = { numSteps: 64, totalSteps: 300_000 } as const;

/** Mean return (ticks balanced, max 500) that counts as solved; a random policy gets ~27. */
export const BALANCE_SOLVED_AT = 450;

export function createBalanceCopy(index: number, seed = 1): HeadlessCopy {
  const sim = new BalanceSim();
  const agent = new BalanceAgent(sim, new Rng(seed * 1000 + index), `cart-${index}`);
  return { agent, step: () => { sim.step(); agent.judge(); } };
}
