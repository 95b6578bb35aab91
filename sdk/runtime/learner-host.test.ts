import { describe, it, expect } from 'vitest';
import { LearnerHost, type TfjsBackend } from './learner-host.js';
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
    // No early drop and no overall cap: every candidate is timed in full (the bounds have their own test).
    const learner = inProcessLearner(new LearnerHost(nodeBackends, { autoBudget: { dropFactor: Infinity, warmupDropFactor: Infinity, totalMs: Infinity } }));
    const init = await learner.init({ ...spec, backend: 'auto' });
    expect(Object.keys(init.timings).sort()).toEqual(['cpu', 'kernels', 'wasm']);
    const fastest = Object.entries(init.timings).sort((a, b) => a[1] - b[1])[0]![0];
    expect(init.backend).toBe(fastest);
    expect(init.reason).toMatch(/^auto: kernels [\d.]+ ms\/update, wasm [\d.]+ ms\/update, cpu [\d.]+ ms\/update → (kernels|wasm|cpu) \([\d.]+× faster than (kernels|wasm|cpu)\); chosen in \d+ ms$/);
    expect(init.version).toBe(0);
    learner.dispose();
  });

  it("auto times a GAIL config's backends on PPO alone (one value head) and starts the two-head learner it chose", async () => {
    const learner = inProcessLearner(new LearnerHost(nodeBackends, { autoBudget: { timedUpdates: 1, dropFactor: Infinity, warmupDropFactor: Infinity, totalMs: Infinity } }));
    const init = await learner.init({ ...spec, config: { ...spec.config, gail: { strength: 0.1 } }, backend: 'auto' });
    expect(Object.keys(init.timings).sort()).toEqual(['cpu', 'kernels', 'wasm']);
    // The learner's weights are the two-head critic's: 3·8+8 + 8·2+2 (actor), 3·8+8 + 8·2+2 (critic).
    expect(init.params.length).toBe(3 * 8 + 8 + 8 * 2 + 2 + 3 * 8 + 8 + 8 * 2 + 2);
    learner.dispose();
  });

  it('auto drops a candidate slower than the best by far after one update, and skips the rest once its budget is spent', async () => {
    // A counted clock: every reading advances it by the active backend's cost, so an update
    // (two readings around learner.train) "takes" exactly that many ms, whatever the machine's load.
    const cost: Record<string, number> = { kernels: 5, slow: 500, fast: 2, late: 1 };
    let active = 'kernels';
    let t = 0;
    const readings: Record<string, number> = {};
    const now = () => { readings[active] = (readings[active] ?? 0) + 1; t += cost[active]!; return t; };
    const activated: string[] = [];
    const selector = {
      candidates: ['fast', 'slow', 'late'] as unknown as readonly TfjsBackend[],
      async activate(name: TfjsBackend) { activated.push(name); active = name; await nodeBackends.activate('cpu'); },
    };
    const host = new LearnerHost(selector, { now, autoBudget: { timedUpdates: 3, dropFactor: 4, warmupDropFactor: 20, totalMs: 70 } });
    const init = await host.init({ ...spec, backend: 'auto' });
    // kernels: 4 updates (warm-up + 3 timed), median 5 ms; fast: 4 updates, median 2 ms, the best.
    expect(init.timings.kernels).toBe(5);
    expect(init.timings.fast).toBe(2);
    expect(init.backend).toBe('fast');
    // slow's first (warm-up) update took 500 ms > 20 × 2 ms: dropped there. Its readings: 2 around that one
    // update + the budget check before the next candidate (timed in full it would be 8 or more).
    expect(readings.slow).toBe(3);
    expect(init.timings.slow).toBeNaN();
    expect(init.reason).toContain('slow dropped after 1 update (500.0 ms > 20× 2.0)');
    // The budget (70 ms) was spent by then: late was never activated, fast (the best) was kept.
    expect(activated).toEqual(['fast', 'slow', 'fast']);
    expect(init.reason).toContain('late skipped (budget 70 ms spent)');
    expect(init.reason).toMatch(/→ fast \(2\.5× faster than kernels\); chosen in \d+ ms$/);
    host.dispose();
  });

  it('auto judges the warm-up (compilation) leniently and drops a candidate at its first slow timed update', async () => {
    // creep's warm-up "takes" 2 ms, then every update 30 ms: 30 > 4 × kernels' 5, dropped after 2 updates.
    let active = 'kernels';
    let creepReadings = 0;
    let t = 0;
    const now = () => {
      if (active === 'creep') creepReadings++;
      t += active === 'kernels' ? 5 : creepReadings <= 2 ? 2 : 30;
      return t;
    };
    const selector = {
      candidates: ['creep'] as unknown as readonly TfjsBackend[],
      async activate(name: TfjsBackend) { active = name; await nodeBackends.activate('cpu'); },
    };
    const host = new LearnerHost(selector, { now, autoBudget: { totalMs: Infinity } });
    const init = await host.init({ ...spec, backend: 'auto' });
    expect(init.backend).toBe('kernels');
    expect(init.reason).toContain('creep dropped after 2 updates (30.0 ms > 4× 5.0)');
    // 2 readings around each of its 2 updates, and the last one for the choice's own time.
    expect(creepReadings).toBe(5);
    host.dispose();
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
