/**
 * The learner of a run whose copies several actors play: Node's actor workers (parallel-trainer.ts,
 * `worker_threads`) and a page's fast-mode workers (fast-actors.ts) alike. It splits the copies
 * among the actors in actor order (the first ones one more when they do not divide evenly), starts
 * one learner per learning behavior for all the actors' agents of it (as FastTrainer does in one
 * thread), and per update waits for every actor's next rollout (the same behavior's: each actor's
 * copies fill them on the same ticks), merges their normalizer statistics and episodes in actor
 * order, joins the rollouts column by column into the one a single thread would have filled, trains
 * that behavior once and sends every actor its new weights. In a game of two behaviors or more the
 * episodes' results rate the behaviors ({@link BehaviorRatings}). Actor order makes the same seed
 * and actor count give the same curve. How messages travel (and what a failed actor becomes) is
 * the injected {@link ActorTransport}; loads in a browser worker.
 */
import { Box } from '../core/spaces.js';
import type { Space } from '../core/spaces.js';
import { PhaserPpoError } from '../core/errors.js';
import { brainOf, resumeStateOf, reviveBrain, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { copyInputs, type ObservationInput } from '../rl/conv.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import { engineDeviceOf } from '../rl/metrics.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import type { ActorAssignment, ActorBehavior, ActorReady, ActorReply, ActorRolloutMessage, ActorStart, ToActorWeights } from './actor-protocol.js';
import type { FastUpdate, SyncLearner } from './fast-trainer.js';
import type { UpdateStats } from '../rl/learner.js';
import type { GameBehavior, HeadlessGame } from './game.js';
import { joinRollouts } from './join-rollouts.js';
import type { BackendChoice, BackendReport, BackendSelector } from './learner-host.js';
import { BehaviorRatings } from './rivals.js';
import { Curriculum } from './curriculum.js';
import { SelfPlay } from './self-play.js';
import type { EnvironmentParameters } from './env-params.js';

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
  /** Overrides of one behavior's tuned config, by behavior (`config` still comes on top), as FastTrainerOptions.behaviorConfig. */
  behaviorConfig?: Record<string, Partial<PPOConfig>>;
  /** The run's environment parameters, replacing the game's own parameter by parameter (a resumed run keeps its checkpoint's). */
  environmentParameters?: EnvironmentParameters;
  /**
   * Continue this checkpoint: the behavior its `env` names (a one-behavior game's only one), its
   * learner exactly, self-play's pool and the curriculum's lessons with it; acting starts new streams.
   */
  brain?: Brain;
  /** Checkpoints of several behaviors to continue together (chase's pack and runner), each as `brain`; one per behavior at most. */
  brains?: readonly Brain[];
  /** In a game of two behaviors or more: every behavior's ELO to go on from (a resumed run's last `ratings`). */
  ratings?: Readonly<Record<string, number>>;
}

/** One learning behavior's learner and counters. */
interface Learned {
  behavior: GameBehavior;
  learner: SyncLearner;
  report: BackendReport;
  config: ResolvedConfig;
  observationSize: number;
  actionSpace: Space;
  observationInputs: ObservationInput[];
  observationStats: RunningMeanStd | null;
  rewardStats: RunningMeanStd;
  episodes: EpisodeWindow;
  /** Transitions trained on, and updates (a resumed run's included). */
  steps: number;
  startSteps: number;
  updates: number;
  /** With `config.selfPlay`: the pool, ELO, learning team and opponent (the actors follow it). */
  selfPlay: SelfPlay | null;
  /** The last update's diagnostics (what an untrained answer carries); null before the first. */
  lastStats: UpdateStats | null;
}

/**
 * The checkpoints to continue, by the behavior each continues: the one its `env` names (a
 * one-behavior game's only behavior, whatever its brain is named); one per behavior at most.
 */
function resumedBrains(game: HeadlessGame, given: readonly Brain[]): Map<string, Brain> {
  const resumed = new Map<string, Brain>();
  const names = game.behaviors.map((b) => b.name);
  for (const g of given) {
    const brain = reviveBrain(g);
    const name = names.length === 1 ? names[0]! : brain.env;
    if (!names.includes(name)) throw new PhaserPpoError(`the brain was trained on "${brain.env}", which is no behavior of the game "${game.name}" (its behaviors: ${names.map((n) => `"${n}"`).join(', ')})`);
    if (resumed.has(name)) throw new PhaserPpoError(`two brains to continue for the behavior "${name}"`);
    resumed.set(name, brain);
  }
  return resumed;
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
  /** The learning behaviors, in the game's order (a rollout message's `behavior` indexes them). */
  private learned: Learned[] = [];
  /** ELO per behavior from the episodes' results, in a game of two behaviors or more. */
  ratings: BehaviorRatings | null = null;
  /**
   * The run's curriculum, null without one: its lessons live here, moved by the merged episodes and
   * updates as in one thread, and go to the actors with each update's weights.
   */
  readonly curriculum: Curriculum | null;
  private startedAt = 0;
  private disposed = false;
  /** Actors replaced (Node's restarts) that have not yet handed a rollout in step with the others. */
  private readonly restarted = new Set<number>();
  /** The checkpoints continued, by behavior. */
  private readonly resumed: ReadonlyMap<string, Brain>;

  constructor(readonly game: HeadlessGame, private readonly backends: BackendSelector, private readonly transport: ActorTransport, private readonly options: ActorLearnerOptions) {
    this.shares = splitCopies(options.copies, options.actors);
    this.resumed = resumedBrains(game, [...(options.brain ? [options.brain] : []), ...(options.brains ?? [])]);
    if (options.ratings && game.behaviors.length < 2) throw new PhaserPpoError(`ratings are for games of two behaviors or more; the game "${game.name}" has one`);
    const names = game.behaviors.map((b) => b.name);
    // The curriculum is the game's: every behavior's checkpoint holds the same one.
    const saved = [...this.resumed.values()].find((b) => b.training?.curriculum)?.training?.curriculum;
    const curriculum = saved ? Curriculum.restore(saved, names) : new Curriculum({ ...game.environmentParameters, ...options.environmentParameters }, names, options.seed);
    this.curriculum = curriculum.names.length > 0 ? curriculum : null;
  }

  private get first(): Learned {
    const l = this.learned[0];
    if (!l) throw new Error('ActorLearner: call start() first');
    return l;
  }

  /** The resolved config of the game's first behavior (its only one, in a one-behavior game). */
  get config(): ResolvedConfig {
    return this.first.config;
  }

  /** Each learning behavior's resolved config, by name. */
  configs(): Record<string, ResolvedConfig> {
    return Object.fromEntries(this.learned.map((l) => [l.behavior.name, l.config]));
  }

  /** The learning behaviors' names, in the game's order. */
  get behaviors(): string[] {
    return this.learned.map((l) => l.behavior.name);
  }

  /** Transitions the first behavior trained on so far (a resumed run's included). */
  get step(): number {
    return this.first.steps;
  }

  /** Every behavior's transitions trained on so far, by name. */
  steps(): Record<string, number> {
    return Object.fromEntries(this.learned.map((l) => [l.behavior.name, l.steps]));
  }

  /** Updates of the first behavior so far (a resumed run's included). */
  get update(): number {
    return this.first.updates;
  }

  /**
   * Actor `index`'s assignment. `restart` > 0 (Node's replaced workers): new episodes and a new
   * sampling stream, not a replay of the ones the dead actor played.
   */
  assignment(index: number, restart = 0): ActorAssignment {
    if (restart > 0) this.restarted.add(index);
    // Resumed: new episodes, not a replay of the run's first ones (as FastTrainer).
    const shift = Math.max(0, ...[...this.resumed.values()].map((b) => b.steps)) + 104_729 * restart;
    // A resumed behavior acts with its checkpoint's config (the run's `config` still on top), as the learner trains it.
    const behaviorConfig: Record<string, Partial<PPOConfig>> = { ...this.options.behaviorConfig };
    for (const [name, own] of this.resumed) behaviorConfig[name] = { ...configFields(own.config), ...this.options.behaviorConfig?.[name] };
    // Actor 0 samples as the one-thread run does; the others each their own stream.
    return {
      type: 'assign', index, ...this.shares[index]!, seed: this.options.seed + shift, actingSeed: this.options.seed + 1 + 7919 * index + shift,
      config: { ...this.options.config, seed: this.options.seed },
      ...(Object.keys(behaviorConfig).length > 0 ? { behaviorConfig } : {}),
      ...(this.curriculum ? { environmentParameters: this.curriculum.parameters } : {}),
    };
  }

  /** Starts every actor, waits until each built its copies, and starts one learner per behavior for all their agents. */
  async start(): Promise<BackendReport> {
    const ready = await Promise.all(this.shares.map((_, i) => this.transport.launch(this.assignment(i))));
    const { LearnerHost } = await import('./learner-host.js');
    const learned: Learned[] = [];
    for (const [b, first] of ready[0]!.behaviors.entries()) learned.push(await this.startBehavior(first, ready.map((r) => r.behaviors[b]!), LearnerHost));
    this.learned = learned;
    if (learned.length >= 2) {
      this.ratings = new BehaviorRatings(Object.fromEntries(learned.map((l) => [l.behavior.name, l.config.numEnvs / this.options.copies])));
      if (this.options.ratings) this.ratings.restore(this.options.ratings);
    }
    const start = this.latest();
    this.shares.forEach((_, i) => this.transport.post(i, { type: 'start', ...start }));
    this.startedAt = performance.now();
    return this.first.report;
  }

  private async startBehavior(first: ActorBehavior, all: ActorBehavior[], Host: typeof import('./learner-host.js').LearnerHost): Promise<Learned> {
    const behavior = this.game.behaviors.find((x) => x.name === first.name);
    if (!behavior) throw new PhaserPpoError(`ActorLearner: the actors play a behavior "${first.name}" the game "${this.game.name}" does not have`);
    const own = this.resumed.get(first.name) ?? null;
    const resume = own ? resumeStateOf(own) : null;
    const agents = all.reduce((n, r) => n + r.agents, 0);
    // As FastTrainer: a resumed behavior keeps its checkpoint's config, with the run's overrides on top.
    const config = resolveConfig(own
      ? { ...configFields(own.config), ...this.options.behaviorConfig?.[behavior.name], ...this.options.config, numEnvs: agents }
      : { ...behavior.config, ...this.options.behaviorConfig?.[behavior.name], ...this.options.config, seed: this.options.seed, numEnvs: agents });
    const host = new Host(this.backends);
    const init = await host.init({
      observationSize: first.observationSize, observationInputs: copyInputs(first.observationInputs), actionSpace: first.actionSpace, config: configFields(config), backend: this.options.backend ?? 'auto',
      ...(resume ? { state: resume.learner } : {}),
    });
    const steps = own?.steps ?? 0;
    const observationStats = config.normalizeObs ? resume?.observationStats ?? new RunningMeanStd(first.observationSize) : null;
    let selfPlay: SelfPlay | null = null;
    if (config.selfPlay) {
      // As FastTrainer's: the learner's self-play decides; the actors' opponents and team follow it.
      const saved = own?.training?.selfPlay;
      selfPlay = saved
        ? SelfPlay.fromJSON(config.selfPlay, saved, init.params.length)
        : new SelfPlay(config.selfPlay, { seed: config.seed, teams: first.teams ?? 1, initial: { params: init.params, version: init.version, observationStats: observationStats?.toJSON() ?? null }, step: steps });
    }
    return {
      behavior, learner: host, report: { backend: init.backend, reason: init.reason, timings: init.timings }, config,
      observationSize: first.observationSize, actionSpace: first.actionSpace, observationInputs: first.observationInputs,
      observationStats, rewardStats: resume?.rewardStats ?? new RunningMeanStd(1), episodes: new EpisodeWindow(),
      steps, startSteps: steps, updates: resume?.updates ?? 0, selfPlay, lastStats: null,
    };
  }

  private weightsOf(l: Learned): ActorStart {
    const state = l.learner.getState();
    const sp = l.selfPlay;
    return {
      params: state.params, version: state.version, observationStats: l.observationStats?.toJSON() ?? null, rewardStats: l.rewardStats.toJSON(),
      ...(sp ? { selfPlay: { opponent: sp.opponentWeights, learningTeam: sp.learningTeam } } : {}),
    };
  }

  /** Every behavior's newest weights and merged statistics, and the lessons: what an actor starts from. */
  latest(): { behaviors: ActorStart[]; lessons?: Record<string, number> } {
    if (this.learned.length === 0) throw new Error('ActorLearner: call start() first');
    return { behaviors: this.learned.map((l) => this.weightsOf(l)), ...(this.curriculum ? { lessons: this.curriculum.summary().lessons } : {}) };
  }

  /** Waits for every actor's next rollout (one behavior's), trains that behavior on them as one, and sends its new weights back. */
  async runUpdate(): Promise<FastUpdate> {
    if (this.learned.length === 0) throw new Error('ActorLearner: call start() first');
    const parts = await Promise.all(this.shares.map((_, i) => this.transport.next(i)));
    // The behavior whose round this is: an actor in step says (a replaced one starts its behaviors afresh).
    const b = (parts.find((_, i) => !this.restarted.has(i)) ?? parts[0]!).behavior;
    const l = this.learned[b]!;
    for (let i = 0; i < parts.length; i++) parts[i] = await this.inStep(i, parts[i]!, b);
    // Actor order: the same merge, and so the same curve, on every run of this seed and actor count.
    for (const p of parts) {
      if (p.observationDelta) l.observationStats?.merge(p.observationDelta);
      l.rewardStats.merge(p.rewardDelta);
      for (const e of p.episodes) {
        l.episodes.push(e.return, e.length);
        l.selfPlay?.recordEpisode(e);
        this.curriculum?.episodeEnded(l.behavior.name, e.return);
        this.ratings?.record(l.behavior.name, e);
      }
    }
    const rollout = joinRollouts(parts.map((p) => p.rollout));
    const reply = l.learner.train(rollout);
    l.lastStats = reply.stats;
    l.steps += rollout.numSteps * rollout.numEnvs;
    l.updates++;
    const time = (performance.now() - this.startedAt) / 1000;
    const report = l.report;
    const ratings = this.ratings?.toJSON();
    const observationStats = l.observationStats?.toJSON() ?? null;
    const sp = l.selfPlay;
    const events = sp?.afterUpdate(l.steps, { params: reply.params, version: reply.version, observationStats });
    const update: FastUpdate = {
      ...reply.stats, ...l.episodes.summary(), behavior: l.behavior.name, update: l.updates, step: l.steps, time, episodes: l.episodes.count,
      sps: (l.steps - l.startSteps) / time, backend: report.backend, ...engineDeviceOf({ backend: report.backend }), backendReason: report.reason,
      policyVersion: reply.version, params: reply.params, observationStats,
      ...(sp ? { elo: sp.elo, learningTeam: sp.learningTeam, opponentElo: sp.opponentElo } : {}),
      ...(ratings ? { elo: ratings[l.behavior.name], ratings } : {}),
    };
    const back: ActorReply = {
      behavior: b, params: reply.params, version: reply.version, stats: reply.stats, observationStats, rewardStats: l.rewardStats.toJSON(),
      ...(sp ? { selfPlay: { learningTeam: sp.learningTeam, ...(events!.swapped ? { opponent: sp.opponentWeights } : {}) } } : {}),
    };
    const curriculum = this.curriculum;
    if (curriculum) {
      // As FastTrainer after each update; the actors follow the lessons from the weights on.
      const { reset } = curriculum.afterUpdate(l.behavior.name, update, l.steps / l.config.totalSteps);
      const { lessons, envParams } = curriculum.summary();
      update.lessons = lessons;
      update.envParams = envParams;
      back.lessons = lessons;
      if (reset) back.reset = true;
    }
    // Each actor its own copy of the weights (a port's message is a structured clone); the update keeps reply.params.
    this.shares.forEach((_, i) => this.transport.post(i, { type: 'reply', ...back }));
    return update;
  }

  /**
   * Actor `i`'s rollout of behavior `b`, from `m` on. A replaced actor plays its copies afresh, so
   * its behaviors' rollouts may fill in another order than the others': one of another behavior is
   * answered with that behavior's newest weights, untrained (its transitions and episodes dropped),
   * until it hands one of `b`; from then on it is in step. Any other actor out of step is an error.
   */
  private async inStep(i: number, m: ActorRolloutMessage, b: number): Promise<ActorRolloutMessage> {
    while (m.behavior !== b) {
      if (!this.restarted.has(i)) {
        throw new PhaserPpoError(`actor ${i + 1} of ${this.shares.length} handed a rollout of "${this.learned[m.behavior]?.behavior.name}" while the others handed one of "${this.learned[b]!.behavior.name}": `
          + `the actors' copies no longer fill their behaviors' rollouts on the same ticks (agents that join or leave): train "${this.game.name}" with --workers 1`);
      }
      const other = this.learned[m.behavior]!;
      // The actor's own update metrics are discarded: the last ones stand in before the first.
      const stats = other.lastStats ?? ({} as UpdateStats);
      this.transport.post(i, { type: 'reply', behavior: m.behavior, ...this.weightsOf(other), stats, ...(this.curriculum ? { lessons: this.curriculum.summary().lessons } : {}) });
      m = await this.transport.next(i);
    }
    this.restarted.delete(i);
    return m;
  }

  /** The trained behavior `name` (default: the game's first) as a brain with its training state (a checkpoint `brain` resumes). */
  brain(name = this.first.behavior.name): Brain {
    const l = this.learned.find((x) => x.behavior.name === name);
    if (!l) throw new PhaserPpoError(`game "${this.game.name}" has no learning behavior "${name}"; its behaviors: ${this.behaviors.map((n) => `"${n}"`).join(', ')}`);
    const brain = brainOf({
      name, observationSpace: l.behavior.observationSpace ?? Box(-Infinity, Infinity, l.observationSize), actionSpace: l.actionSpace,
      config: l.config, observationStats: l.observationStats, steps: l.steps, observationInputs: l.observationInputs,
      // Each actor samples its own stream: a resumed run starts new ones.
      source: { learner: l.learner.getState(), rewardStats: l.rewardStats, actingRng: null },
      ...(l.selfPlay ? { selfPlay: l.selfPlay.toJSON() } : {}),
    });
    if (this.curriculum) brain.training!.curriculum = this.curriculum.state();
    return brain;
  }

  /** Releases the learners. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.learned) l.learner.dispose();
  }
}
