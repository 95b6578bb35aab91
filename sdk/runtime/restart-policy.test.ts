import { describe, it, expect } from 'vitest';
import { RestartPolicy } from './restart-policy.js';

describe('RestartPolicy (live learner and fast-mode worker restarts)', () => {
  it('checkpoints every K good updates and gives up after R deaths in a row, naming what died and why', () => {
    const p = new RestartPolicy({ checkpointEvery: 5, maxRestarts: 2 });
    expect([1, 2, 3, 4, 5, 6, 10].map((u) => p.succeeded(u))).toEqual([false, false, false, false, true, false, true]);
    expect(p.died('the worker', 'a')).toBeNull();
    expect(p.died('the worker', 'b')).toBeNull();
    // A good update ends the run of deaths.
    p.succeeded(11);
    expect(p.died('the worker', 'c')).toBeNull();
    expect(p.died('the worker', 'd')).toBeNull();
    expect(p.died('the worker', 'e')).toBe('the worker died 3 times in a row without finishing an update (last: e); giving up');
    expect(p.restarts).toBe(4);
    p.reset();
    expect(p.restarts).toBe(0);
    expect(p.died('the worker', 'f')).toBeNull();
  });

  it('rejects settings that cannot work', () => {
    expect(() => new RestartPolicy({ checkpointEvery: 0 })).toThrow('RestartPolicy: checkpointEvery must be an integer ≥ 1, got 0');
    expect(() => new RestartPolicy({ maxRestarts: 1.5 })).toThrow('RestartPolicy: maxRestarts must be an integer ≥ 0, got 1.5');
  });
});
