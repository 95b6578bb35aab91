/** The level as the CLI trains it: `train test-fixtures/foreign-platformer/src/headless.ts`. */
import { sceneGame } from '../../../sdk/scene.js';
import { LevelScene } from './level-scene.js';
import { PLATFORMER_PHYSICS } from './physics.js';

export default sceneGame({
  // The page boots TitleScene first; a copy boots the level itself (create gets data() below).
  scene: LevelScene,
  copies: 2,
  // The page's size: the camera's view, and the overlay placed by this.scale.width (default 800 × 600).
  width: 320,
  height: 240,
  physics: PLATFORMER_PHYSICS,
  data: (index, seed) => ({ seed: seed * 1000 + index * 8, mode: 'train' }),
  solvedAt: 3,
  behaviors: { fox: { scriptedHeuristic: true } },
});
