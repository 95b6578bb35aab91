/**
 * Starts the bundled learner worker. `new URL(..., import.meta.url)` lets the page's bundler
 * (Vite here) emit the worker and its wasm binaries as assets.
 */
import { workerLearner, type LearnerClient } from '../runtime/learner-client.js';

export function startLearnerWorker(): LearnerClient {
  return workerLearner(new Worker(new URL('../../workers/learner.worker.ts', import.meta.url), { type: 'module', name: 'phaser-ppo-learner' }));
}
