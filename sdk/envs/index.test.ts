import { describe, it, expect } from 'vitest';
import { ENVS, getEnv } from './index.js';

describe('env registry', () => {
  it('builds the registered envs', () => {
    expect(Object.keys(ENVS)).toEqual(['cartpole', 'pendulum']);
    expect(getEnv('cartpole').create(0).observationSpace.size).toBe(4);
    expect(getEnv('pendulum').create(0).actionSpace).toEqual({ kind: 'box', size: 1, low: [-2], high: [2] });
  });

  it('lists the known names for an unknown one', () => {
    expect(() => getEnv('acrobot')).toThrow('Unknown environment "acrobot". Known: cartpole, pendulum');
    expect(() => getEnv('toString')).toThrow(/Unknown environment/);
  });
});
