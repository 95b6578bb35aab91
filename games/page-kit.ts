/**
 * What the gallery page builds on, apart from its layout: its state object for Playwright, the
 * fast-mode worker's lifecycle, playing fast-mode weights in the visible scene, the shipped brain,
 * and a brain made from a fast-mode update.
 */
import * as Comlink from 'comlink';
import type { Behavior, LiveMetrics } from '../sdk/phaser/behavior.js';
import type { FastUpdate } from '../sdk/runtime/fast-trainer.js';
import type { FastTrainOptions, FastWorkerApi } from '../sdk/runtime/fast-worker.js';
import { brainOf, reviveBrain, type Brain } from '../sdk/io/brain.js';
import { Box } from '../sdk/core/spaces.js';
import type { ResolvedConfig } from '../sdk/rl/config.js';
import { RunningMeanStd } from '../sdk/rl/normalizer.js';
import { recordMetrics } from '../sdk/phaser/training-log.js';
import { loadShippedBrain } from './shipped-brain.js';

/** What drives the visible behavior: the panel's behavior types, plus before the first and after Stop. */
export type Mode = 'idle' | 'live' | 'fast' | 'watch' | 'heuristic' | 'stopped';
export type Shown = Pick<LiveMetrics, 'policyVersion' | 'step' | 'returnMean' | 'episodeLength' | 'sps' | 'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFraction' | 'policyLag' | 'backend'>;

/** The state the page publishes (read by the Playwright tests; handy in the console). */
export interface PageState {
  mode: Mode;
  metrics: Shown[];
  backend: null | { backend: string; reason: string };
  errors: string[];
  /** Finished episodes' returns of the NPCs in view (the current scene's behavior, the last 200). */
  returns: number[];
  /** The brain acting in inference mode once its scene runs; null in the other modes. */
  watching: null | { policyVersion: number; steps: number; source: 'shipped' | 'mine' };
}

export function newPageState(): PageState {
  return { mode: 'idle', metrics: [], backend: null, errors: [], returns: [], watching: null };
}

export const $ = <T extends HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the gallery page has no element #${id}`);
  return el as T;
};

/** Updates between the checkpoints a crashed fast-mode worker restarts from. */
const FAST_CHECKPOINT_EVERY = 5;
/** Restarts in a row, without an update between them, before fast mode gives up. */
const FAST_MAX_RESTARTS = 3;

/**
 * The fast-mode worker of a page: at most one runs; starting another stops the last. A worker
 * that dies (an uncaught error, a failed call, or `terminate()` from outside) is replaced by a new
 * one from the last checkpoint (weights, Adam, schedules: fetched every few updates), so at most
 * those updates are redone and nothing else is lost.
 */
export class FastRun {
  private worker: Worker | null = null;
  private api: Comlink.Remote<FastWorkerApi> | null = null;
  private checkpoint: Brain | null = null;
  private inARow = 0;
  /** The newest update of the current (or last) run. */
  last: FastUpdate | null = null;
  /** Workers replaced after dying, in this run. */
  restarts = 0;

  /**
   * Trains in a worker from `makeWorker` (the game's `fast.worker.ts`), calling `onUpdate` after
   * every update and `onRestart` when a dead worker was replaced.
   */
  start(makeWorker: () => Worker, opts: FastTrainOptions, onUpdate: (u: FastUpdate) => void, fail: (message: string) => void, onRestart: (reason: string) => void = () => {}): void {
    this.stop();
    this.last = null;
    this.checkpoint = null;
    this.restarts = 0;
    this.inARow = 0;
    this.launch(makeWorker, opts, onUpdate, fail, onRestart);
  }

  private launch(makeWorker: () => Worker, opts: FastTrainOptions, onUpdate: (u: FastUpdate) => void, fail: (message: string) => void, onRestart: (reason: string) => void): void {
    const worker = makeWorker();
    const api = Comlink.wrap<FastWorkerApi>(worker);
    this.worker = worker;
    this.api = api;
    const native = worker.terminate.bind(worker);
    let dead = false;
    const died = (reason: string) => {
      // Only the worker of this run, once; Stop (or another run) clears `this.api` first.
      if (dead || this.api !== api) return;
      dead = true;
      this.api = null;
      this.worker = null;
      native();
      if (++this.inARow > FAST_MAX_RESTARTS) {
        fail(`fast mode: the worker died ${FAST_MAX_RESTARTS + 1} times in a row (last: ${reason}); training stopped`);
        return;
      }
      this.restarts++;
      const from = this.checkpoint ?? opts.brain;
      this.launch(makeWorker, { ...opts, ...(from ? { brain: from } : {}) }, onUpdate, fail, onRestart);
      onRestart(reason);
    };
    // A terminated worker fires no event and its calls never settle: notice the call itself.
    worker.terminate = () => {
      native();
      died('terminated from outside');
    };
    worker.addEventListener('error', (e) => died(`uncaught error: ${e.message}`));
    api.train(opts, Comlink.proxy((u: FastUpdate) => {
      this.last = u;
      this.inARow = 0;
      if (u.update % FAST_CHECKPOINT_EVERY === 0) void this.brain().then((b) => { if (b && this.api === api) this.checkpoint = b; });
      onUpdate(u);
    })).catch((e: Error) => died(`fast mode: ${e.message}`));
  }

  /** The fast trainer's current brain with its training state (a checkpoint); null before its learner started. */
  async brain(): Promise<Brain | null> {
    if (!this.api) return null;
    try {
      return reviveBrain(await this.api.brain());
    } catch {
      return null;
    }
  }

  get running(): boolean {
    return this.worker !== null;
  }

  stop(): void {
    const api = this.api;
    const worker = this.worker;
    this.api = null;
    this.worker = null;
    void api?.stop();
    // Not a death: `this.api` is already cleared, so the interception only terminates it.
    worker?.terminate();
  }
}

/**
 * Plays a fast-mode update in the visible scene: its weights (with the normalizer's statistics)
 * act from the next frame, and the overlay shows its metrics. Returns the statistics.
 */
export function playFastUpdate(behavior: Behavior, u: FastUpdate): RunningMeanStd | null {
  const stats = u.observationStats ? RunningMeanStd.fromJSON(u.observationStats) : null;
  behavior.setWeights(u.params, u.policyVersion, stats);
  behavior.latest = { ...u, behavior: behavior.name, updateMs: NaN, droppedRollouts: 0 };
  // The overlay names the learner the weights come from: the fast trainer's, in its worker.
  behavior.backend ??= { backend: u.backend, reason: u.backendReason, timings: {} };
  // Tests (phaser-ppo/testing) read fast runs from the same log as live ones.
  recordMetrics(behavior.latest);
  return stats;
}

/**
 * A fast-mode update as a brain for inference (and to save): the weights and statistics it
 * carries, with the sizes of the visible behavior (the same agent definition) and the run's config.
 */
export function brainFromUpdate(behavior: Behavior, config: ResolvedConfig, u: FastUpdate): Brain {
  const spec = behavior.runner.spec;
  if (!spec) throw new Error(`behavior "${behavior.name}" has no agents yet: its sizes are unknown`);
  return brainOf({
    name: behavior.name, observationSpace: Box(-Infinity, Infinity, spec.observationSize), actionSpace: spec.actionSpace, config,
    observationStats: u.observationStats, steps: u.step, source: { params: u.params, version: u.policyVersion },
  });
}

/** The brain the CLI trained for a page, fetched on first use and kept (a failed fetch is retried next time). */
export function shippedBrain(manifestUrl: string, weightsUrl: string): () => Promise<Brain> {
  let loading: Promise<Brain> | null = null;
  return () => {
    loading ??= loadShippedBrain(manifestUrl, weightsUrl).catch((e: unknown) => {
      loading = null;
      throw e;
    });
    return loading;
  };
}
