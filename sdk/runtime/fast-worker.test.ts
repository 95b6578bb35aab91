/**
 * The fast-mode worker's body, served over an in-process MessageChannel as a page would reach it:
 * every `checkpointEvery`-th update carries the brain with its training state at that update.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import * as Comlink from 'comlink';
import { exposeFastTrainer, type FastWorkerApi, type FastWorkerUpdate } from './fast-worker.js';
import { brainOf, reviveBrain } from '../io/brain.js';
import { loadBrain } from '../io/brain.node.js';
import { Box } from '../core/spaces.js';
import { resolveConfig } from '../rl/config.js';
import { evaluateGame } from './evaluate.js';
import { balanceGame } from '../../games/balance/headless.js';
import { chaseRivalsGame } from '../../games/chase/headless.js';
import type { HeadlessGame } from './game.js';
import { landerGame } from '../../games/lander/headless.js';
import { recordLanderDemonstrations } from '../../games/lander/demonstrator.js';

describe('exposeFastTrainer', () => {
  it('sends a checkpoint with every checkpointEvery-th update, at that update', async () => {
    const { port1, port2 } = new MessageChannel();
    exposeFastTrainer(balanceGame, port1);
    const api = Comlink.wrap<FastWorkerApi>(port2);
    const seen: { update: number; step: number; checkpointSteps: number | null; adamStep: number | null }[] = [];
    // Updates arrive on the callback's own port: the sixth may come after train() has returned.
    let sixth!: () => void;
    const allSix = new Promise<void>((r) => (sixth = r));
    await api.train({ seed: 1, backend: 'kernels', copies: 2, config: { numSteps: 32 }, maxSteps: 6 * 64, checkpointEvery: 3 }, Comlink.proxy((u: FastWorkerUpdate) => {
      const c = u.checkpoint ? reviveBrain(u.checkpoint) : null;
      seen.push({ update: u.update, step: u.step, checkpointSteps: c?.steps ?? null, adamStep: c?.training?.adam.t ?? null });
      if (u.update === 6) sixth();
    }));
    await allSix;
    expect(seen.map((s) => s.update)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.filter((s) => s.checkpointSteps !== null).map((s) => [s.update, s.checkpointSteps])).toEqual([[3, 3 * 64], [6, 6 * 64]]);
    // With its optimizer state: a restart from it is exact, not a fine-tune.
    expect(seen.find((s) => s.update === 3)!.adamStep).toBeGreaterThan(0);
    port2.close();
  }, 60_000);

  it('untilDone: each behavior of a two-behavior game trains its own schedule, then the worker stops', async () => {
    // Chase's rivals with short rollouts: 16 chasers × 16 = 256 pack transitions per update, 4
    // runners × 16 = 64 runner transitions; the runner's schedule a quarter of the pack's, as shipped.
    const small: HeadlessGame = {
      ...chaseRivalsGame,
      behaviors: chaseRivalsGame.behaviors.map((b) => ({ ...b, config: { ...b.config, numSteps: 16, totalSteps: b.name === 'runner' ? 256 : 1024 } })),
    };
    const { port1, port2 } = new MessageChannel();
    exposeFastTrainer(small, port1);
    const api = Comlink.wrap<FastWorkerApi>(port2);
    const seen: { behavior: string; update: number; step: number }[] = [];
    // maxSteps alone (the pack's 1,024) would wait for the runner to reach 1,024 too: 16 updates each.
    await api.train({ seed: 1, backend: 'kernels', maxSteps: 1024, untilDone: true }, Comlink.proxy((u: FastWorkerUpdate) => {
      seen.push({ behavior: u.behavior, update: u.update, step: u.step });
    }));
    // The last updates may come after train() returned (their own port): wait for the run's 8 or more.
    for (let i = 0; i < 100 && seen.length < 8; i++) await new Promise((r) => setTimeout(r, 0));
    const last = (name: string) => seen.filter((s) => s.behavior === name).at(-1)!;
    expect(last('chase')).toEqual({ behavior: 'chase', update: 4, step: 1024 });
    expect(last('runner')).toEqual({ behavior: 'runner', update: 4, step: 256 });
    expect(seen).toHaveLength(8);
  }, 60_000);

  it('a new worker given every behavior\'s checkpoint (brains) and the ratings continues both sides, as FastRun restarts a dead Rivals worker', async () => {
    const small: HeadlessGame = {
      ...chaseRivalsGame,
      behaviors: chaseRivalsGame.behaviors.map((b) => ({ ...b, config: { ...b.config, numSteps: 16, totalSteps: b.name === 'runner' ? 512 : 2048 } })),
    };
    const run = async (opts: Partial<Parameters<FastWorkerApi['train']>[0]>, updates: number) => {
      const { port1, port2 } = new MessageChannel();
      exposeFastTrainer(small, port1);
      const api = Comlink.wrap<FastWorkerApi>(port2);
      const seen: FastWorkerUpdate[] = [];
      let enough!: () => void;
      const all = new Promise<void>((r) => (enough = r));
      void api.train({ seed: 1, backend: 'kernels', checkpointEvery: 2, ...opts }, Comlink.proxy((u: FastWorkerUpdate) => {
        seen.push(u);
        if (seen.length === 2 * updates) {
          void api.stop();
          enough();
        }
      }));
      await all;
      const runner = reviveBrain(await api.brain('runner'));
      port2.close();
      return { seen, runner };
    };
    // 2 updates of each side: update 2 of each carries its checkpoint.
    const first = await run({}, 2);
    const checkpoints = first.seen.filter((u) => u.checkpoint).map((u) => reviveBrain(u.checkpoint!));
    expect(checkpoints.map((b) => [b.env, b.steps]).sort()).toEqual([['chase', 512], ['runner', 128]]);
    // FastWorkerApi.brain names the behavior: the runner's own brain, with its training state.
    expect(first.runner.env).toBe('runner');
    expect(first.runner.training).toBeTruthy();
    // Ratings far from the start, as a long run's would be.
    const second = await run({ brains: checkpoints, ratings: { chase: 1300, runner: 1100 }, seed: 2 }, 1);
    const next = (b: string) => second.seen.find((u) => u.behavior === b)!;
    // Each side's third update, not a fresh first one.
    expect([next('chase').update, next('chase').step]).toEqual([3, 768]);
    expect([next('runner').update, next('runner').step]).toEqual([3, 192]);
    // The ratings went on from the ones given (zero-sum, the same total; a few rounds move them
    // little), not from 1200 each.
    expect(next('chase').ratings!.chase! + next('chase').ratings!.runner!).toBeCloseTo(2400, 6);
    expect(next('chase').ratings!.chase!).toBeGreaterThan(1250);
  }, 120_000);

  it('with demonstrations, sends update 0 first: the cloned weights (landing before any PPO update) and the BC report', async () => {
    // 10 episodes of the shipped lander brain flying (mean return ≈ 270), as sdk/runtime/demonstrations.test.ts records them.
    const demo = recordLanderDemonstrations(loadBrain(fileURLToPath(new URL('../../games/lander', import.meta.url))), 10, 1);
    const { port1, port2 } = new MessageChannel();
    exposeFastTrainer(landerGame, port1);
    const api = Comlink.wrap<FastWorkerApi>(port2);
    const seen: FastWorkerUpdate[] = [];
    let first!: () => void;
    const firstPpo = new Promise<void>((r) => (first = r));
    await api.train({ seed: 1, backend: 'kernels', copies: 2, config: { numSteps: 32 }, maxSteps: 64, demonstrations: { data: demo, pretrain: { epochs: 30 } } },
      Comlink.proxy((u: FastWorkerUpdate) => {
        seen.push(u);
        if (u.update === 1) first();
      }));
    await firstPpo;
    expect(seen.map((u) => u.update)).toEqual([0, 1]);
    const [u0, u1] = seen as [FastWorkerUpdate, FastWorkerUpdate];
    // Nothing was played yet: no transitions, no episodes, no losses.
    expect(u0).toMatchObject({ step: 0, episodes: 0, behavior: 'lander' });
    expect(u0.policyLoss).toBeNaN();
    expect(u0.pretrain!.trainRows + u0.pretrain!.heldOutRows).toBe(demo.steps);
    expect(u0.pretrain!.heldOut!.meanAbsError).toBeLessThan(0.1);
    expect(u1.pretrain).toBeUndefined();
    expect(u1.policyVersion).toBeGreaterThan(u0.policyVersion);
    // Normalized with the demonstrations' statistics, which update 0 carries with its weights.
    expect(u0.observationStats!.count).toBeGreaterThan(demo.steps - 1);
    // What update 0 carries flies like the demonstrator: untrained play scores ≈ -160.
    const spec = landerGame.behaviors[0]!;
    const cloned = brainOf({
      name: 'lander', observationSpace: Box(-Infinity, Infinity, demo.observationSize), actionSpace: demo.actionSpace, config: resolveConfig(spec.config),
      observationStats: u0.observationStats, steps: 0, source: { params: u0.params, version: u0.policyVersion },
    });
    const returns = evaluateGame(landerGame, cloned, { episodes: 20, seed: 7 }).returns;
    expect(returns.reduce((s, x) => s + x, 0) / returns.length).toBeGreaterThanOrEqual(150);

    // maxSteps 0: cloning only; train() returns after update 0 and the brain is the cloned one.
    const only: FastWorkerUpdate[] = [];
    let zero!: () => void;
    const updateZero = new Promise<void>((r) => (zero = r));
    await api.train({ seed: 1, backend: 'kernels', copies: 2, config: { numSteps: 32 }, maxSteps: 0, demonstrations: { data: demo, pretrain: { epochs: 2 } } },
      Comlink.proxy((u: FastWorkerUpdate) => {
        only.push(u);
        zero();
      }));
    await updateZero;
    const brain = reviveBrain(await api.brain());
    // A round trip after train() returned: any PPO update would have been sent before it.
    expect(only.map((u) => u.update)).toEqual([0]);
    expect(brain.steps).toBe(0);
    expect(brain.policyVersion).toBe(only[0]!.policyVersion);
    expect(Array.from(brain.params)).toEqual(Array.from(only[0]!.params));
    port2.close();
  }, 60_000);

  it('with demonstrations and checkpoints, update 0 carries the cloned brain: a worker restarted from it neither clones again nor sends a second update 0', async () => {
    const demo = recordLanderDemonstrations(loadBrain(fileURLToPath(new URL('../../games/lander', import.meta.url))), 4, 2);
    const { port1, port2 } = new MessageChannel();
    exposeFastTrainer(landerGame, port1);
    const api = Comlink.wrap<FastWorkerApi>(port2);
    const opts = { seed: 1, backend: 'kernels' as const, copies: 2, config: { numSteps: 32, behavioralCloning: { strength: 0.5 } }, checkpointEvery: 5, demonstrations: { data: demo, source: 'indexeddb://demos/lander', pretrain: { epochs: 2 } } };
    const first: FastWorkerUpdate[] = [];
    let zero!: () => void;
    const gotZero = new Promise<void>((r) => (zero = r));
    // The worker dies right after update 0 (as FastRun sees it: only update 0 arrived).
    await api.train({ ...opts, maxSteps: 0 }, Comlink.proxy((u: FastWorkerUpdate) => { first.push(u); zero(); }));
    await gotZero;
    expect(first.map((u) => u.update)).toEqual([0]);
    const checkpoint = reviveBrain(first[0]!.checkpoint!);
    expect(checkpoint.steps).toBe(0);
    expect(Array.from(checkpoint.params)).toEqual(Array.from(first[0]!.params));
    // The worker hashed the demonstrations: the checkpoint refers to them by key and SHA-256.
    expect(checkpoint.config.behavioralCloning!.demo).toEqual({ source: 'indexeddb://demos/lander', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // FastRun restarts a dead worker with `brain: <the last checkpoint>` and the same options.
    const again: FastWorkerUpdate[] = [];
    let one!: () => void;
    const gotOne = new Promise<void>((r) => (one = r));
    await api.train({ ...opts, brain: checkpoint, maxSteps: 64 }, Comlink.proxy((u: FastWorkerUpdate) => { again.push(u); if (u.update === 1) one(); }));
    await gotOne;
    expect(again.map((u) => u.update)).toEqual([1]);
    expect(again[0]!.pretrain).toBeUndefined();
    expect(again[0]!.step).toBe(64);

    // Other demonstrations than the checkpoint's: refused, naming both.
    const changed = { ...demo, rewards: Float32Array.from(demo.rewards, (r, i) => (i === 0 ? r + 1 : r)) };
    await expect(api.train({ ...opts, brain: checkpoint, maxSteps: 64, demonstrations: { data: changed, source: 'demos/other' } }, Comlink.proxy(() => undefined)))
      .rejects.toThrow(/demos\/other: SHA-256 [0-9a-f]{12}…, but the checkpoint of "lander" learned from indexeddb:\/\/demos\/lander .*the demonstrations changed since/);
    port2.close();
  }, 60_000);
});
