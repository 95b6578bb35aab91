import { describe, it, expect } from 'vitest';
import { EnvError } from './errors.js';
import { Rng } from './rng.js';
import { Box, Discrete, Hybrid, MultiDiscrete, actionSize, sampleSpace, spaceToString, spacesEqual } from './spaces.js';

describe('space factories', () => {
  it('build frozen plain objects', () => {
    const d = Discrete(3);
    expect(d).toEqual({ kind: 'discrete', n: 3 });
    expect(Object.isFrozen(d)).toBe(true);
    expect(MultiDiscrete([3, 2])).toEqual({ kind: 'multiDiscrete', nvec: [3, 2] });
    const box = Box(-1, 1, 3);
    expect(box).toEqual({ kind: 'box', size: 3, low: [-1, -1, -1], high: [1, 1, 1] });
    expect(Object.isFrozen(box.low)).toBe(true);
  });

  it('broadcasts scalar bounds and infers the size from an array bound', () => {
    expect(Box(-2, 2)).toEqual({ kind: 'box', size: 1, low: [-2], high: [2] });
    expect(Box([-1, -Infinity], Infinity)).toEqual({ kind: 'box', size: 2, low: [-1, -Infinity], high: [Infinity, Infinity] });
  });

  it('rejects bad arguments with messages that name them', () => {
    expect(() => Discrete(0)).toThrow(EnvError);
    expect(() => Discrete(0)).toThrow('Discrete(n): n must be a positive integer, got 0');
    expect(() => Discrete(1.5)).toThrow(/got 1.5/);
    expect(() => MultiDiscrete([])).toThrow(/at least one branch/);
    expect(() => MultiDiscrete([2, -1])).toThrow('MultiDiscrete(nvec): nvec[1] must be a positive integer, got -1');
    expect(() => Box(0, 1, 0)).toThrow('Box: size must be a positive integer, got 0');
    expect(() => Box(0, 1, Infinity)).toThrow(/size must be a positive integer/);
    expect(() => Box([0, 0], [1, 1, 1])).toThrow('Box: high has length 3, expected 2');
    expect(() => Box([0, 2], [1, 1])).toThrow('Box: low[1] = 2 is greater than high[1] = 1');
    expect(() => Box(NaN, 1)).toThrow(/NaN/);
  });
});

describe('space helpers', () => {
  it('give the action row width', () => {
    expect(actionSize(Discrete(5))).toBe(1);
    expect(actionSize(MultiDiscrete([3, 2, 2]))).toBe(3);
    expect(actionSize(Box(-1, 1, 4))).toBe(4);
  });

  it('print short names', () => {
    expect(spaceToString(Discrete(2))).toBe('Discrete(2)');
    expect(spaceToString(MultiDiscrete([3, 2]))).toBe('MultiDiscrete([3,2])');
    expect(spaceToString(Box(-1, 1, 3))).toBe('Box(3)');
  });

  it('compare spaces by value', () => {
    expect(spacesEqual(Discrete(2), Discrete(2))).toBe(true);
    expect(spacesEqual(Discrete(2), Discrete(3))).toBe(false);
    expect(spacesEqual(Box(-1, 1, 2), Box([-1, -1], [1, 1]))).toBe(true);
    expect(spacesEqual(Box(-1, 1, 2), Box(-1, 2, 2))).toBe(false);
    expect(spacesEqual(MultiDiscrete([2]), Discrete(2))).toBe(false);
  });

  it('sample valid actions', () => {
    const rng = new Rng(0);
    const out = new Float32Array(3);
    for (let i = 0; i < 200; i++) {
      sampleSpace(Discrete(3), rng, out);
      expect([0, 1, 2]).toContain(out[0]);
      sampleSpace(MultiDiscrete([2, 4]), rng, out, 1);
      expect(out[1]! < 2 && out[2]! < 4 && Number.isInteger(out[2])).toBe(true);
      sampleSpace(Box([-1, 0, -Infinity], [1, Infinity, Infinity]), rng, out);
      expect(out[0]! >= -1 && out[0]! <= 1 && out[1]! >= 0 && Number.isFinite(out[2])).toBe(true);
    }
  });

  it('hybrid: a Box part then a MultiDiscrete part in one row', () => {
    const h = Hybrid(Box(-1, 1, 2), MultiDiscrete([3, 2]));
    expect(h).toEqual({ kind: 'hybrid', continuous: Box(-1, 1, 2), discrete: MultiDiscrete([3, 2]) });
    expect(Object.isFrozen(h)).toBe(true);
    expect(actionSize(h)).toBe(4);
    expect(spaceToString(h)).toBe('Hybrid(Box(2),MultiDiscrete([3,2]))');
    expect(spacesEqual(h, Hybrid(Box([-1, -1], [1, 1]), MultiDiscrete([3, 2])))).toBe(true);
    expect(spacesEqual(h, Hybrid(Box(-1, 1, 2), MultiDiscrete([3, 3])))).toBe(false);
    expect(spacesEqual(h, Box(-1, 1, 4))).toBe(false);
    expect(() => Hybrid(Discrete(2) as never, MultiDiscrete([2]))).toThrow(/continuous must be a Box/);
    expect(() => Hybrid(Box(-1, 1), Discrete(2) as never)).toThrow(/discrete must be a MultiDiscrete/);
    const rng = new Rng(4);
    const out = new Float32Array(4);
    for (let i = 0; i < 100; i++) {
      sampleSpace(h, rng, out);
      expect(out[0]! >= -1 && out[0]! <= 1 && out[1]! >= -1 && out[1]! <= 1).toBe(true);
      expect([0, 1, 2]).toContain(out[2]);
      expect([0, 1]).toContain(out[3]);
    }
  });
});
