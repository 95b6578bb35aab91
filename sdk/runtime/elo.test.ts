import { describe, expect, it } from 'vitest';
import { eloChange, eloExpected, resultOfReturn, scoreOf } from './elo.js';

describe('elo', () => {
  it('matches a hand-computed table (K = 16)', () => {
    // expected = 1 / (1 + 10^((b - a) / 400)); change = 16 · (score − expected)
    const table: [number, number, number, number][] = [
      [1200, 1200, 1, 8],
      [1200, 1200, 0.5, 0],
      [1200, 1200, 0, -8],
      [1400, 1200, 1, 16 * (1 - 1 / (1 + 10 ** -0.5))], // 16 · (1 − 0.759747) = 3.84404
      [1200, 1400, 1, 16 * (1 - 1 / (1 + 10 ** 0.5))], // 16 · (1 − 0.240253) = 12.15596
      [1000, 1800, 0, -16 / (1 + 10 ** 2)],
    ];
    for (const [a, b, score, want] of table) expect(eloChange(a, b, score)).toBeCloseTo(want, 10);
    expect(eloChange(1400, 1200, 1)).toBeCloseTo(3.84404, 4);
    expect(eloExpected(1400, 1200) + eloExpected(1200, 1400)).toBeCloseTo(1, 12);
  });

  it('scores results and reads a result from a return', () => {
    expect([scoreOf('win'), scoreOf('draw'), scoreOf('loss')]).toEqual([1, 0.5, 0]);
    expect([resultOfReturn(0.3), resultOfReturn(0), resultOfReturn(-2)]).toEqual(['win', 'draw', 'loss']);
  });
});
