import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from '../../sdk/rl/backend.node.js';
import { FastTrainer } from '../../sdk/runtime/fast-trainer.js';
import { nodeBackends } from '../../sdk/runtime/backend.node.js';
import { balanceGame } from './headless.js';
import { balanceCart } from './cart.js';
import { oneAgentGame, type HeadlessGame } from '../../sdk/runtime/game.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

describe('balance', () => {
  it(`learns to balance headless: mean return ≥ ${balanceGame.solvedAt} within 300,000 transitions (seed 1; random ≈ 27)`, async () => {
    const trainer = new FastTrainer(balanceGame, nodeBackends, { copies: 8, seed: 1, backend: 'wasm' });
    const history: { step: number; returnMean: number }[] = [];
    await trainer.run((u) => history.push({ step: u.step, returnMean: u.returnMean }), { maxSteps: 300_000, targetReturn: balanceGame.solvedAt });
    const last = history[history.length - 1]!;
    expect(history[0]!.returnMean).toBeLessThan(60);
    expect(last.returnMean).toBeGreaterThanOrEqual(balanceGame.solvedAt);
    // The brain it produces acts with the same sizes the scene's behavior has.
    const brain = trainer.brain();
    expect(brain.observationSpace.size).toBe(7);
    expect(brain.policyVersion).toBe(history.length);
  }, 300_000);

  it('the scene booted headless plays exactly as its carts alone: the same first 4 updates (seed 3, kernels)', async () => {
    const bare = oneAgentGame({ ...balanceGame.behaviors[0]!, solvedAt: 450, copies: 8, build: balanceCart });
    const curve = async (game: HeadlessGame) => {
      const seen: number[] = [];
      await new FastTrainer(game, nodeBackends, { seed: 3, backend: 'kernels' }).run((u) => seen.push(u.returnMean, u.episodes), { maxSteps: 4 * 512 });
      return seen;
    };
    const fromScene = await curve(balanceGame);
    expect(fromScene).toHaveLength(8);
    expect(fromScene).toEqual(await curve(bare));
  }, 60_000);
});
