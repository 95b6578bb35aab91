/**
 * A small Arcade Physics scene written as a game would write it (this.physics, this.ppo), for the
 * Arcade tests: each agent, a square, steers by velocity to catch its ball. The scene never steps
 * Arcade itself: the plugin does, once per fixed step (../phaser/arcade-step.ts), and the catch
 * (an Arcade overlap) is judged in onFixedStep, after that step.
 */
import Phaser from 'phaser';
import { Agent } from '../adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import { arcadeBody } from '../adapter/arcade-body.js';
import { BodyStateSensor } from '../adapter/body-state-sensor.js';
import type { BehaviorType } from '../adapter/behavior-spec.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import { Rng } from '../core/rng.js';
import type { PPOPlugin } from '../phaser/plugin.js';

export const CATCH = { width: 320, height: 240, speed: 200, size: 16, radius: 12, maxSteps: 300, agents: 4, minStart: 120 } as const;

/** Action i sets the square's velocity: still, left, right, up, down. */
const MOVES: readonly (readonly [number, number])[] = [[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]];

/** What a copy's create gets (what a page would pass to scene.start). */
export interface CatchSceneData {
  /** Agents (each with its own ball); default {@link CATCH}.agents. */
  agents?: number;
  /** Agent i is seeded `seed + 100 + i` (default seed 0). */
  seed?: number;
  /** Sets the Arcade world's fps in create() (the fps-mismatch tests). */
  fps?: number;
  /** The behavior's type; default train. */
  type?: BehaviorType;
}

type ArcadeShape = Phaser.GameObjects.Shape & { body: Phaser.Physics.Arcade.Body };

export class CatchAgent extends Agent {
  /** Set by the Arcade overlap during the world's step; judged after it. */
  caught = false;
  private last = 0;
  private readonly rng: Rng;
  constructor(readonly square: ArcadeShape, readonly ball: ArcadeShape, seed: number) {
    super({ maxSteps: CATCH.maxSteps, name: `square-${seed}` });
    this.rng = new Rng(seed);
    // Where the ball is and how it moves, as the square sees it: 2 + 2 values.
    this.addSensor(new BodyStateSensor('ball', arcadeBody(ball.body), { reference: arcadeBody(square.body), fields: ['position', 'velocity'], scale: { position: 1 / CATCH.width, velocity: 1 / CATCH.speed } }));
  }
  override onEpisodeBegin(): void {
    const m = CATCH.size;
    const x = this.rng.uniform(m, CATCH.width - m);
    const y = this.rng.uniform(m, CATCH.height - m);
    let bx: number, by: number;
    do {
      bx = this.rng.uniform(m, CATCH.width - m);
      by = this.rng.uniform(m, CATCH.height - m);
    } while (Math.hypot(bx - x, by - y) < CATCH.minStart);
    this.square.body.reset(x, y);
    this.ball.body.reset(bx, by);
    this.caught = false;
    this.last = Math.hypot(bx - x, by - y);
  }
  override collectObservations(_obs: ObservationWriter): void {}
  override onActionReceived(actions: ActionBuffers): void {
    const [mx, my] = MOVES[actions.discrete[0] ?? 0]!;
    this.square.body.setVelocity(mx * CATCH.speed, my * CATCH.speed);
  }
  /** Steps toward the ball along the longer axis (benchmarks and the CLI's record act by it). */
  override heuristic(out: ActionBuffers): void {
    const dx = this.ball.body.center.x - this.square.body.center.x;
    const dy = this.ball.body.center.y - this.square.body.center.y;
    out.discrete[0] = Math.abs(dx) > Math.abs(dy) ? (dx < 0 ? 1 : 2) : (dy < 0 ? 3 : 4);
  }
  judge(): void {
    const s = this.square.body.center;
    const b = this.ball.body.center;
    const d = Math.hypot(b.x - s.x, b.y - s.y);
    this.addReward((this.last - d) / CATCH.width - 1 / CATCH.maxSteps);
    this.last = d;
    if (this.caught) {
      this.addReward(1);
      this.endEpisode();
    }
  }
}

export class CatchScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  agents: CatchAgent[] = [];
  frames = 0;
  /** This run's fixed steps and Arcade world steps: one of each per fixed step. */
  fixedSteps = 0;
  worldSteps = 0;
  /** Balls caught this run. */
  catches = 0;
  /** `config`: another key or scene settings (a subclass with its own `physics.ppo`, as a game's scene config would give it). */
  constructor(config: string | Phaser.Types.Scenes.SettingsConfig = 'arcade-catch') {
    super(config);
  }
  create(data: CatchSceneData = {}): void {
    this.agents = [];
    this.frames = 0;
    this.fixedSteps = 0;
    this.worldSteps = 0;
    this.catches = 0;
    const countWorldStep = () => { this.worldSteps++; };
    // Arcade makes a new world on each start (and drops it on shutdown): this run's world.
    const world = this.physics.world;
    world.on(Phaser.Physics.Arcade.Events.WORLD_STEP, countWorldStep);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => world.off(Phaser.Physics.Arcade.Events.WORLD_STEP, countWorldStep));
    if (data.fps !== undefined) this.physics.world.setFPS(data.fps);
    this.physics.world.setBounds(0, 0, CATCH.width, CATCH.height);
    const behavior = this.ppo.addBehavior({ name: 'catch', observationSize: 0, actionSpec: ActionSpec.discrete(MOVES.length), type: data.type ?? 'train', config: { numSteps: 128, learningRate: 1e-3 } });
    for (let i = 0; i < (data.agents ?? CATCH.agents); i++) {
      const square = this.add.rectangle(0, 0, CATCH.size, CATCH.size, 0x44aaff) as unknown as ArcadeShape;
      this.physics.add.existing(square);
      square.body.setCollideWorldBounds(true);
      const ball = this.add.circle(0, 0, CATCH.radius, 0xffcc00) as unknown as ArcadeShape;
      this.physics.add.existing(ball);
      ball.body.setCircle(CATCH.radius);
      ball.body.setImmovable(true);
      const agent = new CatchAgent(square, ball, (data.seed ?? 0) + 100 + i);
      this.physics.add.overlap(square, ball, () => { agent.caught = true; });
      this.agents.push(agent);
      behavior.addAgent(agent);
    }
    this.ppo.onFixedStep(() => {
      this.fixedSteps++;
      for (const a of this.agents) {
        if (a.caught) this.catches++;
        a.judge();
      }
    });
  }
  override update(): void {
    this.frames++;
  }
}
