/**
 * Fast mode on several workers in a page: the learner's worker and N − 1 actor workers each play
 * their share of the game's copies through the one {@link FastTrainer} (collector, runner,
 * episodes); the learner joins their rollouts column by column in worker order (joinRollouts, as
 * Node's actor workers: parallel-trainer.ts) into the rollout one thread would have filled, trains
 * once, and sends every actor the new weights and merged normalizer statistics.
 *
 * Lockstep: an actor's FastTrainer hands its full rollout to a learner stand-in that posts it and
 * answers at once with the weights it acted with; the actor then awaits the learner's reply before
 * its next tick, so each rollout acts with the weights trained on the last one, except its first
 * decision: the runner acts for the fresh rollout's first row in the same tick that filled the
 * last one, before the reply can arrive. That row records its older version (`Rollout.versions`),
 * and the learner corrects its lag of 1 as it corrects any (decoupled PPO); 1 row of 64 (balance).
 * Nothing blocks a thread (no SharedArrayBuffer, so no cross-origin isolation is needed): the
 * learner's own share is an actor in its worker, on an in-process MessageChannel, interleaved by
 * the event loop.
 *
 * One learning behavior only, as Node's (`workersRefusal`): rivals, self-play, curricula and
 * demonstrations train on one worker.
 */
import { Box } from '../core/spaces.js';
import type { Space } from '../core/spaces.js';
import { PhaserPpoError } from '../core/errors.js';
import { brainOf, restoreStats, resumeStateOf, reviveBrain, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import type { UpdateStats } from '../rl/learner.js';
import { engineDeviceOf } from '../rl/metrics.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import type { Rollout } from '../rl/rollout.js';
import type { ActorReady, ActorReply, ActorRolloutMessage, ActorStart, StatsJson } from './actor-protocol.js';
import { copyInputs, type ObservationInput } from '../rl/conv.js';
import { FastTrainer, type FastUpdate, type SyncLearner } from './fast-trainer.js';
import type { HeadlessGame } from './game.js';
import { joinRollouts } from './join-rollouts.js';
import type { BackendChoice, BackendReport, BackendSelector } from './learner-host.js';
import { workersRefusal } from './workers-refusal.js';

/** What the learner tells an actor it plays: its copies of the run and how it samples. */
export interface ActorAssignment {
  type: 'assign';
  index: number;
  firstCopy: number;
  copies: number;
  seed: number;
  actingSeed: number;
  config: Partial<PPOConfig>;
}

/** Learner → actor. */
export type ToActor = ActorAssignment | ({ type: 'start' } & ActorStart) | ({ type: 'reply' } & ActorReply) | { type: 'stop' };
/** Actor → learner. */
export type FromActor = ActorReady | ActorRolloutMessage | { type: 'error'; message: string };

/** The messages of a port, one `await next()` at a time, in order. */
class Inbox<T> {
  private readonly queue: T[] = [];
  private waiting: ((m: T) => void) | null = null;

  constructor(port: MessagePort) {
    port.addEventListener('message', (e: MessageEvent) => {
      const w = this.waiting;
      if (w) {
        this.waiting = null;
        w(e.data as T);
      } else {
        this.queue.push(e.data as T);
      }
    });
    port.start();
  }

  next(): Promise<T> {
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((resolve) => { this.waiting = resolve; });
  }
}

function rolloutBuffers(r: Rollout): ArrayBuffer[] {
  return [r.observations.buffer, r.actions.buffer, r.logProbs.buffer, r.values.buffer, r.rewards.buffer, r.terminated.buffer,
    r.truncated.buffer, r.finalValues.buffer, r.lastValues.buffer, ...(r.masks ? [r.masks.buffer] : []), ...(r.versions ? [r.versions.buffer] : [])] as ArrayBuffer[];
}

/**
 * An actor: waits for its assignment on `port`, builds its copies, and plays them rollout by
 * rollout with the weights the learner sends, until the learner says stop. Resolves then; a game
 * that throws is reported to the learner (`{ type: 'error' }`) and rethrown.
 */
export async function runFastActor(game: HeadlessGame, port: MessagePort): Promise<void> {
  const inbox = new Inbox<ToActor>(port);
  const first = await inbox.next();
  if (first.type !== 'assign') return;
  try {
    await act(game, first, inbox, port);
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies FromActor);
    throw err;
  }
}

async function act(game: HeadlessGame, a: ActorAssignment, inbox: Inbox<ToActor>, port: MessagePort): Promise<void> {
  const episodes: { return: number; length: number }[] = [];
  const fast = new FastTrainer(game, null, {
    copies: a.copies, firstCopy: a.firstCopy, seed: a.seed, actingSeed: a.actingSeed, config: a.config,
    onEpisodeEnd: (_b, e) => episodes.push({ return: e.return, length: e.length }),
  });
  const runner = fast.collector.runners[0]!;
  const spec = runner.spec!;
  port.postMessage({ type: 'ready', agents: fast.config.numEnvs, observationSize: spec.observationSize, observationInputs: copyInputs(spec.observationInputs), actionSpace: spec.actionSpace } satisfies FromActor);
  const start = await inbox.next();
  if (start.type !== 'start') return;
  /** The merged statistics last received: each rollout sends what this actor saw since. */
  let base: { obs: StatsJson | null; reward: StatsJson } = { obs: null, reward: runner.rewardStats.toJSON() };
  let current = { params: start.params, version: start.version };
  const adopt = (stats: { observationStats: StatsJson | null; rewardStats: StatsJson }) => {
    if (runner.observationStats) restoreStats(runner.observationStats, stats.observationStats);
    restoreStats(runner.rewardStats, stats.rewardStats);
    base = { obs: runner.observationStats?.toJSON() ?? null, reward: runner.rewardStats.toJSON() };
  };
  const remote: SyncLearner = {
    train(rollout) {
      const msg: ActorRolloutMessage = {
        type: 'rollout', rollout, episodes: episodes.splice(0),
        observationDelta: runner.observationStats && base.obs ? runner.observationStats.since(base.obs) : null,
        rewardDelta: runner.rewardStats.since(base.reward),
      };
      port.postMessage(msg, rolloutBuffers(rollout));
      // The weights it acted with, for now: the learner's reply replaces them before the next tick.
      return { params: current.params, version: current.version, stats: {} as UpdateStats, updateMs: 0 };
    },
    getState() {
      throw new Error('an actor holds no learner state');
    },
    getConfig: () => fast.config,
    dispose: () => undefined,
  };
  fast.startWith(() => ({ learner: remote, report: { backend: 'kernels', reason: 'actor: the learner worker learns', timings: {} }, params: start.params, version: start.version }));
  adopt(start);
  for (;;) {
    fast.runUpdate();
    const reply = await inbox.next();
    if (reply.type !== 'reply') return;
    current = { params: reply.params, version: reply.version };
    runner.setParams(reply.params, reply.version);
    adopt(reply);
  }
}

export interface FastActorLearnerOptions {
  /** Copies of the game's world over all workers. Default: the game's `copies`. */
  copies?: number;
  seed: number;
  config?: Partial<PPOConfig>;
  backend?: BackendChoice;
  /** Continue this checkpoint (its learner exactly; acting starts new streams). */
  brain?: Brain;
}

interface Link {
  port: MessagePort;
  inbox: Inbox<FromActor>;
  firstCopy: number;
  copies: number;
}

/**
 * The learner of a multi-worker fast run, in the learner's worker: `ports[i]` talks to actor i
 * (actor 0 is usually this worker's own, see {@link localActor}). Copies are split in actor order,
 * the first ones one more when they do not divide evenly.
 */
export class FastActorLearner {
  private readonly links: Link[] = [];
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
  readonly copies: number;

  constructor(readonly game: HeadlessGame, private readonly backends: BackendSelector, ports: readonly MessagePort[], private readonly options: FastActorLearnerOptions) {
    const refusal = workersRefusal(game, options.config ?? {}, undefined, 'use workers: 1');
    if (refusal) throw new PhaserPpoError(`fast mode on ${ports.length} workers: ${refusal}`);
    this.copies = options.copies ?? game.copies;
    if (ports.length < 1 || ports.length > this.copies) throw new PhaserPpoError(`fast mode: ${ports.length} workers for the ${this.copies} copies of "${game.name}": each worker plays at least one copy, so give at most ${this.copies} workers`);
    this.resumed = options.brain ? reviveBrain(options.brain) : null;
    for (let i = 0, first = 0; i < ports.length; i++) {
      const copies = Math.floor(this.copies / ports.length) + (i < this.copies % ports.length ? 1 : 0);
      this.links.push({ port: ports[i]!, inbox: new Inbox<FromActor>(ports[i]!), firstCopy: first, copies });
      first += copies;
    }
  }

  get workers(): number {
    return this.links.length;
  }

  get config(): ResolvedConfig {
    if (!this.resolved) throw new Error('FastActorLearner: call start() first');
    return this.resolved;
  }

  get step(): number {
    return this.steps;
  }

  private async next(l: Link, index: number): Promise<ActorReady | ActorRolloutMessage> {
    const m = await l.inbox.next();
    if (m.type === 'error') throw new PhaserPpoError(`fast mode: worker ${index + 1} of ${this.links.length} (copies ${l.firstCopy}–${l.firstCopy + l.copies - 1} of "${this.game.name}") failed: ${m.message}`);
    return m;
  }

  /** Assigns each actor its copies, waits until all built them, and starts the learner for all their agents. */
  async start(): Promise<BackendReport> {
    const own = this.resumed;
    const resume = own ? resumeStateOf(own) : null;
    // Resumed: new episodes, not a replay of the run's first ones (as FastTrainer).
    const seed = this.options.seed + (own?.steps ?? 0);
    const config: Partial<PPOConfig> = own ? { ...configFields(own.config), ...this.options.config } : { ...this.options.config, seed: this.options.seed };
    this.links.forEach((l, i) => {
      // Actor 0 samples as the one-worker run does; the others each their own stream (as Node's workers).
      const assign: ActorAssignment = { type: 'assign', index: i, firstCopy: l.firstCopy, copies: l.copies, seed, actingSeed: this.options.seed + 1 + 7919 * i + (own?.steps ?? 0), config };
      l.port.postMessage(assign satisfies ToActor);
    });
    const ready = (await Promise.all(this.links.map((l, i) => this.next(l, i)))) as ActorReady[];
    const agents = ready.reduce((n, r) => n + r.agents, 0);
    this.observationSize = ready[0]!.observationSize;
    this.actionSpace = ready[0]!.actionSpace;
    this.observationInputs = ready[0]!.observationInputs;
    const behavior = this.game.behaviors[0]!;
    this.resolved = resolveConfig(own
      ? { ...configFields(own.config), ...this.options.config, numEnvs: agents }
      : { ...behavior.config, ...this.options.config, seed: this.options.seed, numEnvs: agents });
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
    for (const l of this.links) l.port.postMessage({ type: 'start', ...start } satisfies ToActor);
    this.startedAt = performance.now();
    return this.report;
  }

  /** Waits for every actor's next rollout, trains on them as one, and sends the new weights back. */
  async runUpdate(): Promise<FastUpdate> {
    if (!this.learner) throw new Error('FastActorLearner: call start() first');
    const parts = (await Promise.all(this.links.map((l, i) => this.next(l, i)))) as ActorRolloutMessage[];
    // Actor order: the same merge, and so the same curve, on every run of this seed and worker count.
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
    for (const l of this.links) l.port.postMessage({ type: 'reply', ...back } satisfies ToActor);
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
    if (!this.learner) throw new Error('FastActorLearner: call start() first');
    const behavior = this.game.behaviors[0]!;
    return brainOf({
      name: behavior.name, observationSpace: behavior.observationSpace ?? Box(-Infinity, Infinity, this.observationSize), actionSpace: this.actionSpace!,
      config: this.config, observationStats: this.observationStats, steps: this.steps, observationInputs: this.observationInputs,
      // Each actor samples its own stream: a resumed run starts new ones.
      source: { learner: this.learner.getState(), rewardStats: this.rewardStats, actingRng: null },
    });
  }

  /** Tells every actor to stop and releases the learner. */
  close(): void {
    for (const l of this.links) l.port.postMessage({ type: 'stop' } satisfies ToActor);
    this.learner?.dispose();
    this.learner = null;
  }
}

/**
 * This worker's own actor for `game`: one end of an in-process channel for {@link FastActorLearner},
 * the actor playing on the other (interleaved with the learner by the event loop).
 */
export function localActor(game: HeadlessGame, onError: (err: unknown) => void): MessagePort {
  const { port1, port2 } = new MessageChannel();
  runFastActor(game, port2).catch(onError);
  return port1;
}
