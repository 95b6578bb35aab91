/**
 * The platformer fixture's level as a built page gets its files: by the URLs Vite gives the
 * imported files (`?url&no-inline`: served, never inlined, so the fast-mode worker's copies request
 * each one from the page's server, as a game's public/ files are).
 */
import levelUrl from '../../test-fixtures/foreign-platformer/public/assets/level1.json?url&no-inline';
import tilesUrl from '../../test-fixtures/foreign-platformer/public/assets/tiles.png?url&no-inline';
import heroUrl from '../../test-fixtures/foreign-platformer/public/assets/hero.png?url&no-inline';
import foxUrl from '../../test-fixtures/foreign-platformer/public/assets/fox.png?url&no-inline';
import gemUrl from '../../test-fixtures/foreign-platformer/public/assets/gem.png?url&no-inline';
import slimeUrl from '../../test-fixtures/foreign-platformer/public/assets/slime.png?url&no-inline';
import { LevelScene } from '../../test-fixtures/foreign-platformer/src/level-scene.js';

export class ServedLevelScene extends LevelScene {
  override preload(): void {
    this.load.tilemapTiledJSON('level1', levelUrl);
    this.load.image('tiles', tilesUrl);
    this.load.spritesheet('hero', heroUrl, { frameWidth: 16, frameHeight: 16 });
    this.load.spritesheet('fox', foxUrl, { frameWidth: 16, frameHeight: 16 });
    this.load.image('gem', gemUrl);
    this.load.image('slime', slimeUrl);
  }
}
