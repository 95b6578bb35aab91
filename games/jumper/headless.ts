/**
 * Jumper without a view, for fast mode, tests and the CLI (`npm run train -- jumper`): each copy
 * is the game's own scene (JumperScene) booted headless by sceneGame, with one lane; copy i's
 * jumper is seeded `seed × 1000 + i`. Its `gapWidth` parameter defaults to the curriculum the
 * scene declares, from no gap to the hard 150 px gap; give `environmentParameters: { gapWidth: 150 }`
 * to train on the hard gap directly.
 */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { JumperScene, type JumperSceneData } from './scene.js';

export { JUMPER_CURRICULUM, JUMPER_HARD_GAP } from './curriculum.js';

export const jumperGame = sceneGame({
  scene: JumperScene,
  // 16 copies × 1 jumper: the config's 16 rollout columns.
  copies: 16,
  data: (index, seed): JumperSceneData => ({ behavior: {}, lanes: 1, seed: seed * 1000 + index, firstLane: index }),
  // Each world is its own matter-js engine, stepped on the scene's onFixedStep: no Phaser physics.
  physics: {},
  // Mean return = share of rounds that reach the flag.
  solvedAt: 0.8,
  behaviors: { jumper: { scriptedHeuristic: true } },
});

export default jumperGame;
