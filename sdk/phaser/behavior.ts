/**
 * One behavior in a live scene: a BehaviorRunner (the agents' shared policy, acting in the game
 * loop) and, in train mode, its learner (a worker). Rollouts go out as they fill; weights come
 * back versioned and are swapped in at the start of a frame, so the game never waits.
 */
import { copyInputs } from '../rl/conv.js';
import type { ActionSpec } from '../adapter/action-spec.js';
import type { Agent } from '../adapter/agent.js';
import { AGENT_RUNTIME } from '../adapter/agent.js';
import { BehaviorRunner, type AgentEpisode, type BehaviorType, type RecordingCounts, type RecordingOptions } from '../adapter/runner.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import { assertBrainInputs, brainOf, learnerStateOf, restoreStats, reviveBrain, reviveStats, type Brain } from '../io/brain.js';
import { Box } from '../core/spaces.js';
import { EnvError } from '../core/errors.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import type { UpdateStats } from '../rl/learner.js';
import { engineDeviceOf, type EngineDevice, type LessonProgressMetrics, type RunProgress, type UpdateMetrics } from '../rl/metrics.js';
import { Curriculum } from '../runtime/curriculum.js';
import { SelfPlay, type SelfPlayStateJson, type SelfPlayWeights } from '../runtime/self-play.js';
import { opponentsOf, TeamRoster } from '../runtime/team-split.js';
import type { EnvironmentParameters, EnvParams } from '../runtime/env-params.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import type { Rollout } from '../rl/rollout.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import type { LearnerClient } from '../runtime/learner-client.js';
import { LearnerRestartedError, ResilientLearner } from '../runtime/resilient-learner.js';
import type { BackendChoice, BackendReport, TrainReply } from '../runtime/learner-host.js';
import { Rng } from '../core/rng.js';
import { BehaviorError, type BehaviorErrorSource, type PPOEventEmitter } from './events.js';
import { recordEpisodes } from './training-log.js';
import type { DeclaredBehavior } from './behavior-restart.js';

export interface BehaviorOptions {
  name: string;
  /** Values each agent's `collectObservations` writes (sensors come on top). */
  observationSize: number;
  actionSpec: ActionSpec;
  /** Default `train`. */
  type?: BehaviorType;
  /** PPO config overrides; `schedule` defaults to `'constant'` here (live training is open-ended). */
  config?: Partial<PPOConfig>;
  /** The learner's tfjs backend; `auto` (default) measures and keeps the fastest. */
  backend?: BackendChoice;
  /**
   * Weights (and observation statistics) to act with; `inference` without one waits for
   * {@link Behavior.setWeights}. In `train` mode, training continues from it: exactly (Adam
   * moments, schedules, reward statistics) when it holds training state, else with a fresh optimizer.
   */
  brain?: Brain;
  /** How `inference` picks actions. Default `mode` (deterministic). */
  inferenceAction?: 'mode' | 'sample';
  /** Builds the learner; default: the bundled learner worker. */
  learner?: () => LearnerClient;
  /**
   * Act with the untrained policy and never learn: the weights a learner would start from
   * (`config.seed`), actions sampled. A measured random baseline (`randomBaseline` in
   * `phaser-ppo/testing` sets it through the page); `type` is then ignored. Default false.
   */
  untrained?: boolean;
  /**
   * Record a demonstration from the start (as {@link Behavior.startRecording} does): each agent
   * from its first episode. Default false.
   */
  record?: boolean;
  /**
   * The scene's environment parameters for this behavior's agents, read with `behavior.params.get(name)`
   * when an episode begins: constants, samplers or curricula whose lessons this behavior's episodes
   * and updates move on (a brain with training state continues its own curriculum instead).
   */
  environmentParameters?: EnvironmentParameters;
}

/** What a page charts after each learner update. */
/** With self-play (`config.selfPlay`): `elo` (the learning policy's), `learningTeam` and `opponentElo`, as in fast mode and the CLI. */
export interface LiveMetrics extends RunProgress, UpdateStats, EngineDevice, LessonProgressMetrics, Pick<UpdateMetrics, 'elo' | 'learningTeam' | 'opponentElo'> {
  behavior: string;
  /** The learner's backend choice as the learner host names it: `kernels` or a tfjs backend (see `engine` and `device`). */
  backend: string;
  /** Version of the weights now acting. */
  policyVersion: number;
  /** ms the learner spent on this update (in the worker). */
  updateMs: number;
  /** Rollouts dropped because the learner was still busy with older ones. */
  droppedRollouts: number;
  /** Times the learner died (worker crashed or was terminated) and was restarted from its last state (live mode; absent in fast-mode metrics). */
  learnerRestarts?: number;
}

export class Behavior {
  readonly name: string;
  readonly runner: BehaviorRunner;
  readonly config: ResolvedConfig;
  /** Which backend the learner got and why (train mode, once started). */
  backend: BackendReport | null = null;
  /** The latest metrics. */
  latest: LiveMetrics | null = null;
  /** Finished episodes' returns, oldest first (the last 200). */
  readonly returns: number[] = [];
  /**
   * Mean return of the last 20 episodes this scene's agents finished (NaN before the first), in
   * every mode: what the overlay shows (in fast mode the metrics are the headless copies', not these).
   */
  recentReturnMean = NaN;
  /**
   * The environment parameters of this behavior's agents: read them when an episode begins.
   *
   * @example
   * class Jumper extends Agent {
   *   override onEpisodeBegin() { this.world.reset(this.behavior.params.get('gapWidth')); }
   * }
   */
  readonly params: EnvParams;
  private readonly curriculum: Curriculum;
  /** Why the behavior stopped (an agent hook or the learner threw), or null while it runs. */
  failure: BehaviorError | null = null;
  /**
   * With `config.selfPlay` in train mode: the agents split by team, as the headless trainer splits
   * them (sdk/runtime/team-split.ts): the learning team's agents act in {@link runner} and train
   * through the learner; the other teams' act in `opponents` (an inference runner, sampled actions)
   * with the weights of the snapshot {@link SelfPlay} draws. Null without self-play.
   */
  private readonly side: LiveSelfPlay | null = null;

  private learner: ResilientLearner | null = null;
  private learnerStarted = false;
  private busy = false;
  private waiting: Rollout | null = null;
  private pendingWeights: { params: Float32Array; version: number; observationStats?: RunningMeanStd | null } | null = null;
  private readonly recent = new EpisodeWindow();
  /** Decisions in the episodes finished so far (their lengths summed). */
  private episodeDecisions = 0;
  private episodeReturnSum = 0;
  private scheduleEnded = false;
  private steps = 0;
  private updates = 0;
  private dropped = 0;
  /** When the learner answered `init`: the run's time (and so its steps/s) excludes the backend choice. */
  private trainingSince = NaN;
  /** From the learner's start until its `init` answers (the backend choice): rollouts queue meanwhile. */
  private learnerStarting = false;
  private disposed = false;
  /** Set by {@link stopTraining}: the learner is gone for good (a restart of the scene then starts afresh). */
  private trainingStopped = false;
  /**
   * The agents of the scene's previous run, after a restart: the agents the new run adds take
   * their rows in order (see {@link addAgent}); those left over leave after its `create`.
   */
  private predecessors: Agent[] = [];
  /** The weights acting now, for {@link Behavior.brain} when no learner runs. */
  private acting: { params: Float32Array; version: number } | null = null;

  constructor(private readonly options: BehaviorOptions, private readonly events: PPOEventEmitter) {
    this.name = options.name;
    const type = options.untrained ? 'inference' : options.type ?? 'train';
    this.config = liveConfig(options);
    // A brain that crossed postMessage has plain objects where its statistics classes were.
    const brain = options.brain ? reviveBrain(options.brain) : undefined;
    if (type === 'train' && this.config.selfPlay) {
      const resumed = brain?.training?.selfPlay ?? null;
      this.side = {
        state: null, resumed,
        roster: new TeamRoster(() => this.side?.state?.learningTeam ?? resumed?.learningTeam ?? 0),
        // Seeds as the headless trainer's opponents (config.seed + 2): the same draws on the same steps.
        opponents: new BehaviorRunner({
          name: opponentsOf(options.name), observationSize: options.observationSize, actionSpec: options.actionSpec,
          type: 'inference', config: this.config, inferenceAction: 'sample', seed: this.config.seed + 2,
        }),
      };
    }
    const saved = brain?.training?.curriculum;
    this.curriculum = saved ? Curriculum.restore(saved, [options.name]) : new Curriculum(options.environmentParameters ?? {}, [options.name], this.config.seed);
    this.params = this.curriculum;
    this.runner = new BehaviorRunner({
      name: options.name,
      observationSize: options.observationSize,
      actionSpec: options.actionSpec,
      type,
      config: this.config,
      ...(options.untrained ? { inferenceAction: 'sample' as const } : options.inferenceAction ? { inferenceAction: options.inferenceAction } : {}),
      onRollout: (r) => this.onRollout(r),
      onEpisodeEnd: (e) => this.onEpisodeEnd(e),
    }, brain ? (spec) => {
      assertBrainInputs(brain, spec.observationInputs, `behavior "${options.name}"`);
      return { params: brain.params, version: brain.policyVersion, observationStats: brain.observationStats };
    } : undefined);
    if (options.record) this.startRecording();
    if (brain) {
      this.acting = { params: brain.params, version: brain.policyVersion };
      this.steps = brain.steps;
      this.updates = brain.training?.updates ?? 0;
      if (type === 'train') restoreStats(this.runner.rewardStats, brain.training?.rewardStats ?? null);
    }
  }

  /**
   * The behavior's current brain, for a Save button (`saveBrainToUrl(await b.brain(), ...)`): the
   * acting weights and observation statistics, plus the training state (Adam moments, schedules,
   * reward statistics) while a learner runs, so that loading it into a `train` behavior resumes.
   * Rejects before the first agent is added (the sizes are not known yet) or before any weights.
   */
  async brain(): Promise<Brain> {
    const spec = this.runner.spec;
    if (!spec) throw new Error(`behavior "${this.name}": no brain yet: add an agent first`);
    const parts = {
      name: this.name, observationSpace: Box(-Infinity, Infinity, spec.observationSize), actionSpace: spec.actionSpace,
      config: this.config, observationStats: this.runner.observationStats, steps: this.steps, observationInputs: spec.observationInputs,
    };
    if (this.learner) {
      const s = await this.learner.getState();
      // The state crossed postMessage (or is the learner's own): copies, as typed arrays again.
      const learner = { ...s, params: Float32Array.from(s.params), adam: { m: Float32Array.from(s.adam.m), v: Float32Array.from(s.adam.v), t: s.adam.t }, rngState: [...s.rngState] };
      const brain = brainOf({ ...parts, source: { learner, rewardStats: this.runner.rewardStats, actingRng: null } });
      if (this.curriculum.names.length > 0) brain.training!.curriculum = this.curriculum.state();
      // The pool is part of the checkpoint, as the headless trainer's (FastTrainer.brain).
      if (this.side?.state) brain.training!.selfPlay = this.side.state.toJSON();
      return brain;
    }
    if (!this.acting) throw new Error(`behavior "${this.name}": no weights yet to save`);
    return brainOf({ ...parts, source: this.acting });
  }

  /**
   * Adds an agent. After a restart of the scene, it takes the place of the previous run's next
   * agent (see {@link replaceAgent}): the episode that agent was playing closes, and the rollout
   * recording it goes on with this one.
   */
  addAgent(agent: Agent): void {
    const old = this.predecessors.shift();
    if (old && this.succeed(old, agent)) return;
    const side = this.side;
    if (!side) {
      this.runner.addAgent(agent);
      return;
    }
    const own = side.roster.join(agent);
    try {
      (own ? this.runner : side.opponents).addAgent(agent);
    } catch (err) {
      side.roster.leave(agent);
      throw err;
    }
  }

  /**
   * `next` takes `old`'s place and row (see `BehaviorRunner.replaceAgent`): `old`'s episode closes
   * at the next decision with its reward and end (one it had not ended is cut, a truncation), then
   * `next` begins. With self-play, only within the same side. False, and nothing done, otherwise.
   */
  replaceAgent(old: Agent, next: Agent): boolean {
    const side = this.side;
    if (!side) return this.runner.replaceAgent(old, next);
    if (!side.roster.agents.includes(old)) return false;
    const own = this.runner.agents.includes(old);
    if ((next.team === side.roster.ownTeam()) !== own) return false;
    if (!(own ? this.runner : side.opponents).replaceAgent(old, next)) return false;
    side.roster.leave(old);
    side.roster.join(next);
    return true;
  }

  /**
   * `next`, of the restarted scene, takes `old`'s place; false when it cannot (another side in
   * self-play): `old` then leaves and `next` joins as a new agent. An agent that does not fit
   * (another observation size: its sensors changed) is refused with the way to start afresh.
   */
  private succeed(old: Agent, next: Agent): boolean {
    let replaced = false;
    try {
      replaced = this.replaceAgent(old, next);
    } catch (err) {
      if (!(err instanceof EnvError)) throw err;
      throw new EnvError(`${err.message} (behavior "${this.name}" goes on from the scene's previous run, whose agents had this behavior's sizes: ` +
        `to start it afresh with other sizes, declare it differently or call this.ppo.disposeBehaviors() before restarting)`, { cause: err });
    } finally {
      if (!replaced) this.removeAgent(old);
    }
    return replaced;
  }

  /** Whether a restart of the scene can hand this behavior to its next run: it has not failed, stopped training or been disposed. */
  get canCarryOver(): boolean {
    return !this.failure && !this.trainingStopped && !this.disposed;
  }

  /** What a restarted scene's declaration is compared with (see `declarationDifferences`). */
  get declaration(): DeclaredBehavior {
    return { options: this.options, config: this.config };
  }

  /** The scene shut down for a restart: the agents of its run wait for the next run's (see {@link addAgent}). */
  awaitSuccessors(): void {
    this.predecessors = this.side ? [...this.side.roster.agents] : [...this.runner.agents];
  }

  /**
   * The restarted scene declared this behavior again (`addBehavior` with these options): a
   * recording it asks for starts, unless one goes on from the previous run.
   */
  redeclared(options: BehaviorOptions): void {
    if (options.record && !this.recording) this.startRecording();
  }

  /** After the restarted scene's `create`: the previous run's agents that no new agent replaced leave. */
  dropPredecessors(): void {
    for (const old of this.predecessors) this.removeAgent(old);
    this.predecessors = [];
  }

  removeAgent(agent: Agent): boolean {
    const side = this.side;
    if (!side) return this.runner.removeAgent(agent);
    side.roster.leave(agent);
    return this.runner.removeAgent(agent) || side.opponents.removeAgent(agent);
  }

  /**
   * The self-play bookkeeping (pool, ELO, learning team, opponent) of a `train` behavior with
   * `config.selfPlay`, once it acts (its first tick); null otherwise. Read it; the behavior drives it.
   *
   * @example
   * this.ppo.events.on(PPO_EVENTS.METRICS, (m) => label.setText(`ELO ${m.elo?.toFixed(0)}`));
   * behavior.selfPlay?.pool.length;
   */
  get selfPlay(): SelfPlay | null {
    return this.side?.state ?? null;
  }

  /** With self-play: the runner of the other teams' agents (named `<name>@opponents`); null otherwise. */
  get opponents(): BehaviorRunner | null {
    return this.side?.opponents ?? null;
  }

  /** Acts with these weights from the next frame on (e.g. the latest from a fast-mode trainer). */
  setWeights(params: Float32Array, version: number, observationStats?: RunningMeanStd | null): void {
    this.pendingWeights = { params, version, observationStats: observationStats ?? null };
  }

  /**
   * One fixed step. The learner starts on the first one, once the scene has added its agents.
   * Does nothing once the behavior has {@link fail}ed.
   */
  tick(): void {
    if (this.failure) return;
    if (this.runner.type === 'train' && !this.learnerStarted && this.runner.spec) void this.startLearner();
    // Agents act from the first tick: a fresh `train` behavior does not wait for the learner's
    // weights (the backend choice can take seconds) but builds the same ones here.
    const initial = this.options.untrained || (this.runner.type === 'train' && !this.options.brain);
    if (initial && !this.runner.ready && !this.pendingWeights && this.runner.spec) this.useInitialWeights();
    const side = this.side;
    if (side && !side.state && this.acting && this.runner.spec && !this.startSelfPlay(side)) return;
    this.runner.tick();
    side?.opponents.tick();
  }

  /**
   * Stops the behavior for good because of `cause`: its agents stop acting, its learner is
   * released, and `error` is emitted (the page's training log records it). The plugin calls it
   * when an agent hook throws during {@link tick}. Returns the error; a second call keeps the first.
   */
  fail(cause: unknown, source: BehaviorErrorSource): BehaviorError {
    if (this.failure) return this.failure;
    const message = cause instanceof Error ? cause.message : String(cause);
    const where = source === 'agent' ? 'an agent hook threw' : source === 'fixed-step' ? "the scene's fixed step threw" : source === 'training' ? 'training failed' : 'the learner failed to start';
    this.failure = cause instanceof BehaviorError ? cause : new BehaviorError(`behavior "${this.name}" stopped: ${where}: ${message}`, this.name, source, { cause });
    this.stopTraining();
    this.events.emit('error', this.failure);
    return this.failure;
  }

  /**
   * Starts recording a demonstration of this behavior's agents (any type; `heuristic` records the
   * player or a script): each agent from the start of its next episode, whole episodes only. The
   * plugin emits `demo-episode` with the counts after each recorded episode. `maxEpisodes` and
   * `maxSteps` cap what is kept. Replaces a recording in progress.
   *
   * @example
   * behavior.startRecording();
   * this.ppo.events.on(PPO_EVENTS.DEMO_EPISODE, (e) => label.setText(`${e.episodes} episodes, mean ${e.meanReturn.toFixed(0)}`));
   * // later: await saveDemonstrationToUrl(behavior.stopRecording(), 'indexeddb://my-demo');
   */
  startRecording(options: Omit<RecordingOptions, 'onEpisode'> = {}): void {
    this.runner.startRecording({
      ...options,
      onEpisode: (c) => this.events.emit('demo-episode', { behavior: this.name, episodes: c.episodes, steps: c.steps, meanReturn: c.meanReturn, lastReturn: c.lastReturn }),
    });
  }

  /**
   * Stops recording and returns the whole episodes recorded (episodes still running are dropped).
   * Throws when not recording.
   *
   * @example
   * const demo = behavior.stopRecording(); // demo.steps decisions, demo.observations, demo.actions...
   */
  stopRecording(): DemonstrationData {
    return this.runner.stopRecording();
  }

  /** Whether a recording is running. */
  get recording(): boolean {
    return this.runner.recording;
  }

  /** Counts of the recording in progress (episodes, decisions, mean return), or null when not recording. */
  get recordingCounts(): Readonly<RecordingCounts> | null {
    return this.runner.recordingCounts;
  }

  /** Episodes this scene's agents finished so far, in every mode. */
  get episodeCount(): number {
    return this.recent.count;
  }

  /** Swaps in the newest weights from the learner, if any arrived since the last frame. */
  applyPendingWeights(): void {
    if (!this.pendingWeights) return;
    const w = this.pendingWeights;
    this.runner.setParams(w.params, w.version, w.observationStats);
    this.acting = { params: w.params, version: w.version };
    this.pendingWeights = null;
  }

  /** Stops learning: the learner is released, the agents keep acting with the current weights. */
  stopTraining(): void {
    this.trainingStopped = true;
    this.learner?.dispose();
    this.learner = null;
    this.waiting = null;
    this.learnerStarting = false;
  }

  /**
   * Test hook: kills the learner worker as a crash or an outside `terminate()` would. Training
   * carries on with a new worker from the last learner state (`learnerRestarts` counts it).
   */
  debugKillLearner(): void {
    this.learner?.kill();
  }

  dispose(): void {
    this.disposed = true;
    this.learner?.dispose();
    this.learner = null;
  }

  private async startLearner(): Promise<void> {
    this.learnerStarted = true;
    this.learnerStarting = true;
    const spec = this.runner.spec!;
    // A dead worker is replaced from the last learner state; the agents keep acting meanwhile.
    // Imported here, not at the top: an inference or heuristic behavior never loads the learner's code.
    const start = this.options.learner ?? (await import('./learner-worker.js')).startLearnerWorker;
    if (this.disposed) return;
    this.learner = new ResilientLearner(start, {
      onRestart: ({ restarts, reason }) => this.events.emit('learner-restart', { behavior: this.name, restarts, reason }),
    });
    try {
      const init = await this.learner.init({
        observationSize: spec.observationSize,
        observationInputs: copyInputs(spec.observationInputs),
        actionSpace: spec.actionSpace,
        // One rollout column per agent.
        config: { ...configFields(this.config), numEnvs: this.runner.agents.length },
        backend: this.options.backend ?? 'auto',
        // Continue the brain's training (its weights, and its optimizer when it has one).
        ...(this.options.brain ? { state: learnerStateOf(reviveBrain(this.options.brain)) } : {}),
      });
      if (this.disposed) return;
      this.learnerStarting = false;
      this.trainingSince = performance.now();
      this.backend = { backend: init.backend, reason: init.reason, timings: init.timings, ...(init.choiceMs !== undefined ? { choiceMs: init.choiceMs } : {}) };
      this.events.emit('backend', { behavior: this.name, ...this.backend });
      // The learner's version 0 is bit-identical to the local one acting so far; take it anyway, so
      // that what acts is always what the learner holds.
      if (!this.options.brain) this.pendingWeights = { params: init.params, version: init.version };
      this.applyPendingWeights();
      // The newest rollout gathered during the choice was acted by these same weights: train on it.
      const queued = this.waiting;
      this.waiting = null;
      if (queued && this.learner) void this.train(queued);
    } catch (err) {
      this.learnerStarting = false;
      this.waiting = null;
      if (!this.disposed) this.events.emit('error', new BehaviorError(`behavior "${this.name}": the learner failed to start: ${(err as Error).message}`, this.name, 'learner-start', { cause: err }));
    }
  }

  private onRollout(rollout: Rollout): void {
    if (this.learnerStarting) {
      // The learner is still choosing its backend: keep the newest rollout (its weights are the
      // learner's version 0, so it is on-policy), count the older ones as dropped.
      if (this.waiting) this.dropped++;
      this.waiting = rollout;
      return;
    }
    if (!this.learner || !this.backend) {
      this.dropped++;
      return;
    }
    if (this.busy) {
      // Keep the newest: an older rollout would only add policy lag.
      if (this.waiting) this.dropped++;
      this.waiting = rollout;
      return;
    }
    void this.train(rollout);
  }

  private async train(rollout: Rollout): Promise<void> {
    this.busy = true;
    const transitions = rollout.numSteps * rollout.numEnvs;
    try {
      const reply = await this.learner!.train(rollout);
      if (this.disposed) return;
      this.pendingWeights = reply;
      // Reported once per run of discarded updates; the metrics count them all.
      if (reply.stats.fault && reply.stats.consecutiveFaults === 1) this.events.emit('fault', { behavior: this.name, fault: reply.stats.fault });
      this.steps += transitions;
      this.updates++;
      this.afterSelfPlayUpdate(reply);
      this.latest = this.metrics(reply);
      this.checkLessons(this.latest);
      this.events.emit('metrics', this.latest);
      // An annealed schedule that ran out leaves the weights where they are: say so, once.
      if (!this.scheduleEnded && reply.stats.scheduleDone) {
        this.scheduleEnded = true;
        this.events.emit('schedule-end', { behavior: this.name, update: this.updates, step: this.steps });
      }
    } catch (err) {
      // A restart already announced itself ('learner-restart'); only the rollout in flight is gone.
      // After dispose() the learner's failures are expected (it was torn down mid-update): not errors.
      if (!(err instanceof LearnerRestartedError) && !this.disposed) {
        this.events.emit('error', new BehaviorError(`behavior "${this.name}": training failed: ${(err as Error).message}`, this.name, 'training', { cause: err }));
        // Too many non-finite updates in a row: stop learning, keep acting with the last good weights.
        if ((err as Error).name === 'TrainingFaultError') this.stopTraining();
      }
    } finally {
      this.busy = false;
    }
    const next = this.waiting;
    this.waiting = null;
    if (next && !this.disposed) void this.train(next);
  }

  private onEpisodeEnd(e: AgentEpisode): void {
    // In decisions (transitions), as RunProgress.episodeLength says, the same unit as fast mode and the CLI.
    this.recent.push(e.return, e.length);
    this.curriculum.episodeEnded(this.name, e.return);
    this.side?.state?.recordEpisode(e);
    this.episodeDecisions += e.length;
    this.episodeReturnSum += e.return;
    this.returns.push(e.return);
    if (this.returns.length > 200) this.returns.shift();
    const s = this.recent.summary();
    this.recentReturnMean = s.returnMean;
    recordEpisodes(this.name, { count: this.recent.count, decisions: this.episodeDecisions, returnSum: this.episodeReturnSum, returnMean: s.returnMean, episodeTicks: s.episodeLength });
  }

  /**
   * The weights a learner starts from (PPOLearner's seeded orthogonal init, `config.seed`), for
   * {@link BehaviorOptions.untrained} and for a `train` behavior until its learner answers.
   */
  private useInitialWeights(): void {
    const spec = this.runner.spec!;
    const params = spec.layout.initialize(new Rng(this.config.seed), this.config.initLogStd);
    // untrained: fresh statistics (mean 0, variance 1), the observations pass through as they are.
    // train: null keeps the runner's own statistics, which it updates as it trains.
    const stats = this.options.untrained && this.config.normalizeObs ? new RunningMeanStd(spec.observationSize) : null;
    this.pendingWeights = { params, version: 0, observationStats: stats };
    this.applyPendingWeights();
  }

  /** After an update: the lessons this behavior's episodes and metrics judge may move on (see {@link Curriculum.afterUpdate}). */
  private checkLessons(m: LiveMetrics): void {
    if (this.curriculum.names.length === 0) return;
    const { reset } = this.curriculum.afterUpdate(this.name, m, this.steps / this.config.totalSteps);
    // requireReset: every episode is cut (a truncation) at its next decision, so the new values apply at once.
    if (reset) for (const a of this.runner.agents) a[AGENT_RUNTIME].interruptRequested = true;
    const { lessons, envParams } = this.curriculum.summary();
    m.lessons = lessons;
    m.envParams = envParams;
  }

  private metrics(reply: TrainReply): LiveMetrics {
    const sp = this.side?.state;
    const time = (performance.now() - this.trainingSince) / 1000;
    return {
      ...reply.stats,
      ...this.recent.summary(),
      behavior: this.name,
      update: this.updates,
      step: this.steps,
      time,
      episodes: this.recent.count,
      sps: this.steps / time,
      backend: this.backend?.backend ?? '',
      ...engineDeviceOf({ backend: this.backend?.backend }),
      policyVersion: reply.version,
      updateMs: reply.updateMs,
      droppedRollouts: this.dropped,
      learnerRestarts: this.learner?.restarts ?? 0,
      ...(sp ? { elo: sp.elo, learningTeam: sp.learningTeam, opponentElo: sp.opponentElo } : {}),
    };
  }

  /** The learning runner's weights as self-play keeps them. */
  private latestWeights(params: Float32Array, version: number): SelfPlayWeights {
    return { params, version, observationStats: this.runner.observationStats?.toJSON() ?? null };
  }

  /**
   * Builds the self-play state from the weights acting at the first tick (a fresh run: the ones
   * the learner starts from, as in the headless trainer; a checkpoint: its saved pool) and hands
   * the opponents their weights. False when the agents are not on two teams (the behavior fails).
   */
  private startSelfPlay(side: LiveSelfPlay): boolean {
    const settings = this.config.selfPlay!;
    if (side.roster.teams < 2 || !side.roster.agents.some((a) => a.team !== side.roster.ownTeam())) {
      this.fail(new EnvError(`behavior "${this.name}" trains with self-play (config.selfPlay), but all its agents are on team ${Math.max(0, side.roster.teams - 1)}; give the agents of each side their own team (new Agent({ team: 1 }) …), or set selfPlay: null`), 'training');
      return false;
    }
    const acting = this.acting!;
    side.state = side.resumed
      ? SelfPlay.fromJSON(settings, side.resumed, acting.params.length)
      : new SelfPlay(settings, { seed: this.config.seed, teams: side.roster.teams, initial: this.latestWeights(acting.params, acting.version), step: this.steps });
    this.armOpponents(side);
    return true;
  }

  /** Hands the opponents' runner the weights self-play says they play. */
  private armOpponents(side: LiveSelfPlay): void {
    const w = side.state!.opponentWeights;
    side.opponents.setParams(w.params, w.version, reviveStats(w.observationStats));
  }

  /**
   * After an update, on the same steps as the headless trainer: a snapshot joins, the opponent is
   * redrawn, the learning team changes (its agents move between the runners now, between frames).
   */
  private afterSelfPlayUpdate(reply: TrainReply): void {
    const side = this.side;
    const sp = side?.state;
    if (!side || !sp) return;
    const ev = sp.afterUpdate(this.steps, this.latestWeights(reply.params, reply.version));
    if (ev.swapped) this.armOpponents(side);
    if (!ev.teamChanged) return;
    side.roster.regroup((a) => this.runner.agents.includes(a), (agent, toOwn) => {
      (toOwn ? side.opponents : this.runner).removeAgent(agent);
      (toOwn ? this.runner : side.opponents).addAgent(agent);
    });
  }
}

/**
 * The config a live behavior trains with: the brain's, then a constant schedule (live training is
 * open-ended: an NPC never silently stops learning), then the options' overrides.
 */
export function liveConfig(options: BehaviorOptions): ResolvedConfig {
  return resolveConfig({ ...(options.brain ? configFields(options.brain.config) : {}), schedule: 'constant', ...options.config });
}

/** A live behavior's self-play: see {@link Behavior.selfPlay}. */
interface LiveSelfPlay {
  /** Built at the first tick (it needs the first weights and the agents' teams). */
  state: SelfPlay | null;
  /** A brain's saved state, restored at the first tick. */
  resumed: SelfPlayStateJson | null;
  roster: TeamRoster;
  opponents: BehaviorRunner;
}
