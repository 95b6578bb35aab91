/**
 * Fast mode on two workers, as a page runs it (FastRun starts the same worker module twice): the
 * fast worker's body served over in-process MessageChannels, one learning and playing half the
 * copies, the other playing the rest (`act`), their rollouts joined into one learner's.
 */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { exposeFastTrainer, type FastTrainOptions, type FastWorkerApi, type FastWorkerUpdate } from './fast-worker.js';
import { reviveBrain, type Brain } from '../io/brain.js';
import { evaluateGame } from './evaluate.js';
import { balanceGame } from '../../games/balance/headless.js';
import { chaseRivalsGame } from '../../games/chase/headless.js';
import { mazeGame } from '../../games/maze/headless.js';
import type { HeadlessGame } from './game.js';
import { FastRun } from './fast-run.js';
import type { FastUpdate } from './fast-trainer.js';

/** Two "workers" of `game` (each the fast worker's body on its own channel), wired as FastRun wires them. */
function twoWorkers(game: HeadlessGame): { learner: Comlink.Remote<FastWorkerApi>; actor: Comlink.Remote<FastWorkerApi>; link: MessageChannel } {
  const a = new MessageChannel();
  const b = new MessageChannel();
  exposeFastTrainer(game, a.port1);
  exposeFastTrainer(game, b.port1);
  return { learner: Comlink.wrap<FastWorkerApi>(a.port2), actor: Comlink.wrap<FastWorkerApi>(b.port2), link: new MessageChannel() };
}

/** Trains on two workers; resolves with every update (weights dropped) and the last checkpoint. */
async function trainOnTwo(game: HeadlessGame, opts: FastTrainOptions): Promise<{ updates: FastWorkerUpdate[]; brain: Brain | null }> {
  const { learner, actor, link } = twoWorkers(game);
  const acting = actor.act(Comlink.transfer(link.port2, [link.port2]));
  const updates: FastWorkerUpdate[] = [];
  let brain: Brain | null = null;
  await learner.train(Comlink.transfer({ ...opts, actors: [link.port1] }, [link.port1]), Comlink.proxy((u: FastWorkerUpdate) => {
    if (u.checkpoint) brain = reviveBrain(u.checkpoint);
    const { params: _p, checkpoint: _c, ...rest } = u;
    updates.push(rest as FastWorkerUpdate);
  }));
  // The last updates come on the callback's own port; the actor ends when the learner stops it.
  await acting;
  for (let i = 0; i < 100 && updates.at(-1)?.step !== opts.maxSteps; i++) await new Promise((r) => setTimeout(r, 0));
  return { updates, brain };
}

/** A page's Worker made of the fast worker's body on an in-process channel (what `new Worker(fast.worker.ts)` runs). */
function inProcessWorker(game: HeadlessGame, made: Worker[]): Worker {
  const { port1, port2 } = new MessageChannel();
  exposeFastTrainer(game, port1);
  const worker = {
    postMessage: port2.postMessage.bind(port2),
    addEventListener: port2.addEventListener.bind(port2),
    removeEventListener: port2.removeEventListener.bind(port2),
    start: () => port2.start(),
    terminate: () => { port1.close(); port2.close(); },
  } as unknown as Worker;
  made.push(worker);
  return worker;
}

describe('fast mode on two workers', () => {
  it('a behavior with a grid input trains through conv stacks: the learner builds the network its actors act with', async () => {
    // The maze's 13×13×2 grid through one 3×3 stride-2 conv layer; 4 copies × 8 decisions per update.
    const config = { convLayers: [{ filters: 4, kernel: 3, stride: 2 }], numSteps: 8, numMinibatches: 2 };
    const { updates, brain } = await trainOnTwo(mazeGame, { copies: 4, seed: 1, backend: 'kernels', config, maxSteps: 64, checkpointEvery: 1 });
    expect(updates.map((u) => u.step)).toEqual([32, 64]);
    expect(brain!.observationInputs?.find((i) => i.kind === 'grid')?.shape).toEqual([13, 13, 2]);
    expect(brain!.config.convLayers).toEqual([{ filters: 4, kernel: 3, stride: 2 }]);
  }, 120_000);

  it('FastRun with workers: 2 starts two workers; one terminated from outside restarts both from the last checkpoint', async () => {
    const made: Worker[] = [];
    const run = new FastRun();
    const seen: number[] = [];
    const restarts: string[] = [];
    let killed = false;
    await new Promise<void>((done, fail) => run.start(() => inProcessWorker(balanceGame, made), { seed: 1, backend: 'kernels', workers: 2, maxSteps: 12 * 512 }, (u: FastUpdate) => {
      seen.push(u.policyVersion);
      // Right after the update that carries a checkpoint (every 5th), kill the actor (the second worker).
      if (!killed && u.policyVersion === 5) {
        killed = true;
        made[1]!.terminate();
      }
      if (u.step === 12 * 512) done();
    }, fail, (reason) => restarts.push(reason)));
    run.stop();
    expect(restarts).toEqual(['terminated from outside (worker 2 of 2)']);
    // Two workers per launch, launched twice.
    expect(made).toHaveLength(4);
    // The new pair went on from update 5's checkpoint, not from scratch.
    const after = seen.slice(seen.indexOf(5) + 1);
    expect(after[0]).toBeGreaterThan(5);
    expect(seen.at(-1)).toBe(12);
  }, 300_000);

  it(`learns balance: the brain of 81,920 transitions plays at a mean return ≥ ${balanceGame.solvedAt} (seed 1; random ≈ 27)`, async () => {
    const budget = 160 * 512;
    const { updates, brain } = await trainOnTwo(balanceGame, { seed: 1, backend: 'kernels', maxSteps: budget, checkpointEvery: 160 });
    expect(updates.at(-1)!.step).toBe(budget);
    // One learner for both workers' 8 copies: 8 columns × 64 steps per update, as on one worker.
    expect(updates[0]!.step).toBe(512);
    expect(updates.at(-1)!.episodes).toBeGreaterThanOrEqual(100);
    const b = brain!;
    expect(b.steps).toBe(budget);
    // The trained brain, judged apart from training: 20 episodes on other seeds.
    const played = evaluateGame(balanceGame, b, { episodes: 20, seed: 99 });
    expect(played.returnMean).toBeGreaterThanOrEqual(balanceGame.solvedAt);
  }, 600_000);

  it('same seed and worker count, same curve', async () => {
    const opts: FastTrainOptions = { seed: 2, backend: 'kernels', maxSteps: 4 * 512 };
    const curve = async () => (await trainOnTwo(balanceGame, opts)).updates.map((u) => [u.step, u.returnMean, u.policyLoss, u.valueLoss]);
    const first = await curve();
    expect(first).toHaveLength(4);
    expect(await curve()).toEqual(first);
  }, 300_000);

  it('refuses a game of several behaviors, naming the way out', async () => {
    await expect(trainOnTwo(chaseRivalsGame, { seed: 1, backend: 'kernels', maxSteps: 512 })).rejects.toThrow(/2 behaviors .* use workers: 1/);
  }, 120_000);
});
