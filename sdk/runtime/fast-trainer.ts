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
import { nextTask } from '../core/next-task.js';
import { copyInputs } from '../rl/conv.js';
import { AGENT_RUNTIME } from '../adapter/agent.js';
import { BehaviorRunner, type AgentEpisode } from '../adapter/runner.js';
import { Box } from '../core/spaces.js';
import { BrainError, EnvError, PhaserPpoError } from '../core/errors.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import { checkDemonstrations, demonstrationStats, type PretrainOptions, type PretrainReport } from '../rl/behavioral-cloning.js';
import type { RunningMeanStd } from '../rl/normalizer.js';
import { assertBrainFits, brainOf, resumeStateOf, restoreStats, reviveBrain, reviveStats, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, scheduledSteps, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import type { UpdateStats } from '../rl/learner.js';
import { engineDeviceOf, type EngineDevice, type LessonProgressMetrics, type RunProgress } from '../rl/metrics.js';
import type { Rollout } from '../rl/rollout.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import { Collector } from './collector.js';
import { Curriculum } from './curriculum.js';
import type { EnvironmentParameters } from './env-params.js';
import type { GameBehavior, HeadlessGame } from './game.js';
import { SelfPlay, type SelfPlayStateJson, type SelfPlayWeights } from './self-play.js';
import { opponentsOf, TeamSplit } from './team-split.js';
import { playingRunner } from './playing-runner.js';
import { keepDemonstrationRefs, useDemonstrationRef, type GivenDemonstrations } from './demo-ref.js';
import { BehaviorRatings } from './rivals.js';
import type { LearnerState } from '../rl/learner.js';
import type { BackendChoice, BackendReport, BackendSelector, LearnerSpec, TrainReply } from './learner-host.js';

export interface FastUpdate extends RunProgress, UpdateStats, EngineDevice, LessonProgressMetrics {
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
   * This behavior's ELO after this update's games: with `config.selfPlay`, the learning policy's;
   * in a game of two behaviors or more, its rating against the others (see {@link ratings}).
   */
  elo?: number;
  /**
   * In a game of two behaviors or more: every behavior's ELO now (see {@link BehaviorRatings}),
   * from the results of the rounds played so far; absent in a one-behavior game.
   */
  ratings?: Record<string, number>;
  /** Self-play only: the team learning now, and the ELO of the snapshot the other teams play. */
  learningTeam?: number;
  opponentElo?: number;
  /**
   * Only on update 0 ({@link FastTrainer.pretrainUpdate}): behaviour cloning's report. Update 0
   * carries the pre-trained weights before any PPO update; its losses are NaN.
   */
  pretrain?: PretrainReport;
}

export interface FastTrainerOptions {
  /** Copies of the game's world. Default: the game's `copies`. */
  copies?: number;
  /** Index of the first copy (default 0): an actor worker builds its share of a run's copies (see `CollectorOptions.firstCopy`). */
  firstCopy?: number;
  /** Seed of each learning behavior's action sampling (default `config.seed + 1`): actor workers each sample their own stream. */
  actingSeed?: number;
  /**
   * An actor worker's trainer: its curriculum's lessons move only when {@link followLessons} says,
   * and self-play's opponents and learning team only when {@link followSelfPlay} says (the
   * learner decides both), not after its own updates; its samplers draw from `curriculumSeed`
   * (default `seed`), so each actor its own stream.
   */
  followsLearner?: boolean;
  curriculumSeed?: number;
  /** Called when an episode of a learning behavior ends (after the trainer has counted it): actor workers forward them. */
  onEpisodeEnd?: (behavior: string, episode: AgentEpisode) => void;
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
   * A checkpoint's curriculum (lessons, episode windows, sampling RNG) continues as it was.
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
  /**
   * In a game of two behaviors or more: every behavior's ELO to go on from (a resumed run's, e.g.
   * the last update's `ratings`), by behavior; default each starts at the initial rating.
   */
  ratings?: Readonly<Record<string, number>>;
  /**
   * Demonstrations of the behavior they name (`data.behavior`): unless `pretrain` is false, the
   * policy is first fitted to them by behaviour cloning (a fresh run only; {@link
   * FastTrainer.pretrainReport} says how well), and `config.behavioralCloning` / `config.gail`
   * learn from them during PPO. A fresh run that normalizes observations starts its statistics
   * from the demonstrations'. With `sha256` (`await demonstrationHash(data)`), the brain's config
   * records `{ source, sha256 }` in `behavioralCloning.demo` / `gail.demo`, and resuming that
   * checkpoint requires the same demonstrations (a `DemonstrationError` names the file otherwise).
   */
  demonstrations?: GivenDemonstrations & { pretrain?: PretrainOptions | false };
  /**
   * Environment parameters for this run, replacing the game's own (`environmentParameters`)
   * parameter by parameter: constants, samplers or curricula. A resumed run keeps its checkpoint's.
   */
  environmentParameters?: EnvironmentParameters;
}

/** What trains one behavior synchronously: a started {@link LearnerHost}, or a learner built in-process. */
export interface SyncLearner {
  train(rollout: Rollout): TrainReply;
  getState(): LearnerState;
  getConfig(): ResolvedConfig;
  dispose(): void;
  /** Behaviour-cloning pre-training (LearnerHost's); needed for `demonstrations.pretrain`. */
  pretrain?(demo: DemonstrationData, options: PretrainOptions): { params: Float32Array; version: number; report: PretrainReport };
  /** Needed for `config.behavioralCloning` / `config.gail`. */
  setDemonstrations?(demo: DemonstrationData, observationStats: RunningMeanStd | null): void;
  setObservationStats?(observationStats: RunningMeanStd | null): void;
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
  /** With `config.selfPlay`: the bookkeeping, the opponents' runner and the team split. */
  selfPlay: SelfPlaySide | null;
  /** Whether the learner learns from demonstrations during PPO (its statistics follow the runner's). */
  learnsFromDemos: boolean;
}

/** One behavior trained with self-play: see sdk/runtime/self-play.ts. */
interface SelfPlaySide {
  /** Built when the learner starts (it needs the first weights). */
  state: SelfPlay | null;
  /** A checkpoint's state, restored when the learner starts. */
  resumed: SelfPlayStateJson | null;
  split: TeamSplit;
  /** The other teams' agents, acting with the snapshot's weights (sampled actions, as ML-Agents' ghosts). */
  opponents: BehaviorRunner | null;
  /** The learning team changed: agents move between the runners after the tick. */
  regroup: boolean;
  /** An actor worker's learning team, as the learner's self-play says (see `followsLearner`); null: `state`'s. */
  followedTeam: number | null;
}

export class FastTrainer {
  readonly collector: Collector;
  /** The run's environment parameters and where their lessons are. */
  readonly curriculum: Curriculum;
  private readonly trainees: Trainee[] = [];
  /** Updates done but not yet returned by `runUpdate` (behaviors that filled on the same tick). */
  private readonly queue: FastUpdate[] = [];
  private startedAt = 0;
  private started = false;
  private stopped = false;
  /** What behaviour-cloning pre-training achieved (`options.demonstrations`); null when none ran. */
  pretrainReport: PretrainReport | null = null;
  /** The pre-trained behavior and its weights (the runner's own array: copied before it leaves). */
  private pretrained: { t: Trainee; params: Float32Array; version: number } | null = null;
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
    const demoBehavior = options.demonstrations?.data.behavior;
    if (demoBehavior !== undefined && !game.behaviors.some((b) => b.name === demoBehavior)) {
      throw new PhaserPpoError(`demonstrations: they were recorded for "${demoBehavior}", which is no behavior of the game "${game.name}" (its behaviors: ${game.behaviors.map((b) => `"${b.name}"`).join(', ')})`);
    }
    // Resumed: new episodes, not a replay of the run's first ones.
    const seed = options.seed + Math.max(0, ...[...resumed.values()].map((b) => b.steps));
    const behaviors = game.behaviors.map((b) => b.name);
    // The curriculum is the game's: every behavior's checkpoint holds the same one.
    const saved = [...resumed.values()].find((b) => b.training?.curriculum)?.training?.curriculum;
    this.curriculum = saved
      ? Curriculum.restore(saved, behaviors)
      : new Curriculum({ ...game.environmentParameters, ...options.environmentParameters }, behaviors, options.curriculumSeed ?? options.seed);
    // Behaviors trained with self-play are split by team: the learning team's agents stay, the
    // others' act in `<name>@opponents` with a snapshot's weights.
    const sides = new Map<string, SelfPlaySide>();
    let played = game;
    for (const b of game.behaviors) {
      const own = resumed.get(b.name) ?? null;
      // Only the selfPlay field here: the rest is resolved with the agent count, below.
      const merged = own ? { ...configFields(own.config), ...options.config } : { ...b.config, ...options.config };
      const settings = resolveConfig({ selfPlay: merged.selfPlay ?? null }).selfPlay;
      if (!settings) continue;
      const pool = own?.training?.selfPlay ?? null;
      const side: SelfPlaySide = { state: null, resumed: pool, opponents: null, regroup: false, split: null!, followedTeam: null };
      side.split = new TeamSplit(played, b.name, () => side.followedTeam ?? side.state?.learningTeam ?? pool?.learningTeam ?? 0);
      played = side.split.game;
      sides.set(b.name, side);
    }
    this.collector = new Collector(played, {
      copies: options.copies ?? game.copies,
      ...(options.firstCopy !== undefined ? { firstCopy: options.firstCopy } : {}),
      seed,
      params: this.curriculum,
      runner: (behavior, agents) => {
        const learning = [...sides.entries()].find(([name]) => opponentsOf(name) === behavior.name);
        if (learning) {
          const t = this.trainees.find((x) => x.behavior.name === learning[0])!;
          const opponents = new BehaviorRunner({
            name: behavior.name, observationSize: behavior.observationSize, actionSpec: behavior.actionSpec, type: 'inference', config: t.config,
            inferenceAction: 'sample', seed: t.config.seed + 2,
          });
          learning[1].opponents = opponents;
          return opponents;
        }
        const fixed = opponents[behavior.name];
        if (fixed !== undefined) {
          return playingRunner(game, behavior, fixed === 'heuristic' ? null : reviveBrain(fixed), { action: 'sample', onEpisodeEnd: (e) => rate(behavior.name, e) });
        }
        const own = resumed.get(behavior.name) ?? null;
        const side = sides.get(behavior.name);
        // Built once every copy is: each team must have its agents before the opponents' runner is.
        if (side && side.split.teams < 2) {
          throw new EnvError(`game "${game.name}": behavior "${behavior.name}" trains with self-play (config.selfPlay), but all its agents are on team ${Math.max(0, side.split.teams - 1)}; give the agents of each side their own team (new Agent({ team: 1 }) …), or set selfPlay: null`);
        }
        if (side && !side.split.agents.some((a) => a.team !== (side.resumed?.learningTeam ?? 0))) {
          throw new EnvError(`game "${game.name}": behavior "${behavior.name}" trains with self-play, but no agent plays for a team other than the learning team ${side.resumed?.learningTeam ?? 0}`);
        }
        // One rollout column per agent; a resumed run keeps the checkpoint's config.
        const mine = options.behaviorConfig?.[behavior.name];
        const config = resolveConfig(own
          ? keepDemonstrationRefs(own.config, { ...configFields(own.config), ...mine, ...options.config, numEnvs: agents })
          : { ...behavior.config, ...mine, ...options.config, seed: options.seed, numEnvs: agents });
        const demos = options.demonstrations;
        useDemonstrationRef(config, behavior.name, demos?.data.behavior === behavior.name ? demos : undefined, own !== null);
        const t: Trainee = {
          behavior, config, learner: null, report: null, resume: own ? resumeStateOf(own) : null,
          episodes: new EpisodeWindow(), steps: own?.steps ?? 0, startSteps: own?.steps ?? 0, updates: own?.training?.updates ?? 0, returnMean: NaN,
          selfPlay: sides.get(behavior.name) ?? null, learnsFromDemos: false,
          runner: new BehaviorRunner({
            name: behavior.name, observationSize: behavior.observationSize, actionSpec: behavior.actionSpec, type: 'train', config,
            ...(options.actingSeed !== undefined ? { seed: options.actingSeed } : {}),
            onRollout: (r) => this.train(t, r),
            // Lengths in decisions (transitions), as RunProgress.episodeLength counts them.
            onEpisodeEnd: (e) => {
              t.episodes.push(e.return, e.length);
              t.selfPlay?.state?.recordEpisode(e);
              this.curriculum.episodeEnded(behavior.name, e.return);
              rate(behavior.name, e);
              options.onEpisodeEnd?.(behavior.name, e);
            },
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
    if (options.ratings) {
      if (!ratings) throw new EnvError(`FastTrainer: ratings are for games of two behaviors or more; the game "${game.name}" has one`);
      ratings.restore(options.ratings);
    }
    if (ratings) rate = (name, e) => ratings.record(name, e);
  }

  /**
   * The self-play bookkeeping of behavior `name` (default: the game's first): its pool, ELO,
   * learning team and opponent; null when it does not train with `config.selfPlay` or before
   * `start()`. Read it; the trainer drives it.
   *
   * @example
   * const u = trainer.runUpdate();
   * console.log(u.elo, trainer.selfPlay()?.pool.length);
   */
  selfPlay(name = this.game.behaviors[0]!.name): SelfPlay | null {
    return this.trainees.find((x) => x.behavior.name === name)?.selfPlay?.state ?? null;
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
   * Every learning behavior has trained its config's scheduled steps (`scheduledSteps`: each
   * behavior its own schedule) and `runUpdate` has returned every update.
   */
  get done(): boolean {
    return this.queue.length === 0 && this.trainees.every((t) => t.steps >= scheduledSteps(t.config));
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

  /** Starts with learners built in-process and synchronously by `build` (e.g. on an engine of the caller's), given each learning behavior's name. */
  startWith(build: (spec: LearnerSpec, behavior: string) => StartedLearner): BackendReport {
    for (const t of this.trainees) this.attach(t, build(this.learnerSpec(t), t.behavior.name));
    return this.begin();
  }

  /**
   * Each learning behavior's name, runner and resolved config, in the game's order (an actor
   * worker hands each one's rollouts on), and with self-play the teams its agents play on.
   */
  get learning(): readonly { name: string; runner: BehaviorRunner; config: ResolvedConfig; teams?: number }[] {
    return this.trainees.map((t) => ({ name: t.behavior.name, runner: t.runner, config: t.config, ...(t.selfPlay ? { teams: t.selfPlay.split.teams } : {}) }));
  }

  /**
   * An actor worker (`followsLearner`): behavior `name`'s opponents act with `opponent` from the
   * next decision (when given: the learner's self-play drew a new one), and `learningTeam` learns
   * (its agents move runners after the tick, as in one thread).
   */
  followSelfPlay(name: string, update: { opponent?: SelfPlayWeights; learningTeam: number }): void {
    const side = this.trainees.find((t) => t.behavior.name === name)?.selfPlay;
    if (!side) throw new PhaserPpoError(`FastTrainer.followSelfPlay: the behavior "${name}" does not train with self-play`);
    if (update.opponent) side.opponents!.setParams(update.opponent.params, update.opponent.version, reviveStats(update.opponent.observationStats));
    const team = side.followedTeam ?? side.state?.learningTeam ?? 0;
    side.followedTeam = update.learningTeam;
    if (update.learningTeam !== team) side.regroup = true;
  }

  /** The learner each behavior needs: its sizes, config and, when resuming, saved state. */
  private learnerSpec(t: Trainee): LearnerSpec {
    const spec = t.runner.spec!;
    const own = this.resumed.get(t.behavior.name);
    if (own && t.resume) assertBrainFits(own, spec.observationSize, spec.actionSpace, `behavior "${t.behavior.name}" of the game "${this.game.name}"`, spec.observationInputs);
    return {
      observationSize: spec.observationSize, observationInputs: copyInputs(spec.observationInputs), actionSpace: spec.actionSpace, config: configFields(t.config), backend: this.options.backend ?? 'auto',
      ...(t.resume ? { state: t.resume.learner } : {}),
    };
  }

  private attach(t: Trainee, started: StartedLearner): void {
    t.learner = started.learner;
    t.report = started.report;
    t.runner.setParams(started.params, started.version, t.resume?.observationStats ?? null);
    if (t.resume) restoreStats(t.runner.rewardStats, t.resume.rewardStats);
    if (t.resume?.actingRng) t.runner.restoreActingRng(t.resume.actingRng);
    const demos = this.options.demonstrations;
    if (demos && demos.data.behavior === t.behavior.name) this.useDemonstrations(t, demos.data, demos.pretrain ?? {}, started);
    const side = t.selfPlay;
    if (side) {
      const settings = t.config.selfPlay!;
      side.state = side.resumed
        ? SelfPlay.fromJSON(settings, side.resumed, started.params.length)
        : new SelfPlay(settings, { seed: t.config.seed, teams: side.split.teams, initial: this.latestOf(t, started.params, started.version), step: t.steps });
      this.arm(side);
    }
  }

  /** The learning runner's weights now, as self-play keeps them. */
  private latestOf(t: Trainee, params: Float32Array, version: number): SelfPlayWeights {
    return { params, version, observationStats: t.runner.observationStats?.toJSON() ?? null };
  }

  /** Hands the opponents' runner the weights self-play says they play. */
  private arm(side: SelfPlaySide): void {
    const w = side.state!.opponentWeights;
    side.opponents!.setParams(w.params, w.version, reviveStats(w.observationStats));
  }

  /** Pre-trains on the demonstrations (a fresh run) and hands them to the learner for BC / GAIL during PPO. */
  private useDemonstrations(t: Trainee, data: DemonstrationData, pretrain: PretrainOptions | false, started: StartedLearner): void {
    const learner = t.learner!;
    const spec = t.runner.spec!;
    const source = this.options.demonstrations?.source;
    checkDemonstrations(data, spec.observationSize, spec.actionSpace, `${source !== undefined ? `${source}: ` : ''}demonstrations of "${t.behavior.name}"`);
    let stats = t.runner.observationStats;
    if (t.config.normalizeObs && !t.resume) {
      // The runner normalizes with these from its first decision on, so the cloned policy sees what it was fitted on.
      stats = demonstrationStats(data, spec.observationInputs);
      t.runner.setParams(started.params, started.version, stats);
    }
    if (pretrain !== false && !t.resume) {
      if (!learner.pretrain) throw new PhaserPpoError('demonstrations.pretrain: this learner cannot pre-train; pass pretrain: false');
      const r = learner.pretrain(data, { ...pretrain, observationStats: stats, obsClip: t.config.obsClip, seed: pretrain.seed ?? t.config.seed });
      t.runner.setParams(r.params, r.version, stats);
      this.pretrainReport = r.report;
      this.pretrained = { t, params: r.params, version: r.version };
    }
    if (t.config.behavioralCloning || t.config.gail) {
      if (!learner.setDemonstrations) throw new PhaserPpoError('config.behavioralCloning / config.gail: this learner cannot take demonstrations');
      learner.setDemonstrations(data, stats);
      t.learnsFromDemos = true;
    }
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

  /**
   * After `start()`, when behaviour cloning pre-trained a behavior (`options.demonstrations`):
   * "update 0", its pre-trained weights (a copy; transferable) and observation statistics with the
   * {@link PretrainReport} in `pretrain`, so a page plays the cloned policy before any PPO update.
   * Losses and returns are NaN (nothing was played yet). Null when nothing was pre-trained.
   *
   * @example
   * await trainer.start();
   * const u0 = trainer.pretrainUpdate();
   * if (u0) behavior.setWeights(u0.params, u0.policyVersion, reviveStats(u0.observationStats));
   */
  pretrainUpdate(): FastUpdate | null {
    const p = this.pretrained;
    if (!p || !this.started) return null;
    const { t } = p;
    return {
      policyLoss: NaN, valueLoss: NaN, entropy: NaN, approxKl: NaN, clipFraction: NaN, explainedVariance: NaN, gradNorm: NaN,
      learningRate: NaN, clipCoef: NaN, epochs: 0, minibatches: 0, klStop: false, policyLag: 0, policyLagMean: 0, scheduleDone: false,
      update: 0, step: t.steps, time: 0, episodes: 0, returnMean: NaN, returnMin: NaN, returnMax: NaN, episodeLength: NaN, sps: 0,
      behavior: t.behavior.name, backend: t.report!.backend, ...engineDeviceOf({ backend: t.report!.backend }), backendReason: t.report!.reason,
      policyVersion: p.version, params: p.params.slice(), observationStats: t.runner.observationStats?.toJSON() ?? null, pretrain: this.pretrainReport!,
    };
  }

  /** Plays until a behavior's rollout is full and trained on, and returns that update's metrics. */
  runUpdate(): FastUpdate {
    if (!this.started) throw new Error('FastTrainer: call start() first');
    for (let ticks = 1; this.queue.length === 0; ticks++) {
      this.collector.tick();
      // A team change moves agents between runners between ticks, never inside one.
      for (let i = 0; i < this.trainees.length; i++) {
        const side = this.trainees[i]!.selfPlay;
        if (!side?.regroup) continue;
        side.regroup = false;
        side.split.regroup(this.collector.members);
      }
      // Checked now and then, not every tick: with every agent gone no rollout can ever fill.
      if (ticks % 4096 === 0 && this.collector.agentCount === 0) throw new EnvError(`game "${this.game.name}": every agent has left its behavior; no rollout can fill`);
    }
    return this.queue.shift()!;
  }

  /**
   * Trains until `stop()`, or until every behavior has trained `maxSteps` transitions or reached
   * a mean return of `targetReturn` (with a curriculum: in its last lessons), calling `onUpdate` after every update and yielding to the
   * event loop in between (so a stop message gets through).
   */
  async run(onUpdate: (u: FastUpdate) => void, limits: { maxSteps?: number; targetReturn?: number } = {}): Promise<void> {
    if (!this.started) await this.start();
    this.stopped = false;
    const { maxSteps, targetReturn } = limits;
    while (!this.stopped) {
      onUpdate(this.runUpdate());
      if (maxSteps !== undefined && this.trainees.every((t) => t.steps >= maxSteps)) break;
      if (targetReturn !== undefined && this.curriculum.finished && this.trainees.every((t) => t.returnMean >= targetReturn)) break;
      await nextTask();
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
    const brain = brainOf({
      name, observationSpace: t.behavior.observationSpace ?? Box(-Infinity, Infinity, spec.observationSize), actionSpace: spec.actionSpace, config: t.config,
      observationStats: t.runner.observationStats, steps: t.steps, observationInputs: spec.observationInputs,
      // The runner's action-sampling stream is its own; a resumed run starts a new one.
      source: { learner: t.learner!.getState(), rewardStats: t.runner.rewardStats, actingRng: t.runner.actingRngState },
      ...(t.selfPlay?.state ? { selfPlay: t.selfPlay.state.toJSON() } : {}),
    });
    if (this.curriculum.names.length > 0) brain.training!.curriculum = this.curriculum.state();
    return brain;
  }

  /** Trains on a full rollout at once; the new weights act from the next decision on. */
  private train(t: Trainee, rollout: Rollout): void {
    if (t.learnsFromDemos) t.learner!.setObservationStats?.(t.runner.observationStats);
    const reply = t.learner!.train(rollout);
    t.runner.setParams(reply.params, reply.version);
    t.steps += rollout.numSteps * rollout.numEnvs;
    t.updates++;
    const window = t.episodes.summary();
    t.returnMean = window.returnMean;
    const time = (performance.now() - this.startedAt) / 1000;
    const ratings = this.ratings?.toJSON();
    const sp = t.selfPlay?.state;
    if (sp && !this.options.followsLearner) {
      const ev = sp.afterUpdate(t.steps, this.latestOf(t, reply.params, reply.version));
      if (ev.swapped) this.arm(t.selfPlay!);
      if (ev.teamChanged) t.selfPlay!.regroup = true;
    }
    const update: FastUpdate = {
      ...reply.stats, ...window, behavior: t.behavior.name, update: t.updates, step: t.steps, time, episodes: t.episodes.count,
      sps: (t.steps - t.startSteps) / time, backend: t.report!.backend, ...engineDeviceOf({ backend: t.report!.backend }), backendReason: t.report!.reason, policyVersion: reply.version,
      params: reply.params, observationStats: t.runner.observationStats?.toJSON() ?? null,
      ...(sp ? { elo: sp.elo, learningTeam: sp.learningTeam, opponentElo: sp.opponentElo } : {}),
      ...(ratings ? { elo: ratings[t.behavior.name], ratings } : {}),
    };
    if (this.curriculum.names.length > 0 && !this.options.followsLearner) {
      const { reset } = this.curriculum.afterUpdate(t.behavior.name, update, t.steps / t.config.totalSteps);
      if (reset) this.interruptEpisodes();
      const { lessons, envParams } = this.curriculum.summary();
      update.lessons = lessons;
      update.envParams = envParams;
    }
    this.queue.push(update);
  }

  /**
   * An actor worker: moves to the learner's lessons (see `followsLessons`); with `reset` (a changed
   * lesson's `requireReset`) every episode is cut at its next decision, as in one thread.
   */
  followLessons(lessons: Readonly<Record<string, number>>, reset: boolean): void {
    if (this.curriculum.follow(lessons) && reset) this.interruptEpisodes();
  }

  /** A lesson with `requireReset` changed: every episode is cut (a truncation) at its next decision, so the new values apply at once. */
  private interruptEpisodes(): void {
    for (const agents of this.collector.members.values()) for (const a of agents) a[AGENT_RUNTIME].interruptRequested = true;
  }
}
