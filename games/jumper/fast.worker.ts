/** Fast mode for jumper: headless copies (with the curriculum) trained at full speed off the main thread. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import jumperGame from './headless.js';

exposeFastTrainer(jumperGame);
