/**
 * The Arcade catch scene as a 50 Hz game: the page's plugin steps 20 ms (`data: { stepMs: 20 }`)
 * and its Arcade world 50 fps; sceneGame's `plugin` says the same, so the copies step 20 ms too.
 * The CLI's test (sdk/cli/arcade-cli.test.ts) trains it on two actor workers.
 */
import { CatchScene } from './test-arcade-scene.js';
import { sceneGame } from './scene-game.js';

export default sceneGame({
  scene: CatchScene, copies: 2,
  physics: { default: 'arcade', arcade: { fps: 50, gravity: { x: 0, y: 0 } } },
  plugin: { stepMs: 20 },
  data: (index, seed) => ({ seed: seed * 1000 + index * 10 }),
});
