/**
 * The learner as a service: what the browser worker exposes through comlink and what Node runs
 * in-process. Only plain data crosses its boundary (Float32Arrays, numbers, JSON), never tensors.
 *
 *   init(spec)      → picks the tfjs backend, builds the learner, returns weights v0
 *   train(rollout)  → one PPO update → new weights with a version number, and diagnostics
 */
import type { ObservationInput } from '../rl/conv.js';
import type { Space } from '../core/spaces.js';
import { resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { ActionDistribution } from '../rl/distributions.js';
import { PPOLearner, type LearnerState, type UpdateStats } from '../rl/learner.js';
import { ActorCriticLayout } from '../rl/network.js';
import { allocateRollout, type Rollout } from '../rl/rollout.js';
import { TfjsEngine } from '../rl/tfjs-engine.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import type { ComputeEngine } from '../rl/engine.js';
import { Rng } from '../core/rng.js';
import { PhaserPpoError } from '../core/errors.js';
import { checkLearnerSpec } from './spec-check.js';
import { pretrainBehavioralCloning, type PretrainOptions, type PretrainReport } from '../rl/behavioral-cloning.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import type { RunningMeanStd } from '../rl/normalizer.js';

/**
 * What the learner computes on: `kernels` (the WebAssembly SIMD engine, no tfjs), or the tfjs
 * engine on a tfjs backend (`webgpu` where the browser has it); `auto` measures the candidates on
 * the real network and keeps the fastest.
 */
export type BackendChoice = 'auto' | 'kernels' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** A tfjs backend name. */
export type TfjsBackend = Exclude<BackendChoice, 'auto' | 'kernels'>;

/** Which backend the learner got, and why. */
export interface BackendReport {
  backend: string;
  /** A sentence a page can show: `auto: wasm 3.1 ms/update, cpu 9.8, webgl failed (…) → wasm`. */
  reason: string;
  /** Measured median ms per update of each candidate (NaN where it failed, was dropped or skipped). */
  timings: Record<string, number>;
  /** Wall ms the choice took (activations and timed updates); 0 when the backend was configured. */
  choiceMs?: number;
}

/**
 * Bounds on `auto`'s measurement, so the choice costs a few updates' time, not minutes under load.
 * Updates run synchronously, so a candidate is judged after each update it ran.
 */
export interface AutoBudget {
  /** Timed updates per candidate after one warm-up (compilation) update; their median is compared. Default 3. */
  timedUpdates: number;
  /** A candidate whose timed update takes more than this many times the best median so far is dropped at once. Default 4. */
  dropFactor: number;
  /** The same for the warm-up update, which includes compilation (webgl's shaders): more lenient. Default 20. */
  warmupDropFactor: number;
  /** Ms the whole choice may take; once spent, the remaining candidates are skipped and the best so far (kernels, timed first) is kept. Default 4000. */
  totalMs: number;
}

/** Defaults of {@link AutoBudget}. */
export const DEFAULT_AUTO_BUDGET: Readonly<AutoBudget> = { timedUpdates: 3, dropFactor: 4, warmupDropFactor: 20, totalMs: 4000 };

/** Options of {@link LearnerHost}. */
export interface LearnerHostOptions {
  /** Bounds on `auto` (see {@link AutoBudget}). */
  autoBudget?: Partial<AutoBudget>;
  /** The clock `auto` times with, in ms; default `performance.now`. Tests inject a counted one. */
  now?: () => number;
}

/** Activates backends by name and measures them: the platform-specific part (browser or Node). */
export interface BackendSelector {
  /** Activates tfjs backend `name`; throws if it cannot start. */
  activate(name: TfjsBackend): Promise<void>;
  /** tfjs backends `auto` measures (after the kernels engine). */
  readonly candidates: readonly TfjsBackend[];
  /**
   * Why candidate `name` cannot run here (e.g. no WebGPU adapter), or null when it may be tried.
   * Asked before activating it, so an unavailable candidate costs nothing and `auto`'s reason says
   * `webgpu skipped (…)`. Absent: every candidate is tried.
   */
  unavailable?(name: TfjsBackend): Promise<string | null>;
}

export interface LearnerSpec {
  observationSize: number;
  /** The observation's named inputs (grids get conv stacks); one vector of observationSize when absent. */
  observationInputs?: ObservationInput[];
  actionSpace: Space;
  config: Partial<PPOConfig>;
  backend?: BackendChoice;
  /** Resume from a saved learner (weights, optimizer, schedules, RNG). */
  state?: LearnerState;
}

export interface TrainReply {
  /** New weights (a copy the caller owns; transfer it). */
  params: Float32Array;
  version: number;
  stats: UpdateStats;
  /** Wall ms of this update inside the learner. */
  updateMs: number;
}

export class LearnerHost {
  private learner: PPOLearner | null = null;
  private config: ResolvedConfig | null = null;
  report: BackendReport | null = null;

  private readonly budget: AutoBudget;
  private readonly now: () => number;

  constructor(private readonly selector: BackendSelector, options: LearnerHostOptions = {}) {
    this.budget = { ...DEFAULT_AUTO_BUDGET, ...options.autoBudget };
    this.now = options.now ?? (() => performance.now());
  }

  /** Picks the backend (measuring when `auto`) and builds the learner. */
  async init(spec: LearnerSpec): Promise<BackendReport & { params: Float32Array; version: number }> {
    this.dispose();
    if (typeof spec !== 'object' || spec === null) throw new PhaserPpoError(`LearnerSpec: expected an object, got ${spec === null ? 'null' : typeof spec}`);
    const config = resolveConfig(spec.config ?? {});
    checkLearnerSpec(spec, config);
    const dist = new ActionDistribution(spec.actionSpace);
    const layout = ActorCriticLayout.forBehavior(spec.observationSize, spec.observationInputs, config, dist);
    const choice = spec.backend ?? 'auto';
    this.report = choice === 'auto'
      ? await this.measure(spec, config, layout)
      : await this.activateOne(choice);
    this.config = config;
    const backend = this.report.backend;
    this.learner = new PPOLearner({
      observationSize: spec.observationSize, observationInputs: spec.observationInputs, actionSpace: spec.actionSpace, config, engine: engineFor(this.report.backend, layout, config),
      // An engine that throws mid-update is replaced and the update retried once (robustness).
      rebuildEngine: () => engineFor(backend, layout, config),
      ...(spec.state ? { state: spec.state } : {}),
    });
    return { ...this.report, params: Float32Array.from(this.learner.params), version: this.learner.version };
  }

  /** One PPO update on `rollout`. */
  train(rollout: Rollout): TrainReply {
    const learner = this.requireLearner();
    const t0 = performance.now();
    const stats = learner.train(rollout);
    return { params: Float32Array.from(learner.params), version: learner.version, stats, updateMs: performance.now() - t0 };
  }

  /**
   * Behaviour-cloning pre-training on `demo` before any PPO update ({@link pretrainBehavioralCloning});
   * returns the new weights (a copy) and what the fit achieved.
   */
  pretrain(demo: DemonstrationData, options: PretrainOptions): { params: Float32Array; version: number; report: PretrainReport } {
    const learner = this.requireLearner();
    const report = pretrainBehavioralCloning(learner, demo, options);
    return { params: Float32Array.from(learner.params), version: learner.version, report };
  }

  /** The demonstrations `config.behavioralCloning` / `config.gail` learn from, normalized with `observationStats`. */
  setDemonstrations(demo: DemonstrationData, observationStats: RunningMeanStd | null): void {
    this.requireLearner().setDemonstrations(demo, observationStats);
  }

  /** The behavior's observation statistics as they stand (the demonstrations are re-normalized with them). */
  setObservationStats(observationStats: RunningMeanStd | null): void {
    this.requireLearner().setObservationStats(observationStats);
  }

  /** Everything needed to resume: weights, Adam moments, schedules, RNG. */
  getState(): LearnerState {
    return this.requireLearner().getState();
  }

  /** The resolved config the learner runs with (batch sizes the rollout must match). */
  getConfig(): ResolvedConfig {
    if (!this.config) throw new Error('LearnerHost: call init() first');
    return this.config;
  }

  dispose(): void {
    this.learner?.engine.dispose();
    this.learner = null;
  }

  private requireLearner(): PPOLearner {
    if (!this.learner) throw new Error('LearnerHost: call init() before train()');
    return this.learner;
  }

  private async activateOne(name: Exclude<BackendChoice, 'auto'>): Promise<BackendReport> {
    if (name !== 'kernels') await this.selector.activate(name);
    return { backend: name, reason: `configured: ${name}`, timings: {} };
  }

  /**
   * Times a few real updates of this network on each candidate (kernels first, the answer when the
   * budget runs out) and keeps the fastest median. A candidate is dropped as soon as one of its
   * updates is slower than `dropFactor` × the best median so far; once `totalMs` is spent the
   * remaining candidates are skipped. Medians, not means: one update stalled by load does not decide.
   */
  private async measure(spec: LearnerSpec, config: ResolvedConfig, layout: ActorCriticLayout): Promise<BackendReport> {
    const timings: Record<string, number> = {};
    const notes: string[] = [];
    const t0 = this.now();
    let best = Infinity;
    for (const name of ['kernels', ...this.selector.candidates] as const) {
      timings[name] = NaN;
      const missing = name !== 'kernels' && this.selector.unavailable ? await this.selector.unavailable(name) : null;
      if (missing !== null) {
        notes.push(`${name} skipped (${missing})`);
        continue;
      }
      if (name !== 'kernels' && this.now() - t0 > this.budget.totalMs) {
        notes.push(`${name} skipped (budget ${this.budget.totalMs} ms spent)`);
        continue;
      }
      try {
        if (name !== 'kernels') await this.selector.activate(name);
        const r = this.timeUpdates(spec, config, layout, name, best);
        if (r.dropped) {
          const factor = r.updates === 1 ? this.budget.warmupDropFactor : this.budget.dropFactor;
          notes.push(`${name} dropped after ${r.updates} update${r.updates === 1 ? '' : 's'} (${r.lastMs.toFixed(1)} ms > ${factor}× ${best.toFixed(1)})`);
          continue;
        }
        timings[name] = r.medianMs;
        best = Math.min(best, r.medianMs);
        notes.push(`${name} ${r.medianMs.toFixed(1)} ms/update`);
      } catch (err) {
        notes.push(`${name} failed (${(err as Error).message})`);
      }
    }
    const ranked = Object.entries(timings).filter(([, ms]) => Number.isFinite(ms)).sort((a, b) => a[1] - b[1]);
    const winnerEntry = ranked[0];
    if (!winnerEntry) throw new Error(`no backend could start: ${notes.join('; ')}`);
    const winner = winnerEntry[0] as Exclude<BackendChoice, 'auto'>;
    if (winner !== 'kernels') await this.selector.activate(winner);
    const runnerUp = ranked[1];
    const margin = runnerUp ? ` (${(runnerUp[1] / winnerEntry[1]).toFixed(1)}× faster than ${runnerUp[0]})` : '';
    const choiceMs = this.now() - t0;
    return { backend: winner, reason: `auto: ${notes.join(', ')} → ${winner}${margin}; chosen in ${Math.round(choiceMs)} ms`, timings, choiceMs };
  }

  /**
   * Median ms of a full PPO update (all epochs and minibatches) on a synthetic rollout, after one
   * warm-up update (kernel compilation). Stops early, `dropped`, when an update is slower than
   * `best` (the best median so far) by more than the budget's factor (the warm-up's, then the timed one).
   */
  private timeUpdates(spec: LearnerSpec, config: ResolvedConfig, layout: ActorCriticLayout, backend: string, best: number): { dropped: boolean; updates: number; lastMs: number; medianMs: number } {
    // Timed on PPO alone: demonstrations are not given to a throwaway learner.
    const ppoOnly: ResolvedConfig = { ...config, behavioralCloning: null, gail: null };
    // Without GAIL the critic has one value head: the timed layout must match that config.
    const timed = layout.valueHeads === 1 ? layout : ActorCriticLayout.forBehavior(spec.observationSize, spec.observationInputs, ppoOnly, new ActionDistribution(spec.actionSpace));
    const learner = new PPOLearner({ observationSize: spec.observationSize, observationInputs: spec.observationInputs, actionSpace: spec.actionSpace, config: ppoOnly, engine: engineFor(backend, timed, config) });
    try {
      const dist = learner.dist;
      const r = allocateRollout(config.numSteps, config.numEnvs, spec.observationSize, dist.actionSize, 0);
      const rng = new Rng(0);
      r.observations.forEach((_, i) => { r.observations[i] = rng.normal(); });
      r.rewards.forEach((_, i) => { r.rewards[i] = rng.normal(); });
      // Any in-range action will do for timing: the mode of a zero output row.
      const zero = new Float32Array(dist.outputSize);
      for (let i = 0; i < config.batchSize; i++) dist.mode(zero, 0, null, 0, r.actions, i * dist.actionSize);
      const times: number[] = [];
      for (let k = 0; k <= this.budget.timedUpdates; k++) {
        r.policyVersion = learner.version;
        const t0 = this.now();
        learner.train(r);
        const ms = this.now() - t0;
        if (ms > best * (k === 0 ? this.budget.warmupDropFactor : this.budget.dropFactor)) return { dropped: true, updates: k + 1, lastMs: ms, medianMs: NaN };
        if (k > 0) times.push(ms); // the first includes kernel compilation
      }
      times.sort((a, b) => a - b);
      return { dropped: false, updates: times.length + 1, lastMs: times.at(-1) ?? NaN, medianMs: times[(times.length - 1) >> 1] ?? NaN };
    } finally {
      learner.engine.dispose();
    }
  }
}

/** The compute engine for `backend`: the WASM SIMD kernels, or tfjs on the active tfjs backend. */
function engineFor(backend: string, layout: ActorCriticLayout, config: ResolvedConfig): ComputeEngine {
  return backend === 'kernels' ? new KernelsEngine(layout, config.minibatchSize) : new TfjsEngine(layout);
}
