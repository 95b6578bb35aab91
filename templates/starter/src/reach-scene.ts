/**
 * The scene: eight lanes, each a Matter ball and its flag, driven by one shared behavior (one
 * policy, one learner worker). The PPO plugin runs the fixed physics steps; the scene only draws.
 * `phaser-ppo train` and fast mode run this same scene headless (src/headless.ts).
 */
import Phaser from 'phaser';
import { FastTraining, type Behavior, type PPOPlugin } from 'phaser-ppo/phaser';
import { REACH, REACH_ACTIONS, REACH_BALL, REACH_CONFIG, REACH_OBSERVATIONS, ReachAgent } from './reach-agent.js';

const LANES = 8;
const LANE_HEIGHT = 50;

/**
 * Matter without gravity, stepped by the plugin's fixed step (`autoUpdate: false`): the game's
 * config (main.ts) and the headless copies' (headless.ts).
 */
export const REACH_PHYSICS: Phaser.Types.Core.PhysicsConfig = { default: 'matter', matter: { gravity: { x: 0, y: 0 }, autoUpdate: false } };

/** What `scene.start` may pass: the headless copies seed each run's rounds; the page plays seed 0. */
export interface ReachSceneData {
  seed?: number;
}

export class ReachScene extends Phaser.Scene {
  /** The plugin, installed with `mapping: 'ppo'` in main.ts. */
  declare ppo: PPOPlugin;
  behavior!: Behavior;
  private agents: ReachAgent[] = [];
  private gfx!: Phaser.GameObjects.Graphics;
  private keys: Phaser.Types.Input.Keyboard.CursorKeys | undefined;
  /** Fast mode (`?fast`): the headless copies train in a worker, their weights act here. */
  fast: FastTraining | null = null;

  constructor() {
    super('reach');
  }

  create(data: ReachSceneData = {}): void {
    const params = new URLSearchParams(location.search);
    const play = params.has('play');
    const fast = params.has('fast');
    // create() runs again on every restart: start from empty lists.
    this.agents = [];
    this.behavior = this.ppo.addBehavior({
      name: 'reach',
      observationSize: REACH_OBSERVATIONS,
      actionSpec: REACH_ACTIONS,
      // In fast mode only the worker learns: the scene's agents act with its newest weights.
      type: play ? 'heuristic' : fast ? 'inference' : 'train',
      config: REACH_CONFIG,
    });
    // Walls at both ends of the rail; the balls never touch each other (one collision group).
    this.matter.world.setBounds(0, 0, REACH.width, LANES * LANE_HEIGHT);
    for (let i = 0; i < LANES; i++) {
      const { radius, ...options } = REACH_BALL;
      const ball = this.matter.add.circle(REACH.width / 2, (i + 0.5) * LANE_HEIGHT, radius, { ...options, collisionFilter: { group: -1 } });
      const agent = new ReachAgent(this, ball, (data.seed ?? 0) + 100 + i);
      this.agents.push(agent);
      this.behavior.addAgent(agent);
    }
    // Physics runs on the plugin's fixed step, after the agents act; then the agents are judged.
    this.ppo.onFixedStep((ms) => {
      this.matter.world.step(ms);
      for (const a of this.agents) a.judge();
    });
    this.ppo.showOverlay();
    if (fast) {
      this.fast = new FastTraining(this.behavior, () => new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module' }));
      this.fast.start({ seed: 1, backend: 'auto', maxSteps: 300_000, onError: (message) => console.error(message) });
      this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.fast?.stop());
    }
    this.gfx = this.add.graphics();

    // Arrow keys steer the balls in ?play mode. Phaser's shutdown does not remove a scene's own
    // listeners: take it off on SHUTDOWN, or every restart of the scene adds one more.
    this.keys = this.input.keyboard?.createCursorKeys();
    this.events.on(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.UPDATE, this.readKeys, this));
  }

  private readKeys(): void {
    const keys = this.keys;
    if (!keys) return;
    const dir = keys.left.isDown ? -1 : keys.right.isDown ? 1 : 0;
    for (const a of this.agents) a.humanInput = dir;
  }

  override update(): void {
    const g = this.gfx.clear();
    this.agents.forEach((a, i) => {
      const y = (i + 0.5) * LANE_HEIGHT;
      g.lineStyle(1, 0x30363d).lineBetween(0, y + 16, REACH.width, y + 16);
      g.fillStyle(0x3fb950).fillRect(a.target - 3, y - 18, 6, 34);
      g.fillStyle(0x58a6ff).fillCircle(a.ball.position.x, y, 14);
    });
  }
}
