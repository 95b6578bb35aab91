import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from '../../sdk/rl/backend.node.js';
import { FastTrainer } from '../../sdk/runtime/fast-trainer.js';
import { nodeBackends } from '../../sdk/runtime/backend.node.js';
import { balanceGame } from './headless.js';

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
});
