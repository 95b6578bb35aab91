/**
 * Every core in Node: N actor workers (`worker_threads`, sdk/runtime/actor-worker.ts) each play
 * their share of a game's copies through the one collector, and one learner in this thread trains
 * on their rollouts, joined column by column into the rollout one thread would have filled.
 *
 * Lockstep (`overlap: false`): every worker waits for the weights trained on its last rollout
 * (policy lag 0). Overlap (default): each worker acts its next rollout while the learner trains on
 * the last, so rollouts arrive one version old (policy lag 1, corrected by the learner's
 * Retrace / decoupled-PPO path and reported in `policyLag`). In both modes the learner takes the
 * workers' rollouts in worker order, so the same seed and worker count give the same curve;
 * a different worker count gives another (each worker samples its own actions).
 *
 * One learning behavior only: several behaviors (rivals), self-play, curricula and demonstrations
 * train in one thread ({@link FastTrainer}); they are refused here, naming what to change.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { Box } from '../core/spaces.js';
import { PhaserPpoError } from '../core/errors.js';
import { brainOf, resumeStateOf, reviveBrain, type Brain } from '../io/brain.js';
import { configFields, resolveConfig, scheduledSteps, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { EpisodeWindow } from '../rl/episode-window.js';
import { engineDeviceOf } from '../rl/metrics.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { joinRollouts } from './join-rollouts.js';
import type { Space } from '../core/spaces.js';
import type { EnvironmentParameters } from './env-params.js';
import type { FastUpdate, SyncLearner } from './fast-trainer.js';
import type { GameBehavior, HeadlessGame } from './game.js';
import type { BackendChoice, BackendReport, BackendSelector } from './learner-host.js';
import type { ActorReady, ActorReply, ActorRolloutMessage, ActorSource, ActorStart } from './actor-protocol.js';
import { copyInputs, type ObservationInput } from '../rl/conv.js';
import type { ActorWorkerData } from './actor-worker.js';

export type { ActorSource } from './actor-protocol.js';
// Shared with the page's actor workers (fast-actors.ts), which cannot load this Node module.
export { joinRollouts } from './join-rollouts.js';
export { workersRefusal } from './workers-refusal.js';
import { workersRefusal } from './workers-refusal.js';

/** An actor worker failed (its game threw, it ran out of memory, it was killed): which one, and which copies it played. */
export class ActorWorkerError extends PhaserPpoError {
  override name = 'ActorWorkerError';
}

export interface ParallelTrainerOptions {
  /** Actor workers (threads), at least 1; at most the copies. */
  workers: number;
  /** Where each worker loads the game: the same name or module the main thread loaded `game` from. */
  source: ActorSource;
  /** Copies of the game's world over all workers. Default: the game's `copies`. */
  copies?: number;
  seed: number;
  /** Overrides of the behavior's tuned config for this run. */
  config?: Partial<PPOConfig>;
  /** The learner's backend (see {@link FastTrainerOptions.backend}); default `auto`. */
  backend?: BackendChoice;
  /** Continue this checkpoint (its learner exactly; acting starts new streams). */
  brain?: Brain;
  /** Act the next rollout while the learner trains (policy lag 1); false: lockstep (lag 0). Default true. */
  overlap?: boolean;
  /** Refused when they hold a curriculum, as the game's own are (see the class comment). */
  environmentParameters?: EnvironmentParameters;
}

/**
 * The CLI's default `--workers`: half the cores (the learner and the system keep the rest), at
 * most 8; 1 (today's one-thread path) on a machine of fewer than 4 cores, where a worker thread
 * only competes with the learner.
 */
export function defaultWorkers(cores = availableParallelism()): number {
  return cores < 4 ? 1 : Math.min(8, Math.floor(cores / 2));
}

/** One actor worker as the main thread sees it. */
interface Actor {
  index: number;
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  firstCopy: number;
  copies: number;
  agents: number;
  ready: Promise<ActorReady>;
  /** Rollouts received and not yet trained on, oldest first. */
  inbox: ActorRolloutMessage[];
  /** Set while `runUpdate` waits for this worker's next rollout. */
  waiting: ((m: ActorRolloutMessage) => void) | null;
  exited: boolean;
}

export class ParallelTrainer {
  readonly behavior: GameBehavior;
  readonly workers: number;
  readonly copies: number;
  readonly overlap: boolean;
  private readonly actors: Actor[] = [];
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
  private failure: ActorWorkerError | null = null;
  private failed: ((e: ActorWorkerError) => void)[] = [];
  private closing = false;
  private readonly resumed: Brain | null;

  constructor(readonly game: HeadlessGame, private readonly backends: BackendSelector, private readonly options: ParallelTrainerOptions) {
    const refusal = workersRefusal(game, options.config ?? {}, options.environmentParameters);
    if (refusal) throw new PhaserPpoError(`--workers ${options.workers}: ${refusal}`);
    this.behavior = game.behaviors[0]!;
    this.copies = options.copies ?? game.copies;
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new PhaserPpoError(`workers must be a positive integer, got ${options.workers}`);
    if (options.workers > this.copies) throw new PhaserPpoError(`--workers ${options.workers} is more than the ${this.copies} copies of "${game.name}" (each worker plays at least one): give --workers ${this.copies} or fewer, or more --envs`);
    this.workers = options.workers;
    this.overlap = options.overlap ?? true;
    this.resumed = options.brain ? reviveBrain(options.brain) : null;
  }

  /** The resolved config (numEnvs: every worker's agents together). */
  get config(): ResolvedConfig {
    if (!this.resolved) throw new Error('ParallelTrainer: call start() first');
    return this.resolved;
  }

  /** Transitions trained on so far (a resumed run's included). */
  get step(): number {
    return this.steps;
  }

  get done(): boolean {
    return this.steps >= scheduledSteps(this.config);
  }

  /** The copies worker `index` plays, as `copies 8–15`. */
  private describe(a: Actor): string {
    return `actor worker ${a.index + 1} of ${this.workers} (copies ${a.firstCopy}–${a.firstCopy + a.copies - 1} of "${this.game.name}")`;
  }

  /** Starts the workers, waits until each built its copies, and starts the learner for all their agents. */
  async start(): Promise<BackendReport> {
    const own = this.resumed;
    const resume = own ? resumeStateOf(own) : null;
    // Resumed: new episodes, not a replay of the run's first ones (as FastTrainer).
    const seed = this.options.seed + (own?.steps ?? 0);
    const workerConfig: Partial<PPOConfig> = own ? { ...configFields(own.config), ...this.options.config } : { ...this.options.config, seed: this.options.seed };
    for (let i = 0, first = 0; i < this.workers; i++) {
      const copies = Math.floor(this.copies / this.workers) + (i < this.copies % this.workers ? 1 : 0);
      // Worker 0 samples as the one-thread run does; the others each their own stream.
      this.actors.push(this.spawn(i, first, copies, { seed, actingSeed: this.options.seed + 1 + 7919 * i + (own?.steps ?? 0), config: workerConfig }));
      first += copies;
    }
    const ready = await Promise.race([Promise.all(this.actors.map((a) => a.ready)), this.failurePromise()]);
    const agents = ready.reduce((n, r) => n + r.agents, 0);
    this.observationSize = ready[0]!.observationSize;
    this.actionSpace = ready[0]!.actionSpace;
    this.observationInputs = ready[0]!.observationInputs;
    this.resolved = resolveConfig(own
      ? { ...configFields(own.config), ...this.options.config, numEnvs: agents }
      : { ...this.behavior.config, ...this.options.config, seed: this.options.seed, numEnvs: agents });
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
    for (const a of this.actors) this.send(a, start);
    this.startedAt = performance.now();
    return this.report;
  }

  private spawn(index: number, firstCopy: number, copies: number, run: { seed: number; actingSeed: number; config: Partial<PPOConfig> }): Actor {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const data: ActorWorkerData = {
      index, source: this.options.source, firstCopy, copies, seed: run.seed, actingSeed: run.actingSeed, config: run.config, overlap: this.overlap, signal, port: port2,
    };
    const worker = startActorWorker(data, [port2]);
    let onReady: (r: ActorReady) => void = () => undefined;
    const a: Actor = {
      index, worker, port: port1, signal: new Int32Array(signal), firstCopy, copies, agents: 0, inbox: [], waiting: null, exited: false,
      ready: new Promise<ActorReady>((resolve) => { onReady = resolve; }),
    };
    worker.on('message', (m: ActorReady | ActorRolloutMessage) => {
      if (m.type === 'ready') {
        a.agents = m.agents;
        onReady(m);
      } else if (a.waiting) {
        const w = a.waiting;
        a.waiting = null;
        w(m);
      } else {
        a.inbox.push(m);
      }
    });
    worker.on('error', (err) => this.fail(a, err.message));
    worker.on('exit', (code) => {
      a.exited = true;
      if (!this.closing) this.fail(a, `it exited (code ${code})`);
    });
    return a;
  }

  /** Posts `msg` on a worker's port and wakes it (it may be blocked in `Atomics.wait`). */
  private send(a: Actor, msg: ActorStart | ActorReply | { type: 'stop' }): void {
    a.port.postMessage(msg);
    Atomics.add(a.signal, 0, 1);
    Atomics.notify(a.signal, 0);
  }

  private fail(a: Actor, cause: string): void {
    if (this.failure || this.closing) return;
    this.failure = new ActorWorkerError(`${this.describe(a)} failed: ${cause}. The learner's last update is kept (the CLI saves it as the checkpoint); `
      + `the other workers were stopped.`);
    this.close();
    for (const f of this.failed.splice(0)) f(this.failure);
  }

  /** Rejects when a worker fails. */
  private failurePromise(): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (this.failure) reject(this.failure);
      else this.failed.push(reject);
    });
  }

  private nextRollout(a: Actor): Promise<ActorRolloutMessage> {
    const m = a.inbox.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => { a.waiting = resolve; });
  }

  /** Waits for every worker's next rollout, trains on them as one, and sends the new weights back. */
  async runUpdate(): Promise<FastUpdate> {
    if (!this.learner) throw new Error('ParallelTrainer: call start() first');
    if (this.failure) throw this.failure;
    const parts = await Promise.race([Promise.all(this.actors.map((a) => this.nextRollout(a))), this.failurePromise()]);
    // Worker order: the same merge, and so the same curve, on every run of this seed.
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
    for (const a of this.actors) this.send(a, back);
    const time = (performance.now() - this.startedAt) / 1000;
    const report = this.report!;
    return {
      ...reply.stats, ...this.episodes.summary(), behavior: this.behavior.name, update: this.updates, step: this.steps, time, episodes: this.episodes.count,
      sps: (this.steps - this.startSteps) / time, backend: report.backend, ...engineDeviceOf({ backend: report.backend }), backendReason: report.reason,
      policyVersion: reply.version, params: reply.params, observationStats: back.observationStats,
    };
  }

  /** The trained behavior as a brain with its training state (a checkpoint `brain` resumes). */
  brain(): Brain {
    if (!this.learner) throw new Error('ParallelTrainer: call start() first');
    return brainOf({
      name: this.behavior.name, observationSpace: this.behavior.observationSpace ?? Box(-Infinity, Infinity, this.observationSize), actionSpace: this.actionSpace!,
      config: this.config, observationStats: this.observationStats, steps: this.steps, observationInputs: this.observationInputs,
      // Each worker samples its own stream: a resumed run starts new ones.
      source: { learner: this.learner.getState(), rewardStats: this.rewardStats, actingRng: null },
    });
  }

  /** Stops the workers; the learner stays (a failed run's `brain()` still saves its last update). */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    for (const a of this.actors) {
      if (a.exited) continue;
      this.send(a, { type: 'stop' });
      void a.worker.terminate();
    }
  }

  /** Stops the workers and releases the learner. */
  dispose(): void {
    this.close();
    this.learner?.dispose();
  }
}

/**
 * Starts sdk/runtime/actor-worker: the built `.js` beside this module, or, when running from the
 * TypeScript sources (tsx, vitest), the `.ts` through tsx's loader, registered inside the worker
 * (Node 20 does not pass `--import` hooks to a worker's entry).
 */
function startActorWorker(data: ActorWorkerData, transferList: MessagePort[]): Worker {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const file = new URL(`./actor-worker.${ts ? 'ts' : 'js'}`, here);
  const name = `phaser-ppo-actor-${data.index + 1}`;
  if (!ts) return new Worker(file, { workerData: data, transferList, name });
  // tsx's ESM entry (`require.resolve` would give its CommonJS one, which cannot register ESM hooks here).
  const pkg = createRequire(here).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(file.href)}); });`;
  return new Worker(code, { eval: true, workerData: data, transferList, name });
}
