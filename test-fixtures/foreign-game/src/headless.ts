/**
 * The fixture game's headless module (`npx phaser-ppo train test-fixtures/foreign-game/src/headless.ts`):
 * its scene also loads an image it imports as a module, as Vite games do (`import badge from './badge.png'`).
 */
import { sceneGame } from '../../../sdk/scene.js';
import badge from './badge.png';
import { WalkerScene } from './walker-scene.js';

/** The walker scene plus an imported image; its size is checked when the copy starts. */
export class BadgedWalkerScene extends WalkerScene {
  override preload(): void {
    super.preload();
    this.load.image('badge', badge);
  }
  override create(): void {
    const source = this.textures.get('badge').getSourceImage();
    if (source.width !== 12 || source.height !== 6) throw new Error(`badge.png loaded as ${source.width}×${source.height}, not 12×6`);
    super.create();
  }
}

export default sceneGame({ scene: BadgedWalkerScene, copies: 1, width: 128, height: 64, solvedAt: 0.8 });
