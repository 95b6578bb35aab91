import { describe, it, expect } from 'vitest';
import { ObservationNormalizer, RewardScaler, RunningMeanStd } from './normalizer.js';
import { Rng } from '../core/rng.js';

describe('RunningMeanStd', () => {
  it('merged batches give the statistics of all the data at once', () => {
    const rng = new Rng(1);
    const data = Float32Array.from({ length: 3 * 500 }, (_, i) => (i % 3) * 10 + rng.normal() * (1 + (i % 3)));
    const rms = new RunningMeanStd(3);
    for (let start = 0; start < 500; start += 37) {
      const rows = Math.min(37, 500 - start);
      rms.update(data.subarray(start * 3, (start + rows) * 3), rows);
    }
    for (let d = 0; d < 3; d++) {
      let mean = 0;
      for (let r = 0; r < 500; r++) mean += data[r * 3 + d]!;
      mean /= 500;
      let v = 0;
      for (let r = 0; r < 500; r++) v += (data[r * 3 + d]! - mean) ** 2;
      v /= 500;
      expect(rms.mean[d]).toBeCloseTo(mean, 4);
      expect(rms.var[d]).toBeCloseTo(v, 3);
    }
    expect(rms.count).toBeCloseTo(500, 3);
  });

  it('round-trips through JSON', () => {
    const rms = new RunningMeanStd(2);
    rms.update(Float32Array.from([1, 2, 3, 5]), 2);
    const back = RunningMeanStd.fromJSON(JSON.parse(JSON.stringify(rms.toJSON())));
    expect(Array.from(back.mean)).toEqual(Array.from(rms.mean));
    expect(Array.from(back.var)).toEqual(Array.from(rms.var));
    expect(back.count).toBe(rms.count);
  });
});

describe('ObservationNormalizer', () => {
  it('standardizes and clips', () => {
    const stats = RunningMeanStd.fromJSON({ mean: [1, -2], var: [4, 0.01], count: 10 });
    const norm = new ObservationNormalizer(2, 5, stats);
    const out = new Float32Array(4);
    norm.normalize(Float32Array.from([3, -2, 1, 10]), 2, out);
    expect(out[0]).toBeCloseTo(1, 5);
    expect(out[1]).toBeCloseTo(0, 5);
    expect(out[2]).toBeCloseTo(0, 5);
    expect(out[3]).toBe(5); // (10 + 2) / 0.1 = 120, clipped to 5
  });
});

describe('RewardScaler', () => {
  it('divides by the running std of the discounted return and resets it at episode ends', () => {
    const scaler = new RewardScaler(1, 0.5, 100);
    const r = new Float32Array(1);
    const returns: number[] = [];
    let ret = 0;
    for (let t = 0; t < 200; t++) {
      const done = t % 10 === 9;
      r[0] = 2;
      ret = ret * 0.5 + 2;
      returns.push(ret);
      scaler.scale(r, () => done);
      if (done) ret = 0;
    }
    const mean = returns.reduce((a, b) => a + b) / returns.length;
    const variance = returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length;
    expect(r[0]).toBeCloseTo(2 / Math.sqrt(variance), 1);
  });

  it('clips scaled rewards', () => {
    const scaler = new RewardScaler(1, 0.99, 3);
    const r = new Float32Array(1);
    for (let t = 0; t < 50; t++) { r[0] = 0.01; scaler.scale(r, () => false); }
    r[0] = 1000;
    scaler.scale(r, () => false);
    expect(r[0]).toBe(3);
  });

  it('row by row (accumulate, scaled, restart) is the same computation as scale() over a VecEnv step', () => {
    const whole = new RewardScaler(3, 0.9, 5);
    const rows = new RewardScaler(3, 0.9, 5);
    const r = new Float32Array(3);
    for (let t = 0; t < 20; t++) {
      const step = [t % 3, -1 - (t % 5), 0.5 * t];
      const done = (e: number) => (t + e) % 6 === 0;
      r.set(step);
      whole.scale(r, done);
      step.forEach((x, e) => rows.accumulate(e, Math.fround(x)));
      const scaled = step.map((x) => rows.scaled(Math.fround(x)));
      step.forEach((_, e) => { if (done(e)) rows.restart(e); });
      expect(scaled.map(Math.fround)).toEqual(Array.from(r));
    }
    expect(rows.stats.toJSON()).toEqual(whole.stats.toJSON());
  });

  it('accumulators follow agents: resize keeps the first ones, removeAt moves the later ones down and frees the last', () => {
    const s = new RewardScaler(2, 1, 100);
    s.accumulate(0, 1);
    s.accumulate(1, 2);
    s.resize(4);
    expect(s.numEnvs).toBe(4);
    s.accumulate(2, 3);
    s.removeAt(0);
    // Returns are observable through the statistics: accumulating 0 merges the current return.
    const probe = (e: number) => { const before = s.stats.mean[0]!; const n = s.stats.count; s.accumulate(e, 0); return s.stats.mean[0]! * s.stats.count - before * n; };
    expect([probe(0), probe(1), probe(2), probe(3)].map((x) => Math.round(x * 1e6) / 1e6)).toEqual([2, 3, 0, 0]);
  });
});

