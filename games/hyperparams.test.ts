import { describe, expect, it } from 'vitest';
import { checkHyperparams, type RunSizes } from './hyperparams.js';
import balanceGame from './balance/headless.js';
import { chaseGame } from './chase/headless.js';

const balance: RunSizes = { headless: balanceGame, liveAgents: 8, fast: { copies: 16, maxSteps: 300_000 } };
const chase: RunSizes = { headless: chaseGame, liveAgents: 4, fast: { copies: 16, maxSteps: 240_000 } };

describe('checkHyperparams (the gallery form)', () => {
  it('accepts each game\'s own config', () => {
    expect(checkHyperparams(balance, {})).toBeNull();
    expect(checkHyperparams(chase, {})).toBeNull();
  });

  it('names the field and the run it fails for', () => {
    // Live balance: 8 carts × 64 steps = 512 transitions, which 7 minibatches do not divide.
    expect(checkHyperparams(balance, { numMinibatches: 7 })).toEqual({
      field: 'numMinibatches', message: 'PPOConfig.numMinibatches: must divide numEnvs × numSteps = 512; got 7 — for train live (8 agents)',
    });
    // 24 minibatches divide fast chase's 16 copies × 3 steps = 48, not live chase's 4 chasers × 3 = 12.
    expect(checkHyperparams(chase, { numSteps: 3, numMinibatches: 24 })?.message).toMatch(/^PPOConfig\.numMinibatches: .* — for train live \(4 agents\)$/);
    expect(checkHyperparams(balance, { learningRate: Number.NaN })?.field).toBe('learningRate');
    expect(checkHyperparams(balance, { hiddenSizes: [] })?.field).toBe('hiddenSizes');
    expect(checkHyperparams(balance, { gamma: 1.5 })?.message).toContain('PPOConfig.gamma: expected a number in (0, 1]');
  });

  it('checks fast mode too: a size only the copies break', () => {
    // With 24 live agents a rollout is 24 × 64 = 1536 (3 divides it); fast mode's 16 × 64 = 1024 is not.
    expect(checkHyperparams({ ...balance, liveAgents: 24 }, { numMinibatches: 3 })?.message).toBe('PPOConfig.numMinibatches: must divide numEnvs × numSteps = 1024; got 3 — for train fast (16 copies)');
  });
});
