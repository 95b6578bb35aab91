/**
 * Sumo without a view, for fast mode, tests and the CLI: each copy is the game's own scene
 * (SumoScene) booted headless by sceneGame, with one ring and its two wrestlers, both in the
 * `sumo` behavior (teams 0 and 1); copy i's ring is seeded `seed × 1000 + i`. Trained with
 * self-play: the learning team plays snapshots of its own past weights (`config.selfPlay`).
 */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { SumoScene, type SumoSceneData } from './scene.js';

export { SumoMatch } from './match.js';

export const sumoGame = sceneGame({
  scene: SumoScene,
  // 16 copies × 1 ring: 16 learning wrestlers per update (the config's numEnvs).
  copies: 16,
  data: (index, seed): SumoSceneData => ({ behavior: {}, rings: 1, seed: seed * 1000 + index, firstRing: index }),
  // The rings step on the scene's onFixedStep; the scene has no physics world of its own.
  physics: {},
  // No solvedAt: against itself the mean return hovers near 0 however well it plays; ELO and
  // games against a frozen snapshot (evaluateGame's `opponent`) measure progress instead.
});

export default sumoGame;
