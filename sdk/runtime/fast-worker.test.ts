/**
 * The fast-mode worker's body, served over an in-process MessageChannel as a page would reach it:
 * every `checkpointEvery`-th update carries the brain with its training state at that update.
 */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { exposeFastTrainer, type FastWorkerApi, type FastWorkerUpdate } from './fast-worker.js';
import { reviveBrain } from '../io/brain.js';
import { balanceGame } from '../../games/balance/headless.js';

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
});
