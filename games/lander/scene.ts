/**
 * Lander in Phaser: several crafts, each its own LanderSim, drawn over one shared pad, all driven by
 * one behavior through the PPO plugin. The crafts do not see or touch each other: they are
 * parallel worlds shown together, the first one solid, the rest as ghosts. The plugin runs the
 * fixed steps; the scene draws. Its headless copies (headless.ts) are this scene, one craft each.
 */
import Phaser from 'phaser';
import type Matter from 'matter-js';
import type { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { Behavior, BehaviorOptions } from '../../sdk/phaser/behavior.js';
import { Rng } from '../../sdk/core/rng.js';
import { LANDER_ACTIONS, LANDER_CONFIG, LANDER_OBSERVATIONS, LanderAgent, type LanderPilot } from './agent.js';
import { LANDER, LanderSim, type LanderOutcome } from './sim.js';

/** What the page passes to the scene through `scene.start('lander', data)`. */
export interface LanderSceneData {
  behavior: Omit<BehaviorOptions, 'name' | 'observationSize' | 'actionSpec'>;
  /** Crafts flown at once (one brain). Default 6; 1 suits flying by hand. */
  crafts?: number;
  /** Who flies in heuristic mode: the arrow keys (default) or the scripted autopilot. */
  pilot?: LanderPilot;
  /** Fixed steps per 1/60 s of wall time (4 = learn 4× faster than real time). */
  speed?: number;
  /** Craft i is seeded `seed + i` and named `craft-<firstCraft + i>`: defaults 1000 and 0. */
  seed?: number;
  firstCraft?: number;
  onReady?: (scene: LanderScene) => void;
}

/** Episode ends seen by the scene, by outcome (timeouts are truncations at the step limit). */
export type LanderTally = Record<Exclude<LanderOutcome, 'flying'> | 'timeout', number>;

export class LanderScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  sims: LanderSim[] = [];
  agents: LanderAgent[] = [];
  behavior!: Behavior;
  tally: LanderTally = { landed: 0, landedOffPad: 0, crashed: 0, timeout: 0 };
  private gfx!: Phaser.GameObjects.Graphics;
  private keys: Phaser.Types.Input.Keyboard.CursorKeys | undefined;

  constructor() {
    super('lander');
  }

  create(data: LanderSceneData): void {
    this.cameras.main.setBackgroundColor('#0d1117');
    this.gfx = this.add.graphics();
    this.behavior = this.ppo.addBehavior({ name: 'lander', observationSize: LANDER_OBSERVATIONS, actionSpec: LANDER_ACTIONS, ...data.behavior, config: { ...LANDER_CONFIG, ...data.behavior.config } });
    this.sims = [];
    this.agents = [];
    this.tally = { landed: 0, landedOffPad: 0, crashed: 0, timeout: 0 };
    const crafts = data.crafts ?? 6;
    const seed = data.seed ?? 1000;
    const first = data.firstCraft ?? 0;
    for (let i = 0; i < crafts; i++) {
      const sim = new LanderSim();
      const agent = new LanderAgent(sim, new Rng(seed + i), `craft-${first + i}`);
      agent.pilot = data.pilot ?? 'keyboard';
      this.sims.push(sim);
      this.agents.push(agent);
      this.behavior.addAgent(agent);
    }
    this.ppo.speed = data.speed ?? 1;
    this.ppo.onFixedStep(() => {
      for (let i = 0; i < this.sims.length; i++) {
        const sim = this.sims[i]!;
        const agent = this.agents[i]!;
        const before = sim.outcome;
        sim.step();
        agent.judge();
        if (before === 'flying' && sim.outcome !== 'flying') this.tally[sim.outcome]++;
        // The runner cuts the episode on its next tick; this is the last step of it.
        else if (sim.outcome === 'flying' && agent.stepCount === agent.maxSteps) this.tally.timeout++;
      }
    });
    this.keys = this.input.keyboard?.createCursorKeys();
    // Phaser's shutdown does not remove a scene's own listeners: without the off, every restart adds one more.
    this.events.on(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.UPDATE, this.readKeys, this));
    this.ppo.showOverlay('lander');
    data.onReady?.(this);
  }

  /** Up thrusts, left and right turn, for every craft (they act only where the behavior is `heuristic`). */
  private readKeys(): void {
    const keys = this.keys;
    if (!keys) return;
    const turn = keys.left.isDown ? -1 : keys.right.isDown ? 1 : 0;
    for (const a of this.agents) {
      a.humanInput.thrust = keys.up.isDown;
      a.humanInput.turn = turn;
    }
  }

  override update(): void {
    // A headless copy (fast mode, the CLI) shows nothing: drawing there only costs training time.
    if (!this.game.renderer) return;
    const g = this.gfx;
    g.clear();
    g.fillStyle(0x21262d, 1).fillRect(0, LANDER.groundY, LANDER.width, LANDER.height - LANDER.groundY);
    g.lineStyle(2, 0x30363d, 1).lineBetween(0, LANDER.groundY, LANDER.width, LANDER.groundY);
    const padLeft = LANDER.padX - LANDER.padWidth / 2;
    g.fillStyle(0x3fb950, 1).fillRect(padLeft, LANDER.groundY - LANDER.padHeight, LANDER.padWidth, LANDER.padHeight);
    // Ghosts first, so the lead craft is drawn on top.
    for (let i = this.sims.length - 1; i >= 0; i--) this.drawCraft(this.sims[i]!, i === 0 ? 1 : 0.35);
  }

  private drawCraft(sim: LanderSim, alpha: number): void {
    const g = this.gfx;
    const c = sim.craft;
    const color = sim.outcome === 'crashed' ? 0xf85149 : sim.outcome === 'landed' ? 0x3fb950 : 0x58a6ff;
    // Flames under each engine, as long as its throttle.
    const up = { x: Math.sin(c.angle), y: -Math.cos(c.angle) };
    const side = { x: Math.cos(c.angle), y: Math.sin(c.angle) };
    const bottom = LANDER.hullHeight / 2;
    for (let e = 0; e < 2; e++) {
      const t = Math.min(1, Math.max(0, sim.throttle[e]!));
      if (t < 0.02 || sim.outcome !== 'flying') continue;
      const s = e === 0 ? -LANDER.engineOffset : LANDER.engineOffset;
      const bx = c.position.x + side.x * s - up.x * bottom;
      const by = c.position.y + side.y * s - up.y * bottom;
      const len = 6 + 22 * t;
      g.fillStyle(0xf0883e, alpha * 0.9).fillTriangle(bx - side.x * 4, by - side.y * 4, bx + side.x * 4, by + side.y * 4, bx - up.x * len, by - up.y * len);
    }
    for (const leg of sim.legs) this.fillBody(leg, 0x8b949e, alpha);
    this.fillBody(sim.hull, color, alpha);
  }

  private fillBody(body: Matter.Body, color: number, alpha: number): void {
    const g = this.gfx;
    const v = body.vertices;
    g.fillStyle(color, alpha).beginPath();
    v.forEach((p, k) => (k === 0 ? g.moveTo(p.x, p.y) : g.lineTo(p.x, p.y)));
    g.closePath().fillPath();
  }
}
