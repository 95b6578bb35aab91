/**
 * Fast mode: N headless copies of a game's simulation, stepped as fast as the CPU allows, with
 * the same agents and BehaviorRunner as live mode and the learner in the same thread. Runs in a
 * worker in the browser (the visible scene plays the latest weights meanwhile) and in Node (the
 * CLI trains bundled games this way).
 */
import type { ActionSpec } from '../adapter/action-spec.js';
import type { Agent } from '../adapter/agent.js';
import { BehaviorRunner, type BehaviorSpec } from '../adapter/runner.js';
import { Box } from '../core/spaces.js';
import { BrainError } from '../core/errors.js';
import { assertBrainFits, learnerStateOf, reviveBrain, reviveStats, trainingStateOf, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, type PPOConfig } from '../rl/config.js';
import type { UpdateStats } from '../rl/learner.js';
import type { RunProgress } from '../rl/metrics.js';
import type { Rollout } from '../rl/rollout.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import type { BackendChoice, BackendReport, LearnerHost } from './learner-host.js';

/** One headless copy of a game: its agent, and a function that advances its world one fixed step. */
export interface HeadlessCopy {
  agent: Agent;
  /** Steps physics and applies the game's rules (rewards, episode ends). */
  step: () => void;
}

/** A game as fast mode and the CLI see it: how to build copies, and its behavior's spec. */
export interface HeadlessGame {
  name: string;
  /** Builds copy `index`; `seed` makes its episodes reproducible. */
  createCopy: (index: number, seed: number) => HeadlessCopy;
  /** Values each agent's `collectObservations` writes (sensors come on top). */
  observationSize: number;
  actionSpec: ActionSpec;
  /** The tuned config (merged over the defaults); `numEnvs` is the number of copies. */
  config: Partial<PPOConfig>;
  /** Mean return that counts as solved. */
  solvedAt: number;
}

export interface FastUpdate extends RunProgress, UpdateStats {
  backend: string;
  backendReason: string;
  policyVersion: number;
  /** The new weights (a copy; transferable). */
  params: Float32Array;
  /** Observation normalizer statistics, when normalizing. */
  observationStats: { mean: number[]; var: number[]; count: number } | null;
}

export class FastTrainer {
  readonly copies: HeadlessCopy[];
  private runner: BehaviorRunner | null = null;
  private spec: BehaviorSpec | null = null;
  private report: BackendReport | null = null;
  private pending: Rollout | null = null;
  private readonly episodes = new EpisodeWindow();
  private started = 0;
  private steps = 0;
  private updates = 0;
  private stopped = false;

  private readonly resumeFrom: Brain | null;

  /**
   * `brain` continues training it: exactly (Adam moments, schedules, shuffle RNG, normalizer and
   * reward statistics, step count) when it holds training state, else from its weights and
   * observation statistics with a fresh optimizer. Its config is kept (`config` still overrides);
   * the copies start new episodes, seeded by `seed + brain.steps` so they do not replay the run's
   * first ones, and action sampling starts a new stream.
   */
  constructor(private readonly game: HeadlessGame, private readonly host: LearnerHost,
    private readonly options: { copies: number; seed: number; config?: Partial<PPOConfig>; backend?: BackendChoice; brain?: Brain }) {
    this.resumeFrom = options.brain ? reviveBrain(options.brain) : null;
    if (this.resumeFrom && this.resumeFrom.env !== game.name) {
      throw new BrainError(`the brain was trained on "${this.resumeFrom.env}", not on the game "${game.name}"`);
    }
    const seed = options.seed + (this.resumeFrom?.steps ?? 0);
    this.copies = Array.from({ length: options.copies }, (_, i) => game.createCopy(i, seed));
  }

  /** The resolved config, once started. */
  get config() {
    return this.host.getConfig();
  }

  /** Transitions trained on so far. */
  get step(): number {
    return this.steps;
  }

  /** Starts the learner (picking its backend) and adds the copies' agents to a train-mode runner. */
  async start(): Promise<BackendReport> {
    const { game, options } = this;
    const brain = this.resumeFrom;
    const config = brain
      ? { ...configFields(brain.config), ...options.config, numEnvs: options.copies }
      : { ...game.config, ...options.config, seed: options.seed, numEnvs: options.copies };
    // The behavior's observation size includes the sensors: let a runner work it out.
    const probe = new BehaviorRunner({ name: game.name, observationSize: game.observationSize, actionSpec: game.actionSpec, type: 'inference', config: resolveConfig(config) }, () => null);
    probe.addAgent(this.copies[0]!.agent);
    this.spec = probe.spec!;
    probe.removeAgent(this.copies[0]!.agent);

    if (brain) assertBrainFits(brain, this.spec.observationSize, this.spec.actionSpace, `the game "${game.name}"`);
    const init = await this.host.init({
      observationSize: this.spec.observationSize, actionSpace: this.spec.actionSpace, config, backend: options.backend ?? 'auto',
      ...(brain ? { state: learnerStateOf(brain) } : {}),
    });
    this.report = { backend: init.backend, reason: init.reason, timings: init.timings };
    this.runner = new BehaviorRunner({
      name: game.name, observationSize: game.observationSize, actionSpec: game.actionSpec, type: 'train', config: this.host.getConfig(),
      onRollout: (r) => { this.pending = r; },
      onEpisodeEnd: (e) => this.episodes.push(e.return, e.ticks),
    }, () => ({ params: init.params, version: init.version, ...(brain ? { observationStats: reviveStats(brain.observationStats) } : {}) }));
    const rewardStats = brain?.training?.rewardStats;
    if (rewardStats) {
      this.runner.rewardStats.mean.set(rewardStats.mean);
      this.runner.rewardStats.var.set(rewardStats.var);
      this.runner.rewardStats.count = rewardStats.count;
    }
    if (brain) {
      this.steps = brain.steps;
      this.updates = brain.training?.updates ?? 0;
    }
    for (const c of this.copies) this.runner.addAgent(c.agent);
    this.started = performance.now();
    return this.report;
  }

  /** Plays until a rollout is full, trains on it, and returns the update's metrics. */
  runUpdate(): FastUpdate {
    const runner = this.runner;
    if (!runner) throw new Error('FastTrainer: call start() first');
    let rollout: Rollout | null = null;
    while (!rollout) {
      runner.tick();
      for (const c of this.copies) c.step();
      rollout = this.pending;
    }
    this.pending = null;
    const reply = this.host.train(rollout);
    runner.setParams(reply.params, reply.version);
    this.steps += rollout.numSteps * rollout.numEnvs;
    this.updates++;
    const time = (performance.now() - this.started) / 1000;
    return {
      ...reply.stats, ...this.episodes.summary(), update: this.updates, step: this.steps, time, episodes: this.episodes.count,
      sps: this.steps / time, backend: this.report!.backend, backendReason: this.report!.reason, policyVersion: reply.version,
      params: reply.params, observationStats: runner.observationStats?.toJSON() ?? null,
    };
  }

  /**
   * Trains until `stop()`, `maxSteps` transitions or `targetReturn`, calling `onUpdate` after every
   * update and yielding to the event loop in between (so a stop message gets through).
   */
  async run(onUpdate: (u: FastUpdate) => void, limits: { maxSteps?: number; targetReturn?: number } = {}): Promise<void> {
    if (!this.runner) await this.start();
    this.stopped = false;
    while (!this.stopped) {
      const u = this.runUpdate();
      onUpdate(u);
      if (limits.maxSteps !== undefined && u.step >= limits.maxSteps) break;
      if (limits.targetReturn !== undefined && u.returnMean >= limits.targetReturn) break;
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  /** Ends `run` after the current update. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * The trained agent as a brain (loadable by the page, the CLI and inference behaviors), with its
   * training state: a checkpoint that `options.brain` resumes. Copies; safe to transfer.
   */
  brain(): Brain {
    const spec = this.spec;
    if (!spec || !this.runner) throw new Error('FastTrainer: call start() first');
    const state = this.host.getState();
    const config = this.host.getConfig();
    return {
      env: this.game.name,
      observationSpace: Box(-Infinity, Infinity, spec.observationSize),
      actionSpace: spec.actionSpace,
      config,
      observationStats: reviveStats(this.runner.observationStats),
      policyVersion: state.version,
      steps: this.steps,
      params: state.params,
      // The runner's action-sampling stream is its own; a resumed run starts a new one.
      training: trainingStateOf(state, { rewardStats: config.normalizeReward ? reviveStats(this.runner.rewardStats) : null, actingRng: null }),
    };
  }
}
