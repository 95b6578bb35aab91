/**
 * The body of a game's fast-mode worker: trains a HeadlessGame with FastTrainer off the main
 * thread and streams every update (metrics and transferred weights) to the page.
 *
 * @example
 * // games/mygame/fast.worker.ts
 * import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
 * import myGame from './headless.js';
 * exposeFastTrainer(myGame);
 */
import * as Comlink from 'comlink';
import { FastTrainer, type FastUpdate, type HeadlessGame } from './fast-trainer.js';
import { LearnerHost, type BackendChoice } from './learner-host.js';
import { browserBackends } from './backend.browser.js';
import type { PPOConfig } from '../rl/config.js';

export interface FastTrainOptions {
  copies: number;
  backend: BackendChoice;
  seed: number;
  maxSteps?: number;
  targetReturn?: number;
  /** Overrides of the game's tuned config for this run (the page's hyperparameter form). */
  config?: Partial<PPOConfig>;
}

/** What the page calls through `Comlink.wrap<FastWorkerApi>(worker)`. */
export interface FastWorkerApi {
  /** Trains until stopped or a limit is hit; `onUpdate` (a `Comlink.proxy`) gets every update. */
  train(opts: FastTrainOptions, onUpdate: (u: FastUpdate) => void): Promise<void>;
  stop(): void;
}

export function exposeFastTrainer(game: HeadlessGame): void {
  let trainer: FastTrainer | null = null;
  const api: FastWorkerApi = {
    async train(opts, onUpdate) {
      trainer?.stop();
      trainer = new FastTrainer(game, new LearnerHost(browserBackends), { copies: opts.copies, seed: opts.seed, backend: opts.backend, ...(opts.config ? { config: opts.config } : {}) });
      await trainer.run((u) => onUpdate(Comlink.transfer(u, [u.params.buffer])), {
        ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
        ...(opts.targetReturn !== undefined ? { targetReturn: opts.targetReturn } : {}),
      });
    },
    stop() {
      trainer?.stop();
    },
  };
  Comlink.expose(api);
}
