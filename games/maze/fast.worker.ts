/** Fast mode for maze: headless copies (the grid NPC) trained at full speed off the main thread. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import mazeGame from './headless.js';

exposeFastTrainer(mazeGame);
