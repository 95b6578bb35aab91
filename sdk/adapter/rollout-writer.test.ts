import { describe, it, expect } from 'vitest';
import { RolloutWriter } from './rollout-writer.js';

/** Batch arrays for `n` agents where every value names its decision `t` and batch row `i`: 100·t + i. */
function decision(t: number, n: number, obsSize: number, actionSize: number, maskSize: number) {
  const tag = (i: number) => 100 * t + i;
  const rows = (width: number) => Float32Array.from({ length: n * width }, (_, k) => tag(Math.floor(k / width)));
  return {
    obs: rows(obsSize), actions: rows(actionSize), logProbs: rows(1), values: rows(1),
    masks: maskSize > 0 ? Uint8Array.from({ length: n * maskSize }, (_, k) => (Math.floor(k / maskSize) + t) % 2) : null,
  };
}

describe('RolloutWriter', () => {
  it('writes time-major rows (index t·columns + column), closes each row at the next decision, and hands the full rollout off', () => {
    const w = new RolloutWriter(3, 2, 1, 0);
    expect([w.open, w.columns, w.full]).toEqual([false, 0, false]);
    w.start(2, false);
    for (let t = 0; t < 3; t++) {
      // A third agent (batch row 2) joined: it acts in the batch arrays but is not a column.
      const d = decision(t, 3, 2, 1, 0);
      w.record(d.obs, d.actions, d.logProbs, d.values, null, 7);
      for (let c = 0; c < 2; c++) w.close(c, 10 * t + c, t === 1 && c === 0, t === 2 && c === 1, t === 2 && c === 1 ? 0.5 : 0);
      if (t < 2) { expect(w.full).toBe(false); w.advance(); }
    }
    expect(w.full).toBe(true);
    const r = w.finish(Float32Array.of(-1, -2, -3, -4));
    expect(w.open).toBe(false);
    expect([r.numSteps, r.numEnvs, r.masks]).toEqual([3, 2, null]);
    expect(Array.from(r.observations)).toEqual([0, 0, 1, 1, 100, 100, 101, 101, 200, 200, 201, 201]);
    expect(Array.from(r.actions)).toEqual([0, 1, 100, 101, 200, 201]);
    expect(Array.from(r.logProbs)).toEqual([0, 1, 100, 101, 200, 201]);
    expect(Array.from(r.values)).toEqual([0, 1, 100, 101, 200, 201]);
    expect(Array.from(r.rewards)).toEqual([0, 1, 10, 11, 20, 21]);
    expect(Array.from(r.terminated)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(Array.from(r.truncated)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(r.finalValues)).toEqual([0, 0, 0, 0, 0, 0.5]);
    expect(Array.from(r.lastValues)).toEqual([-1, -2]);
    // The next rollout never reuses a handed-off one's buffers.
    w.start(2, false);
    const d = decision(3, 2, 2, 1, 0);
    w.record(d.obs, d.actions, d.logProbs, d.values, null, 8);
    expect(w.finish(new Float32Array(2)).observations.buffer).not.toBe(r.observations.buffer);
  });

  it('records the weights version of every row, and the oldest as policyVersion', () => {
    const w = new RolloutWriter(4, 1, 1, 0);
    w.start(1, false);
    const d = decision(0, 1, 1, 1, 0);
    for (const [t, v] of [5, 5, 6, 9].entries()) {
      if (t > 0) w.advance();
      w.record(d.obs, d.actions, d.logProbs, d.values, null, v);
    }
    const r = w.finish(new Float32Array(1));
    expect(Array.from(r.versions!)).toEqual([5, 5, 6, 9]);
    expect(r.policyVersion).toBe(5);
  });

  it('keeps mask rows when started masked, and ignores masks otherwise', () => {
    const masked = new RolloutWriter(2, 1, 1, 3);
    masked.start(2, true);
    const d0 = decision(0, 2, 1, 1, 3);
    masked.record(d0.obs, d0.actions, d0.logProbs, d0.values, d0.masks, 0);
    masked.advance();
    const d1 = decision(1, 2, 1, 1, 3);
    masked.record(d1.obs, d1.actions, d1.logProbs, d1.values, d1.masks, 0);
    expect(Array.from(masked.finish(new Float32Array(2)).masks!)).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    const plain = new RolloutWriter(1, 1, 1, 3);
    plain.start(1, false);
    plain.record(d0.obs, d0.actions, d0.logProbs, d0.values, d0.masks, 0);
    expect(plain.finish(new Float32Array(1)).masks).toBeNull();
  });

  it('drops the open rollout only when a recorded agent (a row below columns) leaves, and counts it', () => {
    const w = new RolloutWriter(2, 1, 1, 0);
    w.start(2, false);
    w.leave(2); // joined after the rollout started: unrecorded
    expect([w.open, w.dropped]).toEqual([true, 0]);
    w.leave(1);
    expect([w.open, w.columns, w.dropped]).toEqual([false, 0, 1]);
    w.leave(0); // nothing open: nothing to drop
    expect(w.dropped).toBe(1);
  });
});
