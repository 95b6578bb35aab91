/**
 * The Arcade catch scene as a game module (`npx phaser-ppo train sdk/scene/test-arcade-scene-game.ts`),
 * for the CLI's test: Arcade physics at the plugin's 60 steps a second, stepped by the copies.
 */
import { CatchScene } from './test-arcade-scene.js';
import { sceneGame } from './scene-game.js';

export default sceneGame({
  scene: CatchScene, copies: 1, solvedAt: 1,
  physics: { default: 'arcade', arcade: { fps: 60, gravity: { x: 0, y: 0 } } },
  data: (index, seed) => ({ seed: seed * 1000 + index * 10 }),
});
