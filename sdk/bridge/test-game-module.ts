/** The bridge tests' line game as a module `phaser-ppo serve --env` loads (default export: a HeadlessGame). */
import { lineGame } from './test-game.js';

export default lineGame();
