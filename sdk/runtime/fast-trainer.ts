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
import { BehaviorRunner, type AgentEpisode } from '../adapter/runner.js';
import { Box } from '../core/spaces.js';
import { BrainError, EnvError } from '../core/errors.js';
import { assertBrainFits, brainOf, resumeStateOf, restoreStats, reviveBrain, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import type { UpdateStats } from '../rl/learner.js';
import { engineDeviceOf, type EngineDevice, type RunProgress } from '../rl/metrics.js';
import type { Rollout } from '../rl/rollout.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import { Collector } from './collector.js';
import type { GameBehavior, HeadlessGame } from './game.js';
import { playingRunner } from './playing-runner.js';
import { BehaviorRatings } from './rivals.js';
import type { LearnerState } from '../rl/learner.js';
import type { BackendChoice, BackendReport, BackendSelector, LearnerSpec, TrainReply } from './learner-host.js';

export interface FastUpdate extends RunProgress, UpdateStats, EngineDevice {
  /** The behavior this update trained. */
  behavior: string;
  /** The learner's backend choice as the learner host names it: `kernels` or a tfjs backend (see `engine` and `device`). */
  backend: string;
  backendReason: string;
  policyVersion: number;
  /** The new weights (a copy; transferable). */
  params: Float32Array;
  /** Observation normalizer statistics, when normalizing. */
  observationStats: { mean: number[]; var: number[]; count: number } | null;
  /**
   * In a game of two behaviors or more: each behavior's ELO now (see {@link BehaviorRatings}),
   * from the results of the rounds played so far; absent in a one-behavior game.
   */
  elo?: Record<string, number>;
}

export interface FastTrainerOptions {
  /** Copies of the game's world. Default: the game's `copies`. */
  copies?: number;
  seed: number;
  /** Overrides of every behavior's tuned config for this run. */
  config?: Partial<PPOConfig>;
  /** Overrides of one behavior's config (its tuned one, or its checkpoint's), by behavior; `config` still comes on top. */
  behaviorConfig?: Readonly<Record<string, Partial<PPOConfig>>>;
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
  /**
   * Checkpoints of several behaviors to continue together (a game whose behaviors all learn),
   * each as `brain` continues one; with `brain` too, all of them. One per behavior at most.
   */
  brains?: readonly Brain[];
  /**
   * Behaviors that play without learning: by a brain's fixed weights (sampled actions) or by
   * their agents' `heuristic`. Default: every behavior learns, each with its own learner.
   *
   * @example
   * // chase's runner learns against the shipped pack
   * new FastTrainer(chaseRivalsGame, nodeBackends, { seed: 1, opponents: { chase: shippedPack } });
   */
  opponents?: Readonly<Record<string, Brain | 'heuristic'>>;
}

/** What trains one behavior synchronously: a started {@link LearnerHost}, or a learner built in-process. */
export interface SyncLearner {
  train(rollout: Rollout): TrainReply;
  getState(): LearnerState;
  getConfig(): ResolvedConfig;
  dispose(): void;
}

/** A learner built in-process for one behavior (see {@link FastTrainer.startWith}). */
export interface StartedLearner {
  learner: SyncLearner;
  report: BackendReport;
  /** Its first weights and their version. */
  params: Float32Array;
  version: number;
}

/** One behavior in training: its runner, learner and counters. */
interface Trainee {
  behavior: GameBehavior;
  config: ResolvedConfig;
  runner: BehaviorRunner;
  learner: SyncLearner | null;
  report: BackendReport | null;
  resume: ReturnType<typeof resumeStateOf> | null;
  episodes: EpisodeWindow;
  /** Transitions trained on, and updates, so far (a resumed run's included). */
  steps: number;
  updates: number;
  /** `steps` when this session started (steps/s counts this session's). */
  startSteps: number;
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
  /** ELO per behavior from the rounds' results, in a game of two behaviors or more. */
  readonly ratings: BehaviorRatings | null;
  /** The checkpoints continued, by behavior. */
  private readonly resumed: ReadonlyMap<string, Brain>;

  /**
   * `backends` activates the tfjs backends each behavior's {@link LearnerHost} may pick ({@link
   * start}); null when the learners are built in-process instead ({@link startWith}).
   */
  constructor(readonly game: HeadlessGame, private readonly backends: BackendSelector | null, private readonly options: FastTrainerOptions) {
    const resumed = new Map<string, Brain>();
    for (const given of [...(options.brain ? [options.brain] : []), ...(options.brains ?? [])]) {
      const brain = reviveBrain(given);
      if (!game.behaviors.some((b) => b.name === brain.env)) {
        throw new BrainError(game.behaviors.length === 1
          ? `the brain was trained on "${brain.env}", not on the game "${game.name}"`
          : `the brain was trained on "${brain.env}", which is no behavior of the game "${game.name}" (its behaviors: ${game.behaviors.map((b) => `"${b.name}"`).join(', ')})`);
      }
      if (resumed.has(brain.env)) throw new BrainError(`two brains to continue for the behavior "${brain.env}"`);
      resumed.set(brain.env, brain);
    }
    const opponents = options.opponents ?? {};
    for (const [name, o] of Object.entries(opponents)) {
      if (!game.behaviors.some((b) => b.name === name)) throw new EnvError(`FastTrainer: opponents.${name}: the game "${game.name}" has no behavior "${name}"; its behaviors: ${game.behaviors.map((b) => `"${b.name}"`).join(', ')}`);
      if (resumed.has(name)) throw new BrainError(`FastTrainer: the behavior "${name}" is both resumed (brain) and a fixed opponent (opponents.${name})`);
      if (o !== 'heuristic' && o.env !== name) throw new BrainError(`FastTrainer: opponents.${name} is a brain trained on "${o.env}", not on "${name}"`);
    }
    if (game.behaviors.every((b) => b.name in opponents)) throw new EnvError(`FastTrainer: every behavior of the game "${game.name}" is a fixed opponent; nothing would learn`);
    // Set once the copies are built (the agents per copy come from them).
    let rate: (behavior: string, e: AgentEpisode) => void = () => undefined;
    // Resumed: new episodes, not a replay of the run's first ones.
    const seed = options.seed + Math.max(0, ...[...resumed.values()].map((b) => b.steps));
    this.collector = new Collector(game, {
      copies: options.copies ?? game.copies,
      seed,
      runner: (behavior, agents) => {
        const fixed = opponents[behavior.name];
        if (fixed !== undefined) {
          return playingRunner(game, behavior, fixed === 'heuristic' ? null : reviveBrain(fixed), { action: 'sample', onEpisodeEnd: (e) => rate(behavior.name, e) });
        }
        const own = resumed.get(behavior.name) ?? null;
        // One rollout column per agent; a resumed run keeps the checkpoint's config.
        const mine = options.behaviorConfig?.[behavior.name];
        const config = resolveConfig(own
          ? { ...configFields(own.config), ...mine, ...options.config, numEnvs: agents }
          : { ...behavior.config, ...mine, ...options.config, seed: options.seed, numEnvs: agents });
        const t: Trainee = {
          behavior, config, learner: null, report: null, resume: own ? resumeStateOf(own) : null,
          episodes: new EpisodeWindow(), steps: own?.steps ?? 0, startSteps: own?.steps ?? 0, updates: own?.training?.updates ?? 0, returnMean: NaN,
          runner: new BehaviorRunner({
            name: behavior.name, observationSize: behavior.observationSize, actionSpec: behavior.actionSpec, type: 'train', config,
            onRollout: (r) => this.train(t, r),
            // Lengths in decisions (transitions), as RunProgress.episodeLength counts them.
            onEpisodeEnd: (e) => { t.episodes.push(e.return, e.length); rate(behavior.name, e); },
          }),
        };
        this.trainees.push(t);
        return t.runner;
      },
    });
    this.resumed = resumed;
    const copies = this.collector.copies.length;
    this.ratings = game.behaviors.length >= 2
      ? new BehaviorRatings(Object.fromEntries(game.behaviors.map((b) => [b.name, this.collector.members.get(b.name)!.length / copies])))
      : null;
    const ratings = this.ratings;
    if (ratings) rate = (name, e) => ratings.record(name, e);
  }

  /** The resolved config of the game's first behavior (its only one, in a one-behavior game). */
  get config(): ResolvedConfig {
    return this.trainees[0]!.config;
  }

  /** Transitions the first behavior trained on so far. */
  get step(): number {
    return this.trainees[0]!.steps;
  }

  /**
   * Every learning behavior has trained its config's `totalSteps` (each behavior its own
   * schedule) and `runUpdate` has returned every update.
   */
  get done(): boolean {
    return this.queue.length === 0 && this.trainees.every((t) => t.steps >= t.config.totalSteps);
  }

  /** Starts each behavior's learner (a {@link LearnerHost}, picking its backend) and hands the runners their first weights. */
  async start(): Promise<BackendReport> {
    const backends = this.backends;
    if (!backends) throw new Error('FastTrainer: no backends were given; start the learners in-process with startWith()');
    // Loaded here, not at the top: in-process learners (the Trainer's) never load tfjs.
    const { LearnerHost } = await import('./learner-host.js');
    for (const t of this.trainees) {
      const host = new LearnerHost(backends);
      const init = await host.init(this.learnerSpec(t));
      this.attach(t, { learner: host, report: { backend: init.backend, reason: init.reason, timings: init.timings }, params: init.params, version: init.version });
    }
    return this.begin();
  }

  /** Starts with learners built in-process and synchronously by `build` (e.g. on an engine of the caller's). */
  startWith(build: (spec: LearnerSpec) => StartedLearner): BackendReport {
    for (const t of this.trainees) this.attach(t, build(this.learnerSpec(t)));
    return this.begin();
  }

  /** The learner each behavior needs: its sizes, config and, when resuming, saved state. */
  private learnerSpec(t: Trainee): LearnerSpec {
    const spec = t.runner.spec!;
    const own = this.resumed.get(t.behavior.name);
    if (own && t.resume) assertBrainFits(own, spec.observationSize, spec.actionSpace, `behavior "${t.behavior.name}" of the game "${this.game.name}"`);
    return {
      observationSize: spec.observationSize, actionSpace: spec.actionSpace, config: configFields(t.config), backend: this.options.backend ?? 'auto',
      ...(t.resume ? { state: t.resume.learner } : {}),
    };
  }

  private attach(t: Trainee, started: StartedLearner): void {
    t.learner = started.learner;
    t.report = started.report;
    t.runner.setParams(started.params, started.version, t.resume?.observationStats ?? null);
    if (t.resume) restoreStats(t.runner.rewardStats, t.resume.rewardStats);
    if (t.resume?.actingRng) t.runner.restoreActingRng(t.resume.actingRng);
  }

  private begin(): BackendReport {
    this.started = true;
    this.startedAt = performance.now();
    return this.trainees[0]!.report!;
  }

  /** Releases every behavior's learner (its engine's memory). */
  dispose(): void {
    for (const t of this.trainees) t.learner?.dispose();
  }

  /** Plays until a behavior's rollout is full and trained on, and returns that update's metrics. */
  runUpdate(): FastUpdate {
    if (!this.started) throw new Error('FastTrainer: call start() first');
    for (let ticks = 1; this.queue.length === 0; ticks++) {
      this.collector.tick();
      // Checked now and then, not every tick: with every agent gone no rollout can ever fill.
      if (ticks % 4096 === 0 && this.collector.agentCount === 0) throw new EnvError(`game "${this.game.name}": every agent has left its behavior; no rollout can fill`);
    }
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
    if (!t) {
      throw new BrainError(this.options.opponents?.[name] !== undefined
        ? `behavior "${name}" is a fixed opponent in this run: it has no trained brain`
        : `game "${this.game.name}" has no behavior "${name}"`);
    }
    if (!this.started) throw new Error('FastTrainer: call start() first');
    const spec = t.runner.spec!;
    return brainOf({
      name, observationSpace: t.behavior.observationSpace ?? Box(-Infinity, Infinity, spec.observationSize), actionSpace: spec.actionSpace, config: t.config,
      observationStats: t.runner.observationStats, steps: t.steps,
      // The runner's action-sampling stream is its own; a resumed run starts a new one.
      source: { learner: t.learner!.getState(), rewardStats: t.runner.rewardStats, actingRng: t.runner.actingRngState },
    });
  }

  /** Trains on a full rollout at once; the new weights act from the next decision on. */
  private train(t: Trainee, rollout: Rollout): void {
    const reply = t.learner!.train(rollout);
    t.runner.setParams(reply.params, reply.version);
    t.steps += rollout.numSteps * rollout.numEnvs;
    t.updates++;
    const window = t.episodes.summary();
    t.returnMean = window.returnMean;
    const time = (performance.now() - this.startedAt) / 1000;
    this.queue.push({
      ...reply.stats, ...window, behavior: t.behavior.name, update: t.updates, step: t.steps, time, episodes: t.episodes.count,
      sps: (t.steps - t.startSteps) / time, backend: t.report!.backend, ...engineDeviceOf({ backend: t.report!.backend }), backendReason: t.report!.reason, policyVersion: reply.version,
      params: reply.params, observationStats: t.runner.observationStats?.toJSON() ?? null,
      ...(this.ratings ? { elo: this.ratings.toJSON() } : {}),
    });
  }
}
