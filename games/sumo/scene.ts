/**
 * Sumo in Phaser: rings of two wrestlers, both sides played by the one `sumo` behavior (teams 0
 * and 1) through the PPO plugin, which runs the fixed steps; the scene draws. Trained live with
 * self-play (the behavior's config has `selfPlay`): one team learns while the other plays a
 * snapshot. Its headless copies (headless.ts) are this scene itself, one ring each, booted by sceneGame.
 */
import Phaser from 'phaser';
import type { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { Behavior, BehaviorOptions } from '../../sdk/phaser/behavior.js';
import { nearestMove, SUMO_ACTIONS, SUMO_CONFIG, SUMO_OBSERVATIONS } from './agent.js';
import { SumoMatch } from './match.js';
import { SUMO } from './sim.js';

/** Rings in the page: 4 × 2 wrestlers. */
export const RINGS = 4;
const COLUMNS = 2;
const TEAM_COLORS = [0x58a6ff, 0xf85149] as const;

/** What the page passes to the scene through `scene.start('sumo', data)`. */
export interface SumoSceneData {
  behavior: Omit<BehaviorOptions, 'name' | 'observationSize' | 'actionSpec'>;
  /** Fixed steps per 1/60 s of wall time. */
  speed?: number;
  /** Rings; default {@link RINGS}. A headless copy runs one. */
  rings?: number;
  /** Ring i is seeded `seed + i` and its wrestlers named `sumo-<firstRing + i>a|b`: defaults 1000 and 0. */
  seed?: number;
  firstRing?: number;
  onReady?: (scene: SumoScene) => void;
}

export class SumoScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  matches: SumoMatch[] = [];
  behavior!: Behavior;
  /** Matches decided in view, by outcome (the gallery's tally). */
  readonly tally = { blue: 0, red: 0, draw: 0 };
  private gfx!: Phaser.GameObjects.Graphics;
  private keys: Phaser.Types.Input.Keyboard.CursorKeys | undefined;

  constructor() {
    super('sumo');
  }

  create(data: SumoSceneData): void {
    this.cameras.main.setBackgroundColor('#0d1117');
    this.gfx = this.add.graphics();
    this.behavior = this.ppo.addBehavior({
      name: 'sumo', observationSize: SUMO_OBSERVATIONS, actionSpec: SUMO_ACTIONS, ...data.behavior,
      config: { ...SUMO_CONFIG, ...data.behavior.config },
    });
    this.matches = [];
    Object.assign(this.tally, { blue: 0, red: 0, draw: 0 });
    const rings = data.rings ?? RINGS;
    const seed = data.seed ?? 1000;
    const first = data.firstRing ?? 0;
    for (let i = 0; i < rings; i++) {
      const match = new SumoMatch(seed + i, [`sumo-${first + i}a`, `sumo-${first + i}b`]);
      this.matches.push(match);
      for (const a of match.agents) this.behavior.addAgent(a);
    }
    this.ppo.speed = data.speed ?? 1;
    this.ppo.onFixedStep(() => {
      for (let i = 0; i < this.matches.length; i++) {
        const o = this.matches[i]!.step();
        if (o !== 'running') this.tally[o === 'win0' ? 'blue' : o === 'win1' ? 'red' : 'draw']++;
      }
    });
    this.keys = this.input.keyboard?.createCursorKeys();
    // Phaser's shutdown does not remove a scene's own listeners: without the off, every restart adds one more.
    this.events.on(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.UPDATE, this.readKeys, this));
    this.ppo.showOverlay('sumo');
    data.onReady?.(this);
  }

  /** The arrow keys push every blue wrestler (they act only where the behavior is `heuristic`). */
  private readKeys(): void {
    const keys = this.keys;
    if (!keys) return;
    const dx = (keys.right.isDown ? 1 : 0) - (keys.left.isDown ? 1 : 0);
    const dy = (keys.down.isDown ? 1 : 0) - (keys.up.isDown ? 1 : 0);
    const move = dx === 0 && dy === 0 ? null : nearestMove(dx, dy);
    for (const m of this.matches) m.agents[0].humanMove = move;
  }

  override update(): void {
    const g = this.gfx;
    g.clear();
    // The overlay panel owns the left strip; the rings fill the rest.
    const left = 232;
    const width = this.scale.width - left;
    const rows = Math.ceil(this.matches.length / COLUMNS);
    const cellW = width / COLUMNS;
    const cellH = this.scale.height / Math.max(1, rows);
    const scale = (Math.min(cellW, cellH) / 2) * 0.85;
    this.matches.forEach((m, i) => {
      const cx = left + (i % COLUMNS) * cellW + cellW / 2;
      const cy = Math.floor(i / COLUMNS) * cellH + cellH / 2;
      g.fillStyle(0x161b22, 1).fillCircle(cx, cy, SUMO.ringRadius * scale);
      g.lineStyle(3, 0xd29922, 1).strokeCircle(cx, cy, SUMO.ringRadius * scale);
      m.ring.wrestlers.forEach((w, side) => {
        g.fillStyle(TEAM_COLORS[side]!, 1).fillCircle(cx + w.x * scale, cy + w.y * scale, SUMO.discRadius * scale);
      });
    });
  }
}
