import { describe, it, expect } from 'vitest';
import { configFields, resolveConfig, type PPOConfig } from './config.js';
import { ConfigError } from '../core/errors.js';
import { configSchema } from '../io/brain-schema.js';

const HASH = 'a'.repeat(64);
const bad = (c: unknown) => () => resolveConfig(c as Partial<PPOConfig>);

describe('config: behavioralCloning and gail', () => {
  it('default to null and resolve with their defaults filled', () => {
    const c = resolveConfig({});
    expect(c.behavioralCloning).toBeNull();
    expect(c.gail).toBeNull();
    const r = resolveConfig({ numEnvs: 4, numSteps: 64, numMinibatches: 4, behavioralCloning: { strength: 0.5 }, gail: { strength: 0.1, demo: { source: 'demos/lander', sha256: HASH } } });
    expect(r.behavioralCloning).toEqual({ strength: 0.5, steps: 0, batchSize: 64, demo: null });
    expect(r.gail).toEqual({ strength: 0.1, encodingSize: 64, useActions: false, learningRate: 3e-4, gamma: 0.99, demo: { source: 'demos/lander', sha256: HASH } });
    // gamma null (GAIL shares the extrinsic critic and gamma) survives resolving, as brains store it.
    const shared = resolveConfig({ gail: { strength: 0.1, gamma: null } });
    expect(shared.gail!.gamma).toBeNull();
    expect(resolveConfig(configFields(shared))).toEqual(shared);
    // Resolving a resolved config again gives the same config (brains store resolved configs).
    expect(resolveConfig(configFields(r))).toEqual(r);
  });

  it('refuses bad values with messages naming the field and what is allowed', () => {
    expect(bad({ behavioralCloning: 1 })).toThrow(/^PPOConfig\.behavioralCloning: expected an object or null, got 1$/);
    expect(bad({ behavioralCloning: {} })).toThrow(/PPOConfig\.behavioralCloning\.strength: expected a number in \(0, 100\], got undefined/);
    expect(bad({ behavioralCloning: { strength: 0 } })).toThrow(/behavioralCloning\.strength/);
    expect(bad({ behavioralCloning: { strength: 1, steps: -1 } })).toThrow(/behavioralCloning\.steps: expected a whole number of transitions/);
    expect(bad({ behavioralCloning: { strength: 1, batchSize: 1.5 } })).toThrow(/behavioralCloning\.batchSize/);
    expect(bad({ behavioralCloning: { strength: 1, numEpoch: 3 } })).toThrow(/behavioralCloning\.numEpoch: unknown field; known fields are strength, steps, batchSize, demo/);
    expect(bad({ gail: { strength: 1, useActions: 'yes' } })).toThrow(/gail\.useActions: expected true or false/);
    expect(bad({ gail: { strength: 1, encodingSize: 0 } })).toThrow(/gail\.encodingSize/);
    expect(bad({ gail: { strength: NaN } })).toThrow(/gail\.strength/);
    for (const gamma of [0, 1, 1.5, -0.1, NaN, '0.9']) {
      expect(bad({ gail: { strength: 1, gamma } })).toThrow(/^PPOConfig\.gail\.gamma: expected a number in \(0, 1\), or null to share the extrinsic critic and gamma, got /);
    }
    expect(bad({ gail: { strength: 1, demo: { source: '', sha256: HASH } } })).toThrow(/gail\.demo\.source: expected the demonstrations' path or key/);
    expect(bad({ gail: { strength: 1, demo: { source: 'x', sha256: 'abc' } } })).toThrow(/gail\.demo\.sha256: expected the SHA-256 of the demonstrations as 64 lowercase hex digits/);
    expect(bad({ gail: { strength: 1, demo: { source: 'x', sha256: HASH, extra: 1 } } })).toThrow(/gail\.demo\.extra: unknown field/);
    for (const c of [{ behavioralCloning: [] }, { gail: 'on' }, { gail: { strength: 1n } }]) expect(bad(c)).toThrow(ConfigError);
  });

  it('brain manifests carry them (strict schema: no arbitrary keys copied)', () => {
    const ok = configSchema.safeParse({ behavioralCloning: { strength: 0.5, steps: 0, batchSize: 64, demo: null }, gail: null });
    expect(ok.success).toBe(true);
    for (const gamma of [0.9, null]) expect(configSchema.safeParse({ gail: { strength: 1, gamma } }).success).toBe(true);
    expect(configSchema.safeParse({ gail: { strength: 1, gamma: 'high' } }).success).toBe(false);
    expect(configSchema.safeParse({ gail: { strength: 1, __proto__x: 1 } }).success).toBe(false);
    expect(configSchema.safeParse({ behavioralCloning: 'yes' }).success).toBe(false);
  });
});
