/**
 * Fast mode from a page: the fast-mode worker's lifecycle (start, stop, the current brain) and its
 * restarts, with the same {@link RestartPolicy} as live mode's learner.
 */
import * as Comlink from 'comlink';
import { reviveBrain, type Brain } from '../io/brain.js';
import type { FastUpdate } from './fast-trainer.js';
import type { FastTrainOptions, FastWorkerApi, FastWorkerUpdate } from './fast-worker.js';
import { RestartPolicy } from './restart-policy.js';

/**
 * The fast-mode worker of a page: at most one run; starting another stops the last. With
 * `workers: N` (N > 1) the run is N workers of the same module: the first learns and plays its
 * share of the copies, the others play the rest (`act`, sdk/runtime/fast-actors.ts). A worker
 * that dies (an uncaught error, a failed call, or `terminate()` from outside) ends the run's
 * workers, and new ones go on from the last checkpoint (weights, Adam, schedules: carried by every
 * 5th update), so at most those updates are redone and nothing else is lost.
 */
export class FastRun {
  private workers: Worker[] = [];
  private api: Comlink.Remote<FastWorkerApi> | null = null;
  /**
   * The newest checkpoint of each behavior (carried by its updates): in a game of several learning
   * behaviors (Rivals) a restarted worker continues every one, with the ratings of the last update.
   */
  private readonly checkpoints = new Map<string, Brain>();
  /** A checkpoint every 5 updates (a brain with training state, carried by the update itself); at most 3 restarts in a row. */
  private readonly policy = new RestartPolicy({ checkpointEvery: 5, maxRestarts: 3 });
  /** The newest update of the current (or last) run. */
  last: FastUpdate | null = null;

  /** Workers replaced after dying, in this run. */
  get restarts(): number {
    return this.policy.restarts;
  }

  /**
   * Trains in a worker from `makeWorker` (the game's `fast.worker.ts`), calling `onUpdate` after
   * every update and `onRestart` when a dead worker was replaced.
   */
  start(makeWorker: () => Worker, opts: FastTrainOptions, onUpdate: (u: FastUpdate) => void, fail: (message: string) => void, onRestart: (reason: string) => void = () => {}): void {
    this.stop();
    this.last = null;
    this.checkpoints.clear();
    this.policy.reset();
    this.launch(makeWorker, opts, onUpdate, fail, onRestart);
  }

  private launch(makeWorker: () => Worker, opts: FastTrainOptions, onUpdate: (u: FastUpdate) => void, fail: (message: string) => void, onRestart: (reason: string) => void): void {
    const n = opts.workers ?? 1;
    if (!Number.isInteger(n) || n < 1) {
      fail(`fast mode: workers must be a positive integer, got ${n}`);
      return;
    }
    const workers = Array.from({ length: n }, () => makeWorker());
    const apis = workers.map((w) => Comlink.wrap<FastWorkerApi>(w));
    const api = apis[0]!;
    this.workers = workers;
    this.api = api;
    const natives = workers.map((w) => w.terminate.bind(w));
    let dead = false;
    const died = (reason: string) => {
      // Only the workers of this run, once; Stop (or another run) clears `this.api` first.
      if (dead || this.api !== api) return;
      dead = true;
      this.api = null;
      this.workers = [];
      for (const native of natives) native();
      const giveUp = this.policy.died('the fast-mode worker', reason);
      if (giveUp) {
        fail(`fast mode: ${giveUp}: training stopped`);
        return;
      }
      this.launch(makeWorker, this.resumeOptions(opts), onUpdate, fail, onRestart);
      onRestart(reason);
    };
    workers.forEach((worker, i) => {
      const which = n > 1 ? ` (worker ${i + 1} of ${n})` : '';
      // A terminated worker fires no event and its calls never settle: notice the call itself.
      worker.terminate = () => {
        natives[i]!();
        died(`terminated from outside${which}`);
      };
      worker.addEventListener('error', (e) => died(`uncaught error${which}: ${e.message}`));
    });
    // The copies' scenes load files by URLs relative to this page; a worker cannot know its address.
    const pageUrl = (globalThis as { document?: { baseURI?: string } }).document?.baseURI;
    // The other workers act; the first reaches each of them on its own channel.
    const links = apis.slice(1).map((actor, i) => {
      const { port1, port2 } = new MessageChannel();
      actor.act(Comlink.transfer(port2, [port2]), pageUrl).catch((e: Error) => died(`fast mode (worker ${i + 2} of ${n}): ${e.message}`));
      return port1;
    });
    const { actors: _stale, ...own } = opts;
    const trainOpts: FastTrainOptions = { ...own, checkpointEvery: this.policy.checkpointEvery, ...(links.length > 0 ? { actors: links } : {}), ...(pageUrl ? { pageUrl } : {}) };
    // The checkpoint rides on the update itself: a worker that dies right after sending it cannot
    // leave the page with an older one (fetching it afterwards raced the death).
    api.train(Comlink.transfer(trainOpts, links), Comlink.proxy((u: FastWorkerUpdate) => {
      const { checkpoint, ...update } = u;
      this.last = update;
      this.policy.succeeded(update.update);
      if (checkpoint) this.checkpoints.set(update.behavior, reviveBrain(checkpoint));
      onUpdate(update);
    })).catch((e: Error) => died(`fast mode: ${e.message}`));
  }

  /**
   * The options a replacement worker starts with: every behavior continues from its newest
   * checkpoint, else from the brain the run was started with (if any), and the ratings go on from
   * the last update's.
   */
  private resumeOptions(opts: FastTrainOptions): FastTrainOptions {
    const { brain, brains, ...rest } = opts;
    const from = new Map<string, Brain>();
    for (const b of [...(brain ? [brain] : []), ...(brains ?? [])]) from.set(b.env, b);
    for (const [name, b] of this.checkpoints) from.set(name, b);
    const ratings = this.last?.ratings;
    // One behavior goes on as `brain`, which every path reads (a run on several workers too).
    const all = [...from.values()];
    const resumeFrom = all.length === 1 ? { brain: all[0]! } : all.length > 1 ? { brains: all } : {};
    return { ...rest, ...resumeFrom, ...(ratings ? { ratings: { ...ratings } } : {}) };
  }

  /**
   * The fast trainer's current brain of `behavior` (default: the game's first) with its training
   * state (a checkpoint); null before its learner started.
   */
  async brain(behavior?: string): Promise<Brain | null> {
    if (!this.api) return null;
    try {
      return reviveBrain(await this.api.brain(behavior));
    } catch {
      return null;
    }
  }

  /** The newest checkpoint of `behavior` the updates carried in this run (kept after the worker has gone); null if none yet. */
  checkpoint(behavior: string): Brain | null {
    return this.checkpoints.get(behavior) ?? null;
  }

  get running(): boolean {
    return this.workers.length > 0;
  }

  stop(): void {
    const api = this.api;
    const workers = this.workers;
    this.api = null;
    this.workers = [];
    void api?.stop();
    // Not a death: `this.api` is already cleared, so the interception only terminates them.
    for (const w of workers) w.terminate();
  }
}
