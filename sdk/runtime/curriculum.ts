/**
 * A curriculum run: the environment parameters' current lessons, the values a game draws from
 * them, and the move to the next lesson when a lesson's completion criteria are met (ML-Agents'
 * rules: at least `minLessonLength` episodes in the lesson, then the smoothed measure against the
 * threshold, checked after each update of the lesson's behavior, one lesson at a time). Its state
 * goes into checkpoints, so a resumed run continues in the same lesson with the same window.
 */
import { Rng } from '../core/rng.js';
import {
  EnvParamsError, resolveEnvironmentParameters, sample,
  type EnvParams, type EnvironmentParameters, type ResolvedLesson, type ResolvedParameters, type Sampler,
} from './env-params.js';

/** Where one parameter is in its curriculum. */
export interface LessonProgress {
  /** Index of the current lesson. */
  lesson: number;
  /** Episodes of the criteria's behavior that ended in this lesson. */
  episodes: number;
  /** Their returns, the last `minLessonLength` (at least 1) of them: the `returnMean` window. */
  recent: number[];
  /** The smoothed measure so far in this lesson; null before the first check. */
  smoothed: number | null;
}

/** A curriculum's checkpoint: its definition, each parameter's progress, the sampling stream. */
export interface CurriculumState {
  parameters: EnvironmentParameters;
  progress: Record<string, LessonProgress>;
  rng: number[];
}

/** A lesson that just ended. */
export interface LessonChange {
  parameter: string;
  /** The new lesson's index and name. */
  lesson: number;
  name: string;
  /** The measure's (smoothed) value that ended the previous lesson. */
  measure: number;
}

/** Current lesson and latest value per parameter: what metrics and progress lines show. */
export interface CurriculumSummary {
  lessons: Record<string, number>;
  envParams: Record<string, number>;
}

/** The sampler's centre: what a parameter shows before its lesson's first draw. */
function centreOf(s: Sampler): number {
  if (typeof s === 'number') return s;
  switch (s.sampler) {
    case 'constant': return s.value;
    case 'uniform': return (s.min + s.max) / 2;
    case 'gaussian': return s.mean;
    case 'multiRangeUniform': return (s.intervals[0]![0] + s.intervals[s.intervals.length - 1]![1]) / 2;
  }
}

/**
 * The environment parameters of one training run, read by the game's copies through {@link
 * EnvParams} and moved on by the trainer.
 *
 * @example
 * const curriculum = new Curriculum({ gapWidth: { curriculum: [
 *   { value: 20, completionCriteria: { threshold: 0.9, minLessonLength: 20 } }, { value: 120 }] } }, ['jumper'], 1);
 * curriculum.get('gapWidth'); // 20
 */
export class Curriculum implements EnvParams {
  readonly names: readonly string[];
  private readonly lessons: ResolvedParameters;
  private readonly progress = new Map<string, LessonProgress>();
  private readonly last = new Map<string, number>();
  private readonly rng: Rng;

  /** Validates `parameters` against the game's `behaviors` (see {@link resolveEnvironmentParameters}); `seed` seeds the samplers. */
  constructor(readonly parameters: EnvironmentParameters, behaviors: readonly string[], seed: number) {
    this.lessons = resolveEnvironmentParameters(parameters, behaviors);
    this.names = [...this.lessons.keys()];
    this.rng = new Rng(seed ^ 0x2545f491);
    for (const name of this.names) {
      this.progress.set(name, { lesson: 0, episodes: 0, recent: [], smoothed: null });
      this.last.set(name, centreOf(this.lessons.get(name)![0]!.value));
    }
  }

  /** A curriculum continued from {@link state}: the same lessons, windows and sampling stream. */
  static restore(state: CurriculumState, behaviors: readonly string[]): Curriculum {
    const c = new Curriculum(state.parameters, behaviors, 0);
    c.rng.setState(state.rng);
    for (const name of c.names) {
      const p = state.progress[name];
      if (!p) throw new EnvParamsError(`the checkpoint's curriculum has no progress for parameter "${name}"`);
      const count = c.lessons.get(name)!.length;
      if (!Number.isInteger(p.lesson) || p.lesson < 0 || p.lesson >= count) {
        throw new EnvParamsError(`the checkpoint's curriculum puts "${name}" in lesson ${p.lesson}, but it has ${count} lessons`);
      }
      c.progress.set(name, { lesson: p.lesson, episodes: p.episodes, recent: [...p.recent], smoothed: p.smoothed });
      c.last.set(name, centreOf(c.current(name).value));
    }
    return c;
  }

  private current(name: string): ResolvedLesson {
    const lessons = this.lessons.get(name);
    if (!lessons) {
      throw new EnvParamsError(`no environment parameter "${name}"; the game's parameters: ${this.names.length ? this.names.map((n) => `"${n}"`).join(', ') : 'none'} (declare it in the game's environmentParameters or the run's config)`);
    }
    return lessons[this.progress.get(name)!.lesson]!;
  }

  get(name: string): number {
    const v = sample(this.current(name).value, this.rng);
    this.last.set(name, v);
    return v;
  }

  lesson(name: string): number {
    this.current(name);
    return this.progress.get(name)!.lesson;
  }

  /** Every parameter is in its last lesson (the setting the curriculum trains for): only then does a score count as the run's. */
  get finished(): boolean {
    return this.names.every((n) => this.progress.get(n)!.lesson === this.lessons.get(n)!.length - 1);
  }

  /** Counts an episode of `behavior` that ended with return `ret` toward the lessons it judges. */
  episodeEnded(behavior: string, ret: number): void {
    for (const name of this.names) {
      const c = this.current(name).completionCriteria;
      if (!c || c.behavior !== behavior) continue;
      const p = this.progress.get(name)!;
      p.episodes++;
      p.recent.push(ret);
      if (p.recent.length > Math.max(1, c.minLessonLength)) p.recent.shift();
    }
  }

  /**
   * Checks the lessons `behavior` judges after one of its updates: `metrics` are the update's
   * (`measure` names one of them), `progress` the share of the run's transitions done. Returns the
   * lessons that changed (at most one step per parameter) and whether one asks for a reset.
   */
  afterUpdate(behavior: string, metrics: object, progress: number): { changes: LessonChange[]; reset: boolean } {
    const changes: LessonChange[] = [];
    let reset = false;
    for (const name of this.names) {
      const c = this.current(name).completionCriteria;
      if (!c || c.behavior !== behavior) continue;
      const p = this.progress.get(name)!;
      // Measured before the length check, so a misspelt metric fails at the first update, not lessons later.
      const raw = this.measure(name, c.measure, p, metrics, progress);
      if (p.episodes < c.minLessonLength) continue;
      if (!Number.isFinite(raw)) continue;
      const value = c.signalSmoothing && p.smoothed !== null ? 0.25 * p.smoothed + 0.75 * raw : raw;
      p.smoothed = value;
      if (value < c.threshold) continue;
      const next = p.lesson + 1;
      this.progress.set(name, { lesson: next, episodes: 0, recent: [], smoothed: null });
      const lesson = this.lessons.get(name)![next]!;
      this.last.set(name, centreOf(lesson.value));
      changes.push({ parameter: name, lesson: next, name: lesson.name, measure: value });
      reset ||= c.requireReset;
    }
    return { changes, reset };
  }

  private measure(name: string, measure: string, p: LessonProgress, update: object, progress: number): number {
    const metrics = update as Readonly<Record<string, unknown>>;
    if (measure === 'returnMean') return p.recent.length ? p.recent.reduce((s, r) => s + r, 0) / p.recent.length : NaN;
    if (measure === 'progress') return progress;
    const v = metrics[measure];
    if (typeof v !== 'number') {
      const known = Object.keys(metrics).filter((k) => typeof metrics[k] === 'number');
      throw new EnvParamsError(`environmentParameters.${name}.curriculum[${p.lesson}].completionCriteria.measure: "${measure}" is no numeric metric of the update; use "returnMean", "progress" or one of ${known.map((k) => `"${k}"`).join(', ')}`);
    }
    return v;
  }

  /**
   * Moves to the lessons another curriculum of the run decided (`lessons`, by parameter, as {@link
   * summary} gives them): an actor worker's copies draw from the learner's lessons. A parameter
   * whose lesson changes starts it afresh, as {@link afterUpdate} does. Returns whether any changed.
   */
  follow(lessons: Readonly<Record<string, number>>): boolean {
    let changed = false;
    for (const name of this.names) {
      const lesson = lessons[name];
      if (lesson === undefined || lesson === this.progress.get(name)!.lesson) continue;
      const count = this.lessons.get(name)!.length;
      if (!Number.isInteger(lesson) || lesson < 0 || lesson >= count) throw new EnvParamsError(`Curriculum.follow: "${name}" has ${count} lessons, not a lesson ${lesson}`);
      this.progress.set(name, { lesson, episodes: 0, recent: [], smoothed: null });
      this.last.set(name, centreOf(this.lessons.get(name)![lesson]!.value));
      changed = true;
    }
    return changed;
  }

  /** Each parameter's lesson and the value last drawn (the lesson's centre before its first draw). */
  summary(): CurriculumSummary {
    const lessons: Record<string, number> = {};
    const envParams: Record<string, number> = {};
    for (const name of this.names) {
      lessons[name] = this.progress.get(name)!.lesson;
      envParams[name] = this.last.get(name)!;
    }
    return { lessons, envParams };
  }

  /** The lesson names, as the progress line shows them: `gapWidth wide (2/3)`. */
  describe(): string {
    return this.names.filter((n) => this.lessons.get(n)!.length > 1).map((n) => {
      const i = this.progress.get(n)!.lesson;
      return `${n} ${this.lessons.get(n)![i]!.name} (${i + 1}/${this.lessons.get(n)!.length})`;
    }).join(', ');
  }

  /** A JSON-safe copy of everything a resumed run needs. */
  state(): CurriculumState {
    const progress: Record<string, LessonProgress> = {};
    for (const [name, p] of this.progress) progress[name] = { lesson: p.lesson, episodes: p.episodes, recent: [...p.recent], smoothed: p.smoothed };
    return { parameters: JSON.parse(JSON.stringify(this.parameters)) as EnvironmentParameters, progress, rng: this.rng.getState() };
  }
}
