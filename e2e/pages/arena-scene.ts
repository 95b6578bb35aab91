/**
 * The arena fixture's scene as a built page gets its files: by the URLs Vite gives the imported
 * files (`?url&no-inline`: served, never inlined, so the fast-mode worker's copies request each
 * one from the page's server, as a game's public/ files are).
 */
import shipUrl from '../../test-fixtures/foreign-arena/public/assets/ship.png?url&no-inline';
import batUrl from '../../test-fixtures/foreign-arena/public/assets/bat.png?url&no-inline';
import bulletUrl from '../../test-fixtures/foreign-arena/public/assets/bullet.png?url&no-inline';
import gemUrl from '../../test-fixtures/foreign-arena/public/assets/gem.png?url&no-inline';
import floorUrl from '../../test-fixtures/foreign-arena/public/assets/floor.png?url&no-inline';
import { ArenaScene } from '../../test-fixtures/foreign-arena/src/arena-scene.js';

export class ServedArenaScene extends ArenaScene {
  override preload(): void {
    this.load.image('ship', shipUrl);
    this.load.image('bat', batUrl);
    this.load.image('bullet', bulletUrl);
    this.load.image('gem', gemUrl);
    this.load.image('floor', floorUrl);
  }
}
