/**
 * A lander demonstrator for behaviour-cloning tests and benchmarks: the shipped brain
 * (games/lander/brain.json, ≈ +267 per episode) flies as a scripted heuristic, recorded by the one
 * headless recorder (`recordGame`). The autopilot that `phaser-ppo record lander` records is a
 * PD controller; this expert is what the figures in bench/demos.ts were measured with.
 */
import type { ActionBuffers } from '../../sdk/adapter/action-spec.js';
import { Rng } from '../../sdk/core/rng.js';
import type { DemonstrationData } from '../../sdk/io/demonstration-data.js';
import { policyFromBrain, reviveBrain, type Brain } from '../../sdk/io/brain.js';
import type { ObservationNormalizer } from '../../sdk/rl/normalizer.js';
import type { Policy } from '../../sdk/rl/policy.js';
import { oneAgentGame } from '../../sdk/runtime/game.js';
import { recordGame } from '../../sdk/runtime/record.js';
import { LANDER_OBSERVATIONS, LanderAgent } from './agent.js';
import { landerGame } from './headless.js';
import { LanderSim } from './sim.js';

/** The lander agent whose heuristic is the expert brain's most likely action. */
class ExpertLander extends LanderAgent {
  private readonly row = new Float32Array(9);
  private readonly norm = new Float32Array(9);
  private readonly act = new Float32Array(2);

  constructor(sim: LanderSim, rng: Rng, private readonly policy: Policy, private readonly normalizer: ObservationNormalizer | null) {
    super(sim, rng, 'expert');
  }

  override heuristic(out: ActionBuffers): void {
    // The observation row as the runner builds it: collectObservations' values, then the sensors.
    this.row[0] = this.sim.legContact[0] ? 1 : 0;
    this.row[1] = this.sim.legContact[1] ? 1 : 0;
    let off = LANDER_OBSERVATIONS;
    for (const s of this.sensors) { s.write(this.row, off); off += s.size; }
    if (this.normalizer) this.normalizer.normalize(this.row, 1, this.norm);
    else this.norm.set(this.row);
    this.policy.act(this.norm, 1, null, null, this.act, null, null);
    out.continuous[0] = Math.min(1, Math.max(-1, this.act[0]!));
    out.continuous[1] = Math.min(1, Math.max(-1, this.act[1]!));
  }
}

/**
 * Plays `episodes` lander episodes with `expert` (the shipped brain) as a scripted heuristic and
 * returns every decision. Seeded: the same seed records the same episodes.
 *
 * @example
 * const demo = recordLanderDemonstrations(brain, 10, 1); // ≈ 10 × 130 decisions
 */
export function recordLanderDemonstrations(expert: Brain, episodes: number, seed: number): DemonstrationData {
  const { policy, normalizer } = policyFromBrain(reviveBrain(expert), 1);
  const game = oneAgentGame({
    ...landerGame,
    scriptedHeuristic: true,
    build(index, s) {
      const sim = new LanderSim();
      const agent = new ExpertLander(sim, new Rng(s * 1000 + index), policy, normalizer);
      return { agent, step: () => { sim.step(); agent.judge(); } };
    },
  });
  return recordGame(game, { episodes, seed });
}
