/**
 * The jumper NPC: sees how far the gap's edge is, how wide the gap is, its own velocity and
 * whether it stands on a ledge; runs left, runs right or jumps. It earns +1 for reaching the flag
 * and nothing else (a sparse reward: a wide gap is almost never crossed by chance, which is what
 * a curriculum of widening gaps fixes). The gap's width is the `gapWidth` environment parameter.
 */
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../../sdk/adapter/action-spec.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import type { Rng } from '../../sdk/core/rng.js';
import type { EnvParams } from '../../sdk/runtime/env-params.js';
import { JUMPER, type JumperMove, type JumperWorld } from './sim.js';

/** 0 run left, 1 run right, 2 jump. */
export const JUMPER_ACTIONS = ActionSpec.discrete(3);
/** Distance to the gap, gap width, velocity (x, y), on the ground. */
export const JUMPER_OBSERVATIONS = 5;
/** A round is cut (truncated) after 360 ticks: 6 s, time to run to the gap about twice. */
export const JUMPER_MAX_STEPS = 360;
/** Decides every 4 ticks (15 decisions a second). */
export const JUMPER_DECISION_PERIOD = 4;
/** The tuned config: 16 jumpers × 64 decisions = 1,024 transitions per update; a quicker learning rate than the default. */
export const JUMPER_CONFIG = { numEnvs: 16, numSteps: 64, learningRate: 1e-3, schedule: 'constant' as const, totalSteps: 150_000 };

export class JumperAgent extends Agent {
  /** The player's move while a key is held, else null: heuristic mode plays it instead of the script. */
  humanMove: JumperMove | null = null;

  constructor(readonly world: JumperWorld, private readonly params: EnvParams, private readonly rng: Rng, name?: string) {
    super({ maxSteps: JUMPER_MAX_STEPS, decisionPeriod: JUMPER_DECISION_PERIOD, ...(name ? { name } : {}) });
  }

  /** Reads this round's gap from the environment parameters: a new lesson applies from the next round. */
  override onEpisodeBegin(): void {
    this.world.reset(this.params.get('gapWidth'), this.rng.uniform(JUMPER.startMin, JUMPER.startMax));
  }

  override collectObservations(obs: ObservationWriter): void {
    const w = this.world;
    obs.add((JUMPER.gapStart - w.ball.position.x) / JUMPER.maxGap);
    obs.add(w.gap / JUMPER.maxGap);
    obs.add(w.ball.velocity.x / JUMPER.runSpeed);
    obs.add(w.ball.velocity.y / JUMPER.jumpSpeed);
    obs.add(w.grounded ? 1 : 0);
  }

  override onActionReceived(actions: ActionBuffers): void {
    this.world.move = actions.discrete[0] as JumperMove;
  }

  /** Runs right and jumps a ball's width before the edge; the player's keys ({@link humanMove}) take over while held. */
  override heuristic(out: ActionBuffers): void {
    if (this.humanMove !== null) {
      out.discrete[0] = this.humanMove;
      return;
    }
    const toEdge = JUMPER.gapStart - this.world.ball.position.x;
    out.discrete[0] = this.world.gap > 0 && toEdge < 2 * JUMPER.radius && toEdge > -JUMPER.radius ? 2 : 1;
  }

  /** Called by the game after each physics step: +1 and the end at the flag, the end in the gap. */
  judge(): void {
    if (this.world.reached) {
      this.addReward(1);
      this.endEpisode();
    } else if (this.world.fell) {
      this.endEpisode();
    }
  }
}
