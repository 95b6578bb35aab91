/**
 * Fast mode on two workers, as a page runs it (FastRun starts the same worker module twice): the
 * fast worker's body served over in-process MessageChannels, one learning and playing half the
 * copies, the other playing the rest (`act`), their rollouts joined into one learner's. Every game
 * the page trains: one behavior, several (chase's pack and runner), self-play (sumo) and a
 * curriculum (jumper). Budgets are transitions; seeds are fixed; never time.
 */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { exposeFastTrainer, type FastTrainOptions, type FastWorkerApi, type FastWorkerUpdate } from './fast-worker.js';
import { reviveBrain, type Brain } from '../io/brain.js';
import { evaluateGame } from './evaluate.js';
import { balanceGame } from '../../games/balance/headless.js';
import { chaseRivalsGame } from '../../games/chase/headless.js';
import { mazeGame } from '../../games/maze/headless.js';
import { sumoGame } from '../../games/sumo/headless.js';
import { jumperGame } from '../../games/jumper/headless.js';
import type { EnvironmentParameters } from './env-params.js';
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

/**
 * Trains on two workers; resolves with every update (weights dropped), the last checkpoint and the
 * last of each behavior. `last` says the final update has come (default: it reached `maxSteps`).
 */
async function trainOnTwo(game: HeadlessGame, opts: FastTrainOptions, last = (u: FastWorkerUpdate[]) => u.at(-1)?.step === opts.maxSteps): Promise<{ updates: FastWorkerUpdate[]; brain: Brain | null; brains: Map<string, Brain> }> {
  const { learner, actor, link } = twoWorkers(game);
  const acting = actor.act(Comlink.transfer(link.port2, [link.port2]));
  const updates: FastWorkerUpdate[] = [];
  let brain: Brain | null = null;
  const brains = new Map<string, Brain>();
  await learner.train(Comlink.transfer({ ...opts, actors: [link.port1] }, [link.port1]), Comlink.proxy((u: FastWorkerUpdate) => {
    if (u.checkpoint) {
      brain = reviveBrain(u.checkpoint);
      brains.set(u.behavior, brain);
    }
    const { params: _p, checkpoint: _c, ...rest } = u;
    updates.push(rest as FastWorkerUpdate);
  }));
  // The last updates come on the callback's own port; the actor ends when the learner stops it.
  await acting;
  for (let i = 0; i < 100 && !last(updates); i++) await new Promise((r) => setTimeout(r, 0));
  return { updates, brain, brains };
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

  // On the old code each of these was refused ("the page's actor workers train one learning behavior: use workers: 1", and the same for self-play and curricula).
  it('a game of two learning behaviors (chase: pack + runner): each behavior\'s updates, ELO of both (zero-sum), a checkpoint per behavior; same seed, same curve', async () => {
    // Until both behaviors trained 1,024 transitions (as one worker's maxSteps): the pack 2,048 per update, the runner 512.
    const opts: FastTrainOptions = { seed: 1, backend: 'kernels', maxSteps: 1024, checkpointEvery: 1 };
    const done = (u: FastWorkerUpdate[]) => u.some((x) => x.behavior === 'runner' && x.step === 1024);
    const a = await trainOnTwo(chaseRivalsGame, opts, done);
    expect(a.updates.map((u) => [u.behavior, u.update, u.step])).toEqual([['chase', 1, 2048], ['runner', 1, 512], ['chase', 2, 4096], ['runner', 2, 1024]]);
    for (const u of a.updates) {
      expect(u.ratings!.chase! + u.ratings!.runner!).toBeCloseTo(2400, 6);
      expect(u.elo).toBe(u.ratings![u.behavior]);
    }
    // The rounds played moved the ratings (a run that rated nothing stays at 1200 each).
    expect(a.updates.at(-1)!.ratings!.chase).not.toBe(1200);
    expect([...a.brains.entries()].map(([name, b]) => [name, b.env, b.steps, b.training!.updates])).toEqual([['chase', 'chase', 4096, 2], ['runner', 'runner', 1024, 2]]);
    const b = await trainOnTwo(chaseRivalsGame, opts, done);
    const curve = (u: FastWorkerUpdate) => [u.behavior, u.step, u.returnMean, u.policyLoss, u.valueLoss, u.ratings];
    expect(b.updates.map(curve)).toEqual(a.updates.map(curve));
  }, 300_000);

  it('a restarted two-behavior run continues every behavior\'s checkpoint and the ratings it is given (FastRun\'s restart)', async () => {
    const done = (u: FastWorkerUpdate[]) => u.some((x) => x.behavior === 'runner' && x.step === 512);
    const first = await trainOnTwo(chaseRivalsGame, { seed: 1, backend: 'kernels', maxSteps: 512, checkpointEvery: 1 }, done);
    const ratings = { chase: 1500, runner: 900 };
    const again = await trainOnTwo(chaseRivalsGame, { seed: 1, backend: 'kernels', maxSteps: 1024, checkpointEvery: 1, brains: [...first.brains.values()], ratings },
      (u) => u.some((x) => x.behavior === 'runner' && x.step === 1024));
    // Each behavior's steps and updates go on from its checkpoint.
    expect(again.updates.map((u) => [u.behavior, u.update, u.step])).toEqual([['chase', 2, 4096], ['runner', 2, 1024]]);
    // The ELO goes on from the given ratings (one update's rounds move them by tens, not by 300).
    expect(Math.abs(again.updates[0]!.ratings!.chase! - 1500)).toBeLessThan(100);
    expect(again.updates[0]!.ratings!.chase! + again.updates[0]!.ratings!.runner!).toBeCloseTo(2400, 6);
  }, 300_000);

  it('self-play (sumo): the learner\'s team changes, ELO and opponent\'s ELO come with the updates; the checkpoint holds the pool', async () => {
    // 16 rings × 1 learning wrestler × 32 decisions = 512 transitions per update: a swap every update, a snapshot every update, a team change every 2.
    const config = { numSteps: 32, numMinibatches: 2, selfPlay: { saveSteps: 512, swapSteps: 256, teamChange: 1024, window: 3 } };
    const { updates, brain } = await trainOnTwo(sumoGame, { seed: 4, backend: 'kernels', config, maxSteps: 3072, checkpointEvery: 6 });
    // The team changes of one thread (parallel-self-play.test.ts): the learner decides them.
    expect(updates.map((u) => [u.step, u.learningTeam])).toEqual([[512, 0], [1024, 1], [1536, 1], [2048, 0], [2560, 0], [3072, 1]]);
    for (const u of updates) expect([Number.isFinite(u.elo), Number.isFinite(u.opponentElo)]).toEqual([true, true]);
    expect(brain!.training!.selfPlay!.pool).toHaveLength(3);
    expect(brain!.training!.selfPlay!.learningTeam).toBe(1);
  }, 300_000);

  it('a curriculum (jumper, flat → wide): the lessons move with the updates, the workers cut their episodes at the change, and the checkpoint holds the lesson', async () => {
    const environmentParameters: EnvironmentParameters = {
      gapWidth: { curriculum: [{ name: 'flat', value: 0, completionCriteria: { measure: 'progress', threshold: 0.3, minLessonLength: 0, requireReset: true } }, { name: 'wide', value: 150 }] },
    };
    const { updates, brain } = await trainOnTwo(jumperGame, { seed: 2, backend: 'kernels', config: { totalSteps: 5120 }, environmentParameters, maxSteps: 5120, checkpointEvery: 5 });
    expect(updates.map((u) => u.lessons!.gapWidth)).toEqual([0, 1, 1, 1, 1]);
    expect(updates[1]!.envParams!.gapWidth).toBe(150);
    // The change after update 2 asks for a reset: every one of the 16 jumpers' episodes is cut at its next decision.
    expect(updates[2]!.episodes - updates[1]!.episodes).toBeGreaterThanOrEqual(16);
    expect(brain!.training!.curriculum!.progress.gapWidth!.lesson).toBe(1);
  }, 300_000);

  it('refuses demonstrations (they train on one worker), naming the way out', async () => {
    const demonstrations = { data: { behavior: 'balance' } as never };
    await expect(trainOnTwo(balanceGame, { seed: 1, backend: 'kernels', maxSteps: 512, demonstrations })).rejects.toThrow(/fast mode on 2 workers: learning from demonstrations trains on one worker; use workers: 1/);
  }, 120_000);
});
