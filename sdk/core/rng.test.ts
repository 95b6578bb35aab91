import { describe, it, expect } from 'vitest';
import { Rng } from './rng.js';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    expect(draws(new Rng(7), 100)).toEqual(draws(new Rng(7), 100));
    expect(draws(new Rng(7), 100)).not.toEqual(draws(new Rng(8), 100));
    expect(draws(new Rng(0), 1)).not.toEqual(draws(new Rng(1), 1));
  });

  it('continues identically after getState/setState, including the cached normal spare', () => {
    const a = new Rng(123);
    a.normal(); // leaves a spare in the cache
    const saved = JSON.parse(JSON.stringify(a.getState())) as number[];
    const expected = [a.normal(), a.next(), a.normal(), a.int(10), a.uniform(-3, 3)];
    const b = new Rng(999);
    b.setState(saved);
    expect([b.normal(), b.next(), b.normal(), b.int(10), b.uniform(-3, 3)]).toEqual(expected);
  });

  it('rejects a malformed state', () => {
    expect(() => new Rng(1).setState([1, 2, 3])).toThrow(/expected 6 finite numbers/);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(1);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
      sumSq += u * u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sumSq / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });

  it('maps uniform(low, high) onto the interval', () => {
    const rng = new Rng(2);
    for (let i = 0; i < 1000; i++) {
      const v = rng.uniform(-2, 5);
      expect(v >= -2 && v < 5).toBe(true);
    }
  });

  it('draws standard normals', () => {
    const rng = new Rng(3);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.sqrt(sumSq / n - mean * mean)).toBeCloseTo(1, 1);
  });

  it('draws every integer in [0, n) about equally often', () => {
    const rng = new Rng(4);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  it('shuffles in place into a permutation, reproducibly', () => {
    const a = Int32Array.from({ length: 50 }, (_, i) => i);
    const b = Array.from({ length: 50 }, (_, i) => i);
    new Rng(5).shuffle(a);
    new Rng(5).shuffle(b);
    expect(Array.from(a)).toEqual(b);
    expect(b).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...b].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
