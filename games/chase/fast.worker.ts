/** Fast mode for chase: headless copies trained at full speed off the main thread. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import { chaseGame } from './headless.js';

exposeFastTrainer(chaseGame);
