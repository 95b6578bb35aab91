/**
 * A `totalSteps` that is not a whole number of rollouts: every trainer stops at `scheduledSteps`,
 * the last whole rollout, where the learning rate reaches 0 (they used to collect one more rollout
 * and train it at rate 0, past the steps asked for).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, scheduledSteps } from '../rl/config.js';
import { FastTrainer } from './fast-trainer.js';
import { nodeBackends } from './backend.node.js';
import { balanceGame } from '../../games/balance/headless.js';

describe('scheduledSteps', () => {
  it('is the whole rollouts in totalSteps, and at least one rollout', () => {
    expect(scheduledSteps(resolveConfig({ numEnvs: 4, numSteps: 128, totalSteps: 20_000 }))).toBe(19_968);
    expect(scheduledSteps(resolveConfig({ numEnvs: 4, numSteps: 128, totalSteps: 20_480 }))).toBe(20_480);
    expect(scheduledSteps(resolveConfig({ numEnvs: 4, numSteps: 128, totalSteps: 100 }))).toBe(512);
  });

  it('FastTrainer is done after the last whole rollout, which still trains (learning rate above 0)', async () => {
    // 2 copies × 1 cart × 16 decisions = rollouts of 32; 100 steps hold 3 of them (96).
    const t = new FastTrainer(balanceGame, nodeBackends, { copies: 2, seed: 1, backend: 'kernels', config: { numSteps: 16, hiddenSizes: [8], totalSteps: 100 } });
    await t.start();
    const rates: number[] = [];
    while (!t.done && rates.length < 10) rates.push(t.runUpdate().learningRate);
    expect(t.step).toBe(96);
    expect(rates).toHaveLength(3);
    expect(rates.at(-1)).toBeGreaterThan(0);
  });
});
