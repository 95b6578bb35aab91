/** The coins scene as the CLI trains it: `train test-fixtures/foreign-coins/headless.ts`. */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { CoinsScene } from './coins-scene.js';

export default sceneGame({
  scene: CoinsScene,
  // 2 copies × 4 collectors: rollouts of 8 columns × 64 decisions = 512 transitions.
  copies: 2,
  // No physics: the grid is the world. (Without `physics`, sceneGame would boot Matter for nothing.)
  physics: {},
  data: (index, seed) => ({ seed: seed * 1000 + index * 4 }),
  solvedAt: 4,
});
