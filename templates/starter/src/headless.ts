/**
 * The game without a view, for `npx phaser-ppo train src/headless.ts` (and `eval`) and for fast
 * mode's worker (src/fast.worker.ts): the scene itself, unchanged. `sceneGame` boots ReachScene in
 * Phaser's HEADLESS mode (no renderer; in Node or a worker), hands the agents it adds through
 * `this.ppo` to the trainer, and steps it one fixed step at a time, as fast as the CPU allows.
 */
import { sceneGame } from 'phaser-ppo/scene';
import { REACH_PHYSICS, ReachScene } from './reach-scene.js';

export const reachGame = sceneGame({
  scene: ReachScene,
  // One copy is the scene's 8 lanes: 8 balls, one rollout column each.
  copies: 1,
  // The page's physics config; the run's seed picks the balls' rounds (the page plays seed 0).
  physics: REACH_PHYSICS,
  data: (index, seed) => ({ seed: seed * 1000 + index * 8 }),
  // A random ball scores about −0.64 per round; a trained one about 1.6.
  solvedAt: 1.0,
});

export default reachGame;
