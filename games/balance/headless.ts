/**
 * Balance without a view, for fast mode, tests and the CLI: each copy is the game's own scene
 * (BalanceScene) booted headless by sceneGame, with one lane; copy i's cart is seeded
 * `seed × 1000 + i`, so a run's episodes follow its seed.
 */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { BalanceScene, type BalanceSceneData } from './scene.js';

export const balanceGame = sceneGame({
  scene: BalanceScene,
  // 8 copies × 1 cart = the scene's 8 lanes: the rollout's 8 columns.
  copies: 8,
  data: (index, seed): BalanceSceneData => ({ behavior: {}, lanes: 1, seed: seed * 1000 + index, firstLane: index }),
  // The sims step on the scene's onFixedStep; the scene has no Matter world of its own.
  physics: {},
  // Ticks balanced, 500 at most; a random policy balances ~27.
  solvedAt: 450,
});

export default balanceGame;
