/**
 * Overlapping actor workers with `learnerActs` (the CLI's `--workers N` without `--lockstep`): the
 * learner's own thread plays actor 1's copies. Unlike an actor thread it is not restarted when its
 * game throws: the run stops with an error that names it and says so, the learner keeps its last
 * completed update (the checkpoint the CLI saves), and closing the run lets the process end (the
 * failed actor never closes its end of the channel; an open MessagePort keeps Node alive).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PhaserPpoError } from '../core/errors.js';
import { nodeBackends } from './backend.node.js';
import { envGame } from './env-game.js';
import { ParallelTrainer } from './parallel-trainer.js';

const open: ParallelTrainer[] = [];
afterEach(() => { for (const t of open.splice(0)) t.dispose(); });

/** The MessagePorts that keep this process alive. */
const openPorts = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

/**
 * The open MessagePorts once closing ports have let go of their handles (in a later turn of the
 * event loop), or the count still open after `turns` turns: a budget of loop turns, not of time.
 */
async function portsAfterClosing(expected: number, turns = 100): Promise<number> {
  for (let i = 0; i < turns && openPorts() !== expected; i++) await new Promise((r) => setImmediate(r));
  return openPorts();
}

describe("ParallelTrainer learnerActs: the learner thread's own actor fails", () => {
  it('stops the run naming it (not restarted, unlike actor threads), keeps the last update, and dispose closes its channel', async () => {
    const { config, default: create } = await import('../../test-fixtures/crashing-learner-cartpole.js');
    const before = openPorts();
    const t = new ParallelTrainer(envGame('crashing-learner-cartpole', create, config), nodeBackends, {
      workers: 1, source: { modulePath: 'test-fixtures/crashing-learner-cartpole.ts' }, copies: 4, seed: 3, config, backend: 'kernels', overlap: true, learnerActs: true,
    });
    open.push(t);
    await t.start();
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
    expect(error).toBeInstanceOf(PhaserPpoError);
    expect((error as Error).message).toMatch(/^actor 1 of 1 in the learner's thread \(copies 0–3 of "crashing-learner-cartpole"; unlike actor threads it is not restarted: --lockstep gives every actor a thread\) failed: copy 0 broke at its 300th step/);
    // Copy 0 steps once per decision: 300 decisions are 9 full rollouts of 32, and it broke in the 10th.
    expect(done).toBe(9);
    expect(t.threads.restarts).toBe(0);
    const brain = t.brain();
    expect([brain.steps, brain.policyVersion, brain.training!.updates]).toEqual([done * 128, done, done]);
    open.splice(0);
    t.dispose();
    // Before the fix the learner's end of the failed actor's channel stayed open, and the process never ended.
    expect(await portsAfterClosing(before)).toBe(before);
  }, 120_000);
});
