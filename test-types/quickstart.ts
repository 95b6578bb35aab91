import Phaser from 'phaser';
import { Agent, ActionSpec, Rng, type ActionBuffers, type ObservationWriter } from 'phaser-ppo';
import { PPOPlugin, PPO_EVENTS } from 'phaser-ppo/phaser';

/** A ball on a rail that learns to roll onto its flag. */
class Roller extends Agent {
  target = 0;
  private lastDistance = 0;

  constructor(private readonly scene: Phaser.Scene, readonly ball: MatterJS.BodyType, private readonly rng: Rng) {
    super({ maxSteps: 300 }); // cut at 300 ticks: a truncation, not a failure
  }
  override onEpisodeBegin(): void {
    const x = this.rng.uniform(60, 740);
    do this.target = this.rng.uniform(60, 740); while (Math.abs(this.target - x) < 200);
    this.scene.matter.body.setPosition(this.ball, { x, y: this.ball.position.y });
    this.scene.matter.body.setVelocity(this.ball, { x: 0, y: 0 });
    this.lastDistance = Math.abs(this.target - x);
  }
  override collectObservations(obs: ObservationWriter): void {
    obs.add((this.target - this.ball.position.x) / 400); // where the flag is
    obs.add(this.ball.velocity.x / 6); //                     how fast it rolls
  }
  override onActionReceived(actions: ActionBuffers): void {
    const push = ((actions.discrete[0] ?? 1) - 1) * 0.5; // 0 left, 1 nothing, 2 right
    this.scene.matter.body.setVelocity(this.ball, { x: Math.max(-6, Math.min(6, this.ball.velocity.x + push)), y: 0 });
  }
  /** After each physics step: reward progress, +1 and the end on arrival. */
  judge(): void {
    const distance = Math.abs(this.target - this.ball.position.x);
    this.addReward((this.lastDistance - distance) / 400 - 1 / 300);
    this.lastDistance = distance;
    if (distance < 24) {
      this.addReward(1);
      this.endEpisode();
    }
  }
}

class Level extends Phaser.Scene {
  declare ppo: PPOPlugin;

  create(): void {
    const behavior = this.ppo.addBehavior({
      name: 'roller', observationSize: 2, actionSpec: ActionSpec.discrete(3), type: 'train',
      config: { numSteps: 64, learningRate: 1e-3, seed: 1 },
    });
    const agents: Roller[] = [];
    for (let i = 0; i < 8; i++) { // eight NPCs, one brain, one learner worker
      const ball = this.matter.add.circle(400, 25 + i * 50, 14, { frictionAir: 0.02, collisionFilter: { group: -1 } });
      const agent = new Roller(this, ball, new Rng(100 + i));
      agents.push(agent);
      behavior.addAgent(agent);
    }
    // The plugin steps the world on its fixed step, after the agents act; then the game judges them.
    this.ppo.onFixedStep((ms) => {
      this.matter.world.step(ms);
      for (const a of agents) a.judge();
    });
    this.ppo.showOverlay();
    this.ppo.events.on(PPO_EVENTS.METRICS, (m) => console.log(`v${m.policyVersion}: return ${m.returnMean.toFixed(2)}`));
    this.ppo.events.on(PPO_EVENTS.ERROR, (e) => console.error(e.behavior, e.message));
  }
}

new Phaser.Game({
  type: Phaser.AUTO, width: 800, height: 400,
  // autoUpdate false: only the plugin steps the world (the plugin warns if Matter also steps on its own).
  physics: { default: 'matter', matter: { gravity: { x: 0, y: 0 }, autoUpdate: false } },
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { speed: 4 } }] },
  scene: Level,
});
