/** resolveConfig on random partial configs: a valid ResolvedConfig or a ConfigError, never another exception. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_PPO_CONFIG, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { ConfigError } from '../core/errors.js';
import { fuzz } from './fuzz-count.js';

const KEYS = Object.keys(DEFAULT_PPO_CONFIG) as (keyof PPOConfig)[];

/** Values near the edges of what each field accepts, and plain junk. */
const value = fc.oneof(
  fc.integer({ min: -3, max: 5000 }), fc.double(), fc.constantFrom(0, 1, -1, 0.5, 1e-9, 2 ** 53, NaN, Infinity, -Infinity),
  fc.boolean(), fc.constant(null), fc.constant(undefined), fc.string({ maxLength: 4 }),
  fc.array(fc.integer({ min: -2, max: 5000 }), { maxLength: 10 }), fc.bigInt(), fc.object({ maxDepth: 1 }),
);
const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'learning_rate', '') });

function check(input: unknown): void {
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig(input as Partial<PPOConfig>);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`resolveConfig threw ${(err as Error)?.name}: ${(err as Error)?.message} for ${String(Object.keys(input ?? {}))}`);
    expect(err.message).toMatch(/^PPOConfig\.\S*: ./);
    return;
  }
  // Accepted: every derived size is consistent and the config resolves again to itself.
  expect(resolved.batchSize).toBe(resolved.numEnvs * resolved.numSteps);
  expect(Number.isInteger(resolved.minibatchSize) && resolved.minibatchSize >= 2).toBe(true);
  expect(Number.isFinite(resolved.learningRate)).toBe(true);
}

describe('fuzz: resolveConfig', () => {
  it('returns a valid config or throws ConfigError for random partial configs', () => {
    const partial = fc.dictionary(key, value, { maxKeys: 6 });
    // Mostly-valid configs with one field changed find the range checks, not just the type checks.
    const oneOff = fc.tuple(fc.constantFrom(...KEYS), value).map(([k, v]) => ({ [k]: v }));
    fuzz('config (random fields)', 400, fc.property(partial, (c) => { check(c); }));
    fuzz('config (one field off)', 400, fc.property(oneOff, (c) => { check(c); }));
    fuzz('config (not an object)', 50, fc.property(fc.anything(), (c) => { if (typeof c !== 'object' || c === null || Array.isArray(c)) check(c); }));
    // __proto__ as an own key (as JSON.parse makes it) is refused, and pollutes nothing.
    expect(() => resolveConfig(JSON.parse('{"__proto__": {"polluted": 1}}'))).toThrow(ConfigError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
