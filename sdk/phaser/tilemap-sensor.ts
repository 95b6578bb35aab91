/**
 * The grid of {@link GridSensor} read from a tilemap: per cell, one channel per kind of tile (by
 * tile index or by a tile property), then optionally the body channels of a `GridSensor` with the
 * same shape on top. Each cell reads the tile under its centre in every listed layer, so with a
 * world-aligned grid whose cells are tile-sized and tile-aligned a cell is exactly one tile.
 *
 * Reads the map through {@link TileSource} only (`getTileAt(x, y, layer)`), never imports Phaser at
 * run time: in the scene wrap the Phaser tilemap with {@link phaserTileSource}; a headless copy of
 * the game passes plain arrays through {@link arrayTileSource}. A flat sensor for now, like
 * `GridSensor`: structured grid observations and conv encoders come later (issue 16).
 */
import type Phaser from 'phaser';
import { EnvError } from '../core/errors.js';
import type { Vec2 } from '../adapter/body-state-sensor.js';
import { GridSensor, checkGridShape, updateGridPose, type GridPose, type GridShape, type GridSensorOptions } from '../adapter/grid-sensor.js';
import type { Sensor } from '../adapter/sensor.js';

/** The fields of a tile the sensor reads (Phaser's `Tilemaps.Tile` fits). */
export interface TileLike {
  readonly index: number;
  readonly properties?: unknown;
}

/** A tilemap as the sensor sees it: a tile (or a bare tile index) per tile coordinate and layer; null where empty or off the map. */
export interface TileSource {
  getTileAt(tileX: number, tileY: number, layer: string | number): TileLike | number | null | undefined;
}

export interface TilemapGridSensorOptions extends GridShape {
  /** The map: {@link phaserTileSource} in the scene, {@link arrayTileSource} headless. */
  tiles: TileSource;
  /** Layers to read (names or indexes), each cell reading all of them. */
  layers: readonly (string | number)[];
  /** Size of a tile in world units. */
  tileWidth: number;
  tileHeight: number;
  /** World position of tile (0, 0)'s top-left corner; default (0, 0). */
  origin?: Vec2;
  /** Tile channels, in order: a cell reads 1 in a channel when a tile of that kind is under its centre. */
  channels: readonly string[];
  /** Tile index → channel name. Exactly one of `tileChannel` and `property`. */
  tileChannel?: Readonly<Record<number, string>>;
  /** A tile property whose (string) value names the channel, e.g. `'kind'` for `{ kind: 'wall' }`. */
  property?: string;
  /** Bodies on top: a `GridSensor`'s body options (tags, count, nearest, ...); its channels follow the tile channels. */
  bodies?: Omit<GridSensorOptions, keyof GridShape>;
}

/** Wraps a Phaser tilemap as a {@link TileSource} (empty tiles read as null). */
export function phaserTileSource(map: Phaser.Tilemaps.Tilemap): TileSource {
  return { getTileAt: (x, y, layer) => map.getTileAt(x, y, false, layer) };
}

/**
 * Plain arrays as a {@link TileSource} for headless copies: `layers[name][row][col]` is a tile
 * index; -1 (Phaser's empty tile) and positions off the arrays read as empty.
 */
export function arrayTileSource(layers: Readonly<Record<string | number, readonly (readonly number[])[]>>): TileSource {
  return {
    getTileAt: (x, y, layer) => {
      const index = layers[layer]?.[y]?.[x];
      return index === undefined || index < 0 ? null : index;
    },
  };
}

/**
 * A grid of tile channels (and optional body channels) around a body or over a fixed rectangle;
 * size `rows × cols × (channels.length + body channels)`, channels-last and row-major.
 *
 * @example
 * const view = new TilemapGridSensor('view', { from: this.body, rows: 7, cols: 7, cellSize: 32,
 *   tiles: phaserTileSource(map), layers: ['ground'], tileWidth: 32, tileHeight: 32,
 *   channels: ['wall', 'lava'], property: 'kind', bodies: { bodies: () => world.bodies, tags: ['enemy'] } });
 * this.addSensor(view);
 */
export class TilemapGridSensor implements Sensor {
  readonly size: number;
  /** `[rows, cols, channels]`: makes this a grid input of the behavior's observation. */
  readonly shape: readonly [number, number, number];
  /** Values per cell: tile channels, then the body grid's. */
  readonly perCell: number;
  private readonly pose: GridPose;
  private readonly cells: Float32Array;
  private readonly indexChannel = new Map<number, number>();
  private readonly bodyGrid: GridSensor | null;
  private readonly bodyCells: Float32Array | null;
  private readonly tileChannels: number;

  constructor(readonly name: string, readonly opts: TilemapGridSensorOptions) {
    const where = `TilemapGridSensor('${name}')`;
    if (new Set(opts.channels).size !== opts.channels.length) throw new EnvError(`${where}: channels has duplicates: ${opts.channels.join(', ')}`);
    if ((opts.tileChannel === undefined) === (opts.property === undefined)) throw new EnvError(`${where}: give exactly one of tileChannel (tile index → channel) and property (a tile property naming the channel)`);
    for (const field of ['tileWidth', 'tileHeight'] as const) {
      if (!(opts[field] > 0) || !Number.isFinite(opts[field])) throw new EnvError(`${where}: ${field} must be a positive finite number, got ${opts[field]}`);
    }
    if (opts.layers.length === 0) throw new EnvError(`${where}: layers is empty: name at least one tilemap layer`);
    for (const [index, channel] of Object.entries(opts.tileChannel ?? {})) {
      const ch = opts.channels.indexOf(channel);
      if (ch < 0) throw new EnvError(`${where}: tileChannel[${index}] is '${channel}', not one of channels (${opts.channels.join(', ')})`);
      this.indexChannel.set(Number(index), ch);
    }
    this.tileChannels = opts.channels.length;
    this.bodyGrid = opts.bodies
      ? new GridSensor(`${name}.bodies`, { ...opts.bodies, from: opts.from, rows: opts.rows, cols: opts.cols, cellSize: opts.cellSize, ...(opts.rotate === undefined ? {} : { rotate: opts.rotate }) })
      : null;
    this.perCell = this.tileChannels + (this.bodyGrid?.channels ?? 0);
    checkGridShape(where, opts, this.perCell);
    this.size = opts.rows * opts.cols * this.perCell;
    this.shape = [opts.rows, opts.cols, this.perCell];
    this.cells = new Float32Array(this.size);
    this.bodyCells = this.bodyGrid ? new Float32Array(this.bodyGrid.size) : null;
    this.pose = { x: 0, y: 0, angle: 0, rows: opts.rows, cols: opts.cols, cellSize: opts.cellSize };
  }

  /** The grid's pose at the last {@link write} (updated in place). */
  lastPose(): Readonly<GridPose> {
    return this.pose;
  }

  /** The values of the last {@link write}, channels-last and row-major (updated in place). */
  lastCells(): Float32Array {
    return this.cells;
  }

  /** Values per cell; the same as {@link perCell}, named like `GridSensor.channels` for debug drawing. */
  get channels(): number {
    return this.perCell;
  }

  /** Reads the map (and bodies) now and writes the grid; also refreshes {@link lastCells}. */
  write(out: Float32Array, offset: number): void {
    this.fill();
    out.set(this.cells, offset);
  }

  reset(): void {}

  private fill(): void {
    const { opts, pose, cells, perCell, tileChannels } = this;
    updateGridPose(opts, pose);
    const { rows, cols, cellSize, layers, tiles, tileWidth, tileHeight } = opts;
    const ox = opts.origin?.x ?? 0;
    const oy = opts.origin?.y ?? 0;
    const cos = Math.cos(pose.angle);
    const sin = Math.sin(pose.angle);
    const hw = (cols * cellSize) / 2;
    const hh = (rows * cellSize) / 2;
    if (this.bodyGrid && this.bodyCells) this.bodyGrid.write(this.bodyCells, 0);
    const bodyChannels = perCell - tileChannels;
    for (let r = 0; r < rows; r++) {
      const ly = (r + 0.5) * cellSize - hh;
      for (let c = 0; c < cols; c++) {
        const lx = (c + 0.5) * cellSize - hw;
        const wx = pose.x + cos * lx - sin * ly;
        const wy = pose.y + sin * lx + cos * ly;
        const tx = Math.floor((wx - ox) / tileWidth);
        const ty = Math.floor((wy - oy) / tileHeight);
        const base = (r * cols + c) * perCell;
        for (let k = 0; k < tileChannels; k++) cells[base + k] = 0;
        for (let l = 0; l < layers.length; l++) {
          const ch = this.channelOf(tiles.getTileAt(tx, ty, layers[l]!));
          if (ch >= 0) cells[base + ch] = 1;
        }
        if (this.bodyCells) {
          const from = (r * cols + c) * bodyChannels;
          for (let k = 0; k < bodyChannels; k++) cells[base + tileChannels + k] = this.bodyCells[from + k]!;
        }
      }
    }
  }

  private channelOf(tile: TileLike | number | null | undefined): number {
    if (tile === null || tile === undefined) return -1;
    const property = this.opts.property;
    if (property === undefined) return this.indexChannel.get(typeof tile === 'number' ? tile : tile.index) ?? -1;
    if (typeof tile === 'number') return -1;
    const value = (tile.properties as Record<string, unknown> | undefined)?.[property];
    return typeof value === 'string' ? this.opts.channels.indexOf(value) : -1;
  }
}
