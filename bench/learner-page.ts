/**
 * Times one PPO minibatch update (B = 128, CartPole-sized 4-64-64 nets) inside the real learner
 * worker, per backend: a rollout of 128 transitions, 1 epoch, 1 minibatch per call. Read by
 * bench/browser.ts from `window.__learnerBench`.
 */
import { startLearnerWorker } from '../sdk/phaser/learner-worker.js';
import { allocateRollout } from '../sdk/rl/rollout.js';
import { Rng } from '../sdk/core/rng.js';
import type { BackendChoice } from '../sdk/runtime/learner-host.js';

const results: Record<string, { medianMs: number; backend: string } | { error: string }> = {};
(globalThis as unknown as { __learnerBench: { done: boolean; results: typeof results } }).__learnerBench = { done: false, results };

async function bench(backend: BackendChoice): Promise<void> {
  const learner = startLearnerWorker();
  try {
    const init = await learner.init({
      observationSize: 4, actionSpace: { kind: 'discrete', n: 2 }, backend,
      config: { numEnvs: 1, numSteps: 128, numMinibatches: 1, updateEpochs: 1, totalSteps: 1e9 },
    });
    const rng = new Rng(0);
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = allocateRollout(128, 1, 4, 1, 0);
      r.observations.forEach((_, j) => { r.observations[j] = rng.normal(); });
      r.actions.forEach((_, j) => { r.actions[j] = rng.int(2); });
      r.logProbs.fill(Math.log(0.5));
      r.rewards.forEach((_, j) => { r.rewards[j] = rng.normal(); });
      r.policyVersion = i;
      const reply = await learner.train(r);
      if (i >= 10) times.push(reply.updateMs);
    }
    times.sort((a, b) => a - b);
    results[backend] = { medianMs: times[times.length >> 1]!, backend: init.backend };
  } catch (err) {
    results[backend] = { error: (err as Error).message };
  } finally {
    learner.dispose();
  }
}

// `?idle` only measures the browser's own frame pacing: no workers.
if (!location.search.includes('idle')) for (const backend of ['kernels', 'wasm', 'cpu', 'webgl'] as const) await bench(backend);
document.getElementById('out')!.textContent = JSON.stringify(results, null, 2);
(globalThis as unknown as { __learnerBench: { done: boolean } }).__learnerBench.done = true;
