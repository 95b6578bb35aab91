/** Fast mode for sumo: headless copies trained with self-play at full speed off the main thread. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import sumoGame from './headless.js';

exposeFastTrainer(sumoGame);
