/** The gallery's Rivals mode for chase: the pack and the runner learn against each other in this worker. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import { chaseRivalsGame } from './headless.js';

exposeFastTrainer(chaseRivalsGame);
