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
 * Everything Node's actor workers train trains here too, through the same {@link ActorLearner}:
 * several learning behaviors (chase's pack and runner, rated by ELO), self-play (the pool, ELO
 * and team changes live with the learner) and curricula (the lessons live with the learner); a
 * restarted run continues every behavior's checkpoint and the ratings. Demonstrations train on
 * one worker (fast-worker.ts refuses them, naming `workers: 1`).
 */
import { PhaserPpoError } from '../core/errors.js';
import type { Brain } from '../io/brain.js';
import { scheduledSteps, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { ActorLearner, type ActorTransport } from './actor-learner.js';
import { ActorPlay } from './actor-play.js';
import type { ActorAssignment, ActorReady, ActorRolloutMessage, ToActorWeights } from './actor-protocol.js';
import type { FastUpdate } from './fast-trainer.js';
import type { HeadlessGame } from './game.js';
import type { BackendChoice, BackendReport, BackendSelector } from './learner-host.js';
import type { EnvironmentParameters } from './env-params.js';
import type { Curriculum } from './curriculum.js';
import type { BehaviorRatings } from './rivals.js';

export type { ActorAssignment } from './actor-protocol.js';

/** Learner → actor. */
export type ToActor = ActorAssignment | ToActorWeights | { type: 'stop' };
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
    await act(new ActorPlay(game, first), inbox, port);
    // Stopped: the channel is done (an open port with a listener would keep a Node process alive).
    port.close();
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies FromActor);
    throw err;
  }
}

async function act(play: ActorPlay, inbox: Inbox<ToActor>, port: MessagePort): Promise<void> {
  port.postMessage(play.ready() satisfies FromActor);
  const start = await inbox.next();
  if (start.type !== 'start') return;
  // Nothing blocks here: each rollout acts on with the weights it has until the reply comes (see the file comment).
  play.begin(start, (message, transfer) => {
    port.postMessage(message satisfies FromActor, transfer);
    return null;
  }, 'actor: the learner worker learns');
  for (;;) {
    play.playRollout();
    const reply = await inbox.next();
    if (reply.type !== 'reply') return;
    play.receive(reply);
  }
}

export interface FastActorLearnerOptions {
  /** Copies of the game's world over all workers. Default: the game's `copies`. */
  copies?: number;
  seed: number;
  config?: Partial<PPOConfig>;
  backend?: BackendChoice;
  /** Overrides of one behavior's config, by behavior (`config` still comes on top), as FastTrainerOptions.behaviorConfig. */
  behaviorConfig?: Record<string, Partial<PPOConfig>>;
  /** The run's environment parameters, replacing the game's own parameter by parameter (a resumed run keeps its checkpoint's curriculum). */
  environmentParameters?: EnvironmentParameters;
  /** Continue this checkpoint (its learner exactly, its self-play pool and lessons; acting starts new streams). */
  brain?: Brain;
  /** Checkpoints of several behaviors to continue together (a restarted Rivals run's), each as `brain`. */
  brains?: readonly Brain[];
  /** In a game of two behaviors or more: every behavior's ELO to go on from (the last update's `ratings`). */
  ratings?: Readonly<Record<string, number>>;
}

/**
 * An {@link ActorTransport} over MessagePorts: the page's (each actor a worker's port, or this
 * worker's own actor's) and Node's actor in the learner's thread. `ports[i]` reaches actor i;
 * `describe` names an actor in its error.
 */
export class PortTransport implements ActorTransport {
  private readonly inboxes: Inbox<FromActor>[];
  private readonly assignments: ActorAssignment[] = [];

  constructor(private readonly ports: readonly MessagePort[], private readonly describe: (a: ActorAssignment) => string) {
    this.inboxes = ports.map((p) => new Inbox<FromActor>(p));
  }

  async launch(a: ActorAssignment): Promise<ActorReady> {
    this.assignments[a.index] = a;
    this.ports[a.index]!.postMessage(a satisfies ToActor);
    return (await this.receive(a.index)) as ActorReady;
  }

  post(index: number, message: ToActorWeights): void {
    this.ports[index]!.postMessage(message satisfies ToActor);
  }

  async next(index: number): Promise<ActorRolloutMessage> {
    return (await this.receive(index)) as ActorRolloutMessage;
  }

  stop(): void {
    for (const p of this.ports) p.postMessage({ type: 'stop' } satisfies ToActor);
  }

  private async receive(index: number): Promise<ActorReady | ActorRolloutMessage> {
    const m = await this.inboxes[index]!.next();
    if (m.type === 'error') throw new PhaserPpoError(`${this.describe(this.assignments[index]!)} failed: ${m.message}`);
    return m;
  }
}

/**
 * The learner of a multi-worker fast run, in the learner's worker: `ports[i]` talks to actor i
 * (actor 0 is usually this worker's own, see {@link localActor}); an {@link ActorLearner}, as
 * Node's actor workers'.
 */
export class FastActorLearner {
  private readonly transport: PortTransport;
  private readonly learner: ActorLearner;
  readonly copies: number;

  constructor(readonly game: HeadlessGame, backends: BackendSelector, ports: readonly MessagePort[], options: FastActorLearnerOptions) {
    this.copies = options.copies ?? game.copies;
    if (ports.length < 1 || ports.length > this.copies) throw new PhaserPpoError(`fast mode: ${ports.length} workers for the ${this.copies} copies of "${game.name}": each worker plays at least one copy, so give at most ${this.copies} workers`);
    this.transport = new PortTransport(ports, (a) => `fast mode: worker ${a.index + 1} of ${ports.length} (copies ${a.firstCopy}–${a.firstCopy + a.copies - 1} of "${game.name}")`);
    this.learner = new ActorLearner(game, backends, this.transport, {
      actors: ports.length, copies: this.copies, seed: options.seed,
      ...(options.config ? { config: options.config } : {}), ...(options.backend ? { backend: options.backend } : {}),
      ...(options.behaviorConfig ? { behaviorConfig: options.behaviorConfig } : {}), ...(options.environmentParameters ? { environmentParameters: options.environmentParameters } : {}),
      ...(options.brain ? { brain: options.brain } : {}), ...(options.brains ? { brains: options.brains } : {}), ...(options.ratings ? { ratings: options.ratings } : {}),
    });
  }

  get workers(): number {
    return this.learner.shares.length;
  }

  get config(): ResolvedConfig {
    return this.learner.config;
  }

  /** Transitions the game's first behavior trained on so far (a resumed run's included). */
  get step(): number {
    return this.learner.step;
  }

  /** Every learning behavior's transitions trained on so far, by name. */
  steps(): Record<string, number> {
    return this.learner.steps();
  }

  /** The learning behaviors' names, in the game's order (after `start()`). */
  get behaviors(): string[] {
    return this.learner.behaviors;
  }

  /** Every learning behavior has trained its config's scheduled steps (each its own schedule, as FastTrainer.done). */
  get done(): boolean {
    const steps = this.learner.steps();
    return Object.entries(this.learner.configs()).every(([name, c]) => steps[name]! >= scheduledSteps(c));
  }

  /** The run's curriculum (its lessons live with the learner), null without one. */
  get curriculum(): Curriculum | null {
    return this.learner.curriculum;
  }

  /** ELO per behavior in a game of two behaviors or more (after `start()`); null otherwise. */
  get ratings(): BehaviorRatings | null {
    return this.learner.ratings;
  }

  /** Assigns each actor its copies, waits until all built them, and starts the learner for all their agents. */
  start(): Promise<BackendReport> {
    return this.learner.start();
  }

  /** Waits for every actor's next rollout, trains on them as one, and sends the new weights back. */
  runUpdate(): Promise<FastUpdate> {
    return this.learner.runUpdate();
  }

  /** The trained behavior `name` (default: the game's first) as a brain with its training state (a checkpoint `brain` resumes). */
  brain(name?: string): Brain {
    return this.learner.brain(name);
  }

  /** Tells every actor to stop and releases the learner. */
  close(): void {
    this.transport.stop();
    this.learner.dispose();
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
