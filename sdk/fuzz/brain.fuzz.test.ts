/**
 * The brain loader on hostile input: random mutations and truncations of valid brains, oversized
 * arrays, wrong types, `__proto__` / `constructor` keys. Every case ends in a complete, finite
 * brain or a BrainError; never another exception, never a polluted prototype.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBrain, encodeBrain, layoutOf, type Brain } from '../io/brain.js';
import { loadBrain, saveBrain } from '../io/brain.node.js';
import { resolveConfig } from '../rl/config.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { Rng } from '../core/rng.js';
import { Box, Hybrid, MultiDiscrete } from '../core/spaces.js';
import { BrainError } from '../core/errors.js';
import { fuzz } from './fuzz-count.js';
import { cartpoleTestBrain } from '../io/test-brain.js';

const discreteBrain = cartpoleTestBrain;

/** A checkpoint (training state, reward statistics) with hybrid actions. */
function hybridCheckpoint(): Brain {
  const config = resolveConfig({ hiddenSizes: [6], normalizeReward: true });
  const actionSpace = Hybrid(Box(-1, 1, 2), MultiDiscrete([3, 2]));
  const base = { env: 'lander', observationSpace: Box(-1, 1, 3), actionSpace, config };
  const layout = layoutOf(base);
  const rewardStats = new RunningMeanStd(1);
  rewardStats.update(Float32Array.from([0.5, 2]), 2);
  return {
    ...base, observationStats: null, policyVersion: 3, steps: 999, params: layout.initialize(new Rng(4), -0.5),
    training: {
      adam: { m: new Float32Array(layout.size).fill(0.01), v: new Float32Array(layout.size).fill(0.001), t: 9 },
      updates: 3, learnerRng: new Rng(5).getState(), rewardStats, actingRng: new Rng(6).getState(),
    },
  };
}

const bases = [discreteBrain(), hybridCheckpoint()].map((b) => {
  const { manifest, weights } = encodeBrain(b);
  return { text: JSON.stringify(manifest), weights };
});

/** Every path (object keys and array indices) in a JSON value. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

type Mutation =
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'inject'; pick: number; key: string; value: unknown }
  | { kind: 'grow'; pick: number; length: number };

/** Applies a mutation to parsed JSON (JSON.parse makes `__proto__` an own key, as a hostile file would). */
function mutate(json: unknown, m: Mutation): unknown {
  const all = paths(json);
  const path = all[m.pick % all.length]!;
  if (path.length === 0) return m.kind === 'set' ? m.value : json;
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], json) as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  switch (m.kind) {
    case 'set': parent[last] = m.value; break;
    case 'delete': if (Array.isArray(parent)) parent.splice(last as number, 1); else delete parent[last]; break;
    case 'inject': {
      const target = parent[last];
      if (target && typeof target === 'object') {
        const text = JSON.stringify(target).replace(/^([[{])/, `$1${JSON.stringify(m.key)}:${JSON.stringify(m.value) ?? 'null'},`);
        try { parent[last] = JSON.parse(Array.isArray(target) ? JSON.stringify(target) : text); } catch { /* arrays take no keys */ }
      }
      break;
    }
    case 'grow': {
      const target = parent[last];
      if (Array.isArray(target)) parent[last] = Array.from({ length: m.length }, (_, i) => target[i % Math.max(1, target.length)] ?? 0);
      break;
    }
  }
  return json;
}

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, true, -1, 0, 1.5, 1e308, -1e308, 4097, 2 ** 31, '', 'NaN', [], {}),
  fc.constant({ polluted: true }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: jsonish }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('inject' as const), pick: fc.nat(), key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'extra'), value: jsonish }),
  fc.record({ kind: fc.constant('grow' as const), pick: fc.nat(), length: fc.constantFrom(0, 1, 5, 4097, 100_000) }),
);

/** Truncates, extends or overwrites bytes of the weights. */
const weightEdit = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('poke' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

function editWeights(w: ArrayBuffer, e: { kind: string; keep?: number; extra?: number; at?: number; bytes?: Uint8Array } | null): ArrayBuffer {
  if (!e) return w.slice(0);
  if (e.kind === 'truncate') return w.slice(0, Math.floor(w.byteLength * e.keep!));
  if (e.kind === 'extend') { const out = new Uint8Array(w.byteLength + e.extra!); out.set(new Uint8Array(w)); return out.buffer; }
  const out = new Uint8Array(w.slice(0));
  out.set(e.bytes!.subarray(0, Math.max(0, out.length - (e.at! % out.length))), e.at! % out.length);
  return out.buffer;
}

/** The contract: a complete brain, or a BrainError; and Object.prototype untouched. */
function load(json: unknown, weights: ArrayBuffer): 'loaded' | 'rejected' {
  try {
    const brain = decodeBrain(json, weights, 'fuzz/brain.json');
    const layout = layoutOf(brain);
    expect(brain.params.length).toBe(layout.size);
    expect(brain.params.every(Number.isFinite)).toBe(true);
    if (brain.training) expect(brain.training.adam.m.length).toBe(layout.size);
    return 'loaded';
  } catch (err) {
    if (!(err instanceof BrainError)) throw new Error(`decodeBrain threw ${(err as Error)?.name ?? typeof err} instead of BrainError: ${(err as Error)?.message}`);
    expect(err.message.startsWith('fuzz/brain.json: ')).toBe(true);
    return 'rejected';
  } finally {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'brain-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzz: brain loader', () => {
  it('the unmutated bases load', () => {
    for (const b of bases) expect(load(JSON.parse(b.text), b.weights)).toBe('loaded');
  });

  it('random mutations of valid manifests and weights: a complete brain or a BrainError', () => {
    const outcome = { loaded: 0, rejected: 0 };
    fuzz('brain (manifest mutations + weight edits)', 600, fc.property(
      fc.constantFrom(0, 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), weightEdit,
      (which, mutations, edit) => {
        const base = bases[which]!;
        let json: unknown = JSON.parse(base.text);
        for (const m of mutations) json = mutate(json, m);
        outcome[load(json, editWeights(base.weights, edit))]++;
      },
    ));
    // Both outcomes happen: the fuzzer reaches past the first checks (some mutations are harmless).
    expect(outcome.rejected).toBeGreaterThan(100);
    expect(outcome.loaded).toBeGreaterThan(0);
  });

  it('arbitrary values in place of a manifest, and wrong-typed weights', () => {
    fuzz('brain (arbitrary manifests)', 200, fc.property(fc.anything({ maxDepth: 3 }), (json) => { load(json, bases[0]!.weights); }));
    for (const w of [null, undefined, 'weights', new Uint8Array(8), {}] as unknown[]) {
      expect(load(JSON.parse(bases[0]!.text), w as ArrayBuffer)).toBe('rejected');
    }
  });

  it('truncated brain.json files on disk: a BrainError naming the file', () => {
    saveBrain(dir, discreteBrain());
    const text = readFileSync(join(dir, 'brain.json'), 'utf8');
    fuzz('brain (truncated files)', 60, fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
      writeFileSync(join(dir, 'brain.json'), text.slice(0, cut));
      expect(() => loadBrain(dir)).toThrow(BrainError);
    }));
    writeFileSync(join(dir, 'brain.json'), text);
    expect(loadBrain(dir).policyVersion).toBe(12);
  });
});
