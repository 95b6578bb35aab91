/** Fast mode for the Arcade harness: the catch scene's headless copies trained off the main thread. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import arcadeCatch from '../../sdk/scene/test-arcade-scene-game.js';

exposeFastTrainer(arcadeCatch);
