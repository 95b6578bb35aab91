/** The Arcade catch scene with a world at 30 fps against the copies' 60 steps a second: the CLI's refusal test. */
import { CatchScene } from './test-arcade-scene.js';
import { sceneGame } from './scene-game.js';

export default sceneGame({ scene: CatchScene, copies: 1, physics: { default: 'arcade', arcade: { fps: 30 } } });
