/**
 * Times one PPO minibatch update (B = 128, CartPole-sized 4-64-64 nets) inside the real learner
 * worker, per backend: a rollout of 128 transitions, 1 epoch, 1 minibatch per call. Read by
 * bench/browser.ts from `window.__learnerBench`.
 *
 * `?conv=7,15` times bench/conv.ts's conv nets instead (issue 16): one S×S×4 grid input, two 3×3/1
 * conv layers of 16 filters, MLP 64-64, 5 actions; the same one-minibatch update (B = 128: actor
 * and critic forward and backward, loss, Adam), fewer updates per backend since tfjs-cpu and
 * SwiftShader webgl take seconds each on 15×15. Results keyed `S:backend`; bench/browser-conv.ts.
 */
import { startLearnerWorker } from '../sdk/phaser/learner-worker.js';
import { allocateRollout } from '../sdk/rl/rollout.js';
import { Rng } from '../sdk/core/rng.js';
import type { BackendChoice } from '../sdk/runtime/learner-host.js';

const results: Record<string, { medianMs: number; backend: string; updates?: number; warmupMs?: number } | { error: string }> = {};
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

/**
 * One conv net's update on `backend`: a warm-up update (compilation), then timed updates until
 * `maxUpdates` or `budgetMs` of timed work (at least one), median reported.
 */
async function benchConv(side: number, backend: BackendChoice, maxUpdates = 7, budgetMs = 30_000): Promise<void> {
  const key = `${side}:${backend}`;
  const learner = startLearnerWorker();
  const obsSize = side * side * 4;
  try {
    const init = await learner.init({
      observationSize: obsSize, observationInputs: [{ name: 'grid', kind: 'grid', shape: [side, side, 4] }],
      actionSpace: { kind: 'discrete', n: 5 }, backend,
      config: { numEnvs: 1, numSteps: 128, numMinibatches: 1, updateEpochs: 1, totalSteps: 1e9, hiddenSizes: [64, 64],
        convLayers: [{ filters: 16, kernel: 3, stride: 1 }, { filters: 16, kernel: 3, stride: 1 }] },
    });
    const rng = new Rng(0);
    const times: number[] = [];
    let warmupMs = NaN;
    let spent = 0;
    for (let i = 0; i <= maxUpdates && (i < 2 || spent < budgetMs); i++) {
      const r = allocateRollout(128, 1, obsSize, 1, 0);
      r.observations.forEach((_, j) => { r.observations[j] = rng.next() < 0.3 ? 1 : 0; });
      r.actions.forEach((_, j) => { r.actions[j] = rng.int(5); });
      r.logProbs.fill(Math.log(0.2));
      r.rewards.forEach((_, j) => { r.rewards[j] = rng.normal(); });
      r.policyVersion = i;
      const reply = await learner.train(r);
      if (i === 0) warmupMs = reply.updateMs;
      else { times.push(reply.updateMs); spent += reply.updateMs; }
    }
    times.sort((a, b) => a - b);
    results[key] = { medianMs: times[(times.length - 1) >> 1]!, backend: init.backend, updates: times.length, warmupMs };
  } catch (err) {
    results[key] = { error: (err as Error).message };
  } finally {
    learner.dispose();
  }
}

const conv = new URLSearchParams(location.search).get('conv');
// `?idle` only measures the browser's own frame pacing: no workers.
if (conv !== null) {
  for (const side of conv.split(',').map(Number)) for (const backend of ['kernels', 'wasm', 'webgl', 'cpu', 'webgpu'] as const) await benchConv(side, backend);
} else if (!location.search.includes('idle')) for (const backend of ['kernels', 'wasm', 'cpu', 'webgl'] as const) await bench(backend);
document.getElementById('out')!.textContent = JSON.stringify(results, null, 2);
(globalThis as unknown as { __learnerBench: { done: boolean } }).__learnerBench.done = true;
