/**
 * The learner of a run whose copies several actors play: Node's actor workers (parallel-trainer.ts,
 * `worker_threads`) and a page's fast-mode workers (fast-actors.ts) alike. It splits the copies
 * among the actors in actor order (the first ones one more when they do not divide evenly), starts
 * one learner for all their agents, and per update waits for every actor's rollout, merges their
 * normalizer statistics and episodes in actor order, joins the rollouts column by column into the
 * one a single thread would have filled, trains once and sends every actor the new weights. Actor
 * order makes the same seed and actor count give the same curve. How messages travel (and what a
 * failed actor becomes) is the injected {@link ActorTransport}; loads in a browser worker.
 */
import { Box } from '../core/spaces.js';
import type { Space } from '../core/spaces.js';
import { brainOf, resumeStateOf, reviveBrain, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { copyInputs, type ObservationInput } from '../rl/conv.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import { engineDeviceOf } from '../rl/metrics.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import type { ActorAssignment, ActorReady, ActorReply, ActorRolloutMessage, ActorStart, ToActorWeights } from './actor-protocol.js';
import type { FastUpdate, SyncLearner } from './fast-trainer.js';
import type { HeadlessGame } from './game.js';
import { joinRollouts } from './join-rollouts.js';
import type { BackendChoice, BackendReport, BackendSelector } from './learner-host.js';

/**
 * How the learner reaches its actors. A failed actor makes `launch`/`next` reject with an error
 * that names it (or the transport replaces it: Node's restarts).
 */
export interface ActorTransport {
  /** Starts actor `a.index` on its copies; resolves once it built them. */
  launch(a: ActorAssignment): Promise<ActorReady>;
  /** Sends actor `index` the first weights or an update's. */
  post(index: number, message: ToActorWeights): void;
  /** Actor `index`'s next rollout, in the order it sent them. */
  next(index: number): Promise<ActorRolloutMessage>;
}

export interface ActorLearnerOptions {
  /** Actors, at least 1, at most the copies (the trainers check and word the refusal). */
  actors: number;
  /** Copies of the game's world over all actors. */
  copies: number;
  seed: number;
  config?: Partial<PPOConfig>;
  backend?: BackendChoice;
  /** Continue this checkpoint (its learner exactly; acting starts new streams). */
  brain?: Brain;
}

/** Copies per actor, in actor order: the first ones one more when they do not divide evenly. */
export function splitCopies(copies: number, actors: number): { firstCopy: number; copies: number }[] {
  const out: { firstCopy: number; copies: number }[] = [];
  for (let i = 0, first = 0; i < actors; i++) {
    const n = Math.floor(copies / actors) + (i < copies % actors ? 1 : 0);
    out.push({ firstCopy: first, copies: n });
    first += n;
  }
  return out;
}

export class ActorLearner {
  /** Each actor's copies, in actor order. */
  readonly shares: readonly { firstCopy: number; copies: number }[];
  private learner: SyncLearner | null = null;
  private report: BackendReport | null = null;
  private resolved: ResolvedConfig | null = null;
  private observationSize = 0;
  private actionSpace: Space | null = null;
  private observationInputs: ObservationInput[] = [];
  private observationStats: RunningMeanStd | null = null;
  private rewardStats = new RunningMeanStd(1);
  private readonly episodes = new EpisodeWindow();
  private steps = 0;
  private startSteps = 0;
  private updates = 0;
  private startedAt = 0;
  private readonly resumed: Brain | null;

  constructor(readonly game: HeadlessGame, private readonly backends: BackendSelector, private readonly transport: ActorTransport, private readonly options: ActorLearnerOptions) {
    this.shares = splitCopies(options.copies, options.actors);
    this.resumed = options.brain ? reviveBrain(options.brain) : null;
  }

  get config(): ResolvedConfig {
    if (!this.resolved) throw new Error('ActorLearner: call start() first');
    return this.resolved;
  }

  /** Transitions trained on so far (a resumed run's included). */
  get step(): number {
    return this.steps;
  }

  /** Updates so far (a resumed run's included). */
  get update(): number {
    return this.updates;
  }

  /**
   * Actor `index`'s assignment. `restart` > 0 (Node's replaced workers): new episodes and a new
   * sampling stream, not a replay of the ones the dead actor played.
   */
  assignment(index: number, restart = 0): ActorAssignment {
    const own = this.resumed;
    const shift = (own?.steps ?? 0) + 104_729 * restart;
    // Resumed: new episodes, not a replay of the run's first ones (as FastTrainer).
    const config: Partial<PPOConfig> = own ? { ...configFields(own.config), ...this.options.config } : { ...this.options.config, seed: this.options.seed };
    // Actor 0 samples as the one-thread run does; the others each their own stream.
    return { type: 'assign', index, ...this.shares[index]!, seed: this.options.seed + shift, actingSeed: this.options.seed + 1 + 7919 * index + shift, config };
  }

  /** Starts every actor, waits until each built its copies, and starts the learner for all their agents. */
  async start(): Promise<BackendReport> {
    const own = this.resumed;
    const resume = own ? resumeStateOf(own) : null;
    const ready = await Promise.all(this.shares.map((_, i) => this.transport.launch(this.assignment(i))));
    const agents = ready.reduce((n, r) => n + r.agents, 0);
    this.observationSize = ready[0]!.observationSize;
    this.actionSpace = ready[0]!.actionSpace;
    this.observationInputs = ready[0]!.observationInputs;
    this.resolved = resolveConfig(own
      ? { ...configFields(own.config), ...this.options.config, numEnvs: agents }
      : { ...this.game.behaviors[0]!.config, ...this.options.config, seed: this.options.seed, numEnvs: agents });
    const { LearnerHost } = await import('./learner-host.js');
    const host = new LearnerHost(this.backends);
    const init = await host.init({
      observationSize: this.observationSize, observationInputs: copyInputs(this.observationInputs), actionSpace: this.actionSpace, config: configFields(this.resolved), backend: this.options.backend ?? 'auto',
      ...(resume ? { state: resume.learner } : {}),
    });
    this.learner = host;
    this.report = { backend: init.backend, reason: init.reason, timings: init.timings };
    if (this.resolved.normalizeObs) this.observationStats = resume?.observationStats ?? new RunningMeanStd(this.observationSize);
    if (resume?.rewardStats) this.rewardStats = resume.rewardStats;
    this.steps = this.startSteps = own?.steps ?? 0;
    this.updates = resume?.updates ?? 0;
    const start: ActorStart = { params: init.params, version: init.version, observationStats: this.observationStats?.toJSON() ?? null, rewardStats: this.rewardStats.toJSON() };
    this.shares.forEach((_, i) => this.transport.post(i, { type: 'start', ...start }));
    this.startedAt = performance.now();
    return this.report;
  }

  /** The newest weights and merged statistics: what a replaced actor starts from. */
  latest(): ActorStart {
    if (!this.learner) throw new Error('ActorLearner: call start() first');
    const state = this.learner.getState();
    return { params: state.params, version: state.version, observationStats: this.observationStats?.toJSON() ?? null, rewardStats: this.rewardStats.toJSON() };
  }

  /** Waits for every actor's next rollout, trains on them as one, and sends the new weights back. */
  async runUpdate(): Promise<FastUpdate> {
    if (!this.learner) throw new Error('ActorLearner: call start() first');
    const parts = await Promise.all(this.shares.map((_, i) => this.transport.next(i)));
    // Actor order: the same merge, and so the same curve, on every run of this seed and actor count.
    for (const p of parts) {
      if (p.observationDelta) this.observationStats?.merge(p.observationDelta);
      this.rewardStats.merge(p.rewardDelta);
      for (const e of p.episodes) this.episodes.push(e.return, e.length);
    }
    const rollout = joinRollouts(parts.map((p) => p.rollout));
    const reply = this.learner.train(rollout);
    this.steps += rollout.numSteps * rollout.numEnvs;
    this.updates++;
    const back: ActorReply = {
      params: reply.params, version: reply.version, stats: reply.stats,
      observationStats: this.observationStats?.toJSON() ?? null, rewardStats: this.rewardStats.toJSON(),
    };
    // Each actor its own copy of the weights (a port's message is a structured clone); the update keeps reply.params.
    this.shares.forEach((_, i) => this.transport.post(i, { type: 'reply', ...back }));
    const time = (performance.now() - this.startedAt) / 1000;
    const report = this.report!;
    return {
      ...reply.stats, ...this.episodes.summary(), behavior: this.game.behaviors[0]!.name, update: this.updates, step: this.steps, time, episodes: this.episodes.count,
      sps: (this.steps - this.startSteps) / time, backend: report.backend, ...engineDeviceOf({ backend: report.backend }), backendReason: report.reason,
      policyVersion: reply.version, params: reply.params, observationStats: back.observationStats,
    };
  }

  /** The trained behavior as a brain with its training state (a checkpoint `brain` resumes). */
  brain(): Brain {
    if (!this.learner) throw new Error('ActorLearner: call start() first');
    const behavior = this.game.behaviors[0]!;
    return brainOf({
      name: behavior.name, observationSpace: behavior.observationSpace ?? Box(-Infinity, Infinity, this.observationSize), actionSpace: this.actionSpace!,
      config: this.config, observationStats: this.observationStats, steps: this.steps, observationInputs: this.observationInputs,
      // Each actor samples its own stream: a resumed run starts new ones.
      source: { learner: this.learner.getState(), rewardStats: this.rewardStats, actingRng: null },
    });
  }

  /** Releases the learner. */
  dispose(): void {
    this.learner?.dispose();
    this.learner = null;
  }
}
