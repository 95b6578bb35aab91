import { describe, it, expect, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import { useNodeBackend } from '../rl/backend.node.js';
import { loadBrain } from '../io/brain.node.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import { PhaserPpoError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Discrete } from '../core/spaces.js';
import { demonstrationHash, DemonstrationError } from '../io/demonstration.js';
import { FastTrainer, type FastUpdate } from './fast-trainer.js';
import { nodeBackends } from './backend.node.js';
import { evaluateGame } from './evaluate.js';
import { landerGame } from '../../games/lander/headless.js';
import { recordLanderDemonstrations } from '../../games/lander/demonstrator.js';
import { sparseLanderGame } from '../../games/lander/sparse.js';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
let demo: DemonstrationData;

beforeAll(async () => {
  await useNodeBackend('wasm');
  // 10 episodes of the shipped brain flying (≈ 1,440 decisions, mean return ≈ 270), seed 1.
  demo = recordLanderDemonstrations(loadBrain(fileURLToPath(new URL('../../games/lander', import.meta.url))), 10, 1);
});

describe('learning lander from 10 demonstrated episodes', () => {
  it('the recording holds 10 whole episodes of the demonstrator', () => {
    const ends = Array.from(demo.ends).filter((e) => e !== 0);
    expect(ends.length).toBe(10);
    expect(demo.ends[demo.steps - 1]).not.toBe(0);
    expect(demo.observations.length).toBe(demo.steps * 9);
    let ret = 0;
    for (let i = 0; i < demo.steps; i++) ret += demo.rewards[i]!;
    expect(ret / 10).toBeGreaterThan(200);
  });

  it('behaviour cloning alone lands at once: ≥ 150 over 20 fresh episodes before any PPO update (untrained ≈ -160; measured +251)', async () => {
    const untrained = new FastTrainer(landerGame, nodeBackends, { seed: 1, backend: 'kernels' });
    await untrained.start();
    const before = evaluateGame(landerGame, untrained.brain(), { episodes: 20, seed: 7 });
    untrained.dispose();
    const trainer = new FastTrainer(landerGame, nodeBackends, { seed: 1, backend: 'kernels', demonstrations: { data: demo, pretrain: { epochs: 30 } } });
    await trainer.start();
    const report = trainer.pretrainReport!;
    // The last of 10 episodes is held out; the fit generalizes to it.
    expect(report.heldOutRows).toBeGreaterThan(50);
    expect(report.trainRows + report.heldOutRows).toBe(demo.steps);
    expect(report.nllHistory[report.nllHistory.length - 1]!).toBeLessThan(report.nllHistory[0]!);
    expect(report.heldOut!.meanAbsError).toBeLessThan(0.1);
    expect(report.heldOut!.accuracy).toBeNaN(); // no discrete branches in lander
    const cloned = evaluateGame(landerGame, trainer.brain(), { episodes: 20, seed: 7 });
    expect(mean(before.returns)).toBeLessThan(-50);
    expect(mean(cloned.returns)).toBeGreaterThanOrEqual(150);
    // The brain carries the demonstrations' observation statistics the policy was fitted with.
    expect(trainer.brain().observationStats!.count).toBeGreaterThan(demo.steps - 1);
    trainer.dispose();
  }, 60_000);

  it('BC + PPO: the training window reaches 200 within 8 updates (8,192 transitions), where PPO from scratch has not (seed 1; scratch measured +64 there, 200 at 65,536)', async () => {
    const run = async (withDemos: boolean) => {
      const trainer = new FastTrainer(landerGame, nodeBackends, {
        seed: 1, backend: 'kernels',
        ...(withDemos ? { config: { behavioralCloning: { strength: 0.5, steps: 100_000 } }, demonstrations: { data: demo } } : {}),
      });
      await trainer.start();
      const updates: FastUpdate[] = [];
      for (let i = 0; i < 8; i++) updates.push(trainer.runUpdate());
      trainer.dispose();
      return updates;
    };
    const scratch = await run(false);
    const withDemos = await run(true);
    const last = withDemos[withDemos.length - 1]!;
    expect(last.step).toBe(8 * 1024);
    // At least 20 episodes in the window, so the bar is not one lucky landing.
    expect(last.episodes).toBeGreaterThanOrEqual(20);
    expect(last.returnMean).toBeGreaterThanOrEqual(200);
    expect(scratch[scratch.length - 1]!.returnMean).toBeLessThan(200);
    expect(last.returnMean - scratch[scratch.length - 1]!.returnMean).toBeGreaterThan(100);
    // The cloning term ran in every update, its strength annealing over 100,000 transitions.
    expect(withDemos[0]!.bcStrength).toBeCloseTo(0.5, 6);
    expect(withDemos[7]!.bcStrength).toBeCloseTo(0.5 * (1 - 7 * 1024 / 100_000), 6);
    for (const u of withDemos) expect(Number.isFinite(u.bcLoss)).toBe(true);
    expect(scratch[0]!.bcLoss).toBeUndefined();
  }, 120_000);

  it('GAIL: the discriminator trains each update and its reward is mixed in (share and loss in the metrics)', async () => {
    const trainer = new FastTrainer(landerGame, nodeBackends, {
      seed: 2, backend: 'kernels', config: { gail: { strength: 0.5, useActions: true } }, demonstrations: { data: demo, pretrain: false },
    });
    await trainer.start();
    const us = Array.from({ length: 5 }, () => trainer.runUpdate());
    const a = us[0]!;
    const b = us[4]!;
    for (const u of us) {
      expect(u.gailRewardShare).toBeGreaterThan(0);
      expect(u.gailRewardShare).toBeLessThan(1);
      expect(Number.isFinite(u.gailLoss)).toBe(true);
    }
    // An untrained policy is easy to tell from the demonstrator: the loss falls from near chance (2 log 2 ≈ 1.39).
    expect(b.gailLoss!).toBeLessThan(a.gailLoss!);
    trainer.dispose();
  }, 60_000);

  it('sparse lander (+1 per landing only): BC + GAIL lands ≥ 80% of 20 fresh episodes after 10,240 transitions; PPO alone lands none (seed 1)', async () => {
    const run = async (withDemos: boolean) => {
      const trainer = new FastTrainer(sparseLanderGame, nodeBackends, {
        seed: 1, backend: 'kernels', ...(withDemos ? { config: { gail: { strength: 0.1 } }, demonstrations: { data: demo } } : {}),
      });
      await trainer.start();
      let u: FastUpdate | null = null;
      for (let i = 0; i < 10; i++) u = trainer.runUpdate();
      const evaluated = evaluateGame(sparseLanderGame, trainer.brain(), { episodes: 20, seed: 7 });
      trainer.dispose();
      return { last: u!, landed: evaluated.returns.filter((r) => r >= 1).length };
    };
    const alone = await run(false);
    const demos = await run(true);
    expect(alone.last.step).toBe(10_240);
    expect(alone.landed).toBe(0);
    expect(alone.last.returnMean).toBe(0);
    expect(demos.landed).toBeGreaterThanOrEqual(16);
    expect(demos.last.returnMean).toBeGreaterThanOrEqual(0.8);
    // GAIL's reward is in the mix (its share of |reward|), next to the landings'.
    expect(demos.last.gailRewardShare).toBeGreaterThan(0.1);
    expect(demos.last.gailRewardShare).toBeLessThan(1);
  }, 120_000);

  it('resumes from a checkpoint: the cloning strength continues its annealing where it stopped', async () => {
    const config = { behavioralCloning: { strength: 1, steps: 10_240 } };
    const first = new FastTrainer(landerGame, nodeBackends, { seed: 3, backend: 'kernels', config, demonstrations: { data: demo, pretrain: false } });
    await first.start();
    first.runUpdate();
    first.runUpdate();
    const checkpoint = first.brain();
    first.dispose();
    expect(checkpoint.config.behavioralCloning).toMatchObject({ strength: 1, steps: 10_240 });
    const resumed = new FastTrainer(landerGame, nodeBackends, { seed: 3, backend: 'kernels', brain: checkpoint, demonstrations: { data: demo } });
    await resumed.start();
    // A resumed run is not pre-trained again.
    expect(resumed.pretrainReport).toBeNull();
    const u = resumed.runUpdate();
    expect(u.bcStrength).toBeCloseTo(1 - 2048 / 10_240, 6);
    resumed.dispose();
  }, 60_000);

  it('a GAIL checkpoint refers to its demonstrations by path and SHA-256 and carries the discriminator; resuming checks them', async () => {
    const sha256 = await demonstrationHash(demo);
    const config = { gail: { strength: 0.1, useActions: true } };
    const first = new FastTrainer(landerGame, nodeBackends, { seed: 4, backend: 'kernels', config, demonstrations: { data: demo, source: 'demos/lander', sha256, pretrain: false } });
    await first.start();
    first.runUpdate();
    const checkpoint = first.brain();
    first.dispose();
    expect(checkpoint.config.gail!.demo).toEqual({ source: 'demos/lander', sha256 });
    const saved = checkpoint.training!.demonstrations!.gail!;
    expect(saved.adam.t).toBeGreaterThan(0);
    // The same demonstrations: the resumed learner starts from the saved discriminator.
    const resumed = new FastTrainer(landerGame, nodeBackends, { seed: 4, backend: 'kernels', brain: checkpoint, demonstrations: { data: demo, source: 'elsewhere/lander', sha256 } });
    await resumed.start();
    expect(Array.from(resumed.brain().training!.demonstrations!.gail!.params)).toEqual(Array.from(saved.params));
    expect(resumed.brain().config.gail!.demo).toEqual({ source: 'elsewhere/lander', sha256 });
    resumed.dispose();
    // Missing or changed: a DemonstrationError naming the file and what to do, before anything trains.
    expect(() => new FastTrainer(landerGame, nodeBackends, { seed: 4, brain: checkpoint }))
      .toThrow(/learned from the demonstrations demos\/lander \(config\.gail\.demo\), which were not given: pass them again \(train --demos demos\/lander/);
    const other = await demonstrationHash({ ...demo, rewards: demo.rewards.map((r, i) => (i === 3 ? r + 1 : r)) });
    let err: unknown;
    try { new FastTrainer(landerGame, nodeBackends, { seed: 4, brain: checkpoint, demonstrations: { data: demo, source: 'demos/lander', sha256: other } }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DemonstrationError);
    expect((err as Error).message).toMatch(/^demos\/lander: SHA-256 .* the demonstrations changed since\. Put the original ones back to resume, or start a new run from these$/);
  }, 60_000);

  it('says what is missing: demonstrations for another behavior, or a config that needs demonstrations without them', async () => {
    expect(() => new FastTrainer(landerGame, nodeBackends, { seed: 1, demonstrations: { data: { ...demo, behavior: 'balance' } } }))
      .toThrow(/demonstrations: they were recorded for "balance", which is no behavior of the game "lander"/);
    const wrongSize = new FastTrainer(landerGame, nodeBackends, { seed: 1, backend: 'kernels', demonstrations: { data: { ...demo, observationSize: 8 } } });
    await expect(wrongSize.start()).rejects.toThrow(/observationSize is 8 but the behavior observes 9 values/);
    const nan = Float32Array.from(demo.observations);
    nan[5] = NaN;
    const poisoned = new FastTrainer(landerGame, nodeBackends, { seed: 1, backend: 'kernels', demonstrations: { data: { ...demo, observations: nan } } });
    await expect(poisoned.start()).rejects.toThrow(/observations\[5\] is NaN; demonstrations must be finite/);
    const none = new FastTrainer(landerGame, nodeBackends, { seed: 1, backend: 'kernels', config: { behavioralCloning: { strength: 1 } } });
    await none.start();
    let err: unknown;
    try { none.runUpdate(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PhaserPpoError);
    expect((err as Error).message).toMatch(/config\.behavioralCloning is set but no demonstrations were given/);
    none.dispose();
  }, 60_000);
});

describe('demonstrations of a behavior with a grid input', () => {
  it('the runner starts from their observation statistics with the grid left at mean 0, variance 1 (as it normalizes grids)', async () => {
    const { mazeGame } = await import('../../games/maze/headless.js');
    // The maze observes a 13×13×2 grid only (338 values) and chooses among 5 moves; 50 recorded decisions of occupied cells.
    const rng = new Rng(3);
    const steps = 50;
    const gridDemo: DemonstrationData = {
      behavior: mazeGame.name, observationSize: 338, actionSpace: Discrete(5), steps,
      observations: Float32Array.from({ length: steps * 338 }, () => (rng.uniform(0, 1) < 0.4 ? 1 : 0)),
      actions: Float32Array.from({ length: steps }, () => rng.int(5)), masks: null,
      rewards: new Float32Array(steps), ends: Uint8Array.from({ length: steps }, (_, i) => (i % 25 === 24 ? 1 : 0)),
    };
    const trainer = new FastTrainer(mazeGame, nodeBackends, { seed: 1, backend: 'kernels', config: { normalizeObs: true }, demonstrations: { data: gridDemo, pretrain: false } });
    await trainer.start();
    const stats = trainer.brain().observationStats!;
    expect(stats.count).toBeGreaterThan(steps - 1);
    expect(stats.mean.every((m) => m === 0)).toBe(true);
    expect(stats.var.every((v) => v === 1)).toBe(true);
    trainer.dispose();
  }, 60_000);
});
