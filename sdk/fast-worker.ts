/**
 * `phaser-ppo/fast-worker`: the one line a game's fast-mode worker needs. A separate entry because
 * it pulls in the browser learner backends and must stay out of the core entry (Node and workers
 * alike) and out of the Phaser entry (a worker has no DOM for Phaser).
 *
 * @example
 * // src/fast.worker.ts
 * import { exposeFastTrainer } from 'phaser-ppo/fast-worker';
 * import game from './headless.js';
 * exposeFastTrainer(game);
 */
export { exposeFastTrainer } from './runtime/fast-worker.js';
export type { FastTrainOptions, FastWorkerApi, FastWorkerUpdate } from './runtime/fast-worker.js';
export type { FastUpdate } from './runtime/fast-trainer.js';
