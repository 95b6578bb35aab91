import { describe, it, expect } from 'vitest';
import { ObservationRowWriter } from './observation-writer.js';

describe('ObservationRowWriter', () => {
  it('appends values, arrays and one-hots into its row and counts them', () => {
    const out = new Float32Array(8).fill(-1);
    const w = new ObservationRowWriter();
    w.reset(out, 2, 6, "agent 'a'");
    w.add(0.5);
    w.addArray([1, 2]);
    w.addOneHot(1, 3);
    expect(w.count).toBe(6);
    expect(Array.from(out)).toEqual([-1, -1, 0.5, 1, 2, 0, 1, 0]);
  });

  it('counts past its capacity without writing outside the row', () => {
    const out = new Float32Array(3);
    const w = new ObservationRowWriter();
    w.reset(out, 0, 2, "agent 'a'");
    w.addArray([1, 2, 3]);
    expect(w.count).toBe(3);
    expect(Array.from(out)).toEqual([1, 2, 0]);
  });

  it('rejects a one-hot index out of range, naming who wrote it', () => {
    const w = new ObservationRowWriter();
    w.reset(new Float32Array(4), 0, 4, "behavior 'b', agent 'a'");
    w.add(1);
    expect(() => w.addOneHot(3, 3)).toThrow("behavior 'b', agent 'a': addOneHot(3, 3): index must be an integer in [0, 3) (observation index 1)");
    expect(() => w.addOneHot(0, 0)).toThrow(/n must be a positive integer/);
  });
});
