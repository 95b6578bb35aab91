/**
 * Actor workers (ParallelTrainer): rollouts joined in worker order, normalizer statistics merged
 * exactly, the same seed and worker count giving the same curve (lockstep and overlap), overlap's
 * policy lag being 1 and corrected, CartPole still learning, and a worker that dies named with its
 * copies while the learner keeps its last update. Budgets are updates and transitions, never time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENVS } from '../envs/index.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { allocateRollout } from '../rl/rollout.js';
import type { PPOConfig } from '../rl/config.js';
import { nodeBackends } from './backend.node.js';
import { envGame } from './env-game.js';
import { ActorWorkerError, joinRollouts, ParallelTrainer } from './parallel-trainer.js';
import type { FastUpdate } from './fast-trainer.js';
import type { HeadlessGame } from './game.js';

const small: Partial<PPOConfig> = { numEnvs: 4, numSteps: 32, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16], normalizeObs: true, normalizeReward: true, totalSteps: 32 * 4 * 200 };
const cartpole = (config: Partial<PPOConfig>) => envGame('cartpole', ENVS.cartpole!.create, config);
const open: ParallelTrainer[] = [];
afterEach(() => { for (const t of open.splice(0)) t.dispose(); });

async function started(options: { overlap: boolean; config?: Partial<PPOConfig>; workers?: number; seed?: number; game?: HeadlessGame; modulePath?: string; maxRestarts?: number }): Promise<ParallelTrainer> {
  const config = { ...small, ...options.config };
  const t = new ParallelTrainer(options.game ?? cartpole(config), nodeBackends, {
    workers: options.workers ?? 2, source: options.modulePath ? { modulePath: options.modulePath } : { name: 'cartpole' }, copies: config.numEnvs!, seed: options.seed ?? 3,
    config, backend: 'kernels', overlap: options.overlap, ...(options.maxRestarts !== undefined ? { maxRestarts: options.maxRestarts } : {}),
  });
  open.push(t);
  await t.start();
  return t;
}

/** An update's metrics without its wall-clock fields and weights. */
function curve(u: FastUpdate) {
  const { time: _t, sps: _s, params, observationStats, ...rest } = u;
  return { ...rest, paramsSum: params.reduce((a, b) => a + b, 0), observationStats };
}

/** Runs `body` with the fixture's environment variables set (a worker copies `process.env` when it starts). */
async function flaky<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function updates(t: ParallelTrainer, n: number): Promise<FastUpdate[]> {
  const out: FastUpdate[] = [];
  for (let i = 0; i < n; i++) out.push(await t.runUpdate());
  return out;
}

describe('RunningMeanStd.merge / since', () => {
  it('a game whose behavior has a grid input trains through conv stacks: the learner builds the network its actors act with', async () => {
    const { mazeGame } = await import('../../games/maze/headless.js');
    // The maze's 13×13×2 grid through one 3×3 stride-2 conv layer; 2 workers × 2 copies × 8 decisions.
    const config: Partial<PPOConfig> = { convLayers: [{ filters: 4, kernel: 3, stride: 2 }], numSteps: 8, numMinibatches: 2 };
    const t = new ParallelTrainer(mazeGame, nodeBackends, { workers: 2, source: { name: 'maze' }, copies: 4, seed: 1, config, backend: 'kernels', overlap: false });
    open.push(t);
    await t.start();
    expect((await updates(t, 2)).map((u) => u.step)).toEqual([32, 64]);
    const brain = t.brain();
    expect(brain.observationInputs?.find((i) => i.kind === 'grid')?.shape).toEqual([13, 13, 2]);
    expect(brain.config.convLayers).toEqual([{ filters: 4, kernel: 3, stride: 2 }]);
  }, 180_000);

  it('merging what each of two copies saw since a common base equals one set that saw it all', () => {
    const rows = (n: number, k: number) => Float64Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 1.7 + k) * (1 + (i % 3)) + k);
    const base = new RunningMeanStd(3);
    base.update(rows(10, 0), 10);
    const all = RunningMeanStd.fromJSON(base.toJSON());
    all.update(rows(7, 1), 7);
    all.update(rows(5, 2), 5);
    const a = RunningMeanStd.fromJSON(base.toJSON());
    a.update(rows(7, 1), 7);
    const b = RunningMeanStd.fromJSON(base.toJSON());
    b.update(rows(5, 2), 5);
    const merged = RunningMeanStd.fromJSON(base.toJSON());
    merged.merge(a.since(base.toJSON()));
    merged.merge(b.since(base.toJSON()));
    expect(merged.count).toBeCloseTo(all.count, 9);
    for (let d = 0; d < 3; d++) {
      expect(merged.mean[d]).toBeCloseTo(all.mean[d]!, 9);
      expect(merged.var[d]).toBeCloseTo(all.var[d]!, 9);
    }
    expect(a.since(a.toJSON()).count).toBe(0);
  });
});

describe('joinRollouts', () => {
  it('puts each worker\'s columns side by side, row by row, in worker order', () => {
    const part = (envs: number, tag: number) => {
      const r = allocateRollout(2, envs, 2, 1, 2);
      for (let i = 0; i < 2 * envs; i++) {
        r.observations.set([tag + i, tag + i + 0.5], i * 2);
        r.actions[i] = tag + i;
        r.rewards[i] = tag + i;
        r.masks!.set([1, tag === 100 ? 0 : 1], i * 2);
      }
      r.lastValues.set(Array.from({ length: envs }, (_, e) => tag + e));
      r.policyVersion = 7;
      return r;
    };
    const j = joinRollouts([part(1, 0), part(2, 100)]);
    expect([j.numSteps, j.numEnvs, j.policyVersion]).toEqual([2, 3, 7]);
    // Row 0: worker 0's env 0, then worker 1's envs 0 and 1; row 1 likewise.
    expect(Array.from(j.rewards)).toEqual([0, 100, 101, 1, 102, 103]);
    expect(Array.from(j.observations.subarray(0, 6))).toEqual([0, 0.5, 100, 100.5, 101, 101.5]);
    expect(Array.from(j.masks!.subarray(0, 6))).toEqual([1, 1, 1, 0, 1, 0]);
    expect(Array.from(j.lastValues)).toEqual([0, 100, 101]);
  });
});

describe('ParallelTrainer (actor workers)', () => {
  it('lockstep: two runs of one seed on 2 workers give the same curve, bit for bit, with policy lag 0', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const t = await started({ overlap: false });
      runs.push((await updates(t, 6)).map(curve));
      t.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.map((u) => u.policyLag)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(runs[0]!.map((u) => u.step)).toEqual([128, 256, 384, 512, 640, 768]);
    // Both workers' observations reached the merged statistics: 6 × 32 decisions of 4 agents, the
    // decision that bootstraps the last values (4), and Gymnasium's ε count.
    expect(runs[0]![5]!.observationStats!.count).toBeCloseTo(768 + 4 + 1e-4, 6);
  }, 120_000);

  it('overlap: acting runs one rollout ahead, so from update 2 on every row lags by exactly 1 (the lag metric is true), and the curve is reproducible', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const t = await started({ overlap: true });
      runs.push((await updates(t, 5)).map(curve));
      t.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.map((u) => [u.policyLag, u.policyLagMean])).toEqual([[0, 0], [1, 1], [1, 1], [1, 1], [1, 1]]);
  }, 120_000);

  it('learnerActs: the learner\'s thread plays worker 1\'s copies, one actor thread the rest; reproducible, rows lag 1, and refused in lockstep', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const config = { ...small };
      const t = new ParallelTrainer(cartpole(config), nodeBackends, { workers: 2, source: { name: 'cartpole' }, copies: 4, seed: 3, config, backend: 'kernels', overlap: true, learnerActs: true });
      open.push(t);
      expect(t.actorThreads).toBe(1);
      await t.start();
      runs.push((await updates(t, 5)).map(curve));
      t.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.map((u) => u.step)).toEqual([128, 256, 384, 512, 640]);
    // The actor thread runs one rollout ahead (lag 1 from update 2 on); the learner's own actor lags only its rollouts' first row.
    expect(runs[0]!.map((u) => u.policyLag)).toEqual([0, 1, 1, 1, 1]);
    expect(() => new ParallelTrainer(cartpole(small), nodeBackends, { workers: 2, source: { name: 'cartpole' }, copies: 4, seed: 3, overlap: false, learnerActs: true }))
      .toThrow(/learnerActs: the learner's thread acts only with overlap/);
  }, 120_000);

  it('learns CartPole on 2 overlapping workers: mean return ≥ 150 within 40,960 transitions (random play scores ~22)', async () => {
    const { numEnvs: _n, ...tuned } = ENVS.cartpole!.config;
    const t = await started({ overlap: true, seed: 1, config: { ...tuned, numEnvs: 4, numSteps: 128, hiddenSizes: [64, 64], numMinibatches: 4, updateEpochs: 4, totalSteps: 500_000 } });
    let best = -Infinity;
    while (t.step < 40_960) {
      const u = await t.runUpdate();
      if (u.episodes >= 20) best = Math.max(best, u.returnMean);
    }
    expect(t.step).toBe(40_960);
    expect(best).toBeGreaterThanOrEqual(150);
  }, 240_000);

  it('resumes from its checkpoint: the learner, statistics and counts continue exactly, and training goes on', async () => {
    const a = await started({ overlap: false });
    await updates(a, 3);
    const saved = a.brain();
    a.dispose();
    const config = { ...small };
    const b = new ParallelTrainer(cartpole(config), nodeBackends, { workers: 2, source: { name: 'cartpole' }, copies: 4, seed: 3, config, backend: 'kernels', overlap: false, brain: saved });
    open.push(b);
    await b.start();
    const again = b.brain();
    expect(Array.from(again.params)).toEqual(Array.from(saved.params));
    expect([again.steps, again.policyVersion, again.training!.updates]).toEqual([384, 3, 3]);
    expect(again.observationStats!.toJSON()).toEqual(saved.observationStats!.toJSON());
    expect(again.training!.rewardStats!.toJSON()).toEqual(saved.training!.rewardStats!.toJSON());
    const u = await b.runUpdate();
    expect([u.update, u.step, u.policyVersion, u.policyLag]).toEqual([4, 512, 4, 0]);
  }, 120_000);

  it('with no restarts, a worker that throws is named with its copies; the learner keeps its last update, and its brain is saved as it was', async () => {
    const { config } = await import('../../test-fixtures/crashing-cartpole.js');
    const { default: create } = await import('../../test-fixtures/crashing-cartpole.js');
    const t = await started({ overlap: false, config, game: envGame('crashing-cartpole', create, config), modulePath: 'test-fixtures/crashing-cartpole.ts', maxRestarts: 0 });
    let done = 0;
    let error: unknown;
    try {
      for (;;) {
        await t.runUpdate();
        done++;
      }
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ActorWorkerError);
    expect((error as Error).message).toMatch(/^actor worker 2 of 2 \(copies 2–3 of "crashing-cartpole"\) failed: copy 3 broke at its 300th step/);
    // Copy 3 steps once per decision: 300 decisions are 9 full rollouts of 32.
    expect(done).toBe(9);
    const brain = t.brain();
    expect([brain.steps, brain.policyVersion, brain.training!.updates]).toEqual([9 * 128, 9, 9]);
    await expect(t.runUpdate()).rejects.toBe(error);
  }, 120_000);

  it('a worker whose game throws mid-run is restarted on the same copies from the newest weights: nothing trained is lost, the run goes on', async () => {
    const { config, default: create } = await import('../../test-fixtures/flaky-cartpole.js');
    const t = await flaky({ FLAKY_AT: '100', FLAKY_CRASHES: '1' }, () => started({ overlap: false, config, game: envGame('flaky-cartpole', create, config), modulePath: 'test-fixtures/flaky-cartpole.ts' }));
    const run = await updates(t, 8);
    // Copy 3 broke in rollout 4 (its 100th step); the replacement played that rollout anew with the weights of update 3.
    expect(t.threads.restarts).toBe(1);
    expect(run.map((u) => [u.update, u.step, u.policyVersion, u.policyLag])).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, (i + 1) * 128, i + 1, 0]));
    expect(t.brain().steps).toBe(8 * 128);
  }, 120_000);

  it('a worker killed from outside (terminated) mid-run is restarted and the run goes on', async () => {
    const t = await started({ overlap: true });
    await updates(t, 2);
    await t.threads.thread(1).terminate();
    const after = await updates(t, 4);
    expect(t.threads.restarts).toBe(1);
    expect(after.map((u) => [u.update, u.step, u.policyVersion])).toEqual([[3, 384, 3], [4, 512, 4], [5, 640, 5], [6, 768, 6]]);
  }, 120_000);

  it('a worker that dies maxRestarts + 1 times in a row without an update between gives up: the error names the worker, its last error and --restarts', async () => {
    const { config, default: create } = await import('../../test-fixtures/flaky-cartpole.js');
    // The variables stay set while the replacements start (each copies them then).
    await flaky({ FLAKY_AT: '10', FLAKY_CRASHES: '99' }, async () => {
      const t = await started({ overlap: false, config, game: envGame('flaky-cartpole', create, config), modulePath: 'test-fixtures/flaky-cartpole.ts', maxRestarts: 2 });
      const error = await t.runUpdate().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ActorWorkerError);
      expect((error as Error).message).toMatch(/^actor worker 2 of 2 \(copies 2–3 of "flaky-cartpole"\) failed: copy 3 broke at its 10th step in incarnation 2 \(test fixture\)\. It died 3 times in a row without an update between \(--restarts 2\)/);
      expect(t.threads.restarts).toBe(2);
      // The learner is untouched: its brain is the fresh one, saved as it was.
      expect([t.brain().steps, t.brain().policyVersion]).toEqual([0, 0]);
      await expect(t.runUpdate()).rejects.toBe(error);
    });
  }, 120_000);

  it('refuses more workers than copies, naming the limit', () => {
    const game = cartpole(small);
    expect(() => new ParallelTrainer(game, nodeBackends, { workers: 5, source: { name: 'cartpole' }, copies: 4, seed: 1 })).toThrow(/--workers 5 is more than the 4 copies/);
  });
});
