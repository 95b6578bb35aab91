/**
 * Fast mode from the page, as one object: a {@link FastRun} (the fast-mode worker's start, stop
 * and restarts from checkpoints) whose updates act in a scene's behavior (weights and normalizer
 * statistics from the next frame) and reach the training log like live mode's metrics, so
 * `phaser-ppo/testing` reads fast runs exactly as live ones.
 */
import { brainOf, reviveStats, type Brain } from '../io/brain.js';
import { Box } from '../core/spaces.js';
import type { ResolvedConfig } from '../rl/config.js';
import type { FastUpdate } from '../runtime/fast-trainer.js';
import type { FastTrainOptions } from '../runtime/fast-worker.js';
import { FastRun } from '../runtime/fast-run.js';
import type { Behavior, LiveMetrics } from './behavior.js';
import { recordBackend, recordMetrics } from './training-log.js';

/** Options of {@link FastTraining.start}: the worker's training options and the page's callbacks. */
export interface FastTrainingOptions extends FastTrainOptions {
  /**
   * After each update has reached the behavior and the training log; with `demonstrations`
   * pre-trained, first update 0 (the cloned weights, already acting; `update.pretrain` holds
   * behaviour cloning's report), which the training log does not get.
   */
  onUpdate?: (metrics: LiveMetrics, update: FastUpdate) => void;
  /** A dead worker was replaced by a new one from the last checkpoint (`restarts` so far in this run). */
  onRestart?: (reason: string, restarts: number) => void;
  /** Training stopped for good (the worker kept dying); the message names why. Default: `console.error`. */
  onError?: (message: string) => void;
}

/**
 * A fast-mode update as live mode's metrics record: the same fields (engine, device, behavior,
 * losses...), without the weights. `updateMs` is NaN (the worker does not time its updates apart
 * from its rollouts) and `droppedRollouts` 0 (fast mode waits for its learner).
 */
export function fastMetrics(u: FastUpdate): LiveMetrics {
  const { params: _params, observationStats: _stats, backendReason: _reason, ...numbers } = u;
  return { ...numbers, updateMs: NaN, droppedRollouts: 0 };
}

/**
 * Plays a fast-mode update in the visible scene: its weights (with the normalizer's statistics)
 * act from the next frame, `behavior.latest` and the training log get its metrics. Update 0 (the
 * weights behaviour cloning pre-trained, before any PPO update) acts the same, but is no PPO
 * update: the training log and `behavior.latest` do not get it.
 */
export function playFastUpdate(behavior: Behavior, u: FastUpdate): LiveMetrics {
  behavior.setWeights(u.params, u.policyVersion, reviveStats(u.observationStats));
  const metrics = { ...fastMetrics(u), behavior: behavior.name };
  // The overlay names the learner the weights come from: the fast trainer's, in its worker.
  if (!behavior.backend) {
    behavior.backend = { backend: u.backend, reason: u.backendReason, timings: {} };
    recordBackend(behavior.name, behavior.backend);
  }
  if (u.update === 0) return metrics;
  behavior.latest = metrics;
  recordMetrics(metrics);
  return metrics;
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
    observationStats: u.observationStats, steps: u.step, observationInputs: spec.observationInputs, source: { params: u.params, version: u.policyVersion },
  });
}

/**
 * Fast-mode workers for this machine: one per core the browser reports
 * (`navigator.hardwareConcurrency`), at most 4 (each worker boots its own copies and engine; a
 * page's few copies gain little from more), at least 1. Pass it as `workers` to
 * {@link FastTraining.start} for a game of one learning behavior.
 */
export function defaultFastWorkers(cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(1, Math.min(4, Math.floor(cores) || 1));
}

/**
 * Which behavior plays a fast-mode update, by the update's behavior name: a game of several
 * behaviors (rivals) streams each one's updates in turn. Null holds the update back (e.g. while the
 * scene restarts): {@link FastTraining.replay} plays it once a behavior is there again.
 */
export type FastBehaviorOf = (name: string) => Behavior | null;

/**
 * Trains a scene's behavior in fast mode: headless copies of the game in a worker (whose entry is
 * `exposeFastTrainer(game)` from `phaser-ppo/fast-worker`), their weights acting in the scene.
 * Run the scene's behavior in `inference` mode so that only these weights change it. Give a
 * {@link FastBehaviorOf} instead of one behavior where each update's behavior is looked up when it
 * arrives: a game of several behaviors, or a scene that restarts during the run.
 *
 * @example
 * const fast = new FastTraining(scene.ppo.behavior('reach'),
 *   () => new Worker(new URL("./fast.worker.ts", import.meta.url), { type: 'module' }));
 * fast.start({ seed: 1, backend: 'auto', maxSteps: 200_000 });
 * // or first clone recorded demonstrations (behavior.stopRecording(), loadDemonstrationFromUrl):
 * fast.start({ seed: 1, backend: 'auto', demonstrations: { data: demo }, onUpdate: (_m, u) => {
 *   if (u.pretrain) console.log('held-out NLL', u.pretrain.heldOut?.nll);
 * } });
 * // later: fast.stop(); const brain = await fast.brain();
 * // a game of several behaviors: each update plays in the behavior of its name
 * const rivals = new FastTraining((name) => scene.ppo.behavior(name), makeWorker);
 */
export class FastTraining {
  private readonly run = new FastRun();
  private readonly behaviorOf: FastBehaviorOf;
  /** The newest update of each behavior, and whether it reached the training log. */
  private readonly newest = new Map<string, { u: FastUpdate; logged: boolean }>();
  /** The behavior given to the constructor; null when given a {@link FastBehaviorOf}. */
  readonly behavior: Behavior | null;

  constructor(behavior: Behavior | FastBehaviorOf, private readonly makeWorker: () => Worker) {
    if (typeof behavior === 'function') {
      this.behavior = null;
      this.behaviorOf = behavior;
    } else {
      this.behavior = behavior;
      // One behavior plays every update, whatever the worker's game calls it.
      this.behaviorOf = () => behavior;
    }
  }

  /** Starts training (stopping a run of this object first); resolves nothing: follow `onUpdate`. */
  start(options: FastTrainingOptions): void {
    const { onUpdate, onRestart, onError, ...opts } = options;
    this.newest.clear();
    this.run.start(this.makeWorker, opts, (u) => {
      const metrics = this.play(u);
      onUpdate?.(metrics, u);
    }, onError ?? ((m) => console.error(m)), (reason) => onRestart?.(reason, this.run.restarts));
  }

  /** Plays `u` where its behavior is (or holds it) and keeps it as its behavior's newest. */
  private play(u: FastUpdate): LiveMetrics {
    const b = this.behaviorOf(u.behavior);
    this.newest.set(u.behavior, { u, logged: b !== null });
    return b ? playFastUpdate(b, u) : { ...fastMetrics(u), behavior: u.behavior };
  }

  /**
   * Plays each behavior's newest update again, in the behavior {@link FastBehaviorOf} gives now:
   * after the scene restarted, its new behaviors have none of the run's weights. An update held
   * back meanwhile reaches the training log now; one already logged is not logged twice.
   */
  replay(): void {
    for (const entry of this.newest.values()) {
      const b = this.behaviorOf(entry.u.behavior);
      if (!b) continue;
      if (entry.logged) b.setWeights(entry.u.params, entry.u.policyVersion, reviveStats(entry.u.observationStats));
      else playFastUpdate(b, entry.u);
      entry.logged = true;
    }
  }

  /** Stops the worker; the weights last played keep acting in the scene. */
  stop(): void {
    this.run.stop();
  }

  /** Whether a worker is training (or being restarted). */
  get running(): boolean {
    return this.run.running;
  }

  /** Workers replaced after dying, in this run. */
  get restarts(): number {
    return this.run.restarts;
  }

  /** The newest update of the current (or last) run, of any behavior. */
  get last(): FastUpdate | null {
    return this.run.last;
  }

  /**
   * The run's brain of behavior `name` (the worker's name for it; default: the game's first) with
   * its training state (a checkpoint to save or resume from), while the worker lives; else, once an
   * update of it arrived (without `name`: the newest update), one made from its newest weights with
   * `config` (default: the playing behavior's; without training state); null before then.
   */
  async brain(config?: ResolvedConfig, name?: string): Promise<Brain | null> {
    const b = await this.run.brain(name);
    if (b) return b;
    const u = name !== undefined ? this.newest.get(name)?.u : this.run.last;
    const behavior = u ? this.behaviorOf(u.behavior) : null;
    return u && behavior ? brainFromUpdate(behavior, config ?? behavior.config, u) : null;
  }
}
