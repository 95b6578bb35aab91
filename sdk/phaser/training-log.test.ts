import { describe, it, expect, afterEach } from 'vitest';
import { enableTrainingLog, recordBackend, recordError, recordEpisodes, resetBehaviorLog, trainingLog, TESTING_FLAGS_KEY, TRAINING_LOG_KEY } from './training-log.js';

const g = globalThis as unknown as Record<string, unknown>;

afterEach(() => {
  delete g[TESTING_FLAGS_KEY];
  delete g[TRAINING_LOG_KEY];
});

describe('the page training log', () => {
  it('writes nothing to globalThis unless a test (or the plugin setting) enabled it', () => {
    resetBehaviorLog('balance');
    recordBackend('balance', { backend: 'wasm', reason: 'auto' });
    recordEpisodes('balance', { count: 1, decisions: 10, returnSum: 3, returnMean: 3, episodeTicks: 10 });
    recordError('boom');
    expect(trainingLog()).toBeNull();
    expect(TRAINING_LOG_KEY in g).toBe(false);
  });

  it('records once enabled, as phaser-ppo/testing enables it before the page runs', () => {
    g[TESTING_FLAGS_KEY] = { log: true };
    resetBehaviorLog('balance');
    recordBackend('balance', { backend: 'wasm', reason: 'auto' });
    recordEpisodes('balance', { count: 2, decisions: 20, returnSum: 5, returnMean: 2.5, episodeTicks: 10 });
    recordError('boom');
    const log = trainingLog()!;
    expect(g[TRAINING_LOG_KEY]).toBe(log);
    expect(log.behaviors.balance).toMatchObject({ backend: { backend: 'wasm' }, episodes: { count: 2, returnSum: 5 } });
    expect(log.errors).toEqual(['boom']);
  });

  it('enableTrainingLog keeps the other flags', () => {
    g[TESTING_FLAGS_KEY] = { randomBaseline: ['reach'] };
    enableTrainingLog();
    expect(g[TESTING_FLAGS_KEY]).toEqual({ randomBaseline: ['reach'], log: true });
  });
});
