/**
 * Debug drawing of ray-cast sensors: each ray from its origin to its hit point (or full length),
 * coloured by what it hit. Call `draw()` once per frame after the agents have observed.
 */
import type Phaser from 'phaser';
import type { RayCastSensor } from '../adapter/ray-cast-sensor.js';

export interface RayDebugOptions {
  /** Colour of rays that hit nothing. */
  missColor?: number;
  /** Colour of rays that hit an untagged body. */
  blockColor?: number;
  /** Colour per tag. */
  tagColors?: Record<string, number>;
  alpha?: number;
}

export class RayDebug {
  private readonly graphics: Phaser.GameObjects.Graphics;
  /** Whether anything is shown: a headless copy (sceneGame, Phaser.HEADLESS) has no renderer. */
  private readonly shown: boolean;

  constructor(scene: Phaser.Scene, private readonly sensors: readonly RayCastSensor[], private readonly options: RayDebugOptions = {}) {
    this.graphics = scene.add.graphics().setDepth(500);
    this.shown = scene.game.renderer != null;
  }

  /** Redraws every ray; does nothing headless, where it was a third of chase's training time (bench/games.ts). */
  draw(): void {
    if (!this.shown) return;
    const { missColor = 0x30363d, blockColor = 0x8b949e, tagColors = {}, alpha = 0.8 } = this.options;
    const g = this.graphics;
    g.clear();
    for (const sensor of this.sensors) {
      for (const ray of sensor.lastRays()) {
        const color = !ray.hit ? missColor : ray.tag !== null ? tagColors[ray.tag] ?? 0xf0883e : blockColor;
        g.lineStyle(1, color, alpha).lineBetween(ray.x1, ray.y1, ray.x2, ray.y2);
        if (ray.hit) g.fillStyle(color, alpha).fillCircle(ray.x2, ray.y2, 2);
      }
    }
  }

  destroy(): void {
    this.graphics.destroy();
  }
}
