/** Environment parameters: samplers, lesson progression on scripted metrics, validation messages, resume. */
import { describe, it, expect } from 'vitest';
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import { Agent } from '../adapter/agent.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import { Rng } from '../core/rng.js';
import { decodeBrain, encodeBrain } from '../io/brain.js';
import { nodeBackends } from './backend.node.js';
import { Curriculum, type CurriculumState } from './curriculum.js';
import { EnvParamsError, finalSettings, resolveEnvironmentParameters, sample, type EnvironmentParameters, type Sampler } from './env-params.js';
import { FastTrainer } from './fast-trainer.js';
import type { CopyContext, HeadlessGame } from './game.js';
import { jumperGame } from '../../games/jumper/headless.js';

function moments(s: Sampler, n = 20_000, seed = 7): { mean: number; std: number; values: number[] } {
  const rng = new Rng(seed);
  const values = Array.from({ length: n }, () => sample(s, rng));
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  return { mean, std, values };
}

describe('samplers (seed 7, 20,000 draws)', () => {
  it('constant: the value every time, as a number or { sampler: "constant" }', () => {
    expect(moments(3.5, 10).values.every((v) => v === 3.5)).toBe(true);
    expect(moments({ sampler: 'constant', value: -2 }, 10).values.every((v) => v === -2)).toBe(true);
  });

  it('uniform: in [min, max), mean (min+max)/2, std (max−min)/√12', () => {
    const { mean, std, values } = moments({ sampler: 'uniform', min: 2, max: 8 });
    expect(Math.min(...values)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...values)).toBeLessThan(8);
    expect(mean).toBeCloseTo(5, 1);
    expect(std).toBeCloseTo(6 / Math.sqrt(12), 1);
  });

  it('gaussian: mean and stdDev', () => {
    const { mean, std } = moments({ sampler: 'gaussian', mean: -3, stdDev: 2 });
    expect(mean).toBeCloseTo(-3, 1);
    expect(std).toBeCloseTo(2, 1);
  });

  it('multiRangeUniform: only inside the intervals, each picked in proportion to its length', () => {
    const { values, mean } = moments({ sampler: 'multiRangeUniform', intervals: [[0, 1], [10, 13]] });
    const low = values.filter((v) => v >= 0 && v < 1).length;
    const high = values.filter((v) => v >= 10 && v < 13).length;
    expect(low + high).toBe(values.length);
    expect(low / values.length).toBeCloseTo(0.25, 1.5);
    // 0.25 × 0.5 + 0.75 × 11.5
    expect(mean).toBeCloseTo(8.75, 0);
  });
});

const ladder = (criteria: Record<string, unknown>): EnvironmentParameters => ({
  gap: { curriculum: [
    { name: 'easy', value: 1, completionCriteria: { threshold: 0.8, minLessonLength: 3, ...criteria } as never },
    { name: 'mid', value: 2, completionCriteria: { threshold: 0.8, minLessonLength: 3, ...criteria } as never },
    { name: 'hard', value: 3 },
  ] },
});

describe('lesson progression on scripted episodes and metrics', () => {
  it('waits for minLessonLength episodes, then moves when the mean return of the last ones reaches the threshold (smoothing off)', () => {
    const c = new Curriculum(ladder({ signalSmoothing: false }), ['b'], 1);
    expect(c.get('gap')).toBe(1);
    c.episodeEnded('b', 1);
    c.episodeEnded('b', 1);
    // Two perfect episodes are not enough: minLessonLength is 3.
    expect(c.afterUpdate('b', {}, 0).changes).toEqual([]);
    c.episodeEnded('b', 0);
    // Three episodes, mean 2/3 < 0.8.
    expect(c.afterUpdate('b', {}, 0).changes).toEqual([]);
    c.episodeEnded('b', 1);
    // The window is the last 3: 1, 0, 1 → 0.67; one more 1 makes it 0, 1, 1 → still 0.67; then 1, 1, 1.
    expect(c.afterUpdate('b', {}, 0).changes).toEqual([]);
    c.episodeEnded('b', 1);
    c.episodeEnded('b', 1);
    expect(c.afterUpdate('b', {}, 0).changes).toEqual([{ parameter: 'gap', lesson: 1, name: 'mid', measure: 1 }]);
    expect(c.get('gap')).toBe(2);
    expect(c.lesson('gap')).toBe(1);
    // A new lesson starts counting from zero: its window holds none of the old lesson's episodes.
    expect(c.afterUpdate('b', {}, 0).changes).toEqual([]);
  });

  it('smooths the measure: 0.25 × previous + 0.75 × new, so one good check after a bad one is not enough', () => {
    const c = new Curriculum(ladder({ measure: 'score', minLessonLength: 0 }), ['b'], 1);
    expect(c.afterUpdate('b', { score: 0 }, 0).changes).toEqual([]);
    // 0.25 × 0 + 0.75 × 1 = 0.75 < 0.8
    expect(c.afterUpdate('b', { score: 1 }, 0).changes).toEqual([]);
    // 0.25 × 0.75 + 0.75 × 1 = 0.9375 ≥ 0.8
    expect(c.afterUpdate('b', { score: 1 }, 0).changes).toEqual([{ parameter: 'gap', lesson: 1, name: 'mid', measure: 0.9375 }]);
    // Without smoothing the same sequence moves at the second check.
    const raw = new Curriculum(ladder({ measure: 'score', minLessonLength: 0, signalSmoothing: false }), ['b'], 1);
    raw.afterUpdate('b', { score: 0 }, 0);
    expect(raw.afterUpdate('b', { score: 1 }, 0).changes).toHaveLength(1);
  });

  it('counts only its behavior, measures progress, one lesson per check, stays in the last, and reports requireReset', () => {
    const c = new Curriculum(ladder({ measure: 'progress', minLessonLength: 0, behavior: 'hunter', requireReset: true }), ['prey', 'hunter'], 1);
    expect(c.finished).toBe(false);
    expect(c.afterUpdate('prey', {}, 0.9).changes).toEqual([]);
    expect(c.afterUpdate('hunter', {}, 0.5)).toEqual({ changes: [], reset: false });
    // Smoothed (the default): 0.25 × 0.5 + 0.75 × 0.9 = 0.8.
    expect(c.afterUpdate('hunter', {}, 0.9)).toEqual({ changes: [{ parameter: 'gap', lesson: 1, name: 'mid', measure: 0.8 }], reset: true });
    expect(c.afterUpdate('hunter', {}, 0.9).changes.map((x) => x.lesson)).toEqual([2]);
    expect(c.afterUpdate('hunter', {}, 1)).toEqual({ changes: [], reset: false });
    expect(c.summary()).toEqual({ lessons: { gap: 2 }, envParams: { gap: 3 } });
    expect(c.finished).toBe(true);
    expect(c.describe()).toBe('gap hard (3/3)');
  });

  it('a measure that names no metric of the update is an error naming the parameter, lesson and the metrics there are', () => {
    // At the first check, before minLessonLength episodes have ended.
    const c = new Curriculum(ladder({ measure: 'scroe', minLessonLength: 50 }), ['b'], 1);
    expect(() => c.afterUpdate('b', { score: 1, entropy: 0.5 }, 0)).toThrow('environmentParameters.gap.curriculum[0].completionCriteria.measure: "scroe" is no numeric metric of the update; use "returnMean", "progress" or one of "score", "entropy"');
  });

  it('reading a parameter nobody declared names the ones there are', () => {
    const c = new Curriculum({ wind: 0.1 }, ['b'], 1);
    expect(() => c.get('gapWidth')).toThrow('no environment parameter "gapWidth"; the game\'s parameters: "wind"');
  });

  it('finalSettings: each curriculum at its last lesson, other parameters unchanged', () => {
    expect(finalSettings({ ...ladder({}), wind: { sampler: 'uniform', min: 0, max: 1 } })).toEqual({ gap: 3, wind: { sampler: 'uniform', min: 0, max: 1 } });
  });
});

describe('validation: names the parameter, lesson and field, and what is allowed', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', [1], 'environmentParameters: expected an object of parameters by name, got [1]'],
    ['an unknown sampler', { wind: { sampler: 'normal', mean: 0 } }, 'environmentParameters.wind.sampler: expected one of "constant", "uniform", "multiRangeUniform", "gaussian", got "normal"'],
    ['uniform max ≤ min', { wind: { sampler: 'uniform', min: 2, max: 1 } }, 'environmentParameters.wind: max must be greater than min, got min 2, max 1'],
    ['a sampler field misspelt', { wind: { sampler: 'gaussian', mean: 0, std: 1 } }, 'environmentParameters.wind: unknown field "std"; allowed: "sampler", "mean", "stdDev"'],
    ['a negative stdDev', { wind: { sampler: 'gaussian', mean: 0, stdDev: -1 } }, 'environmentParameters.wind.stdDev: expected ≥ 0, got -1'],
    ['a bad interval', { wind: { sampler: 'multiRangeUniform', intervals: [[0, 1], [3]] } }, 'environmentParameters.wind.intervals[1]: expected a [min, max] pair, got [3]'],
    ['a string value', { gap: { curriculum: [{ value: '40' }] } }, 'environmentParameters.gap.curriculum[0].value: expected a number or a sampler object'],
    ['criteria on the last lesson', { gap: { curriculum: [{ value: 1, completionCriteria: { threshold: 1 } }] } }, 'environmentParameters.gap.curriculum[0].completionCriteria: the last lesson has none (training stays in it)'],
    ['no criteria before the last', { gap: { curriculum: [{ value: 1 }, { value: 2 }] } }, 'environmentParameters.gap.curriculum[0].completionCriteria: missing; every lesson but the last needs { threshold, … }'],
    ['no threshold', { gap: { curriculum: [{ value: 1, completionCriteria: {} }, { value: 2 }] } }, 'environmentParameters.gap.curriculum[0].completionCriteria.threshold: expected a finite number, got undefined'],
    ['a fractional minLessonLength', { gap: { curriculum: [{ value: 1, completionCriteria: { threshold: 1, minLessonLength: 2.5 } }, { value: 2 }] } }, 'environmentParameters.gap.curriculum[0].completionCriteria.minLessonLength: expected an integer from 0 to 100,000 (episodes), got 2.5'],
    ['an unknown behavior', { gap: { curriculum: [{ value: 1, completionCriteria: { threshold: 1, behavior: 'jumpr' } }, { value: 2 }] } }, 'environmentParameters.gap.curriculum[0].completionCriteria.behavior: expected one of the game\'s behaviors ("jumper"), got "jumpr"'],
    ['ML-Agents spelling', { gap: { curriculum: [{ value: 1, completion_criteria: { threshold: 1 } }, { value: 2 }] } }, 'environmentParameters.gap.curriculum[0]: unknown field "completion_criteria"; allowed: "name", "value", "completionCriteria"'],
    ['a criteria field misspelt', { gap: { curriculum: [{ value: 1, completionCriteria: { threshold: 1, min_lesson_length: 5 } }, { value: 2 }] } }, 'environmentParameters.gap.curriculum[0].completionCriteria: unknown field "min_lesson_length"; allowed: "measure", "behavior", "threshold", "minLessonLength", "signalSmoothing", "requireReset"'],
    ['a non-boolean switch', { gap: { curriculum: [{ value: 1, completionCriteria: { threshold: 1, requireReset: 'yes' } }, { value: 2 }] } }, 'environmentParameters.gap.curriculum[0].completionCriteria.requireReset: expected true or false, got "yes"'],
    ['an empty curriculum', { gap: { curriculum: [] } }, 'environmentParameters.gap.curriculum: expected a list of 1 to 1000 lessons'],
    ['a bad name', { 'gap-width': 3 }, 'environmentParameters.gap-width: a parameter name is a letter or _ then up to 63 letters, digits or _'],
    ['__proto__', JSON.parse('{ "__proto__": 3 }'), 'environmentParameters.__proto__: a parameter name is a letter or _ then up to 63 letters, digits or _ (not __proto__)'],
    ['NaN', { wind: NaN }, 'environmentParameters.wind: expected a finite number, got NaN'],
  ];
  for (const [what, input, message] of cases) {
    it(what, () => {
      expect(() => resolveEnvironmentParameters(input, ['jumper'])).toThrow(EnvParamsError);
      expect(() => resolveEnvironmentParameters(input, ['jumper'])).toThrow(message);
    });
  }

  it('fills in ML-Agents\' defaults: returnMean, the first behavior, 100 episodes, smoothing on, no reset', () => {
    const r = resolveEnvironmentParameters({ gap: { curriculum: [{ value: 1, completionCriteria: { threshold: 0.5 } }, { value: 2 }] } }, ['a', 'b']);
    expect(r.get('gap')![0]!.completionCriteria).toEqual({ measure: 'returnMean', behavior: 'a', threshold: 0.5, minLessonLength: 100, signalSmoothing: true, requireReset: false });
    expect(r.get('gap')!.map((l) => l.name)).toEqual(['lesson0', 'lesson1']);
  });
});

describe('resume', () => {
  it('a restored curriculum continues exactly: the same lesson, window, smoothing and draws as the uninterrupted one', () => {
    const params: EnvironmentParameters = { ...ladder({ minLessonLength: 4 }), wind: { sampler: 'gaussian', mean: 0, stdDev: 1 } };
    const a = new Curriculum(params, ['b'], 5);
    const script = (c: Curriculum, from: number, to: number): string[] => {
      const log: string[] = [];
      for (let i = from; i < to; i++) {
        c.episodeEnded('b', (i * 7) % 10 / 10 + 0.3);
        log.push(`${c.get('wind').toFixed(6)} ${c.get('gap')} ${JSON.stringify(c.afterUpdate('b', {}, 0).changes)}`);
      }
      return log;
    };
    const first = script(a, 0, 7);
    // Through JSON, as in a checkpoint.
    const saved = JSON.parse(JSON.stringify(a.state())) as CurriculumState;
    const rest = script(a, 7, 30);
    const b = Curriculum.restore(saved, ['b']);
    expect(b.state()).toEqual(saved);
    expect(script(b, 7, 30)).toEqual(rest);
    // The script did move lessons (else the check above would be weak).
    expect([...first, ...rest].filter((l) => l.includes('"lesson"')).length).toBe(2);
  });

  it('follow() moves to another curriculum\'s lessons (an actor worker follows the learner\'s): the lesson starts afresh; a lesson past the last is refused', () => {
    const c = new Curriculum(ladder({}), ['b'], 1);
    expect(c.follow({ gap: 0 })).toBe(false);
    expect(c.follow({ gap: 2 })).toBe(true);
    expect(c.lesson('gap')).toBe(2);
    expect(c.state().progress.gap).toEqual({ lesson: 2, episodes: 0, recent: [], smoothed: null });
    expect(() => c.follow({ gap: 3 })).toThrow('Curriculum.follow: "gap" has 3 lessons, not a lesson 3');
  });

  it('a checkpoint whose lesson is past the curriculum is refused with the parameter named', () => {
    const s = new Curriculum(ladder({}), ['b'], 1).state();
    s.progress.gap!.lesson = 3;
    expect(() => Curriculum.restore(s, ['b'])).toThrow('the checkpoint\'s curriculum puts "gap" in lesson 3, but it has 3 lessons');
  });
});

/** A counter that never ends its episodes by itself: only a curriculum's reset does. Records the `level` it read at each episode begin. */
class Counter extends Agent {
  readonly levels: number[] = [];
  constructor(private readonly params: CopyContext['params']) {
    super();
  }
  override onEpisodeBegin(): void { this.levels.push(this.params.get('level')); }
  override collectObservations(obs: ObservationWriter): void { obs.add(0); }
  override onActionReceived(_a: ActionBuffers): void {}
}

function counterGame(agents: Counter[], parameters: EnvironmentParameters): HeadlessGame {
  return {
    name: 'counter', copies: 2, environmentParameters: parameters,
    behaviors: [{ name: 'counter', observationSize: 1, actionSpec: ActionSpec.discrete(2), config: { numSteps: 8, hiddenSizes: [4], numMinibatches: 1, updateEpochs: 1, totalSteps: 1600 } }],
    createCopy(_i, _seed, ctx) {
      const a = new Counter(ctx.params);
      agents.push(a);
      ctx.addAgent('counter', a);
      return { step: () => {} };
    },
  };
}

describe('FastTrainer with a curriculum', () => {
  it('requireReset ends every episode (a truncation) when the lesson changes, and the next episodes read the new lesson', async () => {
    const agents: Counter[] = [];
    const level = { curriculum: [{ value: 10, completionCriteria: { measure: 'progress', threshold: 0.01, minLessonLength: 0, requireReset: true } }, { value: 20 }] };
    const t = new FastTrainer(counterGame(agents, { level }), nodeBackends, { seed: 1, backend: 'kernels' });
    await t.start();
    const first = t.runUpdate();
    expect(first.lessons).toEqual({ level: 1 });
    expect(first.episodes).toBe(0);
    const second = t.runUpdate();
    expect(second.episodes).toBe(2);
    expect(agents.map((a) => a.levels)).toEqual([[10, 20], [10, 20]]);
    // Without requireReset nothing ends: the agents never end an episode by themselves.
    const calm: Counter[] = [];
    const noReset = { curriculum: [{ value: 10, completionCriteria: { measure: 'progress', threshold: 0.01, minLessonLength: 0 } }, { value: 20 }] };
    const u = new FastTrainer(counterGame(calm, { level: noReset }), nodeBackends, { seed: 1, backend: 'kernels' });
    await u.start();
    u.runUpdate();
    expect(u.runUpdate().episodes).toBe(0);
    expect(calm.map((a) => a.levels)).toEqual([[10], [10]]);
  });

  it('run() stops at targetReturn only once the curriculum is in its last lesson (an easy lesson\'s score is not the run\'s)', async () => {
    const gapWidth = { curriculum: [{ value: 0, completionCriteria: { measure: 'progress', threshold: 0.3, minLessonLength: 0 } }, { value: 150 }] };
    const t = new FastTrainer(jumperGame, nodeBackends, { seed: 1, backend: 'kernels', environmentParameters: { gapWidth }, config: { totalSteps: 4096 } });
    const seen: { step: number; lesson: number | undefined; returnMean: number }[] = [];
    await t.run((u) => seen.push({ step: u.step, lesson: u.lessons?.gapWidth, returnMean: u.returnMean }), { maxSteps: 8192, targetReturn: -1 });
    // Rounds ended (a finite mean return ≥ -1) in lesson 0 already; the run went on to lesson 1.
    expect(seen[0]).toMatchObject({ step: 1024, lesson: 0 });
    expect(Number.isFinite(seen[0]!.returnMean)).toBe(true);
    expect(seen.at(-1)!.lesson).toBe(1);
    expect(seen.filter((s) => s.lesson === 1)).toHaveLength(1);
  });

  it('the brain carries the curriculum; a run resumed from it (through brain.json) continues in the same lesson with the same state', async () => {
    const agents: Counter[] = [];
    const level = { curriculum: [
      { value: 1, completionCriteria: { measure: 'progress', threshold: 0.02, minLessonLength: 0, requireReset: true } },
      { value: 2, completionCriteria: { measure: 'progress', threshold: 0.5, minLessonLength: 0 } },
      { value: 3 },
    ] };
    const t = new FastTrainer(counterGame(agents, {}), nodeBackends, { seed: 3, backend: 'kernels', environmentParameters: { level, wind: { sampler: 'uniform', min: 0, max: 1 } } });
    await t.start();
    for (let i = 0; i < 3; i++) t.runUpdate();
    expect(t.curriculum.lesson('level')).toBe(1);
    const { manifest, weights } = encodeBrain(t.brain());
    const brain = decodeBrain(JSON.parse(JSON.stringify(manifest)), weights);
    expect(brain.training!.curriculum).toEqual(t.curriculum.state());
    // Resumed with other parameters given: the checkpoint's curriculum wins, exactly.
    const resumed = new FastTrainer(counterGame([], {}), nodeBackends, { seed: 3, backend: 'kernels', brain, environmentParameters: { level: 7 } });
    expect(resumed.curriculum.state()).toEqual(t.curriculum.state());
    expect(resumed.curriculum.lesson('level')).toBe(1);
    await resumed.start();
    const u = resumed.runUpdate();
    expect(u.lessons).toEqual({ level: 1, wind: 0 });
    expect(u.step).toBe(t.step + 16);
  });
});
