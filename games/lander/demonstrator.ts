/**
 * A lander demonstrator for behaviour-cloning tests and benchmarks: the shipped brain
 * (games/lander/brain.json, ≈ +267 per episode) flies as a scripted heuristic, and every decision
 * is recorded in memory as a {@link DemonstrationData} (raw observation, clipped action, reward,
 * episode end), through the one {@link Collector} in heuristic mode.
 */
import { BehaviorRunner } from '../../sdk/adapter/runner.js';
import type { ActionBuffers } from '../../sdk/adapter/action-spec.js';
import { Rng } from '../../sdk/core/rng.js';
import type { DemonstrationData } from '../../sdk/io/demonstration-data.js';
import { policyFromBrain, reviveBrain, type Brain } from '../../sdk/io/brain.js';
import { resolveConfig } from '../../sdk/rl/config.js';
import type { ObservationNormalizer } from '../../sdk/rl/normalizer.js';
import type { Policy } from '../../sdk/rl/policy.js';
import { Collector } from '../../sdk/runtime/collector.js';
import { oneAgentGame } from '../../sdk/runtime/game.js';
import { LANDER_ACTIONS, LANDER_OBSERVATIONS, LanderAgent } from './agent.js';
import { landerGame } from './headless.js';
import { LanderSim } from './sim.js';

/** Rows recorded so far, grown by doubling. */
class Recording {
  steps = 0;
  observations = new Float32Array(0);
  actions = new Float32Array(0);
  rewards = new Float32Array(0);
  ends = new Uint8Array(0);
  /** The episode return when the last row was recorded (its reward is the difference to the next). */
  returnAtLast = 0;

  push(obs: Float32Array, act: Float32Array, episodeReturn: number, firstOfEpisode: boolean): void {
    if (this.steps > 0 && !firstOfEpisode) this.rewards[this.steps - 1] = episodeReturn - this.returnAtLast;
    this.reserve(this.steps + 1);
    this.observations.set(obs, this.steps * obs.length);
    this.actions.set(act, this.steps * act.length);
    this.returnAtLast = episodeReturn;
    this.steps++;
  }

  endEpisode(episodeReturn: number, truncated: boolean): void {
    this.rewards[this.steps - 1] = episodeReturn - this.returnAtLast;
    this.ends[this.steps - 1] = truncated ? 2 : 1;
  }

  private reserve(n: number): void {
    if (n <= this.rewards.length) return;
    const cap = Math.max(1024, 2 * this.rewards.length);
    const grow = <T extends Float32Array | Uint8Array>(a: T, w: number, make: (n: number) => T): T => { const b = make(cap * w); b.set(a); return b; };
    this.observations = grow(this.observations, 9, (k) => new Float32Array(k));
    this.actions = grow(this.actions, 2, (k) => new Float32Array(k));
    this.rewards = grow(this.rewards, 1, (k) => new Float32Array(k));
    this.ends = grow(this.ends, 1, (k) => new Uint8Array(k));
  }
}

/** The lander agent whose heuristic is the expert brain's most likely action; it records what it saw and did. */
class ExpertLander extends LanderAgent {
  private readonly row = new Float32Array(9);
  private readonly norm = new Float32Array(9);
  private readonly act = new Float32Array(2);
  private newEpisode = true;

  constructor(sim: LanderSim, rng: Rng, private readonly policy: Policy, private readonly normalizer: ObservationNormalizer | null, private readonly rec: Recording) {
    super(sim, rng, 'expert');
  }

  override onEpisodeBegin(): void {
    super.onEpisodeBegin();
    this.newEpisode = true;
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
    for (let d = 0; d < 2; d++) this.act[d] = Math.min(1, Math.max(-1, this.act[d]!));
    out.continuous[0] = this.act[0]!;
    out.continuous[1] = this.act[1]!;
    this.rec.push(this.row, this.act, this.cumulativeReward, this.newEpisode);
    this.newEpisode = false;
  }
}

/**
 * Plays `episodes` lander episodes with `expert` (the shipped brain by default) as a scripted
 * heuristic and returns every decision. Seeded: the same seed records the same episodes.
 *
 * @example
 * const demo = recordLanderDemonstrations(brain, 10, 1); // ≈ 10 × 130 decisions
 */
export function recordLanderDemonstrations(expert: Brain, episodes: number, seed: number): DemonstrationData {
  const brain = reviveBrain(expert);
  const { policy, normalizer } = policyFromBrain(brain, 1);
  const rec = new Recording();
  let done = 0;
  const game = oneAgentGame({
    ...landerGame,
    build(index, s) {
      const sim = new LanderSim();
      const agent = new ExpertLander(sim, new Rng(s * 1000 + index), policy, normalizer, rec);
      return { agent, step: () => { sim.step(); agent.judge(); } };
    },
  });
  const collector = new Collector(game, {
    copies: 1,
    seed,
    runner: (b) => new BehaviorRunner({
      name: b.name, observationSize: b.observationSize, actionSpec: LANDER_ACTIONS, type: 'heuristic', config: resolveConfig(b.config),
      onEpisodeEnd: (e) => { rec.endEpisode(e.return, e.end === 'truncated'); done++; },
    }),
  });
  while (done < episodes) collector.tick();
  // The episode after the last one may have begun on the same tick: drop its rows.
  let n = rec.steps;
  while (n > 0 && rec.ends[n - 1] === 0) n--;
  return {
    behavior: 'lander', observationSize: 9, actionSpace: LANDER_ACTIONS.space, steps: n,
    observations: rec.observations.slice(0, n * 9), actions: rec.actions.slice(0, n * 2), masks: null,
    rewards: rec.rewards.slice(0, n), ends: rec.ends.slice(0, n),
  };
}
