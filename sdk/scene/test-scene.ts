/**
 * A small Matter scene written as a game would write it (this.matter, this.ppo, onFixedStep), for
 * sceneGame's tests: a ball on a rail learns to roll onto its flag.
 */
import Phaser from 'phaser';
import { Agent } from '../adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import { Rng } from '../core/rng.js';
import type { PPOPlugin } from '../phaser/plugin.js';

export const RAIL = { width: 800, push: 0.5, maxSpeed: 6, arrive: 24, maxSteps: 300, lanes: 4 } as const;

/** What a copy's create gets (what a page would pass to scene.start). */
export interface RailSceneData {
  lanes?: number;
  /** Throws in create() when set: the renderer-only error's test. */
  useRenderer?: boolean;
  /** Adds a behavior but no agent. */
  noAgents?: boolean;
  /** Turns Matter's own stepping on while also stepping in onFixedStep. */
  autoUpdate?: boolean;
  /** Lane i's ball is seeded `seed + 100 + i` (default seed 0). */
  seed?: number;
}

export class RailAgent extends Agent {
  target = 0;
  private last = 0;
  private readonly rng: Rng;
  constructor(private readonly scene: Phaser.Scene, readonly ball: MatterJS.BodyType, seed: number) {
    super({ maxSteps: RAIL.maxSteps, name: `ball-${seed}` });
    this.rng = new Rng(seed);
  }
  override onEpisodeBegin(): void {
    const x = this.rng.uniform(60, RAIL.width - 60);
    do this.target = this.rng.uniform(60, RAIL.width - 60);
    while (Math.abs(this.target - x) < 200);
    this.scene.matter.body.setPosition(this.ball, { x, y: this.ball.position.y }, false);
    this.scene.matter.body.setVelocity(this.ball, { x: 0, y: 0 });
    this.last = Math.abs(this.target - x);
  }
  override collectObservations(obs: ObservationWriter): void {
    obs.add((this.target - this.ball.position.x) / 400);
    obs.add(this.ball.velocity.x / RAIL.maxSpeed);
  }
  override onActionReceived(actions: ActionBuffers): void {
    const vx = Math.max(-RAIL.maxSpeed, Math.min(RAIL.maxSpeed, this.ball.velocity.x + ((actions.discrete[0] ?? 1) - 1) * RAIL.push));
    this.scene.matter.body.setVelocity(this.ball, { x: vx, y: 0 });
  }
  /** Rolls toward the flag (benchmarks act by it). */
  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = this.target > this.ball.position.x ? 2 : 0;
  }
  judge(): void {
    const d = Math.abs(this.target - this.ball.position.x);
    this.addReward((this.last - d) / 400 - 1 / RAIL.maxSteps);
    this.last = d;
    if (d < RAIL.arrive) {
      this.addReward(1);
      this.endEpisode();
    }
  }
}

export class RailScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  agents: RailAgent[] = [];
  frames = 0;
  constructor() {
    super('rail');
  }
  create(data: RailSceneData = {}): void {
    this.agents = [];
    this.frames = 0;
    if (data.useRenderer) (this.game.renderer as unknown as { snapshot(cb: () => void): void }).snapshot(() => {});
    if (data.autoUpdate) this.matter.world.autoUpdate = true;
    const behavior = this.ppo.addBehavior({ name: 'rail', observationSize: 2, actionSpec: ActionSpec.discrete(3), type: 'train', config: { numSteps: 64, learningRate: 1e-3 } });
    const lanes = data.lanes ?? RAIL.lanes;
    this.matter.world.setBounds(0, 0, RAIL.width, lanes * 50);
    for (let i = 0; i < lanes && !data.noAgents; i++) {
      const ball = this.matter.add.circle(RAIL.width / 2, (i + 0.5) * 50, 14, { friction: 0, frictionAir: 0.02, restitution: 0.5, collisionFilter: { group: -1 } });
      const agent = new RailAgent(this, ball, (data.seed ?? 0) + 100 + i);
      this.agents.push(agent);
      behavior.addAgent(agent);
    }
    this.ppo.onFixedStep((ms) => {
      this.matter.world.step(ms);
      for (const a of this.agents) a.judge();
    });
    this.add.text(10, 10, 'rail', { fontSize: '12px' });
  }
  override update(): void {
    this.frames++;
  }
}
