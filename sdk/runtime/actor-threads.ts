/**
 * Node's {@link ActorTransport}: each actor a `worker_threads` thread (sdk/runtime/actor-worker.ts).
 * Rollouts come back as transferred arrays on the worker's `parentPort`; weights go out on a
 * MessagePort the worker reads synchronously, woken through a shared counter (it blocks in
 * `Atomics.wait` while the learner trains). A worker that dies (its game threw, it ran out of
 * memory, it was killed) is replaced under a {@link RestartPolicy}: the new one plays the same
 * copies on new episodes from the learner's newest weights, and the rollout the dead one was
 * playing is dropped (nothing it sent that was trained on is lost: the learner lives here). After
 * `maxRestarts` deaths in a row without an update between them, every worker is stopped and
 * `next` rejects with an {@link ActorWorkerError} naming the worker and its last error.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { PhaserPpoError } from '../core/errors.js';
import type { ActorAssignment, ActorReady, ActorRolloutMessage, ActorSource, ActorStart, ToActorWeights } from './actor-protocol.js';
import type { ActorTransport } from './actor-learner.js';
import type { ActorWorkerData } from './actor-worker.js';
import { RestartPolicy } from './restart-policy.js';

/** An actor worker failed for good: which one, and which copies it played. */
export class ActorWorkerError extends PhaserPpoError {
  override name = 'ActorWorkerError';
}

export interface ActorThreadsOptions {
  source: ActorSource;
  /** All actors' count (for the error's "worker 2 of 4"). */
  workers: number;
  gameName: string;
  overlap: boolean;
  /** Restarts of dead workers in a row, without an update between them, before giving up (default 3). */
  maxRestarts?: number;
  /** A replaced worker's assignment (new episodes and sampling stream) and the newest weights to start it with. */
  reassign: (index: number, restart: number) => ActorAssignment;
  latest: () => { behaviors: ActorStart[]; lessons?: Record<string, number> };
  /** Told of each replacement, e.g. `actor worker 2 of 4 (copies 2–3 of "cartpole") died (…); restarted (1 in a row of at most 3)`. */
  onRestart?: (message: string) => void;
}

/** One actor worker as the learner's thread sees it (the record outlives the worker: a replacement takes it over). */
interface ActorThread {
  assignment: ActorAssignment;
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  /** Workers this actor has had before the current one. */
  incarnation: number;
  /** Whether the current worker has its weights (a replacement gets them once ready). */
  started: boolean;
  onReady: (r: ActorReady) => void;
  /** Rejects `launch`'s promise (a no-op once it resolved). */
  onFailure: (e: ActorWorkerError) => void;
  /** Rollouts received and not yet trained on, oldest first. */
  inbox: ActorRolloutMessage[];
  /** Set while the learner waits for this actor's next rollout. */
  waiting: { resolve: (m: ActorRolloutMessage) => void; reject: (e: ActorWorkerError) => void } | null;
  exited: boolean;
}

export class ActorThreads implements ActorTransport {
  private readonly actors: ActorThread[] = [];
  private readonly policy: RestartPolicy;
  private failure: ActorWorkerError | null = null;
  private closing = false;
  /** Whether the learner sent its first weights (a replacement then gets the newest once ready). */
  private running = false;

  constructor(private readonly options: ActorThreadsOptions) {
    this.policy = new RestartPolicy({ maxRestarts: options.maxRestarts ?? 3 });
  }

  /** Dead workers replaced so far. */
  get restarts(): number {
    return this.policy.restarts;
  }

  /** The error the run stopped with, if a worker failed for good. */
  get error(): ActorWorkerError | null {
    return this.failure;
  }

  launch(assignment: ActorAssignment): Promise<ActorReady> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ActorReady>((onReady, onFailure) => {
      const a = { assignment, incarnation: 0, started: false, onReady, onFailure, inbox: [], waiting: null, exited: false } as unknown as ActorThread;
      this.actors[assignment.index] = a;
      this.spawn(a);
    });
  }

  post(index: number, message: ToActorWeights): void {
    const a = this.actors[index]!;
    // A replacement not yet ready gets the newest weights when it is (a reply now would be read as its start).
    if (message.type === 'reply' && !a.started) return;
    if (message.type === 'start') a.started = this.running = true;
    this.send(a, message);
  }

  next(index: number): Promise<ActorRolloutMessage> {
    if (this.failure) return Promise.reject(this.failure);
    const a = this.actors[index]!;
    const m = a.inbox.shift();
    if (m) return Promise.resolve(m);
    return new Promise<ActorRolloutMessage>((resolve, reject) => { a.waiting = { resolve, reject }; });
  }

  /** An update went through: the run of deaths ends. */
  succeeded(update: number): void {
    this.policy.succeeded(update);
  }

  /** Stops the workers. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    for (const a of this.actors) {
      if (!a || a.exited) continue;
      this.send(a, { type: 'stop' });
      void a.worker.terminate();
    }
  }

  /** Worker `index`'s thread (tests kill one from outside). */
  thread(index: number): Worker {
    return this.actors[index]!.worker;
  }

  private describe(a: ActorThread): string {
    const { index, firstCopy, copies } = a.assignment;
    return `actor worker ${index + 1} of ${this.options.workers} (copies ${firstCopy}–${firstCopy + copies - 1} of "${this.options.gameName}")`;
  }

  private spawn(a: ActorThread): void {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const data: ActorWorkerData = { ...a.assignment, source: this.options.source, overlap: this.options.overlap, signal, port: port2, incarnation: a.incarnation };
    const worker = startActorWorker(data, [port2]);
    Object.assign(a, { worker, port: port1, signal: new Int32Array(signal), exited: false });
    worker.on('message', (m: ActorReady | ActorRolloutMessage) => {
      if (a.worker !== worker) return;
      if (m.type === 'ready') {
        if (a.incarnation > 0 && this.running) {
          a.started = true;
          this.send(a, { type: 'start', ...this.options.latest() });
        }
        a.onReady(m);
      } else if (a.waiting) {
        const w = a.waiting;
        a.waiting = null;
        w.resolve(m);
      } else {
        a.inbox.push(m);
      }
    });
    worker.on('error', (err) => this.died(a, worker, err.message));
    worker.on('exit', (code) => {
      if (a.worker !== worker) return;
      a.exited = true;
      this.died(a, worker, `it exited (code ${code})`);
    });
  }

  /** Posts `msg` on a worker's port and wakes it (it may be blocked in `Atomics.wait`). */
  private send(a: ActorThread, msg: ToActorWeights | { type: 'stop' }): void {
    a.port.postMessage(msg);
    Atomics.add(a.signal, 0, 1);
    Atomics.notify(a.signal, 0);
  }

  private died(a: ActorThread, worker: Worker, cause: string): void {
    if (a.worker !== worker || this.failure || this.closing) return;
    const givingUp = this.policy.died(this.describe(a), cause);
    if (givingUp !== null) {
      const deaths = this.policy.maxRestarts + 1;
      this.failure = new ActorWorkerError(`${this.describe(a)} failed: ${cause}.`
        + (this.policy.maxRestarts > 0 ? ` It died ${deaths} times in a row without an update between (--restarts ${this.policy.maxRestarts}), so it was not restarted again.` : '')
        + ` The learner's last update is kept (the CLI saves it as the checkpoint); the other workers were stopped.`);
      this.close();
      for (const b of this.actors) {
        if (!b) continue;
        b.onFailure(this.failure);
        b.waiting?.reject(this.failure);
        b.waiting = null;
      }
      return;
    }
    void worker.terminate();
    this.options.onRestart?.(`${this.describe(a)} died (${cause}); restarted (${this.policy.inARowCount} in a row of at most ${this.policy.maxRestarts})`);
    // The replacement: the same copies on new episodes; the dead one's unplayed rollouts are dropped.
    a.incarnation++;
    a.assignment = this.options.reassign(a.assignment.index, a.incarnation);
    a.inbox.length = 0;
    a.started = false;
    this.spawn(a);
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
