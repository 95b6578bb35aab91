/**
 * The runner as an NPC that learns: it sees the arena through the same ring of rays as a chaser
 * (tagged `chaser` and `wall`), knows its own velocity and whether its dash is ready, and picks one
 * of eight directions or stays, dashing when it may. Its heuristic is the scripted runner itself,
 * so the runner behavior in heuristic mode is the fixed benchmark opponent the chasers first
 * learned against.
 */
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers, type ActionMask } from '../../sdk/adapter/action-spec.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import { RayCastSensor } from '../../sdk/adapter/ray-cast-sensor.js';
import { CHASE_DECISION_PERIOD, CHASE_MAX_STEPS, CHASE_RAYS } from './agent.js';
import { CHASE, type ChaseArena } from './sim.js';

/** Branch 0: stay or one of 8 directions (see DIRECTIONS); branch 1: 0 run, 1 dash (the chasers' dash). */
export const RUNNER_ACTIONS = ActionSpec.discrete(9, 2);
/** Values `collectObservations` writes: own velocity (2) and dash ready (1). */
export const RUNNER_OBSERVATIONS = 3;
/** What the runner's rays tell apart; walls and obstacles are both `wall`. */
export const RUNNER_TAGS = ['chaser', 'wall'] as const;

/**
 * The runner's reward, all in one place:
 *
 * - caught: −10, and the round ends (a terminal state, a loss);
 * - alive: +0.01 per tick, so a round survived to its 900-tick limit (a win) pays +9;
 * - room: +0.005 per px the nearest chaser's distance grew this tick (− when it shrank), shaping
 *   that sums to the net gain in room over the round.
 */
export const RUNNER_REWARD = { caught: -10, perTick: 0.01, perPixelAway: 0.005 } as const;

export class RunnerAgent extends Agent {
  readonly eyes: RayCastSensor;
  /** The nearest chaser's distance after the last step, px. */
  private nearest = 0;
  /**
   * The heuristic chose the last decision's action: the script steers the runner (every tick,
   * between decisions too), not the action. Cleared when the next decision observes.
   */
  private scripted = false;

  constructor(readonly arena: ChaseArena, name = 'runner') {
    super({ maxSteps: CHASE_MAX_STEPS, decisionPeriod: CHASE_DECISION_PERIOD, name });
    this.eyes = new RayCastSensor('eyes', {
      from: arena.runner, bodies: () => arena.bodies, rays: CHASE_RAYS, arc: 2 * Math.PI, maxLength: 700, tags: [...RUNNER_TAGS],
    });
    this.addSensor(this.eyes);
  }

  override onEpisodeBegin(): void {
    this.arena.beginRound();
    this.nearest = this.nearestChaser();
    // A round that reaches its time limit is won; a catch turns it into a loss (judge).
    this.setResult('win');
  }

  /** Own velocity (dash speed → 1) and whether the dash is ready; the chasers come from the rays. */
  override collectObservations(obs: ObservationWriter): void {
    this.scripted = false;
    const v = this.arena.runner.velocity;
    obs.add(v.x / CHASE.dashSpeed);
    obs.add(v.y / CHASE.dashSpeed);
    obs.add(this.arena.runnerCanDash() ? 1 : 0);
  }

  override onActionReceived(actions: ActionBuffers): void {
    // In the page the player may take the runner over (arrow keys): the keys steer from then on.
    if (this.arena.runnerControl === 'player') return;
    if (this.scripted) {
      this.arena.runnerControl = 'script';
      return;
    }
    this.arena.commandRunner(actions.discrete[0]!, actions.discrete[1] === 1);
  }

  /** No dash while one is running or cooling down. */
  override writeActionMask(mask: ActionMask): void {
    if (!this.arena.runnerCanDash()) mask.setActionEnabled(1, 1, false);
  }

  /**
   * The scripted runner (flee the chasers in sight, nearer ones more, keep off walls, wander),
   * exactly as it runs without an agent: it steers every tick, between decisions too.
   */
  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = 0;
    out.discrete[1] = 0;
    this.scripted = true;
  }

  /** Called by the game after each physics step (after the chasers' judge). */
  judge(): void {
    const d = this.nearestChaser();
    this.addReward(RUNNER_REWARD.perTick + RUNNER_REWARD.perPixelAway * (d - this.nearest));
    this.nearest = d;
    if (this.arena.caught) {
      this.addReward(RUNNER_REWARD.caught);
      this.setResult('loss');
      this.endEpisode();
    }
  }

  private nearestChaser(): number {
    let best = Number.POSITIVE_INFINITY;
    for (const c of this.arena.chasers) if (c.distance < best) best = c.distance;
    return Number.isFinite(best) ? best : 0;
  }
}
