import { describe, it, expect } from 'vitest';
import { Rng } from '../core/rng.js';
import { Pendulum, angleNormalize, createPendulum } from './pendulum.js';

describe('Pendulum (Gymnasium Pendulum-v1)', () => {
  it('matches one hand-computed step from θ = 1, θdot = 0.5, u = 1.5', () => {
    const env = new Pendulum();
    env.reset(0);
    env.state.set([1.0, 0.5]);
    const r = env.step(Float32Array.of(1.5));

    // g 10, m 1, l 1, dt 0.05: 3g/(2l) = 15, 3/(m l²) = 3.
    const cost = 1.0 ** 2 + 0.1 * 0.5 ** 2 + 0.001 * 1.5 ** 2;
    const newthdot = 0.5 + (15 * Math.sin(1.0) + 3 * 1.5) * 0.05;
    const newth = 1.0 + newthdot * 0.05;
    expect(r.reward).toBe(-cost);
    expect(r.reward).toBeCloseTo(-1.02725, 12);
    expect(Array.from(env.state)).toEqual([newth, newthdot]);
    expect(Array.from(env.state)).toEqual([1.0678051619302962, 1.3561032386059226]);
    expect(Array.from(r.observation)).toEqual(Array.from(Float32Array.of(Math.cos(newth), Math.sin(newth), newthdot)));
    expect(r).toMatchObject({ terminated: false, truncated: false });
  });

  it('clips the torque to ±2 and the speed to ±8', () => {
    const env = new Pendulum();
    env.reset(0);
    env.state.set([0, 0]);
    const r = env.step(Float32Array.of(100));
    expect(r.reward).toBeCloseTo(-0.001 * 4, 12);
    expect(env.state[1]).toBeCloseTo(3 * 2 * 0.05, 12);
    env.state.set([Math.PI / 2, 7.9]);
    env.step(2);
    expect(env.state[1]).toBe(8);
  });

  it('normalizes angles like Python floored modulo', () => {
    expect(angleNormalize(0)).toBe(0);
    expect(angleNormalize(3 * Math.PI / 2)).toBeCloseTo(-Math.PI / 2, 12);
    expect(angleNormalize(-3 * Math.PI / 2)).toBeCloseTo(Math.PI / 2, 12);
    expect(angleNormalize(Math.PI)).toBeCloseTo(-Math.PI, 12);
  });

  it('starts with θ in [−π, π], θdot in [−1, 1] and re-seeds on reset(seed)', () => {
    const env = new Pendulum();
    for (let s = 0; s < 50; s++) {
      env.reset(s);
      expect(Math.abs(env.state[0]!)).toBeLessThanOrEqual(Math.PI);
      expect(Math.abs(env.state[1]!)).toBeLessThanOrEqual(1);
    }
    const a = Array.from(env.reset(7));
    expect(Array.from(env.reset(7))).toEqual(a);
  });

  it('truncates at step 200 and never terminates', () => {
    const env = new Pendulum();
    env.reset(0);
    for (let t = 1; t <= 200; t++) {
      const r = env.step(Float32Array.of(0));
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(t === 200);
    }
  });

  it('returns between −1600 and −900 on average under a random policy', () => {
    const env = createPendulum(0);
    const rng = new Rng(1);
    const action = new Float32Array(1);
    let total = 0;
    env.reset(123);
    for (let ep = 0; ep < 20; ep++) {
      if (ep > 0) env.reset();
      for (let t = 0; t < 200; t++) {
        action[0] = rng.uniform(-2, 2);
        total += env.step(action).reward;
      }
    }
    const mean = total / 20;
    expect(mean).toBeGreaterThan(-1600);
    expect(mean).toBeLessThan(-900);
  });
});
