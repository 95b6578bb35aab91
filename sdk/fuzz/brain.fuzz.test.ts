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
import { configFields, resolveConfig } from '../rl/config.js';
import { discriminatorSize } from '../rl/gail.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { Rng } from '../core/rng.js';
import { Box, Hybrid, MultiDiscrete } from '../core/spaces.js';
import { BrainError } from '../core/errors.js';
import { fuzz } from './fuzz-count.js';
import { editWeights, mutate, mutation, weightEdit } from './json-mutations.js';
import { cartpoleTestBrain, gridTestBrain } from '../io/test-brain.js';

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

/** A checkpoint of a run learning from demonstrations: GAIL's discriminator (three more tensors) and the cloning position. */
function gailCheckpoint(): Brain {
  const b = hybridCheckpoint();
  const config = resolveConfig({ ...configFields(b.config), gail: { strength: 0.1, encodingSize: 4, useActions: true }, behavioralCloning: { strength: 0.5 } });
  const n = discriminatorSize(3 + 4, 4);
  // GAIL's own value head (gail.gamma): the critic has two outputs, so the weights and moments are resized.
  const layout = layoutOf({ ...b, config });
  const t = { ...b.training!, adam: { m: new Float32Array(layout.size).fill(0.01), v: new Float32Array(layout.size).fill(0.001), t: 9 } };
  return {
    ...b, config, params: layout.initialize(new Rng(4), -0.5),
    training: { ...t, demonstrations: { gail: { params: new Float32Array(n).fill(0.1), adam: { m: new Float32Array(n).fill(0.01), v: new Float32Array(n).fill(0.001), t: 9 }, rng: new Rng(7).getState() }, bc: { rng: new Rng(8).getState(), cursor: 17 } } },
  };
}

const bases = [discreteBrain(), hybridCheckpoint(), gailCheckpoint(), gridTestBrain()].map((b) => {
  const { manifest, weights } = encodeBrain(b);
  return { text: JSON.stringify(manifest), weights };
});

/** The contract: a complete brain, or a BrainError; and Object.prototype untouched. */
function load(json: unknown, weights: ArrayBuffer): 'loaded' | 'rejected' {
  try {
    const brain = decodeBrain(json, weights, 'fuzz/brain.json');
    const layout = layoutOf(brain);
    expect(brain.params.length).toBe(layout.size);
    expect(brain.params.every(Number.isFinite)).toBe(true);
    if (brain.training) expect(brain.training.adam.m.length).toBe(layout.size);
    const gail = brain.training?.demonstrations?.gail;
    if (gail) {
      expect(brain.config.gail).not.toBeNull();
      expect(gail.params.length).toBe(gail.adam.v.length);
      expect(gail.params.every(Number.isFinite) && gail.adam.v.every((v) => v >= 0)).toBe(true);
    }
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
      fc.constantFrom(0, 1, 2), fc.array(mutation, { minLength: 1, maxLength: 3 }), weightEdit,
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

  it('hostile observation inputs and conv layers (format 3): a complete brain or a BrainError', () => {
    const hostile = fc.oneof(fc.anything({ maxDepth: 2 }), fc.integer({ min: -3, max: 40 }), fc.constantFrom(0, -1, 1.5, 1e9, 2 ** 31, Number.MAX_SAFE_INTEGER, '3', null, [], [3, 3], [0, 1, 1]));
    const keys = fc.constantFrom('name', 'kind', 'size', 'shape', '__proto__', 'constructor', 'filters', 'kernel', 'stride', 'extra');
    const outcome = { loaded: 0, rejected: 0 };
    fuzz('brain (observation inputs and conv layers)', 300, fc.property(
      fc.constantFrom('observationInputs', 'convLayers'), fc.integer({ min: 0, max: 3 }), keys, hostile, fc.boolean(),
      (where, index, key, value, swapShape) => {
        const json = JSON.parse(bases[2]!.text) as Record<string, unknown>;
        const list = (where === 'observationInputs' ? json.observationInputs : (json.config as Record<string, unknown>).convLayers) as Record<string, unknown>[];
        if (index < list.length) {
          // Set through JSON so a `__proto__` key is an own property, as JSON.parse makes it.
          const entry = JSON.parse(JSON.stringify(list[index]).replace(/}$/, `${Object.keys(list[index]!).length ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value ?? null) ?? 'null'}}`)) as Record<string, unknown>;
          list[index] = entry;
        } else {
          list.push(value as Record<string, unknown>);
        }
        // A same-size shape with rows and columns swapped must load only as that (different) grid.
        if (swapShape) {
          const grid = (json.observationInputs as { shape?: number[] }[])[1];
          if (grid && Array.isArray(grid.shape)) grid.shape = [grid.shape[1]!, grid.shape[0]!, grid.shape[2]!];
        }
        outcome[load(json, bases[2]!.weights)]++;
      },
    ));
    expect(outcome.rejected).toBeGreaterThan(100);
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
