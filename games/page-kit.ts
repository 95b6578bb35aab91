/**
 * What every game page shares: its state object for Playwright, the side panel (mode buttons,
 * backend, metrics table, charts, errors), the fast-mode worker's lifecycle, and the shipped brain.
 * A game's main.ts keeps only what is its own: its scene, its modes' scene data, its extra state.
 */
import * as Comlink from 'comlink';
import type { Behavior, LiveMetrics } from '../sdk/phaser/behavior.js';
import type { FastUpdate } from '../sdk/runtime/fast-trainer.js';
import type { FastTrainOptions, FastWorkerApi } from '../sdk/runtime/fast-worker.js';
import type { BackendChoice } from '../sdk/runtime/learner-host.js';
import type { Brain } from '../sdk/io/brain.js';
import { RunningMeanStd } from '../sdk/rl/normalizer.js';
import { recordMetrics } from '../sdk/phaser/training-log.js';
import { createMetricCharts } from './charts.js';
import { loadShippedBrain } from './shipped-brain.js';

export type Mode = 'idle' | 'live' | 'fast' | 'watch' | 'heuristic' | 'stopped';
export type Shown = Pick<LiveMetrics, 'policyVersion' | 'step' | 'returnMean' | 'sps' | 'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFraction' | 'policyLag' | 'backend'>;

/** The state a page publishes as `window.__<game>` (read by the Playwright tests; handy in the console). */
export interface PageState {
  mode: Mode;
  metrics: Shown[];
  backend: null | { backend: string; reason: string };
  errors: string[];
  /** Finished episodes' returns of the NPCs in view (the current scene's behavior, the last 200). */
  returns: number[];
  /** The shipped brain once its scene runs (Watch trained); null in the other modes. */
  watching: null | { policyVersion: number; steps: number };
}

export function newPageState(): PageState {
  return { mode: 'idle', metrics: [], backend: null, errors: [], returns: [], watching: null };
}

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** The side panel of a game page: its elements are the ids every game's index.html uses. */
export class GamePanel {
  private readonly charts = createMetricCharts($<HTMLCanvasElement>('chart-return'), $<HTMLCanvasElement>('chart-entropy'));

  constructor(readonly state: PageState, private readonly returnDigits = 1) {
    const backend = new URLSearchParams(location.search).get('backend');
    if (backend) $<HTMLSelectElement>('backend').value = backend;
  }

  /** The learner backend chosen in the panel. */
  get backendChoice(): BackendChoice {
    return $<HTMLSelectElement>('backend').value as BackendChoice;
  }

  setMode = (mode: Mode): void => {
    this.state.mode = mode;
    this.state.watching = null;
    $('mode').textContent = mode;
    for (const [id, m] of [['train-live', 'live'], ['train-fast', 'fast'], ['watch', 'watch'], ['heuristic', 'heuristic']] as const) $(id).classList.toggle('active', mode === m);
  };

  fail = (message: string): void => {
    this.state.errors.push(message);
    const el = $('error');
    el.hidden = false;
    el.textContent = message;
  };

  /** Starts a new run's metrics and charts. */
  resetMetrics(): void {
    this.state.metrics = [];
    this.charts.reset();
  }

  show = (m: Shown): void => {
    this.state.metrics.push(m);
    this.charts.push(m);
    $('m-version').textContent = `v${m.policyVersion}`;
    $('m-step').textContent = m.step.toLocaleString('en-US');
    $('m-return').textContent = fmt(m.returnMean, this.returnDigits);
    $('m-sps').textContent = fmt(m.sps, 0);
    $('m-pg').textContent = fmt(m.policyLoss);
    $('m-vf').textContent = fmt(m.valueLoss);
    $('m-ent').textContent = fmt(m.entropy);
    $('m-kl').textContent = fmt(m.approxKl, 4);
    $('m-clip').textContent = fmt(m.clipFraction);
    $('m-lag').textContent = String(m.policyLag);
  };

  showBackend = (b: { backend: string; reason: string }): void => {
    this.state.backend = b;
    $('backend-used').textContent = b.backend;
    $('backend-reason').textContent = b.reason;
  };

  /** Shows a fast-mode update: its metrics, and the worker's backend with the first one. */
  showFastUpdate = (u: FastUpdate): void => {
    if (!this.state.backend) this.showBackend({ backend: u.backend, reason: u.backendReason });
    this.show(u);
  };

  /** Shows a live-mode scene's learner: its metrics, backend and errors. */
  follow(events: Phaser.Events.EventEmitter): void {
    events.on('metrics', (m: LiveMetrics) => this.show(m));
    events.on('backend', (b: { backend: string; reason: string }) => this.showBackend(b));
    events.on('error', (e: Error) => this.fail(e.message));
  }
}

/** The fast-mode worker of a page: at most one runs; starting another stops the last. */
export class FastRun {
  private worker: Worker | null = null;
  private api: Comlink.Remote<FastWorkerApi> | null = null;

  /** Trains in `worker` (the game's `fast.worker.ts`), calling `onUpdate` after every update. */
  start(worker: Worker, opts: FastTrainOptions, onUpdate: (u: FastUpdate) => void, fail: (message: string) => void): void {
    this.stop();
    this.worker = worker;
    worker.addEventListener('error', (e) => fail(`fast-mode worker failed: ${e.message}`));
    this.api = Comlink.wrap<FastWorkerApi>(worker);
    this.api.train(opts, Comlink.proxy(onUpdate)).catch((e: Error) => fail(`fast mode: ${e.message}`));
  }

  stop(): void {
    void this.api?.stop();
    this.worker?.terminate();
    this.api = null;
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
  // Tests (phaser-ppo/testing) read fast runs from the same log as live ones.
  recordMetrics(behavior.latest);
  return stats;
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
