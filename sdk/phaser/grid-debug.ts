/**
 * Debug drawing of grid sensors (`GridSensor`, `TilemapGridSensor`): the grid's outline turned
 * with its heading, and each cell with a non-zero value in a chosen channel filled in that
 * channel's colour. Call `draw()` once per frame after the agents have observed; it reads what the
 * sensors kept from their last write and allocates nothing.
 */
import type Phaser from 'phaser';
import type { GridPose } from '../adapter/grid-sensor.js';

/** What the drawing reads from a grid sensor; `GridSensor` and `TilemapGridSensor` both fit. */
export interface DebuggableGrid {
  /** Values per cell. */
  readonly channels: number;
  lastPose(): Readonly<GridPose>;
  lastCells(): Float32Array;
}

export interface GridDebugOptions {
  /** Colour per channel index; cells are filled in the first listed channel that is non-zero. Default: channel 0 orange. */
  channelColors?: Readonly<Record<number, number>>;
  /** Colour of the outline and cell lines. */
  lineColor?: number;
  /** Draw every cell's outline, not just the grid's (default false). */
  cellLines?: boolean;
  alpha?: number;
}

export class GridDebug {
  private readonly graphics: Phaser.GameObjects.Graphics;
  private readonly channelOrder: readonly number[];
  private readonly colors: readonly number[];
  /** The pose of the grid being drawn, kept in fields so the corner maths allocates no closures. */
  private px = 0;
  private py = 0;
  private cos = 1;
  private sin = 0;
  private hw = 0;
  private hh = 0;

  constructor(scene: Phaser.Scene, private readonly sensors: readonly DebuggableGrid[], private readonly options: GridDebugOptions = {}) {
    this.graphics = scene.add.graphics().setDepth(500);
    const entries = Object.entries(options.channelColors ?? { 0: 0xf0883e });
    this.channelOrder = entries.map(([ch]) => Number(ch));
    this.colors = entries.map(([, color]) => color);
  }

  draw(): void {
    const { lineColor = 0x8b949e, cellLines = false, alpha = 0.35 } = this.options;
    const g = this.graphics;
    g.clear();
    for (const sensor of this.sensors) {
      const pose = sensor.lastPose();
      const cells = sensor.lastCells();
      const { rows, cols, cellSize } = pose;
      this.px = pose.x;
      this.py = pose.y;
      this.cos = Math.cos(pose.angle);
      this.sin = Math.sin(pose.angle);
      const hw = (this.hw = (cols * cellSize) / 2);
      const hh = (this.hh = (rows * cellSize) / 2);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const base = (r * cols + c) * sensor.channels;
          let color = -1;
          for (let k = 0; k < this.channelOrder.length && color < 0; k++) {
            if ((cells[base + this.channelOrder[k]!] ?? 0) !== 0) color = this.colors[k]!;
          }
          if (color < 0 && !cellLines) continue;
          const x0 = c * cellSize;
          const y0 = r * cellSize;
          const x1 = x0 + cellSize;
          const y1 = y0 + cellSize;
          if (color >= 0) {
            g.fillStyle(color, alpha);
            g.fillTriangle(this.wx(x0, y0), this.wy(x0, y0), this.wx(x1, y0), this.wy(x1, y0), this.wx(x1, y1), this.wy(x1, y1));
            g.fillTriangle(this.wx(x0, y0), this.wy(x0, y0), this.wx(x1, y1), this.wy(x1, y1), this.wx(x0, y1), this.wy(x0, y1));
          }
          if (cellLines) this.quad(g, lineColor, this.wx(x0, y0), this.wy(x0, y0), this.wx(x1, y0), this.wy(x1, y0), this.wx(x1, y1), this.wy(x1, y1), this.wx(x0, y1), this.wy(x0, y1));
        }
      }
      this.quad(g, lineColor, this.wx(0, 0), this.wy(0, 0), this.wx(2 * hw, 0), this.wy(2 * hw, 0), this.wx(2 * hw, 2 * hh), this.wy(2 * hw, 2 * hh), this.wx(0, 2 * hh), this.wy(0, 2 * hh));
    }
  }

  destroy(): void {
    this.graphics.destroy();
  }

  /** Grid-local point (x along the heading, from the top-left corner) to world x, as the sensors map it. */
  private wx(x: number, y: number): number {
    return this.px + this.cos * (x - this.hw) - this.sin * (y - this.hh);
  }

  private wy(x: number, y: number): number {
    return this.py + this.sin * (x - this.hw) + this.cos * (y - this.hh);
  }

  private quad(g: Phaser.GameObjects.Graphics, color: number, ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): void {
    g.lineStyle(1, color, 0.8);
    g.lineBetween(ax, ay, bx, by).lineBetween(bx, by, cx, cy).lineBetween(cx, cy, dx, dy).lineBetween(dx, dy, ax, ay);
  }
}
