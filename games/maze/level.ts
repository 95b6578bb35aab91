/**
 * Maze levels: a square room of tiles with a wall border, random wall blocks inside, a start and
 * an exit that the walls keep connected. Pure data and a seeded generator, no Phaser: the scene
 * copies a level into its tilemap, and the rules (moves, the exit) read it here.
 *
 * A level is drawn anew every episode from the agent's seeded Rng, into buffers allocated once
 * (drawing a level runs once per episode, never per tick).
 */
import type { Rng } from '../../sdk/core/rng.js';

export const MAZE = {
  /** Tiles per side, border included. */
  size: 9,
  /** Side of a tile in world units (the scene draws and the sensors measure in these). */
  tile: 20,
  /** Wall blocks dropped inside the border (some may land on one another). */
  walls: 16,
  /** The exit is at least this many moves from the start. */
  minDistance: 5,
} as const;

/** Tile indexes of the maze's tilemap layer. */
export const TILE = { floor: -1, wall: 1, exit: 2 } as const;

/** Moves by action: 0 up, 1 right, 2 down, 3 left. */
export const MOVES: readonly (readonly [number, number])[] = [[0, -1], [1, 0], [0, 1], [-1, 0]];

export class MazeLevel {
  readonly size = MAZE.size;
  /** Row-major tile indexes (TILE.*), `tiles[y * size + x]`. */
  readonly tiles = new Int8Array(MAZE.size * MAZE.size);
  startX = 1;
  startY = 1;
  exitX = 1;
  exitY = 1;
  /** Moves from each tile to the exit over floor (-1: unreachable); filled by {@link generate}. */
  readonly distance = new Int16Array(MAZE.size * MAZE.size);
  private readonly queue = new Int16Array(MAZE.size * MAZE.size);

  tileAt(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.size || y >= this.size) return TILE.wall;
    return this.tiles[y * this.size + x]!;
  }

  /** Whether the agent can stand on (x, y). */
  open(x: number, y: number): boolean {
    return this.tileAt(x, y) !== TILE.wall;
  }

  /**
   * Draws a new level: walls, then an exit, then a start at least {@link MAZE.minDistance} moves
   * away over floor. Redraws until such a start exists (rare: most draws have one).
   */
  generate(rng: Rng): void {
    const n = this.size;
    for (;;) {
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) this.tiles[y * n + x] = x === 0 || y === 0 || x === n - 1 || y === n - 1 ? TILE.wall : TILE.floor;
      }
      for (let i = 0; i < MAZE.walls; i++) this.tiles[(1 + rng.int(n - 2)) * n + 1 + rng.int(n - 2)] = TILE.wall;
      const exit = this.randomFloor(rng);
      if (exit < 0) continue;
      this.exitX = exit % n;
      this.exitY = Math.floor(exit / n);
      this.measure();
      // A start drawn among the tiles far enough away (a few tries, then a new level).
      let start = -1;
      for (let t = 0; t < 32 && start < 0; t++) {
        const c = this.randomFloor(rng);
        if (c >= 0 && this.distance[c]! >= MAZE.minDistance) start = c;
      }
      if (start < 0) continue;
      this.tiles[exit] = TILE.exit;
      this.startX = start % n;
      this.startY = Math.floor(start / n);
      return;
    }
  }

  /** A random floor tile's index, or -1 after a few misses. */
  private randomFloor(rng: Rng): number {
    const n = this.size;
    for (let t = 0; t < 64; t++) {
      const c = (1 + rng.int(n - 2)) * n + 1 + rng.int(n - 2);
      if (this.tiles[c] === TILE.floor) return c;
    }
    return -1;
  }

  /** Breadth-first moves from the exit to every tile. */
  private measure(): void {
    const n = this.size;
    this.distance.fill(-1);
    const start = this.exitY * n + this.exitX;
    this.distance[start] = 0;
    this.queue[0] = start;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const c = this.queue[head++]!;
      const x = c % n;
      const y = (c - x) / n;
      for (let k = 0; k < MOVES.length; k++) {
        const nx = x + MOVES[k]![0];
        const ny = y + MOVES[k]![1];
        const nc = ny * n + nx;
        if (this.tileAt(nx, ny) === TILE.wall || this.distance[nc] !== -1) continue;
        this.distance[nc] = this.distance[c]! + 1;
        this.queue[tail++] = nc;
      }
    }
  }
}
