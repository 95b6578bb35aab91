/**
 * The NPC: a ball on a rail that learns to roll onto its flag. It sees how far the flag is and how
 * fast it is rolling, pushes left, right or not at all, and is rewarded for closing the distance
 * and for arriving. Everything here is the game's own code; phaser-ppo calls the hooks.
 */
import type Phaser from 'phaser';
import { Agent, ActionSpec, Rng, type ActionBuffers, type ObservationWriter, type PPOConfig } from 'phaser-ppo';

export const REACH = {
  width: 800,
  /** Velocity change of one push, px per step, and the top speed. */
  push: 0.5,
  maxSpeed: 6,
  /** Within this many px of the flag counts as arrived. */
  arrive: 24,
  /** An episode is cut (truncated, not failed) after this many steps. */
  maxSteps: 300,
} as const;

/** The ball's Matter body options. */
export const REACH_BALL = { radius: 14, friction: 0, frictionAir: 0.02, restitution: 0.5 } as const;

/**
 * The behavior's training settings, shared by the game (src/reach-scene.ts) and `npx phaser-ppo
 * train` (src/headless.ts): a rollout is 8 balls × 64 decisions; the rest are PPO's defaults.
 */
export const REACH_CONFIG: Partial<PPOConfig> = { numSteps: 64, learningRate: 1e-3, seed: 1 };

/** 0 pushes left, 1 does nothing, 2 pushes right. */
export const REACH_ACTIONS = ActionSpec.discrete(3);
/** Values `collectObservations` writes. */
export const REACH_OBSERVATIONS = 2;

export class ReachAgent extends Agent {
  /** The flag's x, px. */
  target = 0;
  /** Set by the page in `?play` mode: -1 left, +1 right, 0 none. */
  humanInput: -1 | 0 | 1 = 0;
  private lastDistance = 0;
  private readonly rng: Rng;

  constructor(private readonly scene: Phaser.Scene, readonly ball: MatterJS.BodyType, seed: number) {
    super({ maxSteps: REACH.maxSteps });
    this.rng = new Rng(seed);
  }

  /** A new round: the ball somewhere on the rail, at rest; the flag at least 200 px away. */
  override onEpisodeBegin(): void {
    const x = this.rng.uniform(60, REACH.width - 60);
    do this.target = this.rng.uniform(60, REACH.width - 60);
    while (Math.abs(this.target - x) < 200);
    this.scene.matter.body.setPosition(this.ball, { x, y: this.ball.position.y });
    this.scene.matter.body.setVelocity(this.ball, { x: 0, y: 0 });
    this.lastDistance = Math.abs(this.target - x);
  }

  override collectObservations(obs: ObservationWriter): void {
    obs.add((this.target - this.ball.position.x) / 400);
    obs.add(this.ball.velocity.x / REACH.maxSpeed);
  }

  override onActionReceived(actions: ActionBuffers): void {
    const push = ((actions.discrete[0] ?? 1) - 1) * REACH.push;
    const vx = Math.max(-REACH.maxSpeed, Math.min(REACH.maxSpeed, this.ball.velocity.x + push));
    this.scene.matter.body.setVelocity(this.ball, { x: vx, y: 0 });
  }

  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = this.humanInput + 1;
  }

  /** After each physics step: reward progress, a small cost per step, +1 and the end on arrival. */
  judge(): void {
    const distance = Math.abs(this.target - this.ball.position.x);
    this.addReward((this.lastDistance - distance) / 400 - 1 / REACH.maxSteps);
    this.lastDistance = distance;
    if (distance < REACH.arrive) {
      this.addReward(1);
      this.endEpisode();
    }
  }
}
