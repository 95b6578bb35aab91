/**
 * Chase without a view, for fast mode, tests and the CLI: each copy is the game's own scene
 * (ChaseScene) booted headless by sceneGame: one arena with its whole pack of `CHASE_PACK` chasers
 * (one behavior), seeded from the run's seed and the copy's index.
 */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { CHASE_PACK } from './pack.js';
import { ChaseScene, type ChaseSceneData } from './scene.js';

export const chaseGame = sceneGame({
  scene: ChaseScene,
  // 4 arenas × 4 chasers = 16 agents, the rollout's columns.
  copies: 4,
  // Seeded as when each chaser was its own copy (copy k·CHASE_PACK held pack k's arena).
  data: (index, seed): ChaseSceneData => ({ behavior: {}, seed: seed * 1000 + index * CHASE_PACK, firstChaser: index * CHASE_PACK }),
  // The arena's matter-js world steps on the scene's onFixedStep; the scene has no Phaser Matter world.
  physics: {},
  // Mean chaser return: ≥ 0 means most rounds end in a catch within ~5 s; random chasers ≈ -9.4.
  solvedAt: 0,
});

export default chaseGame;
