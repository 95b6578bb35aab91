/**
 * The balance NPC: sees the cart and pole through body-state sensors, pushes the cart left or
 * right, earns +1 for every tick the pole stays up. The same class runs under the Phaser view
 * and headless.
 */
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../../sdk/adapter/action-spec.js';
import { BodyStateSensor } from '../../sdk/adapter/body-state-sensor.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import type { Rng } from '../../sdk/core/rng.js';
import type { PPOConfig } from '../../sdk/rl/config.js';
import { BALANCE, type BalanceSim } from './sim.js';

/** Two choices: 0 pushes left, 1 pushes right. */
export const BALANCE_ACTIONS = ActionSpec.discrete(2);
/**
 * The behavior's tuned config, the scene's and so its headless copies': CleanRL's CartPole defaults
 * with a higher learning rate and observation normalization (the Matter cart's scales differ from
 * gym's). 8 carts × 64 decisions = 512 transitions per rollout.
 */
export const BALANCE_CONFIG: Partial<PPOConfig> = { numSteps: 64, learningRate: 1e-3, normalizeObs: true, totalSteps: 300_000 };
/** Episodes are cut (truncated, not failed) after 500 ticks, as CartPole-v1. */
export const BALANCE_MAX_STEPS = 500;

export class BalanceAgent extends Agent {
  /** Set by the page in heuristic mode: -1 left, +1 right, 0 none. */
  humanInput: -1 | 0 | 1 = 0;

  constructor(readonly sim: BalanceSim, private readonly rng: Rng, name?: string) {
    super({ maxSteps: BALANCE_MAX_STEPS, ...(name ? { name } : {}) });
    // Cart: offset from the track centre and velocity; pole: tilt (cos, sin) and spin.
    this.addSensor(new BodyStateSensor('cart', sim.cart, {
      reference: { x: sim.centerX, y: BALANCE.trackY, angle: 0 },
      fields: ['position', 'velocity'],
      scale: { position: 1 / BALANCE.trackHalfWidth, velocity: 1 / 5 },
    }));
    this.addSensor(new BodyStateSensor('pole', sim.pole, { fields: ['angle', 'angularVelocity'], scale: { angularVelocity: 10 } }));
  }

  override onEpisodeBegin(): void {
    this.sim.reset(this.rng);
  }

  /** Everything the agent sees comes from its sensors. */
  override collectObservations(_obs: ObservationWriter): void {}

  override onActionReceived(actions: ActionBuffers): void {
    this.sim.push(actions.discrete[0] === 0 ? -1 : 1);
  }

  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = this.humanInput < 0 ? 0 : 1;
  }

  /** Called by the game after each physics step: reward survival, end the episode on a fall. */
  judge(): void {
    if (this.sim.failed) this.endEpisode();
    else this.addReward(1);
  }
}
