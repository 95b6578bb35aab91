/**
 * The maze NPC: walks a tile at a time to the exit of a level drawn anew every episode. It sees
 * the level one of two ways, with everything else equal (actions, rewards, config, seeds):
 * - `grid`: a {@link TilemapGridSensor} over the level's tilemap, centred on the NPC and big
 *   enough to cover the whole room from any tile (walls and exit, one channel each);
 * - `rays`: a {@link RayCastSensor} fan of 8 rays over the same walls and exit as boxes.
 * The same class runs under the Phaser view and headless.
 */
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../../sdk/adapter/action-spec.js';
import type { Vec2 } from '../../sdk/adapter/body-state-sensor.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import { RayCastSensor, type RayCastBody } from '../../sdk/adapter/ray-cast-sensor.js';
import type { Rng } from '../../sdk/core/rng.js';
import type { PPOConfig } from '../../sdk/rl/config.js';
import { TilemapGridSensor, type TileSource } from '../../sdk/phaser/tilemap-sensor.js';
import { MAZE, MOVES, TILE, type MazeLevel } from './level.js';

/** How the NPC sees the level. */
export type MazeEyes = 'grid' | 'rays';

/** Five choices: 0 up, 1 right, 2 down, 3 left (the level's MOVES), 4 stay (what no key does). */
export const MAZE_ACTIONS = ActionSpec.discrete(5);
export const MAZE_STAY = 4;
/**
 * The tuned config of both behaviors: 16 copies × 64 decisions = 1,024 transitions per rollout.
 * Entropy keeps the walk exploring until the exit is found often enough to learn from.
 * The grid is flattened into the MLP (`convLayers: []`): that is the measured and shipped setting
 * (grid 0.52 against rays 0.03). A conv encoder (16×3/1, 16×3/2) scored 0.645 on one seed at a
 * fifth of the training speed (`npm run bench:maze-conv`): promising, not yet measured over seeds.
 */
export const MAZE_CONFIG: Partial<PPOConfig> = { numSteps: 64, learningRate: 1e-3, entCoef: 0.01, gamma: 0.97, totalSteps: 300_000, convLayers: [] };
/** Decisions (moves) before an episode is cut; the exit is at least 5 moves away. */
export const MAZE_MAX_STEPS = 40;
/** Reward for reaching the exit; every move costs {@link MAZE_STEP_COST}. */
export const MAZE_EXIT_REWARD = 1;
export const MAZE_STEP_COST = 0.01;
/** The grid's side in tiles: from any floor tile it covers the whole room, the NPC in its centre cell. */
export const MAZE_GRID_CELLS = 2 * (MAZE.size - 2) - 1;
export const MAZE_RAYS = 8;

/** How episodes ended, for the page's status line and tests. */
export interface MazeTally {
  exits: number;
  timeouts: number;
}

export interface MazeAgentOptions {
  eyes: MazeEyes;
  /** The tilemap the grid reads (phaserTileSource of the lane's map). */
  tiles: TileSource;
  /** World position of the level's tile (0, 0) top-left corner. */
  origin: Vec2;
  /** Called when a new level is drawn: the scene writes it into its tilemap. */
  onLevel: (level: MazeLevel) => void;
  name?: string;
  /** Where to count how episodes end (the scene shares one among its NPCs); default the agent's own. */
  tally?: MazeTally;
}

export class MazeAgent extends Agent {
  /** Set by the page in heuristic mode: a move (0-3) or {@link MAZE_STAY}. */
  humanInput = MAZE_STAY;
  x = 1;
  y = 1;
  readonly tally: MazeTally;
  /** The sensors' origin: the centre of the NPC's tile (a body-like object moved in place). */
  readonly eye = { position: { x: 0, y: 0 }, angle: 0 };
  readonly sensor: TilemapGridSensor | RayCastSensor;
  private move = MAZE_STAY;
  private reached = false;
  /** An episode has begun before: the next begin ends one (to tally). */
  private begun = false;
  /** A box per tile, made once; the rays see the ones of this level's walls and exit. */
  private readonly boxes: RayCastBody[];
  private readonly rayBodies: RayCastBody[] = [];

  constructor(readonly level: MazeLevel, private readonly rng: Rng, private readonly opts: MazeAgentOptions) {
    super({ maxSteps: MAZE_MAX_STEPS, ...(opts.name ? { name: opts.name } : {}) });
    this.tally = opts.tally ?? { exits: 0, timeouts: 0 };
    const t = MAZE.tile;
    const { x: ox, y: oy } = opts.origin;
    this.boxes = Array.from({ length: MAZE.size * MAZE.size }, (_, i) => {
      const x0 = ox + (i % MAZE.size) * t;
      const y0 = oy + Math.floor(i / MAZE.size) * t;
      return {
        label: 'wall',
        vertices: [{ x: x0, y: y0 }, { x: x0 + t, y: y0 }, { x: x0 + t, y: y0 + t }, { x: x0, y: y0 + t }],
        bounds: { min: { x: x0, y: y0 }, max: { x: x0 + t, y: y0 + t } },
      };
    });
    this.sensor = opts.eyes === 'grid'
      ? new TilemapGridSensor('map', {
          from: this.eye, rotate: false, rows: MAZE_GRID_CELLS, cols: MAZE_GRID_CELLS, cellSize: t,
          tiles: opts.tiles, layers: [0], tileWidth: t, tileHeight: t, origin: opts.origin,
          channels: ['wall', 'exit'], tileChannel: { [TILE.wall]: 'wall', [TILE.exit]: 'exit' },
        })
      : new RayCastSensor('rays', {
          from: this.eye, bodies: () => this.rayBodies, rays: MAZE_RAYS, arc: 2 * Math.PI,
          maxLength: MAZE.size * t * Math.SQRT2, tags: ['wall', 'exit'],
        });
    this.addSensor(this.sensor);
  }

  override onEpisodeBegin(): void {
    if (this.reached) this.tally.exits++;
    else if (this.begun) this.tally.timeouts++;
    this.begun = true;
    this.reached = false;
    this.level.generate(this.rng);
    this.x = this.level.startX;
    this.y = this.level.startY;
    this.move = MAZE_STAY;
    this.placeEye();
    this.rayBodies.length = 0;
    for (let i = 0; i < this.level.tiles.length; i++) {
      const tile = this.level.tiles[i]!;
      if (tile === TILE.floor) continue;
      const box = this.boxes[i] as { label: string };
      box.label = tile === TILE.exit ? 'exit' : 'wall';
      this.rayBodies.push(this.boxes[i]!);
    }
    this.opts.onLevel(this.level);
  }

  /** Everything the agent sees comes from its sensor. */
  override collectObservations(_obs: ObservationWriter): void {}

  override onActionReceived(actions: ActionBuffers): void {
    this.move = actions.discrete[0]!;
  }

  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = this.humanInput;
  }

  /** Called by the game each fixed step: apply the move (walls stop it), charge it, end on the exit. */
  judge(): void {
    if (this.move !== MAZE_STAY) {
      const m = MOVES[this.move]!;
      if (this.level.open(this.x + m[0], this.y + m[1])) {
        this.x += m[0];
        this.y += m[1];
        this.placeEye();
      }
    }
    this.addReward(-MAZE_STEP_COST);
    if (this.x === this.level.exitX && this.y === this.level.exitY) {
      this.reached = true;
      this.addReward(MAZE_EXIT_REWARD);
      this.endEpisode();
    }
  }

  private placeEye(): void {
    this.eye.position.x = this.opts.origin.x + (this.x + 0.5) * MAZE.tile;
    this.eye.position.y = this.opts.origin.y + (this.y + 0.5) * MAZE.tile;
  }
}
