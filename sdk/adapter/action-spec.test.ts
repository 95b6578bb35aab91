import { describe, it, expect } from 'vitest';
import { ActionBuffers, ActionMaskWriter, ActionSpec } from './action-spec.js';
import { EnvError } from '../core/errors.js';
import { Box, Hybrid, MultiDiscrete } from '../core/spaces.js';

describe('ActionSpec', () => {
  it('maps discrete branches to Discrete (one) or MultiDiscrete (several)', () => {
    const one = ActionSpec.discrete(4);
    expect(one.space).toEqual({ kind: 'discrete', n: 4 });
    expect([one.size, one.maskSize, one.continuousSize]).toEqual([1, 4, 0]);
    const two = ActionSpec.discrete(3, 2);
    expect(two.space).toEqual({ kind: 'multiDiscrete', nvec: [3, 2] });
    expect([two.size, two.maskSize]).toEqual([2, 5]);
    expect(two.branches).toEqual([3, 2]);
    expect(String(two)).toBe('MultiDiscrete([3,2])');
  });

  it('maps continuous dimensions to a Box with bounds (default [-1, 1])', () => {
    const c = ActionSpec.continuous(2);
    expect(c.space).toEqual(Box(-1, 1, 2));
    expect([c.size, c.maskSize, c.continuousSize]).toEqual([2, 0, 2]);
    const d = ActionSpec.continuous(2, [0, -5], [1, 5]);
    expect(d.low).toEqual([0, -5]);
    expect(d.high).toEqual([1, 5]);
  });

  it('maps hybrid to a Hybrid space: reals in [-1, 1], then branches', () => {
    const h = ActionSpec.hybrid(2, 3, 2);
    expect(h.space).toEqual(Hybrid(Box(-1, 1, 2), MultiDiscrete([3, 2])));
    expect([h.size, h.maskSize, h.continuousSize]).toEqual([4, 5, 2]);
    expect(h.branches).toEqual([3, 2]);
    expect(ActionSpec.fromSpace(h.space).size).toBe(4);
  });

  it('rejects bad shapes with messages that say what to write', () => {
    expect(() => ActionSpec.discrete()).toThrow(EnvError);
    expect(() => ActionSpec.discrete()).toThrow(/at least one branch/);
    expect(() => ActionSpec.discrete(3, 0)).toThrow(/nvec\[1\] must be a positive integer, got 0/);
    expect(() => ActionSpec.continuous(0)).toThrow(/size must be a positive integer/);
    expect(() => ActionSpec.continuous(1, 1, -1)).toThrow(/low\[0\] = 1 is greater than high\[0\] = -1/);
    expect(() => ActionSpec.hybrid(2)).toThrow(/at least one branch; for none use ActionSpec.continuous/);
  });
});

describe('ActionBuffers and ActionMaskWriter', () => {
  it('buffers have one slot per continuous dimension and per branch', () => {
    const b = new ActionBuffers(ActionSpec.hybrid(2, 3));
    expect(b.continuous).toHaveLength(2);
    expect(b.discrete).toHaveLength(1);
    b.continuous[0] = 0.5;
    b.discrete[0] = 2;
    b.clear();
    expect([...b.continuous, ...b.discrete]).toEqual([0, 0, 0]);
  });

  it('the mask writes into its row of the batch, branch after branch', () => {
    const spec = ActionSpec.discrete(3, 2);
    const mask = new ActionMaskWriter(spec);
    const rows = new Uint8Array(10).fill(7);
    mask.reset(rows, 5, "behavior 'b', agent 'a'");
    expect(Array.from(rows)).toEqual([7, 7, 7, 7, 7, 1, 1, 1, 1, 1]);
    mask.setActionEnabled(0, 2, false);
    mask.setActionEnabled(1, 0, false);
    expect(Array.from(rows.subarray(5))).toEqual([1, 1, 0, 0, 1]);
    expect(mask.isActionEnabled(0, 2)).toBe(false);
    expect(mask.isActionEnabled(1, 1)).toBe(true);
    mask.check();
  });

  it('names the agent, branch and index when a mask is used wrongly', () => {
    const mask = new ActionMaskWriter(ActionSpec.discrete(3, 2));
    mask.reset(new Uint8Array(5), 0, "behavior 'b', agent 'npc'");
    expect(() => mask.setActionEnabled(2, 0, false)).toThrow("behavior 'b', agent 'npc': setActionEnabled(2, 0): branch must be an integer in [0, 2) for MultiDiscrete([3,2])");
    expect(() => mask.setActionEnabled(1, 2, false)).toThrow("agent 'npc': setActionEnabled(1, 2): index must be an integer in [0, 2) for branch 1");
    mask.setActionEnabled(1, 0, false);
    mask.setActionEnabled(1, 1, false);
    expect(() => mask.check()).toThrow("behavior 'b', agent 'npc': writeActionMask disabled every choice of branch 1; at least one must stay enabled");
  });
});
