/**
 * Actor workers (ParallelTrainer) with a curriculum: the lessons live with the learner (it counts
 * the merged episodes and moves them after each update, as FastTrainer does in one thread), go to
 * the workers with the weights, and the checkpoint holds them. Budgets are transitions; never time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jumperGame } from '../../games/jumper/headless.js';
import type { PPOConfig } from '../rl/config.js';
import { nodeBackends } from './backend.node.js';
import type { EnvironmentParameters } from './env-params.js';
import { FastTrainer, type FastUpdate } from './fast-trainer.js';
import { ParallelTrainer } from './parallel-trainer.js';
import type { Brain } from '../io/brain.js';

const open: { dispose(): void }[] = [];
afterEach(() => { for (const t of open.splice(0)) t.dispose(); });

// Two lessons: no gap, then the hard gap from 30% of the run on; the change cuts every episode.
const environmentParameters: EnvironmentParameters = {
  gapWidth: { curriculum: [{ name: 'flat', value: 0, completionCriteria: { measure: 'progress', threshold: 0.3, minLessonLength: 0, requireReset: true } }, { name: 'wide', value: 150 }] },
};
const config: Partial<PPOConfig> = { totalSteps: 5120 };

async function onWorkers(workers: number, brain?: Brain): Promise<ParallelTrainer> {
  const t = new ParallelTrainer(jumperGame, nodeBackends, { workers, source: { name: 'jumper' }, seed: 2, backend: 'kernels', overlap: false, config, ...(brain ? { brain } : { environmentParameters }) });
  open.push(t);
  await t.start();
  return t;
}

async function all(t: { runUpdate(): FastUpdate | Promise<FastUpdate>; step: number }): Promise<FastUpdate[]> {
  const out: FastUpdate[] = [];
  while (t.step < 5120) out.push(await t.runUpdate());
  return out;
}

/** What must match update for update: lessons, episodes, returns, losses, weights. */
function curve(u: FastUpdate) {
  return [u.step, u.lessons, u.envParams, u.episodes, u.returnMean, u.policyLoss, u.valueLoss, u.params.reduce((a, b) => a + b, 0)];
}

describe('ParallelTrainer with a curriculum (jumper, gapWidth flat → wide)', () => {
  it('one worker in lockstep moves the lessons at the update one thread does and follows the one-thread curve; the brain carries the lessons', async () => {
    const one = new FastTrainer(jumperGame, nodeBackends, { seed: 2, backend: 'kernels', config, environmentParameters });
    open.push(one);
    await one.start();
    const direct = await all(one);
    const t = await onWorkers(1);
    const workers = await all(t);
    expect(workers.map((u) => u.lessons!.gapWidth)).toEqual([0, 1, 1, 1, 1]);
    expect(workers.map(curve)).toEqual(direct.map(curve));
    expect(t.curriculum!.describe()).toBe('gapWidth wide (2/2)');
    expect(t.brain().training!.curriculum!.progress.gapWidth!.lesson).toBe(1);
  }, 120_000);

  it('two workers in lockstep: the lesson changes after the same update, the workers cut every episode then (requireReset), and two runs give the same curve', async () => {
    const a = await all(await onWorkers(2));
    const b = await all(await onWorkers(2));
    expect(a.map((u) => u.lessons!.gapWidth)).toEqual([0, 1, 1, 1, 1]);
    // The lesson changed after update 2 (40% of the run): the reset cuts all 16 jumpers' episodes at their
    // next decision, so update 3 counts 16 episodes at least (25 here; 14 when the workers ignore the lessons).
    expect(a[2]!.episodes - a[1]!.episodes).toBeGreaterThanOrEqual(16);
    expect(a.map(curve)).toEqual(b.map(curve));
  }, 120_000);

  it('resumed on two workers: the checkpoint\'s curriculum goes on in its lesson (no environmentParameters given: they come with it)', async () => {
    const a = await onWorkers(2);
    while (a.step < 3072) await a.runUpdate();
    const saved = a.brain();
    expect(saved.training!.curriculum!.progress.gapWidth!.lesson).toBe(1);
    const b = await onWorkers(2, saved);
    expect(b.curriculum!.describe()).toBe('gapWidth wide (2/2)');
    const after = await all(b);
    expect(after.map((u) => [u.step, u.lessons!.gapWidth, u.envParams!.gapWidth])).toEqual([[4096, 1, 150], [5120, 1, 150]]);
  }, 120_000);
});
