import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertDemonstrationFits, checkDemonstration, decodeDemonstration, demonstrationHash, DemonstrationError, encodeDemonstration, summarizeDemonstration,
  type DemonstrationData,
} from './demonstration.js';
import { demonstrationExists, loadDemonstration, saveDemonstration } from './demonstration.node.js';
import { Box, Discrete } from '../core/spaces.js';
import { discreteTestDemo, hybridTestDemo } from './test-demo.js';

const same = (a: DemonstrationData, b: DemonstrationData) => {
  expect(b.behavior).toBe(a.behavior);
  expect(b.observationSize).toBe(a.observationSize);
  expect(b.actionSpace).toEqual(a.actionSpace);
  expect(b.steps).toBe(a.steps);
  for (const k of ['observations', 'actions', 'rewards', 'ends'] as const) expect(Array.from(b[k])).toEqual(Array.from(a[k]));
  expect(b.masks && Array.from(b.masks)).toEqual(a.masks && Array.from(a.masks));
};

describe('demonstration format', () => {
  it('round-trips through demo.json + demo.bin, masked and hybrid, with counts in the manifest', () => {
    for (const demo of [discreteTestDemo(), hybridTestDemo()]) {
      const dir = mkdtempSync(join(tmpdir(), 'demo-'));
      expect(demonstrationExists(dir)).toBe(false);
      const path = saveDemonstration(dir, demo, { recordedBy: 'test', recordedAt: '2026-12-02T00:00:00.000Z' });
      expect(demonstrationExists(dir)).toBe(true);
      same(demo, loadDemonstration(dir));
      same(demo, loadDemonstration(path));
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      expect(manifest).toMatchObject({ format: 'phaser-ppo-demonstration', formatVersion: 1, behavior: demo.behavior, recordedBy: 'test', recordedAt: '2026-12-02T00:00:00.000Z', data: 'demo.bin' });
      expect(manifest.episodes).toBe(summarizeDemonstration(demo).episodes);
    }
    expect(summarizeDemonstration(discreteTestDemo())).toEqual({ episodes: 2, steps: 5, meanReturn: (6.5 + -0.75) / 2 });
  });

  const encoded = () => {
    const { manifest, data } = encodeDemonstration(discreteTestDemo(), { recordedAt: 'now' });
    return { m: JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>, data };
  };
  const f32 = (data: ArrayBuffer, at: number, v: number) => { new DataView(data).setFloat32(at * 4, v, true); return data; };
  const cases: [string, (m: Record<string, unknown>, d: ArrayBuffer) => ArrayBuffer | void, string | RegExp][] = [
    ['another format', (m) => { m.format = 'ml-agents'; }, /demo.json: "format" is "ml-agents", expected "phaser-ppo-demonstration"/],
    ['a future version', (m) => { m.formatVersion = 2; }, /"formatVersion" 2 is not supported/],
    ['an unknown field', (m) => { m.extra = 1; }, 'demo.json: the manifest: unknown field "extra"'],
    ['a bad action space', (m) => { m.actionSpace = { kind: 'discrete', n: 0 }; }, 'demo.json: actionSpace.n: expected a positive integer, got 0'],
    ['a huge observation size', (m) => { m.observationSize = 1e9; }, 'demo.json: observationSize: expected at most 65536, got 1000000000'],
    ['steps over the cap', (m) => { m.steps = 1e12; }, 'demo.json: steps: expected at most 10000000, got 1000000000000'],
    ['a missing array', (m) => { (m.arrays as unknown[]).splice(1, 1); }, /demo.json: arrays\[1\] is rewards \(float32\), expected actions \(float32\)/],
    ['a wrong length', (m) => { ((m.arrays as Record<string, unknown>[])[1]!).length = 7; }, 'demo.json: arrays[1].length: expected 5 (5 steps × 1), got 7'],
    ['overlapping offsets', (m) => { ((m.arrays as Record<string, unknown>[])[1]!).offset = 0; }, 'demo.json: arrays[1].offset: expected 60 (right after the previous array), got 0'],
    ['a truncated data file', (_m, d) => d.slice(0, 70), /arrays\[1\] \(actions\) needs bytes 60 to 80, but the data file holds 70 bytes \(truncated\?\)/],
    ['trailing bytes', (_m, d) => { const b = new Uint8Array(d.byteLength + 3); b.set(new Uint8Array(d)); return b.buffer; }, /the data file holds 123 bytes, the arrays describe 120/],
    ['a NaN observation', (_m, d) => f32(d, 4, NaN), 'demo.json: observations: step 1, value 1 is NaN; observations must be finite'],
    ['an infinite reward', (_m, d) => f32(d, 15 + 5 + 2, Infinity), 'demo.json: rewards: step 2 is Infinity; rewards must be finite'],
    ['an action out of range', (_m, d) => f32(d, 15 + 3, 3), 'demo.json: actions: step 3, discrete branch 0 is 3, expected an integer in [0, 3)'],
    ['a fractional action', (_m, d) => f32(d, 15, 0.5), 'demo.json: actions: step 0, discrete branch 0 is 0.5, expected an integer in [0, 3)'],
    ['an action its mask forbids', (_m, d) => f32(d, 15 + 1, 2), 'demo.json: actions: step 1, discrete branch 0 chose 2, which its mask disallows'],
    ['a bad end code', (_m, d) => { new Uint8Array(d)[100 + 1] = 7; return d; }, 'demo.json: ends: step 1 is 7, expected 0 (continuing), 1 (terminated) or 2 (truncated)'],
    ['an unfinished last episode', (m, d) => { new Uint8Array(d)[100 + 4] = 0; m.episodes = 1; return d; }, /ends: the last step \(4\) does not end its episode/],
    ['a mask with no choice left', (_m, d) => { new Uint8Array(d).fill(0, 105 + 12, 105 + 15); return d; }, 'demo.json: masks: step 4, branch 0 allows no choice'],
    ['a wrong episode count', (m) => { m.episodes = 3; }, 'demo.json: episodes: the manifest says 3, the data holds 2'],
    ['a wrong mean return', (m) => { m.meanReturn = 100; }, /demo.json: meanReturn: the manifest says 100, the data gives 2.875/],
    ['a string for a number', (m) => { m.steps = '5'; }, 'demo.json: steps: expected a non-negative integer, got "5"'],
  ];
  for (const [name, corrupt, message] of cases) {
    it(`refuses ${name}, naming the file and the field`, () => {
      const { m, data } = encoded();
      const d = corrupt(m, data) ?? data;
      expect(() => decodeDemonstration(m, d)).toThrow(DemonstrationError);
      expect(() => decodeDemonstration(m, d)).toThrow(message);
    });
  }

  it('refuses a "__proto__" key (an own key, as JSON.parse makes it) without touching a prototype', () => {
    const { m, data } = encoded();
    const hostile = JSON.parse(JSON.stringify(m).replace('{', '{"__proto__":{"polluted":true},'));
    expect(() => decodeDemonstration(hostile, data)).toThrow('demo.json: the manifest: unknown field "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('words a cyclic value handed in as a manifest object instead of throwing a TypeError', () => {
    const { m, data } = encoded();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => decodeDemonstration({ ...m, format: cyclic }, data)).toThrow('demo.json: "format" is object, expected');
    expect(() => decodeDemonstration({ ...m, behavior: cyclic }, data)).toThrow('demo.json: behavior: expected a string, got object');
  });

  it('a directory it cannot write is a DemonstrationError naming it, and the old demonstration stays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-'));
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expect(() => saveDemonstration(file, discreteTestDemo())).toThrow(`${file}: cannot write the demonstration there: it exists as a file, not a directory (EEXIST)`);
    saveDemonstration(dir, discreteTestDemo());
    mkdirSync(join(dir, 'demo.1.bin.tmp'));
    expect(() => saveDemonstration(dir, hybridTestDemo())).toThrow(DemonstrationError);
    same(discreteTestDemo(), loadDemonstration(dir));
  });

  it('replaces a demonstration in place: the data name alternates and the old data file goes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-'));
    saveDemonstration(dir, discreteTestDemo());
    saveDemonstration(dir, hybridTestDemo());
    expect(JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')).data).toBe('demo.1.bin');
    expect(readdirSync(dir).sort()).toEqual(['demo.1.bin', 'demo.json']);
    same(hybridTestDemo(), loadDemonstration(dir));
    saveDemonstration(dir, discreteTestDemo());
    expect(readdirSync(dir).sort()).toEqual(['demo.bin', 'demo.json']);
    same(discreteTestDemo(), loadDemonstration(dir));
  });

  it('refuses a data path that leaves the directory, and names missing or special files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-'));
    const path = saveDemonstration(dir, discreteTestDemo());
    const m = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...m, data: '../secret.bin' }));
    expect(() => loadDemonstration(dir)).toThrow(`${path}: data path "../secret.bin" must stay beside the manifest (a plain file name)`);
    writeFileSync(path, JSON.stringify({ ...m, data: 'other.bin' }));
    expect(() => loadDemonstration(dir)).toThrow(`${path}: data file ${join(dir, 'other.bin')}: is missing`);
    symlinkSync('/etc/hostname', join(dir, 'link.bin'));
    writeFileSync(path, JSON.stringify({ ...m, data: 'link.bin' }));
    expect(() => loadDemonstration(dir)).toThrow(/link\.bin: is a symbolic link; links are not followed/);
    writeFileSync(path, '{not json');
    expect(() => loadDemonstration(path)).toThrow(new RegExp(`${path}: not valid JSON`));
    expect(() => loadDemonstration(join(dir, 'nope'))).toThrow(/nope: no such file or directory/);
  });

  it('checks a demonstration before encoding it', () => {
    const bad = { ...discreteTestDemo(), rewards: new Float32Array(2) };
    expect(() => encodeDemonstration(bad)).toThrow('demonstration: rewards holds 2 values, expected 5 (5 steps × 1)');
    expect(() => checkDemonstration({ ...hybridTestDemo(), actions: Float32Array.from([-1, 0.2, 1, 2, 0.5, 0, 0, 0, 1, 0.05, 1, 1]) }))
      .toThrow(/actions: step 0, continuous 1 is 0.2\d*, expected a finite number in \[0, 0.1\]/);
  });

  it('hashes the content: the same for a copy and after a round trip, different when one value changes', async () => {
    const a = await demonstrationHash(discreteTestDemo());
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    const dir = mkdtempSync(join(tmpdir(), 'demo-'));
    saveDemonstration(dir, discreteTestDemo(), { recordedBy: 'someone else', recordedAt: '2000-01-01T00:00:00Z' });
    expect(await demonstrationHash(loadDemonstration(dir))).toBe(a);
    const changed = discreteTestDemo();
    changed.rewards[4] = 0.5;
    expect(await demonstrationHash(changed)).not.toBe(a);
    expect(await demonstrationHash({ ...discreteTestDemo(), behavior: 'other' })).not.toBe(a);
  });

  it('fits a behavior of the same sizes only', () => {
    const demo = discreteTestDemo();
    expect(() => assertDemonstrationFits(demo, { name: 'walker2', observationSize: 3, actionSpace: Discrete(3) })).not.toThrow();
    expect(() => assertDemonstrationFits(demo, { name: 'chaser', observationSize: 4, actionSpace: Discrete(3) }))
      .toThrow("the demonstration (of 'walker') observes 3 values, behavior 'chaser' observes 4");
    expect(() => assertDemonstrationFits(demo, { name: 'chaser', observationSize: 3, actionSpace: Box(-1, 1, 1) }))
      .toThrow(`the demonstration's (of 'walker') action space {"kind":"discrete","n":3} is not behavior 'chaser''s {"kind":"box","size":1,"low":[-1],"high":[1]}`);
  });
});
