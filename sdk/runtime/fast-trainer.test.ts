/** Fast mode resumes from a checkpoint brain, also one that crossed postMessage (the page's Save → Load). */
import { describe, it, expect } from 'vitest';
import { FastTrainer } from './fast-trainer.js';
import { nodeBackends } from './backend.node.js';
import { landerGame } from '../../games/lander/headless.js';
import { balanceGame } from '../../games/balance/headless.js';
import { decodeBrain, encodeBrain, type Brain } from '../io/brain.js';
import { BrainError } from '../core/errors.js';

const trainer = (brain?: Brain) => new FastTrainer(landerGame, nodeBackends, {
  copies: 2, seed: 3, backend: 'kernels', config: { numSteps: 32, hiddenSizes: [16] }, ...(brain ? { brain } : {}),
});

/** What must survive a checkpoint, as plain comparable data. */
function essence(b: Brain) {
  const t = b.training!;
  return {
    params: Array.from(b.params), version: b.policyVersion, steps: b.steps, obs: [Array.from(b.observationStats!.mean), Array.from(b.observationStats!.var), b.observationStats!.count],
    m: Array.from(t.adam.m), v: Array.from(t.adam.v), t: t.adam.t, updates: t.updates, rng: t.learnerRng, reward: t.rewardStats!.toJSON(),
  };
}

describe('FastTrainer resume', () => {
  it('continues from a brain that went through a structured clone and the file format, with every piece of training state', async () => {
    const a = trainer();
    await a.start();
    a.runUpdate();
    a.runUpdate();
    const saved = a.brain();
    // A worker's brain() crosses postMessage; the page then saves it (encode) and loads it back (decode).
    const cloned = structuredClone(saved);
    const { manifest, weights } = encodeBrain(cloned);
    const loaded = decodeBrain(JSON.parse(JSON.stringify(manifest)), weights);

    for (const from of [cloned, loaded]) {
      const b = trainer(from);
      await b.start();
      expect(essence(b.brain())).toEqual(essence(saved));
      const u = b.runUpdate();
      expect([u.update, u.step, u.policyVersion]).toEqual([3, saved.steps + 64, 3]);
    }
  }, 60_000);

  it('refuses a brain of another game by name', () => {
    const brain = { env: balanceGame.name } as Brain;
    expect(() => trainer(brain)).toThrow(BrainError);
    expect(() => trainer(brain)).toThrow('the brain was trained on "balance", not on the game "lander"');
  });
});

describe('FastTrainer trains synchronously (the CLI path for games)', () => {
  it('has policy lag 0 on every update: the new weights act from the first row of the next rollout', async () => {
    const t = new FastTrainer(balanceGame, nodeBackends, { copies: 2, seed: 1, backend: 'kernels', config: { numSteps: 16, hiddenSizes: [16] } });
    await t.start();
    const lags = Array.from({ length: 5 }, () => t.runUpdate().policyLag);
    expect(lags).toEqual([0, 0, 0, 0, 0]);
  }, 60_000);
});
