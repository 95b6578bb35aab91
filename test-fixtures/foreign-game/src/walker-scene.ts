/**
 * A foreign game's scene, written for the page: everything it builds comes from files its
 * `preload` queues (a Tiled map and its tile sheet, a UI atlas, a level JSON, a jump sound). A
 * walker on the map's floor learns to walk to the level's goal tile.
 */
import Phaser from 'phaser';
import { Agent } from '../../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../../../sdk/adapter/action-spec.js';
import type { ObservationWriter } from '../../../sdk/adapter/observation-writer.js';
import type { BehaviorType } from '../../../sdk/adapter/runner.js';
import type { PPOPlugin } from '../../../sdk/phaser/plugin.js';

/** What assets/level-1.json holds. */
export interface Level {
  name: string;
  start: number;
  goal: number;
}

/** Steps one tile left or right on the floor; rewarded on the goal tile. */
export class Walker extends Agent {
  tile = 0;
  constructor(readonly level: Level, private readonly floor: Phaser.Tilemaps.TilemapLayer) {
    super({ maxSteps: 20, name: 'walker' });
  }
  override onEpisodeBegin(): void {
    this.tile = this.level.start;
  }
  override collectObservations(obs: ObservationWriter): void {
    obs.add((this.level.goal - this.tile) / 8);
  }
  override onActionReceived(actions: ActionBuffers): void {
    const next = this.tile + (actions.discrete[0] ?? 1) - 1;
    // Walls are tiles of the map's floor row above: the map decides where the walker may go.
    if (!this.floor.getTileAt(next, 2)) this.tile = next;
    this.addReward(-0.05);
    if (this.tile === this.level.goal) {
      this.addReward(1);
      this.endEpisode();
    }
  }
  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = this.level.goal > this.tile ? 2 : 0;
  }
}

export class WalkerScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  walker: Walker | null = null;
  map: Phaser.Tilemaps.Tilemap | null = null;
  /** The behavior's type in a page (inference where fast mode trains it); copies ignore it. */
  behaviorType: BehaviorType | undefined = undefined;
  constructor() {
    super('walker');
  }
  preload(): void {
    this.load.tilemapTiledJSON('map', 'assets/map.json');
    this.load.spritesheet('tiles', 'assets/tiles.png', { frameWidth: 16, frameHeight: 16 });
    this.load.atlas('ui', 'assets/ui.png', 'assets/ui.json');
    this.load.json('level', 'assets/level-1.json');
    this.load.audio('jump', 'assets/jump.mp3');
    // Tests add files here (what a copy's `create(data)` gets is also the scene's settings data).
    (this.sys.settings.data as { extra?: (s: Phaser.Scene) => void } | undefined)?.extra?.(this);
  }
  create(): void {
    this.map = this.make.tilemap({ key: 'map' });
    const tiles = this.map.addTilesetImage('tiles', 'tiles')!;
    // The floor: the map's row 3; walls stand on row 2 at both ends.
    const ground = this.map.createLayer('ground', tiles, 0, 0) as Phaser.Tilemaps.TilemapLayer;
    this.add.image(24, 12, 'ui', 'button');
    this.sound.add('jump');
    const level = this.cache.json.get('level') as Level;
    const behavior = this.ppo.addBehavior({ name: 'walker', observationSize: 1, actionSpec: ActionSpec.discrete(3), config: { numSteps: 64 }, ...(this.behaviorType ? { type: this.behaviorType } : {}) });
    this.walker = new Walker(level, ground);
    behavior.addAgent(this.walker);
  }
}
