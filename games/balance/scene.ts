/**
 * Balance in Phaser: eight carts in lanes, each a BalanceSim, driven by one shared behavior through
 * the PPO plugin, which runs the fixed steps; the scene draws. Its headless copies (headless.ts)
 * are this scene itself, one lane each, booted by sceneGame.
 */
import Phaser from 'phaser';
import type { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { Behavior, BehaviorOptions } from '../../sdk/phaser/behavior.js';
import { Rng } from '../../sdk/core/rng.js';
import { BALANCE_ACTIONS, BALANCE_CONFIG, BalanceAgent } from './agent.js';
import { BALANCE, BalanceSim } from './sim.js';

export const LANES = 8;
const COLUMNS = 2;
const ROWS = LANES / COLUMNS;

/** What the page passes to the scene through `scene.start('balance', data)`. */
export interface BalanceSceneData {
  behavior: Omit<BehaviorOptions, 'name' | 'observationSize' | 'actionSpec'>;
  /** Fixed steps per 1/60 s of wall time (4 = learn 4× faster than real time). */
  speed?: number;
  /** Carts (lanes); default {@link LANES}. A headless copy runs one. */
  lanes?: number;
  /** Lane i's cart is seeded `seed + i` and named `cart-<firstLane + i>`: defaults 1000 and 0. */
  seed?: number;
  firstLane?: number;
  onReady?: (scene: BalanceScene) => void;
}

export class BalanceScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  sims: BalanceSim[] = [];
  agents: BalanceAgent[] = [];
  behavior!: Behavior;
  private gfx!: Phaser.GameObjects.Graphics;
  private keys: Phaser.Types.Input.Keyboard.CursorKeys | undefined;

  constructor() {
    super('balance');
  }

  create(data: BalanceSceneData): void {
    this.cameras.main.setBackgroundColor('#0d1117');
    this.gfx = this.add.graphics();
    this.behavior = this.ppo.addBehavior({ name: 'balance', observationSize: 0, actionSpec: BALANCE_ACTIONS, ...data.behavior, config: { ...BALANCE_CONFIG, ...data.behavior.config } });
    this.sims = [];
    this.agents = [];
    const lanes = data.lanes ?? LANES;
    const seed = data.seed ?? 1000;
    const first = data.firstLane ?? 0;
    for (let i = 0; i < lanes; i++) {
      const sim = new BalanceSim();
      const agent = new BalanceAgent(sim, new Rng(seed + i), `cart-${first + i}`);
      this.sims.push(sim);
      this.agents.push(agent);
      this.behavior.addAgent(agent);
    }
    this.ppo.speed = data.speed ?? 1;
    this.ppo.onFixedStep(() => {
      for (let i = 0; i < this.sims.length; i++) {
        this.sims[i]!.step();
        this.agents[i]!.judge();
      }
    });
    this.keys = this.input.keyboard?.createCursorKeys();
    // Phaser's shutdown does not remove a scene's own listeners: without the off, every restart adds one more.
    this.events.on(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.UPDATE, this.readKeys, this));
    this.ppo.showOverlay('balance');
    data.onReady?.(this);
  }

  /** The arrow keys steer every cart (they act only where the behavior is `heuristic`). */
  private readKeys(): void {
    const keys = this.keys;
    if (!keys) return;
    const dir = keys.left.isDown ? -1 : keys.right.isDown ? 1 : 0;
    for (const a of this.agents) a.humanInput = dir;
  }

  override update(): void {
    // A headless copy (fast mode, the CLI) shows nothing: drawing there only costs training time.
    if (!this.game.renderer) return;
    const g = this.gfx;
    g.clear();
    // The overlay panel owns the left strip; the lanes fill the rest.
    const left = 232;
    const laneW = (BALANCE.width - left) / COLUMNS;
    const laneH = BALANCE.height / ROWS;
    const scale = Math.min(laneW / BALANCE.width, laneH / (BALANCE.trackY + BALANCE.cartHeight)) * 0.95;
    this.sims.forEach((sim, i) => {
      const ox = left + (i % COLUMNS) * laneW + (laneW - BALANCE.width * scale) / 2;
      const oy = Math.floor(i / COLUMNS) * laneH + laneH - (BALANCE.trackY + BALANCE.cartHeight) * scale;
      const X = (x: number) => ox + x * scale;
      const Y = (y: number) => oy + y * scale;
      g.lineStyle(2, 0x30363d, 1).lineBetween(X(sim.centerX - BALANCE.trackHalfWidth), Y(BALANCE.trackY + BALANCE.cartHeight / 2),
        X(sim.centerX + BALANCE.trackHalfWidth), Y(BALANCE.trackY + BALANCE.cartHeight / 2));
      const cart = sim.cart.position;
      g.fillStyle(0x58a6ff, 1).fillRect(X(cart.x - BALANCE.cartWidth / 2), Y(cart.y - BALANCE.cartHeight / 2), BALANCE.cartWidth * scale, BALANCE.cartHeight * scale);
      const tilt = Math.abs(sim.poleAngle) / BALANCE.maxAngle;
      const color = tilt > 0.75 ? 0xf85149 : tilt > 0.4 ? 0xd29922 : 0x3fb950;
      const top = { x: cart.x + Math.sin(sim.poleAngle) * BALANCE.poleLength, y: cart.y - Math.cos(sim.poleAngle) * BALANCE.poleLength };
      g.lineStyle(Math.max(2, BALANCE.poleWidth * scale), color, 1).lineBetween(X(cart.x), Y(cart.y), X(top.x), Y(top.y));
    });
  }
}
