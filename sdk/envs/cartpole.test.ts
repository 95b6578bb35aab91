import { describe, it, expect } from 'vitest';
import { Rng } from '../core/rng.js';
import { CartPole, createCartPole } from './cartpole.js';

describe('CartPole (Gymnasium CartPole-v1)', () => {
  it('matches one hand-computed Euler step from [0.01, 0.02, 0.03, 0.04], action 1', () => {
    const env = new CartPole();
    env.reset(0);
    env.state.set([0.01, 0.02, 0.03, 0.04]);
    const r = env.step(1);

    // Gymnasium's formulas with its constants written out: force 10, total mass 1.1,
    // polemass_length 0.05, gravity 9.8, half-length 0.5, tau 0.02.
    const [x, xDot, theta, thetaDot] = [0.01, 0.02, 0.03, 0.04];
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (10 + 0.05 * (thetaDot * thetaDot) * sin) / 1.1;
    const thetaacc = (9.8 * sin - cos * temp) / (0.5 * (4 / 3 - (0.1 * (cos * cos)) / 1.1));
    const xacc = temp - (0.05 * thetaacc * cos) / 1.1;
    const expected = [x + 0.02 * xDot, xDot + 0.02 * xacc, theta + 0.02 * thetaDot, thetaDot + 0.02 * thetaacc];

    expect(Array.from(env.state)).toEqual(expected);
    // The same step evaluated independently in Python (float64).
    expect(Array.from(env.state)).toEqual([0.0104, 0.21467919574755523, 0.030799999999999998, -0.2430687179600081]);
    expect(Array.from(r.observation)).toEqual(Array.from(Float32Array.from(expected)));
    expect(r).toMatchObject({ reward: 1, terminated: false, truncated: false });
  });

  it('starts uniformly within ±0.05 and re-seeds on reset(seed)', () => {
    const env = new CartPole();
    const a = Array.from(env.reset(3));
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
    expect(Array.from(env.reset(3))).toEqual(a);
    expect(Array.from(env.reset())).not.toEqual(a);
  });

  it('terminates past 12 degrees with reward 1 on that step', () => {
    const env = new CartPole();
    env.reset(0);
    env.state.set([0, 0, 0.2094, 1]); // theta + 0.02 * 1 crosses 0.20944
    const r = env.step(1);
    expect(r).toMatchObject({ reward: 1, terminated: true, truncated: false });
  });

  it('terminates when the cart leaves ±2.4', () => {
    const env = new CartPole();
    env.reset(0);
    env.state.set([-2.399, -1, 0, 0]);
    expect(env.step(0).terminated).toBe(true);
  });

  it('truncates at step 500 without terminating', () => {
    const env = new CartPole();
    env.reset(0);
    for (let t = 1; t <= 500; t++) {
      env.state.fill(0); // keep the pole upright so only the time limit can end the episode
      const r = env.step(t % 2);
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(t === 500);
    }
  });

  it('rejects invalid actions', () => {
    const env = new CartPole();
    env.reset(0);
    expect(() => env.step(2)).toThrow('CartPole: action must be 0 or 1, got 2');
  });

  it('lasts about 22 steps under a random policy', () => {
    const env = createCartPole(0);
    const rng = new Rng(1);
    let total = 0;
    env.reset(42);
    for (let ep = 0; ep < 200; ep++) {
      if (ep > 0) env.reset();
      let done = false;
      while (!done) {
        const r = env.step(rng.int(2));
        total += r.reward;
        done = r.terminated || r.truncated;
      }
    }
    const mean = total / 200;
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(30);
  });
});
