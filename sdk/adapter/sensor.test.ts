import { describe, it, expect } from 'vitest';
import { StackingSensor, VectorSensor, type Sensor } from './sensor.js';

describe('VectorSensor', () => {
  it('writes what was set, zeros after reset, and checks the length', () => {
    const s = new VectorSensor('goal', 2);
    const out = new Float32Array(3);
    s.set([3, 4]);
    s.write(out, 1);
    expect(Array.from(out)).toEqual([0, 3, 4]);
    s.reset();
    s.write(out, 0);
    expect(Array.from(out.subarray(0, 2))).toEqual([0, 0]);
    expect(() => s.set([1])).toThrow("VectorSensor('goal').set: got 1 values, expected 2");
    expect(() => new VectorSensor('x', 0)).toThrow(/size must be a positive integer/);
  });
});

describe('StackingSensor', () => {
  it('keeps the last k observations newest first, advancing once per advance(), never in write()', () => {
    const inner = new VectorSensor('v', 2);
    const stack = new StackingSensor(inner, 3);
    expect(stack.size).toBe(6);
    expect(stack.name).toBe('v×3');
    const out = new Float32Array(6);
    for (const t of [1, 2, 3, 4]) {
      inner.set([t, -t]);
      stack.advance();
    }
    stack.write(out, 0);
    stack.write(out, 0); // no side effects
    expect(Array.from(out)).toEqual([4, -4, 3, -3, 2, -2]);
  });

  it('reset fills the history with zeros and resets the inner sensor', () => {
    const inner = new VectorSensor('v', 1);
    const stack = new StackingSensor(inner, 2, 'history');
    inner.set([5]);
    stack.advance();
    stack.reset();
    const out = new Float32Array(2).fill(9);
    stack.write(out, 0);
    expect(Array.from(out)).toEqual([0, 0]);
    stack.advance(); // the inner sensor was reset too: it reads 0
    stack.write(out, 0);
    expect(Array.from(out)).toEqual([0, 0]);
    expect(stack.name).toBe('history');
  });

  it('advances a stateful inner sensor (stack of a stack)', () => {
    let t = 0;
    const clock: Sensor = { name: 'clock', size: 1, write: (o, off) => { o[off] = t; }, reset: () => {} };
    const stack = new StackingSensor(new StackingSensor(clock, 2), 2);
    const out = new Float32Array(4);
    for (t = 1; t <= 3; t++) stack.advance();
    stack.write(out, 0);
    // Inner history after t=3: [3, 2]; after t=2: [2, 1].
    expect(Array.from(out)).toEqual([3, 2, 2, 1]);
    expect(() => new StackingSensor(clock, 0)).toThrow(/k must be a positive integer/);
  });
});
