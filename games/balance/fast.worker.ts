/** Fast mode for balance: headless copies trained at full speed off the main thread. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import balanceGame from './headless.js';

exposeFastTrainer(balanceGame);
