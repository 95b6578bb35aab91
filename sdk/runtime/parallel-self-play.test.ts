/**
 * Actor workers (ParallelTrainer) with self-play (sumo): the pool, ELO, opponent draws and team
 * changes live with the learner (as FastTrainer's in one thread); the workers' opponents act with
 * the weights it draws and their agents change sides when it changes the learning team. Budgets
 * are transitions; never time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sumoGame } from '../../games/sumo/headless.js';
import type { PPOConfig } from '../rl/config.js';
import { nodeBackends } from './backend.node.js';
import { FastTrainer, type FastUpdate } from './fast-trainer.js';
import { ParallelTrainer } from './parallel-trainer.js';
import type { Brain } from '../io/brain.js';

const open: { dispose(): void }[] = [];
afterEach(() => { for (const t of open.splice(0)) t.dispose(); });

// 16 rings × 1 learning wrestler × 32 decisions = 512 transitions per update: a swap every update, a snapshot every update, a team change every 2.
const config: Partial<PPOConfig> = { numSteps: 32, numMinibatches: 2, selfPlay: { saveSteps: 512, swapSteps: 256, teamChange: 1024, window: 3 } };
const STEPS = 3072;

async function onWorkers(workers: number, brain?: Brain): Promise<ParallelTrainer> {
  const t = new ParallelTrainer(sumoGame, nodeBackends, { workers, source: { name: 'sumo' }, seed: 4, backend: 'kernels', overlap: false, config, ...(brain ? { brain } : {}) });
  open.push(t);
  await t.start();
  return t;
}

async function all(t: { runUpdate(): FastUpdate | Promise<FastUpdate>; step: number }): Promise<FastUpdate[]> {
  const out: FastUpdate[] = [];
  while (t.step < STEPS) out.push(await t.runUpdate());
  return out;
}

/** What must match update for update: the learning team, ELO, episodes, returns, losses, weights. */
function curve(u: FastUpdate) {
  return [u.step, u.learningTeam, u.elo, u.opponentElo, u.episodes, u.returnMean, u.policyLoss, u.valueLoss, u.params.reduce((a, b) => a + b, 0)];
}

describe('ParallelTrainer with self-play (sumo)', () => {
  it('one worker in lockstep follows the one-thread curve: the same team changes, opponents and ELO; the brain carries the pool', async () => {
    const one = new FastTrainer(sumoGame, nodeBackends, { seed: 4, backend: 'kernels', config });
    open.push(one);
    await one.start();
    const direct = await all(one);
    const t = await onWorkers(1);
    const workers = await all(t);
    expect(workers.map((u) => u.learningTeam)).toEqual([0, 1, 1, 0, 0, 1]);
    expect(workers.map(curve)).toEqual(direct.map(curve));
    const saved = t.brain().training!.selfPlay!;
    expect(saved.pool).toHaveLength(3);
    expect(saved.learningTeam).toBe(1);
  }, 120_000);

  it('two workers in lockstep: two runs of one seed give the same curve, with the team changes of one thread', async () => {
    const a = await all(await onWorkers(2));
    const b = await all(await onWorkers(2));
    expect(a.map((u) => u.learningTeam)).toEqual([0, 1, 1, 0, 0, 1]);
    expect(a.map(curve)).toEqual(b.map(curve));
  }, 120_000);

  it('resumed on two workers: the pool, ELO and learning team go on from the checkpoint (the learner decides the next team change from there)', async () => {
    const a = await onWorkers(2);
    while (a.step < 1536) await a.runUpdate();
    const saved = a.brain();
    expect(saved.training!.selfPlay!.learningTeam).toBe(1);
    const b = await onWorkers(2, saved);
    expect(b.brain().training!.selfPlay).toEqual(saved.training!.selfPlay);
    const after = await all(b);
    // Team 1 learns on; the change every 1,024 transitions comes at 2,048 and 3,072, as in the uninterrupted run.
    expect(after.map((u) => [u.step, u.learningTeam])).toEqual([[2048, 0], [2560, 0], [3072, 1]]);
    expect(after[0]!.update).toBe(4);
  }, 120_000);
});
