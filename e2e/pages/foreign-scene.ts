/**
 * The foreign-game fixture's walker scene as a built page gets its files: by the URLs Vite gives
 * the imported files (`?url&no-inline`: served files, never inlined, so the fast-mode worker's
 * copies request each one from the page's server, as a game's public/ files are).
 */
import mapUrl from '../../test-fixtures/foreign-game/public/assets/map.json?url&no-inline';
import tilesUrl from '../../test-fixtures/foreign-game/public/assets/tiles.png?url&no-inline';
import uiUrl from '../../test-fixtures/foreign-game/public/assets/ui.png?url&no-inline';
import uiAtlasUrl from '../../test-fixtures/foreign-game/public/assets/ui.json?url&no-inline';
import levelUrl from '../../test-fixtures/foreign-game/public/assets/level-1.json?url&no-inline';
import { WalkerScene } from '../../test-fixtures/foreign-game/src/walker-scene.js';

export class ServedWalkerScene extends WalkerScene {
  override preload(): void {
    this.load.tilemapTiledJSON('map', mapUrl);
    this.load.spritesheet('tiles', tilesUrl, { frameWidth: 16, frameHeight: 16 });
    this.load.atlas('ui', uiUrl, uiAtlasUrl);
    this.load.json('level', levelUrl);
  }
}
