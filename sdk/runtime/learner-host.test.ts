import { describe, it, expect } from 'vitest';
import { LearnerHost } from './learner-host.js';
import { nodeBackends } from './backend.node.js';
import { inProcessLearner } from './learner-client.js';
import { allocateRollout } from '../rl/rollout.js';

const spec = { observationSize: 3, actionSpace: { kind: 'discrete' as const, n: 2 }, config: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [8] } };

function rollout(version: number) {
  const r = allocateRollout(16, 2, 3, 1, 0);
  r.observations.forEach((_, i) => { r.observations[i] = Math.cos(i); });
  r.actions.forEach((_, i) => { r.actions[i] = i % 2; });
  r.logProbs.fill(Math.log(0.5));
  r.rewards.fill(1);
  r.policyVersion = version;
  return r;
}

describe('LearnerHost', () => {
  it('auto measures every candidate backend, keeps the fastest and says why', async () => {
    const learner = inProcessLearner(new LearnerHost(nodeBackends));
    const init = await learner.init({ ...spec, backend: 'auto' });
    expect(Object.keys(init.timings).sort()).toEqual(['cpu', 'kernels', 'wasm']);
    const fastest = Object.entries(init.timings).sort((a, b) => a[1] - b[1])[0]![0];
    expect(init.backend).toBe(fastest);
    expect(init.reason).toMatch(/^auto: kernels [\d.]+ ms\/update, wasm [\d.]+ ms\/update, cpu [\d.]+ ms\/update → (kernels|wasm|cpu) \([\d.]+× faster than (kernels|wasm|cpu)\)$/);
    expect(init.version).toBe(0);
    learner.dispose();
  });

  it('honours an explicit backend, trains with versioned weights and reports policy lag', async () => {
    const learner = inProcessLearner(new LearnerHost(nodeBackends));
    const init = await learner.init({ ...spec, backend: 'cpu' });
    expect(init.backend).toBe('cpu');
    expect(init.reason).toBe('configured: cpu');
    const first = await learner.train(rollout(0));
    expect(first.version).toBe(1);
    expect(first.stats.policyLag).toBe(0);
    expect(Array.from(first.params)).not.toEqual(Array.from(init.params));
    // The game kept acting with version 0 while version 1 trained: one update of lag.
    const second = await learner.train(rollout(0));
    expect(second.stats.policyLag).toBe(1);
    const state = await learner.getState();
    expect(state.version).toBe(2);
    learner.dispose();
  });

  it('trains on the kernels engine with no tfjs backend involved', async () => {
    const learner = inProcessLearner(new LearnerHost(nodeBackends));
    const init = await learner.init({ ...spec, backend: 'kernels' });
    expect(init.reason).toBe('configured: kernels');
    const reply = await learner.train(rollout(0));
    expect(reply.version).toBe(1);
    expect(reply.params.every(Number.isFinite)).toBe(true);
    learner.dispose();
  });

  it('resumes from a saved state with the same weights and version', async () => {
    const a = new LearnerHost(nodeBackends);
    await a.init({ ...spec, backend: 'wasm' });
    a.train(rollout(0));
    const state = a.getState();
    const b = new LearnerHost(nodeBackends);
    const init = await b.init({ ...spec, backend: 'wasm', state });
    expect(init.version).toBe(1);
    expect(Array.from(init.params)).toEqual(Array.from(state.params));
    expect(Array.from(b.train(rollout(1)).params)).toEqual(Array.from(a.train(rollout(1)).params));
    a.dispose();
    b.dispose();
  });

  it('refuses to train before init', () => {
    expect(() => new LearnerHost(nodeBackends).train(rollout(0))).toThrow(/call init\(\) before train\(\)/);
  });
});
