/**
 * The chaser NPC: sees the arena only through a ring of ray casts (what each ray hits first:
 * the runner, a wall, something else such as another chaser, and how far) plus its own velocity; picks one of eight
 * directions or stays, and may dash when its dash is ready (masked otherwise). Every chaser of a
 * pack shares one behavior, so one brain learns from all of them at once.
 */
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers, type ActionMask } from '../../sdk/adapter/action-spec.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import { RayCastSensor } from '../../sdk/adapter/ray-cast-sensor.js';
import type { Rng } from '../../sdk/core/rng.js';
import type { PPOConfig } from '../../sdk/rl/config.js';
import { CHASE, DIRECTIONS, type ChaseArena } from './sim.js';

/** Branch 0: stay or one of 8 directions (see DIRECTIONS); branch 1: 0 run, 1 dash. */
export const CHASE_ACTIONS = ActionSpec.discrete(9, 2);
/** Values `collectObservations` writes: the chaser's own velocity. */
export const CHASE_OBSERVATIONS = 2;
/**
 * The chasers' tuned config (the scene's, so its headless copies'): CleanRL's defaults with a
 * quicker learning rate, normalized observations (rays are sparse one-hots) and rewards, and a
 * shorter horizon (γ 0.97 over 0.1 s decisions ≈ 3 s): the shaping pays at once, the catch within
 * seconds. 16 chasers × 128 decisions = 2,048 transitions per update.
 */
export const CHASE_CONFIG: Partial<PPOConfig> = { numEnvs: 16, numSteps: 128, learningRate: 1e-3, gamma: 0.97, gaeLambda: 0.9, normalizeObs: true, normalizeReward: true, totalSteps: 240_000 };
/** What the rays tell apart; walls and obstacles are both `wall`, other chasers are untagged hits. */
export const CHASE_TAGS = ['runner', 'wall'] as const;
export const CHASE_RAYS = 32;
/** A round is cut (truncated, not failed) after 900 ticks: 15 s of game time. */
export const CHASE_MAX_STEPS = 900;
/** Chasers decide every 6 ticks (10 decisions a second) and keep moving in between. */
export const CHASE_DECISION_PERIOD = 6;

/**
 * The reward, all in one place:
 *
 * - catch: +10 to the chaser that touches the runner; the round ends (a terminal state) for the
 *   whole pack, the others without a bonus, so each chaser is credited for its own catches;
 * - time: −0.01 per tick, so a round that runs out (15 s) costs −9;
 * - closing in: +0.01 per px the chaser's distance to the runner shrank this tick (−0.01 per px it
 *   grew), potential-based shaping that sums to the net approach over the round.
 */
export const CHASE_REWARD = { catch: 10, perTick: -0.01, perPixelCloser: 0.01 } as const;

export class ChaserAgent extends Agent {
  readonly eyes: RayCastSensor;
  readonly index: number;
  /** The scripted heuristic's current wander direction. */
  private wander = 1;

  constructor(readonly arena: ChaseArena, private readonly rng: Rng, name?: string) {
    super({ maxSteps: CHASE_MAX_STEPS, decisionPeriod: CHASE_DECISION_PERIOD, ...(name ? { name } : {}) });
    this.index = arena.addChaser();
    const body = arena.chasers[this.index]!.body;
    // Full circle, one ray every 11.25°, long enough to cross the arena's diagonal.
    this.eyes = new RayCastSensor('eyes', {
      from: body, bodies: () => arena.bodies, rays: CHASE_RAYS, arc: 2 * Math.PI, maxLength: 700, tags: [...CHASE_TAGS],
    });
    this.addSensor(this.eyes);
  }

  override onEpisodeBegin(): void {
    this.arena.beginRound();
    // The pack wins a round by a catch (judge); a round that runs out is lost.
    this.setResult('loss');
  }

  /** Own velocity, dash speed → 1; the arena comes from the rays. */
  override collectObservations(obs: ObservationWriter): void {
    const v = this.arena.chasers[this.index]!.body.velocity;
    obs.add(v.x / CHASE.dashSpeed);
    obs.add(v.y / CHASE.dashSpeed);
  }

  override onActionReceived(actions: ActionBuffers): void {
    this.arena.command(this.index, actions.discrete[0]!, actions.discrete[1] === 1);
  }

  /** No dash while one is running or cooling down. */
  override writeActionMask(mask: ActionMask): void {
    if (!this.arena.canDash(this.index)) mask.setActionEnabled(1, 1, false);
  }

  /**
   * A scripted chaser, seeing what the NPC sees: head for the nearest ray that hits the runner,
   * dashing when close; with the runner out of sight, wander and turn away from walls.
   */
  override heuristic(out: ActionBuffers): void {
    const rays = this.eyes.lastRays();
    let best = -1;
    for (let r = 0; r < rays.length; r++) if (rays[r]!.tag === 'runner' && (best < 0 || rays[r]!.distance < rays[best]!.distance)) best = r;
    if (best >= 0) {
      const ray = rays[best]!;
      out.discrete[0] = nearestDirection(ray.x2 - ray.x1, ray.y2 - ray.y1);
      out.discrete[1] = ray.distance < 0.15 && this.arena.canDash(this.index) ? 1 : 0;
      return;
    }
    const ahead = rays[Math.round(directionAngle(this.wander) / ((2 * Math.PI) / rays.length)) % rays.length];
    if (!ahead || ahead.distance < 0.08) this.wander = 1 + Math.floor(this.rng.uniform(0, 8));
    out.discrete[0] = this.wander;
  }

  /** Called by the game after each physics step: shaping and time every tick, the catch at the end. */
  judge(): void {
    const c = this.arena.chasers[this.index]!;
    let reward = CHASE_REWARD.perTick + CHASE_REWARD.perPixelCloser * c.closed;
    if (this.arena.catcher === this.index) reward += CHASE_REWARD.catch;
    this.addReward(reward);
    if (this.arena.caught) {
      this.setResult('win');
      this.endEpisode();
    }
  }
}

/** Angle (radians, from +x, y down) of DIRECTIONS[d], d ≥ 1. */
function directionAngle(d: number): number {
  const v = DIRECTIONS[d]!;
  return (Math.atan2(v.y, v.x) + 2 * Math.PI) % (2 * Math.PI);
}

/** The DIRECTIONS index (1..8) closest to the vector (dx, dy). */
function nearestDirection(dx: number, dy: number): number {
  // DIRECTIONS[1] is up (angle -π/2); each next one turns 45° clockwise.
  const angle = Math.atan2(dy, dx) + Math.PI / 2;
  const k = Math.round(angle / (Math.PI / 4));
  return 1 + (((k % 8) + 8) % 8);
}
