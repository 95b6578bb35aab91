/** Lander without a view: one copy = one sim + one agent, for fast mode, tests and the CLI. */
import { oneAgentGame } from '../../sdk/runtime/game.js';
import { Rng } from '../../sdk/core/rng.js';
import { LANDER_ACTIONS, LANDER_OBSERVATIONS, LanderAgent } from './agent.js';
import { LanderSim } from './sim.js';

export const landerGame = oneAgentGame({
  name: 'lander',
  build(index, seed) {
    const sim = new LanderSim();
    const agent = new LanderAgent(sim, new Rng(seed * 1000 + index), `craft-${index}`);
    // Headless there are no keys: the heuristic is the scripted autopilot (what `record` records).
    agent.pilot = 'autopilot';
    return { agent, step: () => { sim.step(); agent.judge(); } };
  },
  observationSize: LANDER_OBSERVATIONS,
  actionSpec: LANDER_ACTIONS,
  // Continuous control as CleanRL's ppo_continuous_action (no entropy bonus, normalized observations
  // and rewards) with a quicker learning rate and a narrower starting Gaussian (σ = e^-0.5 ≈ 0.6):
  // precise throttles matter near the pad. 8 copies × 128 decisions = 1,024 transitions per update.
  copies: 8,
  config: { numEnvs: 8, numSteps: 128, learningRate: 1e-3, entCoef: 0, initLogStd: -0.5, normalizeObs: true, normalizeReward: true, totalSteps: 300_000 },
  scriptedHeuristic: true,
  // Mostly soft landings on the pad; a random policy scores ≈ -160.
  solvedAt: 200,
});

export default landerGame;
