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
import type { PPOConfig } from '../../sdk/rl/config.js';
import { CHASE, type ChaseArena } from './sim.js';

/** Branch 0: stay or one of 8 directions (see DIRECTIONS); branch 1: 0 run, 1 dash (the chasers' dash). */
export const RUNNER_ACTIONS = ActionSpec.discrete(9, 2);
/**
 * Values `collectObservations` writes: own velocity (2), dash ready (1), own place in the arena
 * (2), then per chaser, nearest first, {@link RUNNER_PER_CHASER} values.
 */
export const RUNNER_PER_CHASER = 6;
/** Chasers the runner tracks by position (the pack's size); fewer are written as zeros, more are left to the rays. */
export const RUNNER_TRACKS = 4;
export const RUNNER_OBSERVATIONS = 5 + RUNNER_TRACKS * RUNNER_PER_CHASER;
/**
 * The runner's tuned config (the scene's `runner` behavior, so the rivals game's). One runner per
 * arena: its transitions come 4× slower than the pack's (1 runner, 4 chasers), so its schedule is
 * a quarter as long and both anneal over the same ticks. γ 0.995 over 0.1 s decisions (a ~20 s
 * horizon): a round is won only by surviving all 15 s, and a catch late in it must still weigh.
 * Learning rate 3e-4: with 1e-3 (and γ 0.99) the runner against the shipped pack escaped 2 rounds
 * of 80 after 200,000 transitions, with these 5, and 11 after 400,000.
 */
export const RUNNER_CONFIG: Partial<PPOConfig> = { numEnvs: 4, numSteps: 128, learningRate: 3e-4, gamma: 0.995, gaeLambda: 0.95, normalizeObs: true, normalizeReward: true, totalSteps: 60_000 };
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
  /** Chaser indices, nearest first (the observation's order), kept between decisions. */
  private readonly order = new Int32Array(RUNNER_TRACKS);

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

  /**
   * Own velocity (dash speed → 1), whether the dash is ready, and where it stands (−1 at the left
   * or top wall, +1 at the right or bottom); then each chaser, nearest first: where it is and how
   * fast it closes (relative position and velocity), its distance, and whether its dash is ready.
   * With rays alone (what the chasers see) the runner escaped 3 rounds of 80: it could not tell
   * which chaser comes at it, nor how fast, nor which side is open.
   */
  override collectObservations(obs: ObservationWriter): void {
    this.scripted = false;
    const arena = this.arena;
    const me = arena.runner;
    const v = me.velocity;
    obs.add(v.x / CHASE.dashSpeed);
    obs.add(v.y / CHASE.dashSpeed);
    obs.add(arena.runnerCanDash() ? 1 : 0);
    const halfW = (CHASE.right - CHASE.left) / 2;
    const halfH = (CHASE.bottom - CHASE.top) / 2;
    obs.add((me.position.x - CHASE.left - halfW) / halfW);
    obs.add((me.position.y - CHASE.top - halfH) / halfH);
    // Nearest first (insertion sort into a kept index array: no allocation per decision).
    const order = this.order;
    const n = Math.min(arena.chasers.length, RUNNER_TRACKS);
    const all = arena.chasers.length;
    for (let i = 0; i < all; i++) {
      let j = Math.min(i, n);
      const d = arena.chasers[i]!.distance;
      while (j > 0 && arena.chasers[order[j - 1]!]!.distance > d) {
        if (j < n) order[j] = order[j - 1]!;
        j--;
      }
      if (j < n) order[j] = i;
    }
    for (let k = 0; k < RUNNER_TRACKS; k++) {
      if (k >= n) {
        for (let z = 0; z < RUNNER_PER_CHASER; z++) obs.add(0);
        continue;
      }
      const i = order[k]!;
      const c = arena.chasers[i]!;
      const p = c.body.position;
      const cv = c.body.velocity;
      obs.add((p.x - me.position.x) / halfW);
      obs.add((p.y - me.position.y) / halfH);
      obs.add((cv.x - v.x) / CHASE.dashSpeed);
      obs.add((cv.y - v.y) / CHASE.dashSpeed);
      obs.add(c.distance / (2 * halfW));
      obs.add(arena.canDash(i) ? 1 : 0);
    }
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
