/**
 * Maze in Phaser: six rooms, each a tilemap made from array data (no asset files: the tileset is
 * a texture drawn at boot, and only with a renderer), an NPC in each walking to the exit. The
 * NPCs see the level through the tilemap itself (`phaserTileSource`), in the page and in the
 * headless copies (headless.ts), which are this scene, one room each, booted by sceneGame.
 */
import Phaser from 'phaser';
import type { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { Behavior, BehaviorOptions } from '../../sdk/phaser/behavior.js';
import { TilemapGridSensor, phaserTileSource } from '../../sdk/phaser/tilemap-sensor.js';
import { GridDebug } from '../../sdk/phaser/grid-debug.js';
import { RayDebug } from '../../sdk/phaser/ray-debug.js';
import { RayCastSensor } from '../../sdk/adapter/ray-cast-sensor.js';
import { Rng } from '../../sdk/core/rng.js';
import { MAZE_ACTIONS, MAZE_CONFIG, MAZE_STAY, MazeAgent, type MazeEyes, type MazeTally } from './agent.js';
import { MAZE, MOVES, TILE, MazeLevel } from './level.js';

export const ROOMS = 6;
const COLUMNS = 3;
/** The overlay panel owns the left strip; the rooms fill the rest of the 800 × 450 canvas. */
const LEFT = 232;
const CELL_W = (800 - LEFT) / COLUMNS;
const CELL_H = 450 / 2;
const TILESET = 'maze-tiles';

/** The behavior's name for each way of seeing: their brains differ in size, so they never mix. */
export const MAZE_BEHAVIOR: Readonly<Record<MazeEyes, string>> = { grid: 'maze', rays: 'maze-rays' };

/** What the page passes to the scene through `scene.start('maze', data)`. */
export interface MazeSceneData {
  behavior: Omit<BehaviorOptions, 'name' | 'observationSize' | 'actionSpec'>;
  /** How the NPCs see (default grid). */
  eyes?: MazeEyes;
  /** Fixed steps (moves) per 1/60 s of wall time: the page slows it down to watch, speeds it up to train. */
  speed?: number;
  /** Rooms; default {@link ROOMS}. A headless copy runs one. */
  rooms?: number;
  /** Room i's levels are drawn by `Rng(seed + i)`, its NPC named `maze-<firstRoom + i>`: defaults 1000 and 0. */
  seed?: number;
  firstRoom?: number;
  /** Draw the sensor over each room (the page: on). */
  debug?: boolean;
  onReady?: (scene: MazeScene) => void;
}

export class MazeScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  agents: MazeAgent[] = [];
  maps: Phaser.Tilemaps.Tilemap[] = [];
  behavior!: Behavior;
  private gfx: Phaser.GameObjects.Graphics | null = null;
  private gridDebug: GridDebug | null = null;
  private rayDebug: RayDebug | null = null;
  private keys: Phaser.Types.Input.Keyboard.CursorKeys | undefined;

  constructor() {
    super('maze');
  }

  /** How the rooms' episodes ended since the scene started, all NPCs together (updated in place: the page publishes the object). */
  readonly tally: MazeTally = { exits: 0, timeouts: 0 };
  /** The first NPC's tile and which moves (up, right, down, left) lead onto floor, updated in place every tick. */
  readonly walker = { x: 0, y: 0, open: [false, false, false, false] };

  create(data: MazeSceneData): void {
    const eyes = data.eyes ?? 'grid';
    const rooms = data.rooms ?? ROOMS;
    const seed = data.seed ?? 1000;
    const first = data.firstRoom ?? 0;
    const drawn = this.game.renderer !== null;
    this.cameras.main.setBackgroundColor('#0d1117');
    if (drawn) this.makeTileset();
    this.agents = [];
    this.maps = [];
    // Drawing objects of a previous start were destroyed with it.
    this.gfx = null;
    this.gridDebug = null;
    this.rayDebug = null;
    // The scene object outlives a restart: its counts start over with the new NPCs.
    this.tally.exits = 0;
    this.tally.timeouts = 0;
    for (let i = 0; i < rooms; i++) {
      // Headless, every copy's one room sits at the origin; in the page the rooms tile the canvas.
      const origin = drawn ? { x: LEFT + (i % COLUMNS) * CELL_W + (CELL_W - MAZE.size * MAZE.tile) / 2, y: Math.floor(i / COLUMNS) * CELL_H + (CELL_H - MAZE.size * MAZE.tile) / 2 } : { x: 0, y: 0 };
      const blank = Array.from({ length: MAZE.size }, () => new Array<number>(MAZE.size).fill(TILE.floor));
      const map = this.make.tilemap({ data: blank, tileWidth: MAZE.tile, tileHeight: MAZE.tile });
      if (drawn) {
        const tileset = map.addTilesetImage(TILESET, TILESET, MAZE.tile, MAZE.tile, 0, 0, 0);
        if (tileset) map.createLayer(0, tileset, origin.x, origin.y);
      }
      this.maps.push(map);
      const agent = new MazeAgent(new MazeLevel(), new Rng(seed + i), {
        eyes, tiles: phaserTileSource(map), origin, name: `maze-${first + i}`, tally: this.tally,
        onLevel: (level) => {
          // A level is drawn once per episode: its tiles go into the room's tilemap, which the grid
          // reads. The index is set on the map's own tiles: putTileAt needs a tilemap layer (a
          // texture), which a headless copy does not make, and the layer draws whatever index a tile has.
          for (let y = 0; y < level.size; y++) {
            for (let x = 0; x < level.size; x++) map.getTileAt(x, y, true, 0)!.index = level.tileAt(x, y);
          }
        },
      });
      this.agents.push(agent);
    }
    this.behavior = this.ppo.addBehavior({
      name: MAZE_BEHAVIOR[eyes], observationSize: 0, actionSpec: MAZE_ACTIONS, ...data.behavior, config: { ...MAZE_CONFIG, ...data.behavior.config },
    });
    for (const agent of this.agents) this.behavior.addAgent(agent);
    this.ppo.speed = data.speed ?? 1;
    this.ppo.onFixedStep(() => {
      for (let i = 0; i < this.agents.length; i++) this.agents[i]!.judge();
      this.updateWalker();
    });
    if (drawn) {
      this.gfx = this.add.graphics();
      if (data.debug ?? true) {
        const sensors = this.agents.map((a) => a.sensor);
        if (eyes === 'grid') this.gridDebug = new GridDebug(this, sensors.filter((s): s is TilemapGridSensor => s instanceof TilemapGridSensor), { channelColors: { 0: 0xf0883e, 1: 0x3fb950 }, alpha: 0.3 });
        else this.rayDebug = new RayDebug(this, sensors.filter((s): s is RayCastSensor => s instanceof RayCastSensor));
      }
    }
    this.keys = this.input.keyboard?.createCursorKeys();
    // Phaser's shutdown does not remove a scene's own listeners: without the off, every restart adds one more.
    this.events.on(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.events.off(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
      // Tilemaps made with `this.make` are no display objects: the scene does not destroy them.
      for (const map of this.maps) map.destroy();
    });
    this.ppo.showOverlay(MAZE_BEHAVIOR[eyes]);
    data.onReady?.(this);
  }

  private updateWalker(): void {
    const a = this.agents[0];
    if (!a) return;
    this.walker.x = a.x;
    this.walker.y = a.y;
    for (let k = 0; k < MOVES.length; k++) this.walker.open[k] = a.level.open(a.x + MOVES[k]![0], a.y + MOVES[k]![1]);
  }

  /** The stub tileset: floor, wall and exit as flat squares, drawn once (no asset files). */
  private makeTileset(): void {
    if (this.textures.exists(TILESET)) return;
    const t = MAZE.tile;
    const g = this.make.graphics({}, false);
    // Tile index i is the i-th square: 0 floor (unused: floor is empty), 1 wall, 2 exit.
    g.fillStyle(0x161b22, 1).fillRect(0, 0, t, t);
    g.fillStyle(0x30363d, 1).fillRect(t, 0, t, t);
    g.lineStyle(1, 0x484f58, 1).strokeRect(t + 0.5, 0.5, t - 1, t - 1);
    g.fillStyle(0xd29922, 1).fillRect(2 * t, 0, t, t);
    g.generateTexture(TILESET, 3 * t, t);
    g.destroy();
  }

  /** The arrow keys walk every NPC (they act only where the behavior is `heuristic`). */
  private readKeys(): void {
    const keys = this.keys;
    if (!keys) return;
    const move = keys.up.isDown ? 0 : keys.right.isDown ? 1 : keys.down.isDown ? 2 : keys.left.isDown ? 3 : MAZE_STAY;
    for (const a of this.agents) a.humanInput = move;
  }

  override update(): void {
    const g = this.gfx;
    if (!g) return;
    g.clear();
    this.gridDebug?.draw();
    this.rayDebug?.draw();
    for (const a of this.agents) {
      g.fillStyle(0x58a6ff, 1).fillCircle(a.eye.position.x, a.eye.position.y, MAZE.tile * 0.35);
    }
  }
}
