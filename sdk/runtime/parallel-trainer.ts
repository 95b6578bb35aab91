/**
 * Every core in Node: N actor workers (`worker_threads`, sdk/runtime/actor-worker.ts, reached
 * through {@link ActorThreads}) each play their share of a game's copies, and one
 * {@link ActorLearner} in this thread trains on their rollouts, joined column by column into the
 * rollout one thread would have filled (the page's fast mode shares that learner: fast-actors.ts).
 *
 * Lockstep (`overlap: false`): every worker waits for the weights trained on its last rollout
 * (policy lag 0). Overlap (default): each worker acts its next rollout while the learner trains on
 * the last, so rollouts arrive one version old (policy lag 1, corrected by the learner's
 * Retrace / decoupled-PPO path and reported in `policyLag`). In both modes the learner takes the
 * workers' rollouts in worker order, so the same seed and worker count give the same curve;
 * a different worker count gives another (each worker samples its own actions). A worker that
 * dies is restarted (`maxRestarts`), which makes that run's curve its own.
 *
 * Several learning behaviors (chase's pack and runner) train together, one learner each, as
 * {@link FastTrainer} trains them in one thread; a game of two behaviors or more rates them (ELO).
 * A curriculum's lessons live with the learner: it counts the merged episodes, moves the lessons
 * after each update as FastTrainer does, and sends them with the weights; each worker's copies
 * draw their values from them (worker 1 as one thread draws, the others each their own stream).
 * Self-play lives with the learner too: its pool, ELO, opponent draws and team changes (as
 * FastTrainer's); the workers' opponents act with the weights it draws, and their agents change
 * sides when it changes the learning team. A resumed run continues every behavior its checkpoints
 * hold (`brain` / `brains`: learners, pool, lessons) and the ratings (`ratings`), on new episodes;
 * demonstrations train in one thread (the CLI refuses them).
 */
import { availableParallelism } from 'node:os';
import { PhaserPpoError } from '../core/errors.js';
import type { Brain } from '../io/brain.js';
import { scheduledSteps, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { ActorLearner, type ActorTransport } from './actor-learner.js';
import { ActorThreads } from './actor-threads.js';
import type { ActorAssignment, ActorReady, ActorRolloutMessage, ActorSource, ToActorWeights } from './actor-protocol.js';
import { localActor, PortTransport } from './fast-actors.js';
import type { EnvironmentParameters } from './env-params.js';
import type { FastUpdate } from './fast-trainer.js';
import type { GameBehavior, HeadlessGame } from './game.js';
import type { BackendChoice, BackendReport, BackendSelector } from './learner-host.js';
import type { BehaviorRatings } from './rivals.js';
import type { Curriculum } from './curriculum.js';

export type { ActorSource } from './actor-protocol.js';
export { ActorWorkerError } from './actor-threads.js';
// Shared with the page's actor workers (fast-actors.ts), which cannot load this Node module.
export { joinRollouts } from './join-rollouts.js';

export interface ParallelTrainerOptions {
  /** Actor workers (threads), at least 1; at most the copies. */
  workers: number;
  /** Where each worker loads the game: the same name or module the main thread loaded `game` from. */
  source: ActorSource;
  /** Copies of the game's world over all workers. Default: the game's `copies`. */
  copies?: number;
  seed: number;
  /** Overrides of every behavior's tuned config for this run. */
  config?: Partial<PPOConfig>;
  /** Overrides of one behavior's tuned config, by behavior (`config` still comes on top), as FastTrainerOptions.behaviorConfig. */
  behaviorConfig?: Record<string, Partial<PPOConfig>>;
  /** The learner's backend (see {@link FastTrainerOptions.backend}); default `auto`. */
  backend?: BackendChoice;
  /** Continue this checkpoint (its learner exactly, its self-play pool and curriculum lessons; acting starts new streams). */
  brain?: Brain;
  /** Checkpoints of several behaviors to continue together (chase's pack and runner: each `DIR/<behavior>/brain.json`). */
  brains?: readonly Brain[];
  /** In a game of two behaviors or more: every behavior's ELO to go on from. */
  ratings?: Readonly<Record<string, number>>;
  /** Act the next rollout while the learner trains (policy lag 1); false: lockstep (lag 0). Default true. */
  overlap?: boolean;
  /**
   * With overlap: worker 1 is the learner's own thread, which acts its copies while it waits for
   * the others' rollouts (as a page's learner worker does), so `workers` threads in all:
   * `workers − 1` actor threads. Default false (every worker a thread of its own).
   */
  learnerActs?: boolean;
  /**
   * Dead workers restarted in a row, without an update between them, before the run stops with an
   * {@link ActorWorkerError} (the CLI's `--restarts`). Default 3; 0: the first death stops it.
   */
  maxRestarts?: number;
  /** Told of each restarted worker (the CLI prints it). */
  onRestart?: (message: string) => void;
  /** The run's environment parameters, replacing the game's own parameter by parameter (FastTrainerOptions.environmentParameters): a curriculum's lessons live with the learner. */
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

export class ParallelTrainer {
  /** The game's first behavior (its only one, in a one-behavior game). */
  readonly behavior: GameBehavior;
  readonly workers: number;
  readonly copies: number;
  readonly overlap: boolean;
  /** Actor threads started (`workers`, or one fewer when the learner's thread acts). */
  readonly actorThreads: number;
  /** The worker threads (restarts, and a test's way to kill one). */
  readonly threads: ActorThreads;
  private readonly local: PortTransport | null = null;
  /** The learner's end of its own actor's channel: closed with the run, as an actor that failed never closes its end (an open port keeps Node alive). */
  private readonly localPort: MessagePort | null = null;
  private readonly learner: ActorLearner;

  constructor(readonly game: HeadlessGame, backends: BackendSelector, options: ParallelTrainerOptions) {
    this.behavior = game.behaviors[0]!;
    this.copies = options.copies ?? game.copies;
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new PhaserPpoError(`workers must be a positive integer, got ${options.workers}`);
    if (options.workers > this.copies) throw new PhaserPpoError(`--workers ${options.workers} is more than the ${this.copies} copies of "${game.name}" (each worker plays at least one): give --workers ${this.copies} or fewer, or more --envs`);
    this.workers = options.workers;
    this.overlap = options.overlap ?? true;
    if (options.learnerActs && !this.overlap) throw new PhaserPpoError('learnerActs: the learner\'s thread acts only with overlap (its rollouts\' first rows lag one update): drop learnerActs or overlap: false');
    this.actorThreads = this.workers - (options.learnerActs ? 1 : 0);
    this.threads = new ActorThreads({
      source: options.source, workers: this.workers, gameName: game.name, overlap: this.overlap,
      ...(options.maxRestarts !== undefined ? { maxRestarts: options.maxRestarts } : {}),
      ...(options.onRestart ? { onRestart: options.onRestart } : {}),
      reassign: (index, restart) => this.learner.assignment(index, restart),
      latest: () => this.learner.latest(),
    });
    let transport: ActorTransport = this.threads;
    if (options.learnerActs) {
      // Its failure comes back on the port as an error message (the transport words it).
      const port = localActor(game, () => undefined);
      const local = new PortTransport([port], (a) => `actor 1 of ${this.workers} in the learner's thread (copies ${a.firstCopy}–${a.firstCopy + a.copies - 1} of "${game.name}"; unlike actor threads it is not restarted: --lockstep gives every actor a thread)`);
      this.local = local;
      this.localPort = port;
      transport = new LearnerThreadFirst(local, this.threads);
    }
    this.learner = new ActorLearner(game, backends, transport, {
      actors: this.workers, copies: this.copies, seed: options.seed,
      ...(options.config ? { config: options.config } : {}), ...(options.behaviorConfig ? { behaviorConfig: options.behaviorConfig } : {}),
      ...(options.backend ? { backend: options.backend } : {}), ...(options.brain ? { brain: options.brain } : {}),
      ...(options.brains ? { brains: options.brains } : {}), ...(options.ratings ? { ratings: options.ratings } : {}),
      ...(options.environmentParameters ? { environmentParameters: options.environmentParameters } : {}),
    });
  }

  /** The first behavior's resolved config (numEnvs: every worker's agents of it together). */
  get config(): ResolvedConfig {
    return this.learner.config;
  }

  /** The learning behaviors' names, in the game's order (after `start()`). */
  get behaviors(): string[] {
    return this.learner.behaviors;
  }

  /** The run's curriculum (its lessons live with the learner; the workers draw from them), null without one. */
  get curriculum(): Curriculum | null {
    return this.learner.curriculum;
  }

  /** ELO per behavior, in a game of two behaviors or more (after `start()`); null otherwise. */
  get ratings(): BehaviorRatings | null {
    return this.learner.ratings;
  }

  /** Transitions the first behavior trained on so far (a resumed run's included). */
  get step(): number {
    return this.learner.step;
  }

  /** Every learning behavior has trained its config's scheduled steps (each its own schedule, as FastTrainer). */
  get done(): boolean {
    const steps = this.learner.steps();
    return Object.entries(this.learner.configs()).every(([name, c]) => steps[name]! >= scheduledSteps(c));
  }

  /** Starts the workers, waits until each built its copies, and starts the learner for all their agents. */
  async start(): Promise<BackendReport> {
    return this.learner.start();
  }

  /** Waits for every worker's next rollout, trains on them as one, and sends the new weights back. */
  async runUpdate(): Promise<FastUpdate> {
    const u = await this.learner.runUpdate();
    this.threads.succeeded(u.update);
    return u;
  }

  /** The trained behavior `name` (default: the game's first) as a brain with its training state (a checkpoint `brain` resumes). */
  brain(name?: string): Brain {
    return this.learner.brain(name);
  }

  /** Stops the workers; the learner stays (a failed run's `brain()` still saves its last update). */
  close(): void {
    this.threads.close();
    this.local?.stop();
    this.localPort?.close();
  }

  /** Stops the workers and releases the learner. */
  dispose(): void {
    this.close();
    this.learner.dispose();
  }
}

/** Actor 0 in the learner's thread (over an in-process channel), the others worker threads. */
class LearnerThreadFirst implements ActorTransport {
  constructor(private readonly local: PortTransport, private readonly threads: ActorThreads) {}

  launch(a: ActorAssignment): Promise<ActorReady> {
    return a.index === 0 ? this.local.launch(a) : this.threads.launch(a);
  }

  post(index: number, message: ToActorWeights): void {
    if (index === 0) this.local.post(0, message);
    else this.threads.post(index, message);
  }

  next(index: number): Promise<ActorRolloutMessage> {
    return index === 0 ? this.local.next(0) : this.threads.next(index);
  }
}
