import { describe, expect, it } from 'vitest';
import { BehaviorRatings } from './rivals.js';

describe('BehaviorRatings (ELO per behavior)', () => {
  it('moves both sides by K · w · (score − expected), a round reported by both sides counting once', () => {
    // chase: 4 chasers and 1 runner per arena, so a runner's episode weighs ½ and a chaser's ⅛.
    const r = new BehaviorRatings({ chase: 4, runner: 1 });
    expect(r.toJSON()).toEqual({ chase: 1200, runner: 1200 });
    // The runner is caught: expected ½ at equal ratings, 16 · ½ · (0 − ½) = −4.
    r.record('runner', { result: 'loss', return: -10 });
    expect(r.rating('runner')).toBeCloseTo(1196, 10);
    expect(r.rating('chase')).toBeCloseTo(1204, 10);
    // A chaser of that pack wins: expected 1 / (1 + 10^(−8/400)) = 0.511511, 16 · ⅛ · 0.488489 = 0.976978.
    r.record('chase', { result: 'win', return: 1 });
    expect(r.rating('chase')).toBeCloseTo(1204.976978, 5);
    expect(r.rating('runner')).toBeCloseTo(1195.023022, 5);
    // The pack's other three report the same round: one round in all (½ + 4 · ⅛).
    for (let i = 0; i < 3; i++) r.record('chase', { result: 'win', return: 1 });
    expect(r.games).toBe(1);
    // Zero-sum: the mean stays at the start.
    expect(r.rating('chase') + r.rating('runner')).toBeCloseTo(2400, 10);
  });

  it('reads a result from the sign of the return when the game sets none, and rates against the others\' mean', () => {
    const r = new BehaviorRatings({ a: 1, b: 1, c: 1 });
    r.restore({ a: 1300, b: 1200, c: 1100 });
    // a against mean(b, c) = 1150: expected 1 / (1 + 10^(−150/400)) = 0.703385; a won by its return's sign.
    r.record('a', { result: null, return: 0.5 });
    const change = 16 * 0.5 * (1 - 0.703385);
    expect(r.rating('a')).toBeCloseTo(1300 + change, 4);
    expect(r.rating('b')).toBeCloseTo(1200 - change / 2, 4);
    expect(r.rating('c')).toBeCloseTo(1100 - change / 2, 4);
    // A return of 0 is a draw: a (above the others) loses a little.
    const before = r.rating('a');
    r.record('a', { result: null, return: 0 });
    expect(r.rating('a')).toBeLessThan(before);
  });

  it('refuses what it cannot rate, naming it', () => {
    expect(() => new BehaviorRatings({ solo: 1 })).toThrow(/two behaviors or more/);
    expect(() => new BehaviorRatings({ a: 1, b: 0 })).toThrow(/agentsPerCopy\.b must be positive/);
    const r = new BehaviorRatings({ a: 1, b: 1 });
    expect(() => r.record('c', { result: 'win', return: 1 })).toThrow(/no behavior "c"; rated: "a", "b"/);
    expect(() => r.restore({ a: Number.NaN })).toThrow(/rating of "a" must be a finite number/);
  });
});
