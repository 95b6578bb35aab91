/** The fixture game's headless module (`npx phaser-ppo train test-fixtures/foreign-game/src/headless.ts`). */
import { sceneGame } from '../../../sdk/scene.js';
import { WalkerScene } from './walker-scene.js';

export default sceneGame({ scene: WalkerScene, copies: 1, width: 128, height: 64, solvedAt: 0.8 });
