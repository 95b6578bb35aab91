/**
 * The demonstration loader on hostile input, as the brain loader's fuzz: random mutations of valid
 * manifests, edits of the data (truncated, extended, overwritten: NaN and out-of-range values),
 * arbitrary values, truncated files on disk. Every case ends in a checked demonstration or a
 * DemonstrationError naming the file; never another exception, never a polluted prototype.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDemonstration, decodeDemonstration, DemonstrationError, encodeDemonstration } from '../io/demonstration.js';
import { loadDemonstration, saveDemonstration } from '../io/demonstration.node.js';
import { discreteTestDemo, hybridTestDemo } from '../io/test-demo.js';
import { fuzz } from './fuzz-count.js';
import { editWeights, mutate, mutation, weightEdit } from './json-mutations.js';

const bases = [discreteTestDemo(), hybridTestDemo()].map((d) => {
  const { manifest, data } = encodeDemonstration(d, { recordedAt: '2026-12-02T00:00:00.000Z' });
  return { text: JSON.stringify(manifest), data };
});

/** The contract: a demonstration that passes every check, or a DemonstrationError; Object.prototype untouched. */
function load(json: unknown, data: ArrayBuffer): 'loaded' | 'rejected' {
  try {
    checkDemonstration(decodeDemonstration(json, data, 'fuzz/demo.json'));
    return 'loaded';
  } catch (err) {
    if (!(err instanceof DemonstrationError)) throw new Error(`decodeDemonstration threw ${(err as Error)?.name ?? typeof err} instead of DemonstrationError: ${(err as Error)?.message}`);
    expect(err.message.startsWith('fuzz/demo.json: ')).toBe(true);
    return 'rejected';
  } finally {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'demo-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzz: demonstration loader', () => {
  it('the unmutated bases load', () => {
    for (const b of bases) expect(load(JSON.parse(b.text), b.data)).toBe('loaded');
  });

  it('random mutations of valid manifests and data: a checked demonstration or a DemonstrationError', () => {
    const outcome = { loaded: 0, rejected: 0 };
    fuzz('demonstration (manifest mutations + data edits)', 600, fc.property(
      fc.constantFrom(0, 1), fc.array(mutation, { minLength: 0, maxLength: 3 }), weightEdit,
      (which, mutations, edit) => {
        const base = bases[which]!;
        let json: unknown = JSON.parse(base.text);
        for (const m of mutations) json = mutate(json, m);
        outcome[load(json, editWeights(base.data, edit))]++;
      },
    ));
    expect(outcome.rejected).toBeGreaterThan(100);
    expect(outcome.loaded).toBeGreaterThan(0);
  });

  it('arbitrary values in place of a manifest, and wrong-typed data', () => {
    fuzz('demonstration (arbitrary manifests)', 200, fc.property(fc.anything({ maxDepth: 3 }), (json) => { load(json, bases[0]!.data); }));
    for (const d of [null, undefined, 'data', new Uint8Array(8), {}] as unknown[]) {
      expect(load(JSON.parse(bases[0]!.text), d as ArrayBuffer)).toBe('rejected');
    }
  });

  it('truncated demo.json and demo.bin files on disk: a DemonstrationError naming the file', () => {
    saveDemonstration(dir, discreteTestDemo());
    const text = readFileSync(join(dir, 'demo.json'), 'utf8');
    const bin = readFileSync(join(dir, 'demo.bin'));
    fuzz('demonstration (truncated files)', 60, fc.property(fc.integer({ min: 0, max: text.trimEnd().length - 1 }), fc.integer({ min: 0, max: bin.length - 1 }), (cut, cutBin) => {
      writeFileSync(join(dir, 'demo.json'), text.slice(0, cut));
      expect(() => loadDemonstration(dir)).toThrow(DemonstrationError);
      writeFileSync(join(dir, 'demo.json'), text);
      writeFileSync(join(dir, 'demo.bin'), bin.subarray(0, cutBin));
      expect(() => loadDemonstration(dir)).toThrow(new RegExp(`^${join(dir, 'demo.json')}: `));
      writeFileSync(join(dir, 'demo.bin'), bin);
    }));
    expect(loadDemonstration(dir).steps).toBe(5);
  });
});
