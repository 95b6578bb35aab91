import { describe, it, expect } from 'vitest';
import { DEFAULT_PPO_CONFIG, resolveConfig } from './config.js';
import { ConfigError } from '../core/errors.js';

describe('resolveConfig', () => {
  it('defaults to CleanRL CartPole and derives the batch sizes', () => {
    const c = resolveConfig();
    expect(c.numEnvs).toBe(4);
    expect(c.numSteps).toBe(128);
    expect(c.learningRate).toBe(2.5e-4);
    expect(c.batchSize).toBe(512);
    expect(c.minibatchSize).toBe(128);
    expect(c.numUpdates).toBe(Math.floor(DEFAULT_PPO_CONFIG.totalSteps / 512));
    expect(c.adamEps).toBe(1e-5);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['numEnvs', { numEnvs: 0 }, /PPOConfig\.numEnvs: expected a positive integer, got 0/],
    ['numSteps', { numSteps: 2.5 }, /PPOConfig\.numSteps: expected a positive integer, got 2\.5/],
    ['learningRate', { learningRate: -1 }, /PPOConfig\.learningRate: expected a number in \(0, 1\), got -1/],
    ['gamma', { gamma: 1.5 }, /PPOConfig\.gamma: expected a number in \(0, 1\], got 1\.5/],
    ['clipCoef', { clipCoef: 'big' }, /PPOConfig\.clipCoef: expected a number .* got "big"/],
    ['entCoef', { entCoef: NaN }, /PPOConfig\.entCoef: expected a finite number ≥ 0/],
    ['targetKl', { targetKl: 0 }, /PPOConfig\.targetKl: expected a positive number or null/],
    ['hiddenSizes', { hiddenSizes: [64, 0] }, /PPOConfig\.hiddenSizes: expected 1 to 8 layer widths/],
    ['annealLr', { annealLr: 'yes' }, /PPOConfig\.annealLr: expected true or false/],
    ['schedule', { schedule: 'cosine' }, /PPOConfig\.schedule: expected 'anneal' or 'constant', got "cosine"/],
    ['targetKlCheck', { targetKlCheck: 'update' }, /PPOConfig\.targetKlCheck: expected 'minibatch' or 'epoch', got "update"/],
    ['staleRollouts', { staleRollouts: 'retrace' }, /PPOConfig\.staleRollouts: expected 'ppo' or 'decoupled', got "retrace"/],
    ['annealLr that contradicts schedule', { annealLr: true, schedule: 'constant' }, /PPOConfig\.annealLr: is the old name of schedule .* keep only schedule/],
    ['numMinibatches', { numMinibatches: 3 }, /PPOConfig\.numMinibatches: must divide numEnvs × numSteps = 512; got 3/],
    ['an unknown field', { learning_rate: 0.1 }, /PPOConfig\.learning_rate: unknown field; known fields are .*learningRate/],
  ];
  for (const [name, overrides, message] of bad) {
    it(`rejects a bad ${name} with a message naming the field and what is allowed`, () => {
      expect(() => resolveConfig(overrides as never)).toThrow(ConfigError);
      expect(() => resolveConfig(overrides as never)).toThrow(message);
    });
  }

  it("maps an old config's annealLr onto schedule (brains store their configs)", () => {
    expect(resolveConfig({ annealLr: true }).schedule).toBe('anneal');
    expect(resolveConfig({ annealLr: false }).schedule).toBe('constant');
    expect(resolveConfig({ annealLr: false, schedule: 'constant' }).schedule).toBe('constant');
    expect('annealLr' in resolveConfig({ annealLr: false })).toBe(false);
    expect(resolveConfig().schedule).toBe('anneal');
    expect(resolveConfig().targetKlCheck).toBe('minibatch');
  });

  it('does not share the hiddenSizes array with the defaults', () => {
    const c = resolveConfig();
    c.hiddenSizes.push(3);
    expect(DEFAULT_PPO_CONFIG.hiddenSizes).toEqual([64, 64]);
  });
});
