/** Fast mode for lander: headless copies trained at full speed off the main thread. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import landerGame from './headless.js';

exposeFastTrainer(landerGame);
