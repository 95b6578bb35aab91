import { describe, it, expect } from 'vitest';
import { PPOLearner } from './learner.js';
import { KernelsEngine } from './kernels-engine.js';
import type { ComputeEngine } from './engine.js';
import { ActorCriticLayout } from './network.js';
import { resolveConfig } from './config.js';
import { allocateRollout } from './rollout.js';
import { Rng } from '../core/rng.js';

/**
 * The learner's minibatch gather (wide rows copy as a view, narrow ones by element): every row an
 * engine is given is a rollout row, whole and in place, and each epoch sees every row once.
 */
describe('PPOLearner minibatch gather', () => {
  for (const obsSize of [3, 18, 130]) {
    it(`hands the engine whole rollout rows, each once per epoch: ${obsSize} observation floats`, () => {
      const config = resolveConfig({ numEnvs: 2, numSteps: 24, numMinibatches: 3, updateEpochs: 2, totalSteps: 48 * 10, hiddenSizes: [8], seed: 5, targetKl: null });
      const layout = new ActorCriticLayout(obsSize, config.hiddenSizes, 2, false);
      const inner = new KernelsEngine(layout);
      const seen: string[] = [];
      // Records the observation rows of each minibatch forward pass (the update's, of 16 rows).
      const spy: ComputeEngine = {
        name: inner.name, device: inner.device, layout: inner.layout,
        setParams: (p) => inner.setParams(p),
        forward: (obs, batch) => {
          if (batch === 16) for (let n = 0; n < batch; n++) seen.push(Array.from(obs.subarray(n * obsSize, (n + 1) * obsSize)).join(','));
          return inner.forward(obs, batch);
        },
        backward: (a, v, g) => inner.backward(a, v, g),
        dispose: () => inner.dispose(),
      };
      const learner = new PPOLearner({ observationSize: obsSize, actionSpace: { kind: 'discrete', n: 2 }, config, engine: spy });
      const rng = new Rng(2);
      const r = allocateRollout(24, 2, obsSize, 1, 0);
      r.observations.forEach((_, i) => { r.observations[i] = rng.normal(); });
      r.actions.forEach((_, i) => { r.actions[i] = rng.int(2); });
      r.logProbs.fill(Math.log(0.5));
      r.rewards.forEach((_, i) => { r.rewards[i] = rng.normal(); });
      r.policyVersion = learner.version;
      learner.train(r);
      const rows = Array.from({ length: 48 }, (_, i) => Array.from(r.observations.subarray(i * obsSize, (i + 1) * obsSize)).join(','));
      expect(seen.length).toBe(2 * 48);
      for (const epoch of [seen.slice(0, 48), seen.slice(48)]) expect([...epoch].sort()).toEqual([...rows].sort());
    });
  }
});
