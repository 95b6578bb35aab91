/**
 * A game module as a game may write one, for the CLI's test: the page entry (`phaser-ppo/phaser`,
 * whose browser backends import tfjs's .wasm with Vite's `?url`) and Phaser load before
 * phaser-ppo/scene's shim would; the CLI must still import it and train the scene.
 */
import '../phaser/index.js';
import { RailScene } from './test-scene.js';
import { sceneGame } from './scene-game.js';

export default sceneGame({ scene: RailScene, copies: 1, data: (index, seed) => ({ seed: seed * 1000 + index * 10 }), solvedAt: 1 });
