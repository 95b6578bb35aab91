/**
 * A grid of cells over Matter bodies, after ML-Agents' GridSensor: one channel per detectable tag,
 * plus optional "count" and "nearest distance" channels, written channels-last and row-major
 * (`value(row, col, ch)` at `(row·cols + col)·channels + ch`).
 *
 * It declares its `shape`, so the behavior's observation gets a grid input that the network runs
 * through a conv encoder (`PPOConfig.convLayers`; `[]` flattens it into the MLP input).
 *
 * Occupancy is exact for convex polygons: a body occupies a cell when one of its convex parts
 * overlaps the cell's square with positive area (a separating-axis test of the part's vertices
 * against the square, in the grid's own frame). Touching an edge does not count, so a body
 * exactly on a cell boundary occupies one side only. Like `RayCastSensor` it reads plain fields
 * (`vertices`, `parts`, `bounds`, `position`, `label`, `plugin`), never calls Matter; bodies are
 * first filtered by their `bounds` against the grid's world AABB (what `Matter.Query.region`
 * does) so the polygon test only runs on the few that can touch the grid.
 */
import { EnvError } from '../core/errors.js';
import type { Frame, Vec2 } from './body-state-sensor.js';
import type { RayCastBody } from './ray-cast-sensor.js';
import type { Sensor } from './sensor.js';

/** Largest `rows × cols × channels` a grid sensor may have (observations stay MLP-sized). */
export const MAX_GRID_VALUES = 2 ** 16;

/**
 * The fields of a Matter body the grid reads: the rays' ({@link RayCastBody}: label, plugin.tag,
 * vertices, parts, bounds; `tagOf`, when given, replaces the label and tag) and a position. Not
 * an exact `circle`, where the rays take one: the grid's occupancy test is for convex polygons.
 */
export interface GridBody extends Omit<RayCastBody, 'circle'> {
  /** Used for the "nearest" channel; the bounds' centre when absent. */
  readonly position?: Vec2;
  /** `parts[0]` is the body itself; a compound body's convex pieces follow. */
  readonly parts?: readonly GridBody[];
}

/** Where the grid lies and how it is cut. Shared by {@link GridSensor} and the tilemap sensor. */
export interface GridShape {
  /**
   * Centre and heading of the grid: a body (its position and angle), a function returning a
   * frame each decision, or a fixed world rectangle `{ left, top }` (world-aligned, its top-left
   * corner there).
   */
  from: { readonly position: Vec2; readonly angle: number } | (() => Frame) | { readonly left: number; readonly top: number };
  /** Number of rows (H) and columns (W). */
  rows: number;
  cols: number;
  /** Side of a square cell in world units. */
  cellSize: number;
  /**
   * Turn the grid with the heading (default true; ignored for a fixed rectangle). Columns run
   * along the heading (the last column is ahead), rows 90° clockwise from it on a y-down screen
   * (the last row is on the right); with heading 0 that is the world's x and y.
   */
  rotate?: boolean;
}

export interface GridSensorOptions extends GridShape {
  /** The bodies the grid may see, asked once per write (e.g. `() => world.bodies`). */
  bodies: () => readonly GridBody[];
  /** Detectable tags, one channel each; bodies with other tags are not seen at all. */
  tags: readonly string[];
  /** A body's tag; default `plugin.tag` when a string, else `label`. */
  tagOf?: (body: GridBody) => string | undefined;
  /** Bodies never seen (a body given as `from` is always ignored). */
  ignore?: readonly GridBody[];
  /**
   * Add a channel with the number of tagged bodies in the cell, written `min(n, countCap)/countCap`
   * (`countCap` default 4).
   */
  count?: boolean;
  countCap?: number;
  /**
   * Add a channel with the distance from the grid's centre to the position of the nearest tagged
   * body in the cell, divided by the grid's half-diagonal and capped at 1; 1 for an empty cell
   * (like a ray that hits nothing).
   */
  nearest?: boolean;
}

/** The grid's pose at the last write, for debug drawing: centre, angle and cut. */
export interface GridPose {
  x: number;
  y: number;
  angle: number;
  readonly rows: number;
  readonly cols: number;
  readonly cellSize: number;
}

/** Checks a grid shape and its channel count; throws naming the field and the limit. */
export function checkGridShape(where: string, shape: GridShape, channels: number): void {
  for (const field of ['rows', 'cols'] as const) {
    const v = shape[field];
    if (!Number.isInteger(v) || v < 1) throw new EnvError(`${where}: ${field} must be a positive integer, got ${v}`);
  }
  if (!(shape.cellSize > 0) || !Number.isFinite(shape.cellSize)) throw new EnvError(`${where}: cellSize must be a positive finite number, got ${shape.cellSize}`);
  if (channels < 1) throw new EnvError(`${where}: no channels: give at least one tag (or count/nearest)`);
  const values = shape.rows * shape.cols * channels;
  if (values > MAX_GRID_VALUES) {
    throw new EnvError(`${where}: rows × cols × channels = ${shape.rows} × ${shape.cols} × ${channels} = ${values} values, over the limit of ${MAX_GRID_VALUES}; use fewer or larger cells or fewer channels`);
  }
}

/**
 * Updates `pose` (centre and angle) from a {@link GridShape}'s `from` without allocating, except
 * for what a user's frame function returns.
 */
export function updateGridPose(shape: GridShape, pose: GridPose): void {
  const from = shape.from;
  if (typeof from === 'function') {
    const f = from();
    pose.x = f.x;
    pose.y = f.y;
    pose.angle = shape.rotate === false ? 0 : f.angle;
  } else if ('left' in from) {
    pose.x = from.left + (shape.cols * shape.cellSize) / 2;
    pose.y = from.top + (shape.rows * shape.cellSize) / 2;
    pose.angle = 0;
  } else {
    pose.x = from.position.x;
    pose.y = from.position.y;
    pose.angle = shape.rotate === false ? 0 : from.angle;
  }
}

function defaultTagOf(body: GridBody): string | undefined {
  const plugin = body.plugin as { tag?: unknown } | undefined;
  return typeof plugin?.tag === 'string' ? plugin.tag : body.label;
}

/**
 * An H×W grid of cells around a body (or over a fixed rectangle); per cell a one-hot-ish
 * occupancy per tag (1 when a body of that tag overlaps the cell), then the optional count and
 * nearest channels. Size `rows × cols × (tags.length + count + nearest)`.
 *
 * @example
 * const grid = new GridSensor('around', { from: this.body, bodies: () => world.bodies, rows: 9, cols: 9,
 *   cellSize: 32, tags: ['wall', 'coin'], count: true });
 * this.addSensor(grid);
 */
export class GridSensor implements Sensor {
  readonly size: number;
  /** `[rows, cols, channels]`: makes this a grid input of the behavior's observation. */
  readonly shape: readonly [number, number, number];
  /** Values per cell: tags, then count, then nearest. */
  readonly channels: number;
  private readonly pose: GridPose;
  private readonly cells: Float32Array;
  /** Per cell, the index + 1 of the last body counted there, so a compound body counts once. */
  private readonly stamp: Int32Array;
  private readonly ignore: Set<unknown>;
  private readonly tagOf: (body: GridBody) => string | undefined;
  private readonly countCap: number;
  /** Vertices of the current part in grid-local coordinates; grows to the largest part seen. */
  private lx = new Float64Array(16);
  private ly = new Float64Array(16);

  constructor(readonly name: string, readonly opts: GridSensorOptions) {
    const where = `GridSensor('${name}')`;
    if (new Set(opts.tags).size !== opts.tags.length) throw new EnvError(`${where}: tags has duplicates: ${opts.tags.join(', ')}`);
    this.countCap = opts.countCap ?? 4;
    if (!Number.isInteger(this.countCap) || this.countCap < 1) throw new EnvError(`${where}: countCap must be a positive integer, got ${opts.countCap}`);
    this.channels = opts.tags.length + (opts.count ? 1 : 0) + (opts.nearest ? 1 : 0);
    checkGridShape(where, opts, this.channels);
    this.size = opts.rows * opts.cols * this.channels;
    this.shape = [opts.rows, opts.cols, this.channels];
    this.pose = { x: 0, y: 0, angle: 0, rows: opts.rows, cols: opts.cols, cellSize: opts.cellSize };
    this.cells = new Float32Array(this.size);
    this.stamp = new Int32Array(opts.rows * opts.cols);
    this.ignore = new Set<unknown>(opts.ignore ?? []);
    if (typeof opts.from !== 'function' && 'position' in opts.from) this.ignore.add(opts.from);
    this.tagOf = opts.tagOf ?? defaultTagOf;
  }

  /** The grid's pose at the last {@link write} (updated in place). */
  lastPose(): Readonly<GridPose> {
    return this.pose;
  }

  /** The values of the last {@link write}, channels-last and row-major (updated in place). */
  lastCells(): Float32Array {
    return this.cells;
  }

  /** Reads the bodies now and writes the grid; also refreshes {@link lastCells} and {@link lastPose}. */
  write(out: Float32Array, offset: number): void {
    this.fill();
    out.set(this.cells, offset);
  }

  reset(): void {}

  private fill(): void {
    const { opts, pose, cells, channels } = this;
    updateGridPose(opts, pose);
    const { rows, cols, cellSize } = opts;
    const nTags = opts.tags.length;
    const countCh = opts.count ? nTags : -1;
    const nearestCh = opts.nearest ? nTags + (opts.count ? 1 : 0) : -1;
    cells.fill(0);
    this.stamp.fill(0);
    if (nearestCh >= 0) for (let c = nearestCh; c < cells.length; c += channels) cells[c] = 1;
    const cos = Math.cos(pose.angle);
    const sin = Math.sin(pose.angle);
    const hw = (cols * cellSize) / 2;
    const hh = (rows * cellSize) / 2;
    // World AABB of the (possibly turned) grid, for the bounds pre-filter.
    const ex = Math.abs(cos) * hw + Math.abs(sin) * hh;
    const ey = Math.abs(sin) * hw + Math.abs(cos) * hh;
    const halfDiagonal = Math.hypot(hw, hh);
    const bodies = opts.bodies();
    for (let b = 0; b < bodies.length; b++) {
      const body = bodies[b]!;
      if (this.ignore.has(body)) continue;
      const bounds = body.bounds;
      if (bounds && (bounds.max.x <= pose.x - ex || bounds.min.x >= pose.x + ex || bounds.max.y <= pose.y - ey || bounds.min.y >= pose.y + ey)) continue;
      const name = this.tagOf(body);
      const tag = name === undefined ? -1 : opts.tags.indexOf(name);
      if (tag < 0) continue;
      let distance = 1;
      if (nearestCh >= 0) {
        const px = body.position ? body.position.x : bounds ? (bounds.min.x + bounds.max.x) / 2 : pose.x;
        const py = body.position ? body.position.y : bounds ? (bounds.min.y + bounds.max.y) / 2 : pose.y;
        distance = Math.min(1, Math.hypot(px - pose.x, py - pose.y) / halfDiagonal);
      }
      const parts = body.parts;
      const compound = parts !== undefined && parts.length > 1;
      for (let p = compound ? 1 : 0; p < (compound ? parts.length : 1); p++) {
        const vertices = compound ? parts[p]!.vertices : body.vertices;
        if (!vertices || vertices.length === 0) continue;
        this.markPart(vertices, cos, sin, hw, hh, b + 1, tag, countCh, nearestCh, distance);
      }
    }
  }

  /** Marks the cells one convex part overlaps (separating axes: the cell's two, then the part's edges). */
  private markPart(vertices: readonly Vec2[], cos: number, sin: number, hw: number, hh: number, id: number, tag: number, countCh: number, nearestCh: number, distance: number): void {
    const { pose, cells, channels, stamp } = this;
    const { rows, cols, cellSize } = this.opts;
    const n = vertices.length;
    if (this.lx.length < n) {
      // Grows once to the largest part seen, not per write.
      this.lx = new Float64Array(n);
      this.ly = new Float64Array(n);
    }
    const { lx, ly } = this;
    // Grid-local coordinates measured from the grid's top-left corner: x along the heading.
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const dx = vertices[i]!.x - pose.x;
      const dy = vertices[i]!.y - pose.y;
      const x = cos * dx + sin * dy + hw;
      const y = -sin * dx + cos * dy + hh;
      lx[i] = x;
      ly[i] = y;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    // Cells whose open square meets the part's local AABB (the cell axes of the SAT test).
    const c0 = Math.max(0, Math.floor(minX / cellSize));
    const c1 = Math.min(cols - 1, Math.ceil(maxX / cellSize) - 1);
    const r0 = Math.max(0, Math.floor(minY / cellSize));
    const r1 = Math.min(rows - 1, Math.ceil(maxY / cellSize) - 1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        if (n >= 3 && !this.edgesOverlap(n, c * cellSize, r * cellSize, cellSize)) continue;
        const cell = r * cols + c;
        const base = cell * channels;
        cells[base + tag] = 1;
        if (stamp[cell] === id) continue; // another part of the same body: count and distance already done
        stamp[cell] = id;
        if (countCh >= 0) cells[base + countCh] = Math.min(Math.round(cells[base + countCh]! * this.countCap) + 1, this.countCap) / this.countCap;
        if (nearestCh >= 0 && distance < cells[base + nearestCh]!) cells[base + nearestCh] = distance;
      }
    }
  }

  /** True when no edge normal of the local polygon separates it from the square at (x0, y0). */
  private edgesOverlap(n: number, x0: number, y0: number, s: number): boolean {
    const { lx, ly } = this;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const nx = ly[j]! - ly[i]!;
      const ny = lx[i]! - lx[j]!;
      if (nx === 0 && ny === 0) continue;
      let pMin = Infinity;
      let pMax = -Infinity;
      for (let k = 0; k < n; k++) {
        const d = nx * lx[k]! + ny * ly[k]!;
        if (d < pMin) pMin = d;
        if (d > pMax) pMax = d;
      }
      // The square's projection: its corner values on this axis.
      const a = nx * x0 + ny * y0;
      const sx = nx * s;
      const sy = ny * s;
      const qMin = a + Math.min(0, sx) + Math.min(0, sy);
      const qMax = a + Math.max(0, sx) + Math.max(0, sy);
      if (pMax <= qMin || qMax <= pMin) return false;
    }
    return true;
  }
}
