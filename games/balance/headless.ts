/** Balance without a view: one copy = one sim + one agent, for fast mode, tests and the CLI. */
import { oneAgentGame } from '../../sdk/runtime/game.js';
import { Rng } from '../../sdk/core/rng.js';
import { BALANCE_ACTIONS, BalanceAgent } from './agent.js';
import { BalanceSim } from './sim.js';

export const balanceGame = oneAgentGame({
  name: 'balance',
  build(index, seed) {
    const sim = new BalanceSim();
    const agent = new BalanceAgent(sim, new Rng(seed * 1000 + index), `cart-${index}`);
    return { agent, step: () => { sim.step(); agent.judge(); } };
  },
  observationSize: 0,
  actionSpec: BALANCE_ACTIONS,
  // CleanRL's CartPole defaults with a higher learning rate and observation normalization: the
  // Matter cart's scales differ from gym's. 8 copies × 64 decisions = 512 transitions per rollout.
  copies: 8,
  config: { numSteps: 64, learningRate: 1e-3, normalizeObs: true, totalSteps: 300_000 },
  // Ticks balanced, 500 at most; a random policy balances ~27.
  solvedAt: 450,
});

export default balanceGame;
