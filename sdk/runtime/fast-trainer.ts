/**
 * Fast mode: N headless copies of a game's world, stepped as fast as the CPU allows through the
 * one {@link Collector}, with the same agents as live mode and one learner per behavior in the
 * same thread. Runs in a worker in the browser (the visible scene plays the latest weights
 * meanwhile) and in Node (the CLI trains bundled games this way).
 *
 * Training is synchronous: a behavior's full rollout trains inside the runner's `onRollout`, and
 * the new weights are set there, before the next decision acts, so every update is on-policy
 * (policy lag 0).
 */
import { BehaviorRunner } from '../adapter/runner.js';
import { Box } from '../core/spaces.js';
import { BrainError } from '../core/errors.js';
import { assertBrainFits, brainOf, resumeStateOf, restoreStats, reviveBrain, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import type { UpdateStats } from '../rl/learner.js';
import type { RunProgress } from '../rl/metrics.js';
import type { Rollout } from '../rl/rollout.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import { Collector } from './collector.js';
import type { GameBehavior, HeadlessGame } from './game.js';
import { LearnerHost, type BackendChoice, type BackendReport, type BackendSelector } from './learner-host.js';

export interface FastUpdate extends RunProgress, UpdateStats {
  /** The behavior this update trained. */
  behavior: string;
  backend: string;
  backendReason: string;
  policyVersion: number;
  /** The new weights (a copy; transferable). */
  params: Float32Array;
  /** Observation normalizer statistics, when normalizing. */
  observationStats: { mean: number[]; var: number[]; count: number } | null;
}

export interface FastTrainerOptions {
  /** Copies of the game's world. Default: the game's `copies`. */
  copies?: number;
  seed: number;
  /** Overrides of every behavior's tuned config for this run. */
  config?: Partial<PPOConfig>;
  /** Each learner's backend; `auto` (default) measures and keeps the fastest. */
  backend?: BackendChoice;
  /**
   * Continues training the behavior its `env` names: exactly (Adam moments, schedules, shuffle
   * RNG, normalizer and reward statistics, step count) when it holds training state, else from
   * its weights and observation statistics with a fresh optimizer. Its config is kept (`config`
   * still overrides); the copies start new episodes, seeded by `seed + brain.steps` so they do
   * not replay the run's first ones, and action sampling starts a new stream.
   */
  brain?: Brain;
}

/** One behavior in training: its runner, learner and counters. */
interface Trainee {
  behavior: GameBehavior;
  config: ResolvedConfig;
  runner: BehaviorRunner;
  host: LearnerHost;
  report: BackendReport | null;
  resume: ReturnType<typeof resumeStateOf> | null;
  episodes: EpisodeWindow;
  /** Transitions trained on, and updates, so far (a resumed run's included). */
  steps: number;
  updates: number;
  /** The latest update's mean return (for `run`'s target). */
  returnMean: number;
}

export class FastTrainer {
  readonly collector: Collector;
  private readonly trainees: Trainee[] = [];
  /** Updates done but not yet returned by `runUpdate` (behaviors that filled on the same tick). */
  private readonly queue: FastUpdate[] = [];
  private startedAt = 0;
  private started = false;
  private stopped = false;

  constructor(readonly game: HeadlessGame, backends: BackendSelector, private readonly options: FastTrainerOptions) {
    const brain = options.brain ? reviveBrain(options.brain) : null;
    if (brain && !game.behaviors.some((b) => b.name === brain.env)) {
      throw new BrainError(game.behaviors.length === 1
        ? `the brain was trained on "${brain.env}", not on the game "${game.name}"`
        : `the brain was trained on "${brain.env}", which is no behavior of the game "${game.name}" (its behaviors: ${game.behaviors.map((b) => `"${b.name}"`).join(', ')})`);
    }
    const seed = options.seed + (brain?.steps ?? 0);
    this.collector = new Collector(game, {
      copies: options.copies ?? game.copies,
      seed,
      runner: (behavior, agents) => {
        const own = brain?.env === behavior.name ? brain : null;
        // One rollout column per agent; a resumed run keeps the checkpoint's config.
        const config = resolveConfig(own
          ? { ...configFields(own.config), ...options.config, numEnvs: agents }
          : { ...behavior.config, ...options.config, seed: options.seed, numEnvs: agents });
        const t: Trainee = {
          behavior, config, host: new LearnerHost(backends), report: null, resume: own ? resumeStateOf(own) : null,
          episodes: new EpisodeWindow(), steps: own?.steps ?? 0, updates: own?.training?.updates ?? 0, returnMean: NaN,
          runner: new BehaviorRunner({
            name: behavior.name, observationSize: behavior.observationSize, actionSpec: behavior.actionSpec, type: 'train', config,
            onRollout: (r) => this.train(t, r),
            onEpisodeEnd: (e) => t.episodes.push(e.return, e.ticks),
          }),
        };
        this.trainees.push(t);
        return t.runner;
      },
    });
  }

  /** The resolved config of the game's first behavior (its only one, in a one-behavior game). */
  get config(): ResolvedConfig {
    return this.trainees[0]!.config;
  }

  /** Transitions the first behavior trained on so far. */
  get step(): number {
    return this.trainees[0]!.steps;
  }

  /** Starts each behavior's learner (picking its backend) and hands the runners their first weights. */
  async start(): Promise<BackendReport> {
    for (const t of this.trainees) {
      const spec = t.runner.spec!;
      const what = `behavior "${t.behavior.name}" of the game "${this.game.name}"`;
      if (this.options.brain && t.resume) assertBrainFits(this.options.brain, spec.observationSize, spec.actionSpace, what);
      const init = await t.host.init({
        observationSize: spec.observationSize, actionSpace: spec.actionSpace, config: configFields(t.config), backend: this.options.backend ?? 'auto',
        ...(t.resume ? { state: t.resume.learner } : {}),
      });
      t.report = { backend: init.backend, reason: init.reason, timings: init.timings };
      t.runner.setParams(init.params, init.version, t.resume?.observationStats ?? null);
      if (t.resume) restoreStats(t.runner.rewardStats, t.resume.rewardStats);
    }
    this.started = true;
    this.startedAt = performance.now();
    return this.trainees[0]!.report!;
  }

  /** Plays until a behavior's rollout is full and trained on, and returns that update's metrics. */
  runUpdate(): FastUpdate {
    if (!this.started) throw new Error('FastTrainer: call start() first');
    while (this.queue.length === 0) this.collector.tick();
    return this.queue.shift()!;
  }

  /**
   * Trains until `stop()`, or until every behavior has trained `maxSteps` transitions or reached
   * a mean return of `targetReturn`, calling `onUpdate` after every update and yielding to the
   * event loop in between (so a stop message gets through).
   */
  async run(onUpdate: (u: FastUpdate) => void, limits: { maxSteps?: number; targetReturn?: number } = {}): Promise<void> {
    if (!this.started) await this.start();
    this.stopped = false;
    const { maxSteps, targetReturn } = limits;
    while (!this.stopped) {
      onUpdate(this.runUpdate());
      if (maxSteps !== undefined && this.trainees.every((t) => t.steps >= maxSteps)) break;
      if (targetReturn !== undefined && this.trainees.every((t) => t.returnMean >= targetReturn)) break;
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  /** Ends `run` after the current update. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * The trained behavior `name` (default: the game's first) as a brain (loadable by the page, the
   * CLI and inference behaviors), with its training state: a checkpoint that `options.brain`
   * resumes. Copies; safe to transfer.
   */
  brain(name = this.game.behaviors[0]!.name): Brain {
    const t = this.trainees.find((x) => x.behavior.name === name);
    if (!t) throw new BrainError(`game "${this.game.name}" has no behavior "${name}"`);
    if (!this.started) throw new Error('FastTrainer: call start() first');
    const spec = t.runner.spec!;
    return brainOf({
      name, observationSpace: Box(-Infinity, Infinity, spec.observationSize), actionSpace: spec.actionSpace, config: t.host.getConfig(),
      observationStats: t.runner.observationStats, steps: t.steps,
      // The runner's action-sampling stream is its own; a resumed run starts a new one.
      source: { learner: t.host.getState(), rewardStats: t.runner.rewardStats, actingRng: null },
    });
  }

  /** Trains on a full rollout at once; the new weights act from the next decision on. */
  private train(t: Trainee, rollout: Rollout): void {
    const reply = t.host.train(rollout);
    t.runner.setParams(reply.params, reply.version);
    t.steps += rollout.numSteps * rollout.numEnvs;
    t.updates++;
    const window = t.episodes.summary();
    t.returnMean = window.returnMean;
    const time = (performance.now() - this.startedAt) / 1000;
    this.queue.push({
      ...reply.stats, ...window, behavior: t.behavior.name, update: t.updates, step: t.steps, time, episodes: t.episodes.count,
      sps: t.steps / time, backend: t.report!.backend, backendReason: t.report!.reason, policyVersion: reply.version,
      params: reply.params, observationStats: t.runner.observationStats?.toJSON() ?? null,
    });
  }
}
