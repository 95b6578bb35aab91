/**
 * The learning goal's judgement over synthetic training logs: the curve that fooled
 * `expectLearning` (the first finished episodes are the quick successes, so the mean starts high
 * at step 512 with policy v1, then falls to the random level) must not pass; a real rise must.
 */
import { describe, it, expect } from 'vitest';
import type { LiveMetrics } from '../phaser/behavior.js';
import { DEFAULT_MIN_EPISODES, judgeLearning, resolveGoal, type LearningGoal } from './index.js';

/** One update's metrics: 8 agents × 64 decisions per rollout, so 512 transitions per update. */
function update(update: number, episodes: number, returnMean: number): LiveMetrics {
  return {
    behavior: 'reach', backend: 'kernels', update, step: update * 512, time: update, episodes, returnMean, returnMin: returnMean, returnMax: returnMean,
    episodeLength: 100, sps: 1000, policyVersion: update, updateMs: 5, droppedRollouts: 0,
    policyLoss: 0, valueLoss: 0, entropy: 1, approxKl: 0, clipFraction: 0, explainedVariance: 0, gradNorm: 0, learningRate: 1e-3, clipCoef: 0.2, epochs: 4, policyLag: 0,
  } as LiveMetrics;
}

/**
 * The starter's reach task under an untrained policy, as it was seen in a user's test: 3 quick
 * arrivals by step 512 (mean 1.8), then the window fills with the slow failures (≈ −0.64), and it
 * stays there: this policy never learns.
 */
const earlySuccess: LiveMetrics[] = [
  update(1, 3, 1.8),
  update(2, 9, 0.9),
  update(3, 16, 0.2),
  ...Array.from({ length: 60 }, (_, i) => update(4 + i, 20 + i * 4, -0.64 + 0.02 * Math.sin(i))),
];
const goal: LearningGoal = { behavior: 'reach', atLeast: 1.0, maxSteps: 30_000 };

describe('judgeLearning', () => {
  it('refuses the early-success curve that fooled expectLearning: the first quick episodes do not count', () => {
    // The old rule (best value ≥ atLeast, from the first update on) passed this run at step 512, policy v1.
    expect(earlySuccess[0]!.returnMean).toBeGreaterThanOrEqual(goal.atLeast!);
    expect(earlySuccess.at(-1)!.step).toBeGreaterThanOrEqual(goal.maxSteps);

    const early = judgeLearning(earlySuccess.slice(0, 1), [], goal);
    expect(early.status).toBe('pending');

    const v = judgeLearning(earlySuccess, [], goal);
    expect(v.status).toBe('failed');
    expect(v.result.passed).toBe(false);
    expect(v.result.best).toBeLessThan(0);
    expect(v.result.reason).toContain('an earlier 1.8 at step 512, policy v1, 3 episodes did not count');
    expect(v.result.curve[0]!.counts).toBe(false);
  });

  it('passes a run that rises once enough episodes and transitions are behind it', () => {
    const rising = [...earlySuccess.slice(0, 30), ...Array.from({ length: 10 }, (_, i) => update(31 + i, 140 + i * 10, 0.5 + i * 0.1))];
    const v = judgeLearning(rising, [], goal);
    expect(v.status).toBe('passed');
    const first = v.result.curve.find((p) => p.counts && p.value >= 1.0)!;
    expect(first.episodes).toBeGreaterThanOrEqual(DEFAULT_MIN_EPISODES);
    expect(first.step).toBeGreaterThanOrEqual(10_000);
  });

  it('fails at once on an error the page reported, with its message, whatever the curve', () => {
    const v = judgeLearning(earlySuccess.slice(0, 2), ["behavior \"reach\" stopped: an agent hook threw: agent 'probe-0': addReward(NaN): reward must be a finite number"], goal);
    expect(v.status).toBe('failed');
    expect(v.result.reason).toContain('addReward(NaN)');
  });

  it('compares against a measured random baseline: the bar is its mean plus beatBy', () => {
    const baseline = { behavior: 'reach', returnMean: -0.64, episodes: 100, decisions: 20_000 };
    const flat = judgeLearning(earlySuccess, [], { behavior: 'reach', baseline, beatBy: 0.5, maxSteps: 30_000 });
    expect(flat.status).toBe('failed');
    expect(flat.result.threshold).toBeCloseTo(-0.14);
    const rising = judgeLearning([...earlySuccess.slice(0, 30), update(31, 200, 0.0)], [], { behavior: 'reach', baseline, beatBy: 0.5, maxSteps: 30_000 });
    expect(rising.status).toBe('passed');
  });

  it('rejects goals that cannot mean anything, naming the field', () => {
    expect(() => resolveGoal({ behavior: 'reach', maxSteps: 1000 })).toThrow(/atLeast or baseline/);
    expect(() => resolveGoal({ behavior: 'reach', atLeast: 1, maxSteps: 1000, minSteps: 2000 })).toThrow(/minSteps must be/);
    expect(() => resolveGoal({ behavior: 'reach', metric: 'entropy', baseline: { behavior: 'reach', returnMean: 0, episodes: 1, decisions: 1 }, maxSteps: 1000 })).toThrow(/metric must be 'returnMean'/);
    // Small budgets keep a default minSteps below them.
    expect(resolveGoal({ behavior: 'reach', atLeast: 1, maxSteps: 4000 }).minSteps).toBe(2000);
  });
});
