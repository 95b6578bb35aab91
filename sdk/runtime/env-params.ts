/**
 * Environment parameters: numbers a game reads when an episode begins (a gap's width, the wind),
 * each a constant, a sampler, or a curriculum of lessons (ML-Agents' `environment_parameters`, as
 * a typed object). This module holds their shape, their validation (one message per mistake,
 * naming the parameter, lesson and field) and the samplers; `curriculum.ts` moves through the
 * lessons.
 */
import { PhaserPpoError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/** An environment parameter's settings are wrong; the message names the parameter, lesson and field. */
export class EnvParamsError extends PhaserPpoError {
  override name = 'EnvParamsError';
}

/**
 * How a parameter's value is drawn each time the game reads it (once per episode, at its
 * beginning): a plain number is a constant; `uniform` in [min, max); `multiRangeUniform` picks one
 * of `intervals` with probability proportional to its length, then uniform in it (ML-Agents'
 * `multirangeuniform`); `gaussian` is normal with `mean` and `stdDev`.
 */
export type Sampler =
  | number
  | { sampler: 'constant'; value: number }
  | { sampler: 'uniform'; min: number; max: number }
  | { sampler: 'multiRangeUniform'; intervals: readonly (readonly [number, number])[] }
  | { sampler: 'gaussian'; mean: number; stdDev: number };

/** The samplers' names, as `sampler` spells them. */
export const SAMPLERS = ['constant', 'uniform', 'multiRangeUniform', 'gaussian'] as const;

/**
 * When a lesson is done (ML-Agents' `completion_criteria`). Checked after each update of
 * `behavior`, once `minLessonLength` of its episodes have ended in the lesson.
 */
export interface CompletionCriteria {
  /**
   * What is compared with `threshold`: `returnMean` (default: the mean return of the behavior's
   * last `minLessonLength` episodes in this lesson, at least 1), `progress` (transitions trained ÷
   * `totalSteps`), or the name of any other numeric field of the update's metrics (`episodeLength`,
   * `entropy`, …).
   */
  measure?: string;
  /** The behavior whose episodes and metrics count. Default: the game's first behavior. */
  behavior?: string;
  /** The lesson is done when the (smoothed) measure is ≥ this. */
  threshold: number;
  /** Episodes of `behavior` that must end in the lesson before it can be done. Default 100 (ML-Agents' default). */
  minLessonLength?: number;
  /**
   * Smooths the measure across checks: `0.25 × previous + 0.75 × new` (ML-Agents' weights; the
   * first check takes the new value). Default true.
   */
  signalSmoothing?: boolean;
  /** Ends every agent's episode when the lesson changes, so the new values apply at once. Default false. */
  requireReset?: boolean;
}

/** One lesson: the parameter's value (or sampler) while it lasts, and when it is done (none on the last). */
export interface Lesson {
  /** A name for logs and the progress line; default `lesson<i>`. */
  name?: string;
  value: Sampler;
  completionCriteria?: CompletionCriteria;
}

/** A parameter: a constant, a sampler, or a curriculum of lessons (the last without completion criteria). */
export type EnvironmentParameter = Sampler | { curriculum: readonly Lesson[] };

/**
 * A game's environment parameters by name.
 *
 * @example
 * const parameters: EnvironmentParameters = {
 *   wind: { sampler: 'uniform', min: -0.2, max: 0.2 },
 *   gapWidth: { curriculum: [
 *     { name: 'narrow', value: 40, completionCriteria: { threshold: 0.8, minLessonLength: 50 } },
 *     { name: 'wide', value: 160 },
 *   ] },
 * };
 */
export type EnvironmentParameters = Readonly<Record<string, EnvironmentParameter>>;

/** Defaults filled in: what the curriculum runs on. */
export interface ResolvedCriteria {
  measure: string;
  behavior: string;
  threshold: number;
  minLessonLength: number;
  signalSmoothing: boolean;
  requireReset: boolean;
}
export interface ResolvedLesson {
  name: string;
  value: Sampler;
  completionCriteria: ResolvedCriteria | null;
}
/** Every parameter as a list of lessons (a constant or sampler is one lesson without criteria). */
export type ResolvedParameters = ReadonlyMap<string, readonly ResolvedLesson[]>;

/** Lessons per parameter, at most: a typo'd generator, not a curriculum, beyond this. */
const MAX_LESSONS = 1000;
/** `minLessonLength` at most (the episodes window is kept in checkpoints). */
const MAX_LESSON_LENGTH = 100_000;
const SAMPLER_FIELDS: Record<(typeof SAMPLERS)[number], readonly string[]> = {
  constant: ['value'],
  uniform: ['min', 'max'],
  multiRangeUniform: ['intervals'],
  gaussian: ['mean', 'stdDev'],
};
const CRITERIA_FIELDS = ['measure', 'behavior', 'threshold', 'minLessonLength', 'signalSmoothing', 'requireReset'];

const show = (v: unknown): string => {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function finite(where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvParamsError(`${where}: expected a finite number, got ${show(v)}`);
  return v;
}

function unknownFields(where: string, o: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new EnvParamsError(`${where}: unknown field "${extra}"; allowed: ${allowed.map((f) => `"${f}"`).join(', ')}`);
}

/** Checks one sampler and returns it (copied); `where` names it in messages. */
export function checkSampler(where: string, v: unknown): Sampler {
  if (typeof v === 'number') return finite(where, v);
  if (!isObject(v)) throw new EnvParamsError(`${where}: expected a number or a sampler object ({ sampler: ${SAMPLERS.map((s) => `"${s}"`).join(' | ')}, … }), got ${show(v)}`);
  const kind = v.sampler;
  if (typeof kind !== 'string' || !(SAMPLERS as readonly string[]).includes(kind)) {
    throw new EnvParamsError(`${where}.sampler: expected one of ${SAMPLERS.map((s) => `"${s}"`).join(', ')}, got ${show(kind)}`);
  }
  const k = kind as (typeof SAMPLERS)[number];
  unknownFields(where, v, ['sampler', ...SAMPLER_FIELDS[k]]);
  switch (k) {
    case 'constant':
      return { sampler: k, value: finite(`${where}.value`, v.value) };
    case 'uniform': {
      const min = finite(`${where}.min`, v.min);
      const max = finite(`${where}.max`, v.max);
      if (!(max > min)) throw new EnvParamsError(`${where}: max must be greater than min, got min ${min}, max ${max}`);
      return { sampler: k, min, max };
    }
    case 'gaussian': {
      const mean = finite(`${where}.mean`, v.mean);
      const stdDev = finite(`${where}.stdDev`, v.stdDev);
      if (stdDev < 0) throw new EnvParamsError(`${where}.stdDev: expected ≥ 0, got ${stdDev}`);
      return { sampler: k, mean, stdDev };
    }
    case 'multiRangeUniform': {
      const list = v.intervals;
      if (!Array.isArray(list) || list.length === 0 || list.length > MAX_LESSONS) {
        throw new EnvParamsError(`${where}.intervals: expected a list of 1 to ${MAX_LESSONS} [min, max] pairs, got ${show(list)}`);
      }
      const intervals = list.map((pair: unknown, i) => {
        const at = `${where}.intervals[${i}]`;
        if (!Array.isArray(pair) || pair.length !== 2) throw new EnvParamsError(`${at}: expected a [min, max] pair, got ${show(pair)}`);
        const lo = finite(`${at}[0]`, pair[0]);
        const hi = finite(`${at}[1]`, pair[1]);
        if (!(hi > lo)) throw new EnvParamsError(`${at}: max must be greater than min, got [${lo}, ${hi}]`);
        return [lo, hi] as const;
      });
      return { sampler: k, intervals };
    }
  }
}

function checkCriteria(where: string, v: unknown, defaultBehavior: string, behaviors: readonly string[]): ResolvedCriteria {
  if (!isObject(v)) throw new EnvParamsError(`${where}: expected an object { threshold, measure?, behavior?, minLessonLength?, signalSmoothing?, requireReset? }, got ${show(v)}`);
  unknownFields(where, v, CRITERIA_FIELDS);
  const measure = v.measure ?? 'returnMean';
  if (typeof measure !== 'string' || measure === '') throw new EnvParamsError(`${where}.measure: expected "returnMean", "progress" or the name of a numeric metric, got ${show(measure)}`);
  const behavior = v.behavior ?? defaultBehavior;
  if (typeof behavior !== 'string' || !behaviors.includes(behavior)) {
    throw new EnvParamsError(`${where}.behavior: expected one of the game's behaviors (${behaviors.map((b) => `"${b}"`).join(', ')}), got ${show(behavior)}`);
  }
  const minLessonLength = v.minLessonLength ?? 100;
  if (typeof minLessonLength !== 'number' || !Number.isInteger(minLessonLength) || minLessonLength < 0 || minLessonLength > MAX_LESSON_LENGTH) {
    throw new EnvParamsError(`${where}.minLessonLength: expected an integer from 0 to ${MAX_LESSON_LENGTH.toLocaleString('en-US')} (episodes), got ${show(minLessonLength)}`);
  }
  const flag = (name: string, fallback: boolean): boolean => {
    const f = v[name] ?? fallback;
    if (typeof f !== 'boolean') throw new EnvParamsError(`${where}.${name}: expected true or false, got ${show(f)}`);
    return f;
  };
  return {
    measure, behavior, threshold: finite(`${where}.threshold`, v.threshold), minLessonLength,
    signalSmoothing: flag('signalSmoothing', true), requireReset: flag('requireReset', false),
  };
}

/**
 * Checks `environmentParameters` (as given in code or read from a `--config` file) against the
 * game's behaviors, and returns every parameter as lessons with the defaults filled in. Throws
 * {@link EnvParamsError} naming the parameter, lesson and field, and what is allowed.
 */
export function resolveEnvironmentParameters(v: unknown, behaviors: readonly string[]): ResolvedParameters {
  const where = 'environmentParameters';
  if (!isObject(v)) throw new EnvParamsError(`${where}: expected an object of parameters by name, got ${show(v)}`);
  const out = new Map<string, ResolvedLesson[]>();
  for (const [name, p] of Object.entries(v)) {
    const at = `${where}.${name}`;
    // __proto__ would set the prototype of the records that report parameters by name.
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || name === '__proto__') throw new EnvParamsError(`${at}: a parameter name is a letter or _ then up to 63 letters, digits or _ (not __proto__)`);
    if (!isObject(p) || !('curriculum' in p)) {
      out.set(name, [{ name: 'lesson0', value: checkSampler(at, p), completionCriteria: null }]);
      continue;
    }
    unknownFields(at, p, ['curriculum']);
    const lessons = p.curriculum;
    if (!Array.isArray(lessons) || lessons.length === 0 || lessons.length > MAX_LESSONS) {
      throw new EnvParamsError(`${at}.curriculum: expected a list of 1 to ${MAX_LESSONS} lessons ({ value, completionCriteria?, name? }), got ${show(lessons)}`);
    }
    out.set(name, lessons.map((lesson: unknown, i) => {
      const la = `${at}.curriculum[${i}]`;
      if (!isObject(lesson)) throw new EnvParamsError(`${la}: expected a lesson { value, completionCriteria?, name? }, got ${show(lesson)}`);
      unknownFields(la, lesson, ['name', 'value', 'completionCriteria']);
      const lessonName = lesson.name ?? `lesson${i}`;
      if (typeof lessonName !== 'string' || lessonName.length > 64) throw new EnvParamsError(`${la}.name: expected a string of at most 64 characters, got ${show(lessonName)}`);
      if (!('value' in lesson)) throw new EnvParamsError(`${la}.value: missing; expected a number or a sampler`);
      const last = i === lessons.length - 1;
      const c = lesson.completionCriteria;
      if (last && c !== undefined) throw new EnvParamsError(`${la}.completionCriteria: the last lesson has none (training stays in it)`);
      if (!last && c === undefined) throw new EnvParamsError(`${la}.completionCriteria: missing; every lesson but the last needs { threshold, … }`);
      return {
        name: lessonName, value: checkSampler(`${la}.value`, lesson.value),
        completionCriteria: last ? null : checkCriteria(`${la}.completionCriteria`, c, behaviors[0]!, behaviors),
      };
    }));
  }
  return out;
}

/** The parameters with each curriculum replaced by its last lesson's value: the setting it trains for (what evaluation plays). */
export function finalSettings(parameters: EnvironmentParameters): EnvironmentParameters {
  const out: Record<string, EnvironmentParameter> = {};
  for (const [name, p] of Object.entries(parameters)) {
    out[name] = typeof p === 'object' && 'curriculum' in p && Array.isArray(p.curriculum) && p.curriculum.length > 0 ? p.curriculum[p.curriculum.length - 1]!.value : p;
  }
  return out;
}

/** Draws one value from `s` with `rng`. */
export function sample(s: Sampler, rng: Rng): number {
  if (typeof s === 'number') return s;
  switch (s.sampler) {
    case 'constant':
      return s.value;
    case 'uniform':
      return rng.uniform(s.min, s.max);
    case 'gaussian':
      return s.mean + s.stdDev * rng.normal();
    case 'multiRangeUniform': {
      let total = 0;
      for (const [lo, hi] of s.intervals) total += hi - lo;
      // A point on the intervals laid end to end: each is picked in proportion to its length.
      let u = rng.uniform(0, total);
      for (const [lo, hi] of s.intervals) {
        if (u < hi - lo) return lo + u;
        u -= hi - lo;
      }
      const [lo, hi] = s.intervals[s.intervals.length - 1]!;
      return lo + (hi - lo) * 0.999999;
    }
  }
}

/**
 * What a game reads its environment parameters from (`ctx.params` in `createCopy`, the same
 * object for every copy): call `get` when an episode begins, so a sampler draws a new value each
 * episode and a new lesson applies from the next episode on.
 *
 * @example
 * override onEpisodeBegin(): void {
 *   this.world.reset(this.params.get('gapWidth'));
 * }
 */
export interface EnvParams {
  /** The parameter's value now: its current lesson's constant, or a fresh draw of its sampler. */
  get(name: string): number;
  /** The current lesson's index of parameter `name` (0 for a parameter without curriculum). */
  lesson(name: string): number;
  /** The parameters' names. */
  readonly names: readonly string[];
}
