/**
 * One balance cart without Phaser, stepped as the scene's fixed step steps each lane: a small
 * fixture for the SDK's unit tests of live mode (Behavior, FastTraining, the resilient learner),
 * which feed agents to a behavior by hand. Training and the CLI use the scene (headless.ts).
 */
import type { OneAgentCopy } from '../../sdk/runtime/game.js';
import { Rng } from '../../sdk/core/rng.js';
import { BalanceAgent } from './agent.js';
import { BalanceSim } from './sim.js';

/** Cart `index` of a run seeded `seed` (seeded as headless copy `index` is). */
export function balanceCart(index: number, seed: number): OneAgentCopy {
  const sim = new BalanceSim();
  const agent = new BalanceAgent(sim, new Rng(seed * 1000 + index), `cart-${index}`);
  return { agent, step: () => { sim.step(); agent.judge(); } };
}
