/**
 * A sumo wrestler: sees itself and its rival (positions and velocities, its own first), picks
 * one of nine moves. Both wrestlers of a ring are agents of the one `sumo` behavior, on teams 0
 * and 1: with self-play one team learns while the other plays a past snapshot.
 */
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../../sdk/adapter/action-spec.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import { SUMO, SUMO_MOVES, type SumoRing } from './sim.js';

/** Stay or one of 8 directions (see SUMO_MOVES). */
export const SUMO_ACTIONS = ActionSpec.discrete(9);
/** Own position and velocity, then the rival's: 8 values. */
export const SUMO_OBSERVATIONS = 8;
/** Decisions every 3 ticks (10 a second). */
export const SUMO_DECISION_PERIOD = 3;
/** Velocities are scaled by this so they span about ±1. */
const VELOCITY_SCALE = 1 / (SUMO.accel / (1 - SUMO.damping));

/**
 * The reward: +1 for a win, −1 for a loss, 0 for a draw (both out at once), all at the end of the
 * match (a ring-out, or the bell after 10 s, which the one nearer the centre wins); nothing in between. The result is also reported with `setResult`.
 */
export const SUMO_REWARD = { win: 1, loss: -1, draw: 0 } as const;

/**
 * The tuned config. 16 rings: 16 learning wrestlers × 64 decisions = 1,024 transitions per update.
 * Self-play counts are scaled to this small game (ML-Agents' defaults suit runs of millions of steps).
 */
export const SUMO_CONFIG = {
  numEnvs: 16, numSteps: 64, learningRate: 1e-3, gamma: 0.98, gaeLambda: 0.95, entCoef: 0.01, totalSteps: 204_800,
  selfPlay: { saveSteps: 10_240, window: 10, swapSteps: 2_048, teamChange: 51_200, playAgainstLatestModelRatio: 0.5 },
};

export class SumoAgent extends Agent {
  /** The player's move (a SUMO_MOVES index) while a key is held, else null: heuristic mode plays it instead of the script. */
  humanMove: number | null = null;

  constructor(readonly ring: SumoRing, readonly side: 0 | 1, name?: string) {
    super({ team: side, decisionPeriod: SUMO_DECISION_PERIOD, ...(name ? { name } : {}) });
  }

  override collectObservations(obs: ObservationWriter): void {
    const me = this.ring.wrestlers[this.side];
    const rival = this.ring.wrestlers[1 - this.side]!;
    obs.add(me.x); obs.add(me.y);
    obs.add(me.vx * VELOCITY_SCALE); obs.add(me.vy * VELOCITY_SCALE);
    obs.add(rival.x); obs.add(rival.y);
    obs.add(rival.vx * VELOCITY_SCALE); obs.add(rival.vy * VELOCITY_SCALE);
  }

  override onActionReceived(actions: ActionBuffers): void {
    this.ring.wrestlers[this.side].move = actions.discrete[0]!;
  }

  /**
   * Scripted: charge the rival, aiming a little outside it to push it outwards; a benchmark
   * opponent. The player's keys ({@link humanMove}) take over while held.
   */
  override heuristic(out: ActionBuffers): void {
    if (this.humanMove !== null) {
      out.discrete[0] = this.humanMove;
      return;
    }
    const me = this.ring.wrestlers[this.side];
    const rival = this.ring.wrestlers[1 - this.side]!;
    out.discrete[0] = nearestMove(rival.x - me.x + 0.3 * rival.x, rival.y - me.y + 0.3 * rival.y);
  }

  /** Called by the match after each tick: the result, once there is one. */
  judge(): void {
    const o = this.ring.outcome;
    if (o === 'running') return;
    const result = o === 'draw' ? 'draw' : o === (this.side === 0 ? 'win0' : 'win1') ? 'win' : 'loss';
    this.setResult(result);
    this.addReward(SUMO_REWARD[result]);
    this.endEpisode();
  }
}

/** The SUMO_MOVES index (1..8) closest to the direction (dx, dy). */
export function nearestMove(dx: number, dy: number): number {
  const k = Math.round(Math.atan2(dy, dx) / (Math.PI / 4));
  return 1 + (((k % 8) + 8) % 8);
}
