/**
 * The fast-mode worker's body, served over an in-process MessageChannel as a page would reach it:
 * every `checkpointEvery`-th update carries the brain with its training state at that update.
 */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { exposeFastTrainer, type FastWorkerApi, type FastWorkerUpdate } from './fast-worker.js';
import { reviveBrain } from '../io/brain.js';
import { balanceGame } from '../../games/balance/headless.js';
import { chaseRivalsGame } from '../../games/chase/headless.js';
import type { HeadlessGame } from './game.js';

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
    port2.close();
  }, 60_000);
});
