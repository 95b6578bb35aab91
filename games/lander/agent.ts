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
import { LANDER, type LanderSim } from './sim.js';

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

/** Who flies the craft in heuristic mode: the arrow keys, or {@link landerAutopilot}. */
export type LanderPilot = 'keyboard' | 'autopilot';

export class LanderAgent extends Agent {
  /** Set by the page in heuristic mode. */
  humanInput: LanderHumanInput = { thrust: false, turn: 0 };
  /** What `heuristic` reads: the keys (the page's default) or the scripted autopilot (headless recording). */
  pilot: LanderPilot = 'keyboard';
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
    if (this.pilot === 'autopilot') {
      landerAutopilot(this.sim, out.continuous);
      return;
    }
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
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * A scripted pilot (what `phaser-ppo record lander` records): PD control from the true state.
 * Horizontally it wants to drift towards the pad, slower the closer it is, and tilts the thrust
 * that way; vertically it wants to sink slower the lower it is, around the hover throttle; the
 * tilt is held by throttling one engine over the other. Writes the two throttles in [-1, 1].
 */
export function landerAutopilot(sim: LanderSim, out: Float32Array): void {
  const { craft } = sim;
  const pad = sim.padTop;
  const dx = craft.position.x - pad.x;
  const height = pad.y - (craft.position.y + LANDER.hullHeight / 2 + LANDER.legLength - 2);
  const wantVx = clamp(-0.02 * dx, -1.5, 1.5);
  // A positive angle tilts "up" towards +x: tilt the way the drift must change.
  const wantAngle = clamp(0.25 * (wantVx - craft.velocity.x), -0.3, 0.3);
  const turn = clamp(2.5 * (wantAngle - craft.angle) - 25 * craft.angularVelocity, -0.4, 0.4);
  // y grows downwards: vy > 0 is sinking. Sink slower near the ground.
  const wantVy = clamp(0.012 * height + 0.2, 0.2, 2);
  const hover = 1 / (2 * LANDER.enginePower * Math.max(0.5, Math.cos(craft.angle)));
  // Within a few pixels of the pad, engines off: settle on both feet.
  const base = height < 3 ? 0 : clamp01(hover + 0.6 * (craft.velocity.y - wantVy));
  // The left engine pushing harder turns the craft clockwise (a positive angle).
  out[0] = clamp01(base + turn) * 2 - 1;
  out[1] = clamp01(base - turn) * 2 - 1;
}
