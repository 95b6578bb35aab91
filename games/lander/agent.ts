/**
 * The lander NPC: sees its craft relative to the pad through a body-state sensor plus two
 * foot-contact flags, sets the two engine throttles, and is rewarded for closing in on a soft,
 * level touch-down. The same class runs under the Phaser view and headless.
 */
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../../sdk/adapter/action-spec.js';
import { BodyStateSensor } from '../../sdk/adapter/body-state-sensor.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import type { Rng } from '../../sdk/core/rng.js';
import type { PPOConfig } from '../../sdk/rl/config.js';
import type { LanderSim } from './sim.js';

/** Two throttles in [-1, 1], mapped to [0, 1]: left engine, right engine. */
export const LANDER_ACTIONS = ActionSpec.continuous(2);
/** Values `collectObservations` writes: the two foot-contact flags. */
export const LANDER_OBSERVATIONS = 2;
/**
 * The behavior's tuned config (the scene's, so its headless copies'): continuous control as
 * CleanRL's ppo_continuous_action (no entropy bonus, normalized observations and rewards) with a
 * quicker learning rate and a narrower starting Gaussian (σ = e^-0.5 ≈ 0.6): precise throttles
 * matter near the pad. 8 copies × 128 decisions = 1,024 transitions per update.
 */
export const LANDER_CONFIG: Partial<PPOConfig> = { numEnvs: 8, numSteps: 128, learningRate: 1e-3, entCoef: 0, initLogStd: -0.5, normalizeObs: true, normalizeReward: true, totalSteps: 300_000 };
/** Episodes are cut (truncated, not failed) after 600 ticks: 10 s of game time. */
export const LANDER_MAX_STEPS = 600;
/** The throttles are chosen every 2 ticks (30 decisions a second) and held in between. */
export const LANDER_DECISION_PERIOD = 2;

/**
 * The reward, all in one place:
 *
 * - shaping, potential-based: each tick earns Φ(now) − Φ(before), with
 *   Φ = −100·distance/300px − 50·speed/(5 px/step) − 50·|tilt rad| + 10 per foot on the ground;
 *   it sums to Φ(end) − Φ(start), so it guides without changing which landings are best;
 * - fuel: −0.03 per tick per engine at full throttle;
 * - end: +100 for coming to rest on the pad, −100 for a crash (hull touches down, a touch-down
 *   faster than 3 px/step, tipping past 86°, leaving the screen); resting off the pad ends the
 *   episode with no bonus.
 */
export const LANDER_REWARD = { landed: 100, landedOffPad: 0, crashed: -100, fuelPerTick: 0.03 } as const;

/** Arrow keys as the scene reads them: ↑ fires both engines, ← and → turn. */
export interface LanderHumanInput {
  thrust: boolean;
  /** -1 turn left (counter-clockwise), +1 turn right, 0 neither. */
  turn: -1 | 0 | 1;
}

export class LanderAgent extends Agent {
  /** Set by the page in heuristic mode. */
  humanInput: LanderHumanInput = { thrust: false, turn: 0 };
  private potential = 0;

  constructor(readonly sim: LanderSim, private readonly rng: Rng, name?: string) {
    super({ maxSteps: LANDER_MAX_STEPS, decisionPeriod: LANDER_DECISION_PERIOD, ...(name ? { name } : {}) });
    // The craft as seen from the pad: offset, drift, tilt (cos, sin) and spin, all near [-1, 1].
    this.addSensor(new BodyStateSensor('craft', sim.craft, {
      reference: sim.padTop,
      scale: { position: 1 / 300, velocity: 1 / 5, angularVelocity: 20 },
    }));
  }

  override onEpisodeBegin(): void {
    this.sim.reset(this.rng);
    this.potential = this.shaping();
  }

  /** Foot contacts; the craft's state comes from the sensor. */
  override collectObservations(obs: ObservationWriter): void {
    obs.add(this.sim.legContact[0] ? 1 : 0);
    obs.add(this.sim.legContact[1] ? 1 : 0);
  }

  override onActionReceived(actions: ActionBuffers): void {
    this.sim.throttle[0] = (actions.continuous[0]! + 1) / 2;
    this.sim.throttle[1] = (actions.continuous[1]! + 1) / 2;
  }

  /**
   * The keyboard: ↑ fires both engines at 80%; → fires the left engine harder (a thrust on the
   * left turns the craft clockwise, to the right) and ← the right one.
   */
  override heuristic(out: ActionBuffers): void {
    const { thrust, turn } = this.humanInput;
    const base = thrust ? 0.8 : 0;
    const left = Math.min(1, base + (turn > 0 ? 0.35 : 0));
    const right = Math.min(1, base + (turn < 0 ? 0.35 : 0));
    out.continuous[0] = left * 2 - 1;
    out.continuous[1] = right * 2 - 1;
  }

  /** Called by the game after each physics step: shaping and fuel every tick, the bonus at the end. */
  judge(): void {
    const sim = this.sim;
    const next = this.shaping();
    let reward = next - this.potential - LANDER_REWARD.fuelPerTick * (clamp01(sim.throttle[0]) + clamp01(sim.throttle[1]));
    this.potential = next;
    if (sim.outcome === 'landed') reward += LANDER_REWARD.landed;
    else if (sim.outcome === 'landedOffPad') reward += LANDER_REWARD.landedOffPad;
    else if (sim.outcome === 'crashed') reward += LANDER_REWARD.crashed;
    this.addReward(reward);
    if (sim.outcome !== 'flying') this.endEpisode();
  }

  /** Φ of the reward above. */
  private shaping(): number {
    const { craft, legContact } = this.sim;
    const pad = this.sim.padTop;
    const distance = Math.hypot(craft.position.x - pad.x, craft.position.y - pad.y);
    const speed = Math.hypot(craft.velocity.x, craft.velocity.y);
    return -100 * distance / 300 - 100 * Math.abs(craft.position.x - pad.x) / 300 - 50 * speed / 5 - 50 * Math.abs(craft.angle) + 10 * ((legContact[0] ? 1 : 0) + (legContact[1] ? 1 : 0));
  }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
