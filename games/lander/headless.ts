/**
 * Lander without a view, for fast mode, tests and the CLI: each copy is the game's own scene
 * (LanderScene) booted headless by sceneGame, with one craft; copy i's craft is seeded
 * `seed × 1000 + i`, so a run's episodes follow its seed.
 */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { LanderScene, type LanderSceneData } from './scene.js';

export const landerGame = sceneGame({
  scene: LanderScene,
  // 8 copies × 1 craft: the rollout's 8 columns.
  copies: 8,
  // Headless there are no keys: the heuristic is the scripted autopilot (what `record` records).
  data: (index, seed): LanderSceneData => ({ behavior: {}, crafts: 1, pilot: 'autopilot', seed: seed * 1000 + index, firstCraft: index }),
  behaviors: { lander: { scriptedHeuristic: true } },
  // The sims step on the scene's onFixedStep; the scene has no Matter world of its own.
  physics: {},
  // Mostly soft landings on the pad; a random policy scores ≈ -160.
  solvedAt: 200,
});

export default landerGame;
