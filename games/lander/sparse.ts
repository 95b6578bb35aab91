/**
 * Lander with a sparse reward, for learning from demonstrations: +1 for coming to rest on the pad
 * and nothing else (no shaping, no fuel cost, no crash penalty). The craft, observations, actions
 * and episode ends are lander's, so lander's demonstrations fit it. A random policy almost never
 * lands, so PPO alone rarely sees a reward to learn from; GAIL's reward guides it towards the
 * demonstrator's states.
 */
import { oneAgentGame } from '../../sdk/runtime/game.js';
import { Rng } from '../../sdk/core/rng.js';
import { LanderAgent } from './agent.js';
import { landerGame } from './headless.js';
import { LanderSim } from './sim.js';

/** A lander agent rewarded only for landing on the pad. */
export class SparseLanderAgent extends LanderAgent {
  override judge(): void {
    if (this.sim.outcome === 'landed') this.addReward(1);
    if (this.sim.outcome !== 'flying') this.endEpisode();
  }
}

export const sparseLanderGame = oneAgentGame({
  ...landerGame,
  // The behavior keeps lander's name: lander's brains and demonstrations fit it.
  name: 'lander',
  build(index, seed) {
    const sim = new LanderSim();
    const agent = new SparseLanderAgent(sim, new Rng(seed * 1000 + index), `craft-${index}`);
    return { agent, step: () => { sim.step(); agent.judge(); } };
  },
  // The fraction of episodes that land: 0.8 is 4 of 5 on the pad.
  solvedAt: 0.8,
});

export default sparseLanderGame;
