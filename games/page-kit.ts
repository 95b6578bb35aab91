/**
 * What the gallery page builds on, apart from its layout: its state object for Playwright, the
 * fast-mode worker's lifecycle, playing fast-mode weights in the visible scene, the shipped brain,
 * and a brain made from a fast-mode update.
 */
import * as Comlink from 'comlink';
import type { Behavior, LiveMetrics } from '../sdk/phaser/behavior.js';
import type { FastUpdate } from '../sdk/runtime/fast-trainer.js';
import type { FastTrainOptions, FastWorkerApi } from '../sdk/runtime/fast-worker.js';
import { reviveBrain, type Brain } from '../sdk/io/brain.js';
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

/** The fast-mode worker of a page: at most one runs; starting another stops the last. */
export class FastRun {
  private worker: Worker | null = null;
  private api: Comlink.Remote<FastWorkerApi> | null = null;
  /** The newest update of the current (or last) run. */
  last: FastUpdate | null = null;

  /** Trains in `worker` (the game's `fast.worker.ts`), calling `onUpdate` after every update. */
  start(worker: Worker, opts: FastTrainOptions, onUpdate: (u: FastUpdate) => void, fail: (message: string) => void): void {
    this.stop();
    this.last = null;
    this.worker = worker;
    worker.addEventListener('error', (e) => fail(`fast-mode worker failed: ${e.message}`));
    this.api = Comlink.wrap<FastWorkerApi>(worker);
    this.api.train(opts, Comlink.proxy((u: FastUpdate) => {
      this.last = u;
      onUpdate(u);
    })).catch((e: Error) => {
      // Terminating the worker (Stop, another run) rejects the pending call: not a failure.
      if (this.api) fail(`fast mode: ${e.message}`);
    });
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
    this.api = null;
    void api?.stop();
    this.worker?.terminate();
    this.worker = null;
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
  return {
    env: behavior.name,
    observationSpace: Box(-Infinity, Infinity, spec.observationSize),
    actionSpace: spec.actionSpace,
    config,
    observationStats: u.observationStats ? RunningMeanStd.fromJSON(u.observationStats) : null,
    policyVersion: u.policyVersion,
    steps: u.step,
    params: u.params.slice(),
  };
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
