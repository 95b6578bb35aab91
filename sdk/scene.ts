/**
 * `phaser-ppo/scene`: fast mode on the game's own Phaser scene. `sceneGame({ scene })` makes the
 * unchanged scene class a HeadlessGame whose copies are `Phaser.HEADLESS` games stepped by hand, in
 * Node (`npx phaser-ppo train`, tests) and in the fast-mode worker (`exposeFastTrainer`). Importing
 * this entry first installs the small shim Phaser needs to boot where there is no page.
 *
 * @example
 * // src/scene-game.ts
 * import { sceneGame } from 'phaser-ppo/scene';
 * import { ReachScene } from './reach-scene.js';
 * export default sceneGame({ scene: ReachScene, copies: 1, solvedAt: 1.0 });
 */
export { installPhaserShim } from './scene/phaser-shim.js';
export { directMatterClock } from './scene/matter-clock.js';
export type { MatterWithClock } from './scene/matter-clock.js';
export { sceneGame } from './scene/scene-game.js';
export type { SceneClass, SceneGame, SceneGameOptions } from './scene/scene-game.js';
export type { AssetOptions } from './scene/asset-source.js';
export { HeadlessPPOPlugin } from './scene/headless-plugin.js';
