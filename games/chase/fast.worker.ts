/**
 * Fast mode for chase: headless packs trained at full speed off the main thread. The page
 * receives every update's metrics and weights and plays them in the visible scene.
 */
import * as Comlink from 'comlink';
import { FastTrainer, type FastUpdate } from '../../sdk/runtime/fast-trainer.js';
import { LearnerHost, type BackendChoice } from '../../sdk/runtime/learner-host.js';
import { browserBackends } from '../../sdk/runtime/backend.browser.js';
import { chaseGame } from './headless.js';

let trainer: FastTrainer | null = null;

const api = {
  async train(opts: { copies: number; backend: BackendChoice; seed: number; maxSteps?: number; targetReturn?: number }, onUpdate: (u: FastUpdate) => void): Promise<void> {
    trainer?.stop();
    trainer = new FastTrainer(chaseGame, new LearnerHost(browserBackends), { copies: opts.copies, seed: opts.seed, backend: opts.backend });
    await trainer.run((u) => onUpdate(Comlink.transfer(u, [u.params.buffer])), {
      ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
      ...(opts.targetReturn !== undefined ? { targetReturn: opts.targetReturn } : {}),
    });
  },
  stop(): void {
    trainer?.stop();
  },
};

export type ChaseFastApi = typeof api;
Comlink.expose(api);
