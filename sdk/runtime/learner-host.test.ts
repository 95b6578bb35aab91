import { describe, it, expect, vi } from 'vitest';
import { LearnerHost, type TfjsBackend } from './learner-host.js';
import { nodeBackends } from './backend.node.js';
import { inProcessLearner } from './learner-client.js';
import { allocateRollout } from '../rl/rollout.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import { TfjsEngine } from '../rl/tfjs-engine.js';
import type { ActorCriticLayout } from '../rl/network.js';

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

  it('auto times the behavior\'s real network: a grid input reaches the timing probe as its conv stack, on every candidate', async () => {
    // A 5×5×2 grid beside a 3-vector: the probe must run the conv layout the learner will train,
    // not a stand-in MLP over the flat row. Record the layout every engine forward runs on.
    const seen: { engine: string; layout: ActorCriticLayout; batch: number }[] = [];
    const spies = [KernelsEngine, TfjsEngine].map((E) => {
      const forward = E.prototype.forward;
      return vi.spyOn(E.prototype, 'forward').mockImplementation(function (this: KernelsEngine | TfjsEngine, obs: Float32Array, batch: number) {
        seen.push({ engine: E.name, layout: this.layout, batch });
        return forward.call(this as never, obs, batch);
      });
    });
    try {
      const gridSpec = {
        observationSize: 3 + 5 * 5 * 2,
        observationInputs: [{ name: 'state', kind: 'vector' as const, size: 3 }, { name: 'map', kind: 'grid' as const, shape: [5, 5, 2] as [number, number, number] }],
        actionSpace: { kind: 'discrete' as const, n: 3 },
        config: { numEnvs: 2, numSteps: 8, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [8], convLayers: [{ filters: 4, kernel: 3, stride: 1 }] },
      };
      const host = new LearnerHost(nodeBackends, { autoBudget: { timedUpdates: 1, dropFactor: Infinity, warmupDropFactor: Infinity, totalMs: Infinity } });
      const init = await host.init({ ...gridSpec, backend: 'auto' });
      expect(Object.keys(init.timings).sort()).toEqual(['cpu', 'kernels', 'wasm']);
      // Both engines were probed (kernels, then tfjs on wasm and cpu), every time on the conv layout:
      // a 3×3 conv of 4 filters over the 5×5×2 grid (3·3·2·4 + 4 = 76 parameters per network) beside the vector.
      expect(new Set(seen.map((s) => s.engine))).toEqual(new Set(['KernelsEngine', 'TfjsEngine']));
      for (const { layout } of seen) {
        expect(layout.hasConv).toBe(true);
        expect(layout.actorConv.map((stack) => stack.layers.map((L) => [L.kernel, L.inC, L.outC]))).toEqual([[[3, 2, 4]]]);
        expect(layout.criticConv).toHaveLength(1);
      }
      // The probe's network is the one the learner trains: same parameter count, same minibatch.
      const trained = host.getState().params.length;
      expect(new Set(seen.map((s) => s.layout.size))).toEqual(new Set([trained]));
      expect(seen.every((s) => s.batch === 8)).toBe(true);
      host.dispose();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('auto skips a candidate the selector says cannot run here (webgpu without an adapter), says why and never activates it', async () => {
    // The counted-clock pattern of the timing tests: webgpu reports no adapter, gpuish is timed.
    const cost: Record<string, number> = { kernels: 5, gpuish: 1 };
    let active = 'kernels';
    let t = 0;
    const now = () => { t += cost[active]!; return t; };
    const activated: string[] = [];
    const asked: string[] = [];
    const selector = {
      candidates: ['webgpu', 'gpuish'] as unknown as readonly TfjsBackend[],
      async unavailable(name: TfjsBackend) { asked.push(name); return name === 'webgpu' ? 'navigator.gpu has no adapter (no usable GPU, or blocked)' : null; },
      async activate(name: TfjsBackend) { activated.push(name); active = name; await nodeBackends.activate('cpu'); },
    };
    const host = new LearnerHost(selector, { now, autoBudget: { totalMs: Infinity } });
    const init = await host.init({ ...spec, backend: 'auto' });
    expect(asked).toEqual(['webgpu', 'gpuish']);
    expect(activated).toEqual(['gpuish', 'gpuish']);
    expect(init.timings.webgpu).toBeNaN();
    expect(init.timings.gpuish).toBe(1);
    expect(init.backend).toBe('gpuish');
    expect(init.reason).toMatch(/^auto: kernels 5\.0 ms\/update, webgpu skipped \(navigator\.gpu has no adapter \(no usable GPU, or blocked\)\), gpuish 1\.0 ms\/update → gpuish \(5\.0× faster than kernels\); chosen in \d+ ms$/);
    host.dispose();
  });

  it('refuses webgpu in Node with a clear message, and validates it as a backend name', async () => {
    await expect(new LearnerHost(nodeBackends).init({ ...spec, backend: 'webgpu' })).rejects.toThrow('webgpu is not available in Node');
    await expect(new LearnerHost(nodeBackends).init({ ...spec, backend: 'webgpux' as never })).rejects.toThrow(/backend: expected one of auto, kernels, webgpu, webgl, wasm, cpu/);
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
