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
 * Trains a scene's behavior in fast mode: headless copies of the game in a worker (whose entry is
 * `exposeFastTrainer(game)` from `phaser-ppo/fast-worker`), their weights acting in the scene.
 * Run the scene's behavior in `inference` mode so that only these weights change it.
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
 */
export class FastTraining {
  private readonly run = new FastRun();

  constructor(readonly behavior: Behavior, private readonly makeWorker: () => Worker) {}

  /** Starts training (stopping a run of this object first); resolves nothing: follow `onUpdate`. */
  start(options: FastTrainingOptions): void {
    const { onUpdate, onRestart, onError, ...opts } = options;
    this.run.start(this.makeWorker, opts, (u) => {
      const metrics = playFastUpdate(this.behavior, u);
      onUpdate?.(metrics, u);
    }, onError ?? ((m) => console.error(m)), (reason) => onRestart?.(reason, this.run.restarts));
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

  /** The newest update of the current (or last) run. */
  get last(): FastUpdate | null {
    return this.run.last;
  }

  /**
   * The run's brain with its training state (a checkpoint to save or resume from), while the
   * worker lives; else, once an update arrived, one made from the last update's weights with
   * `config` (without training state); null before the first update.
   */
  async brain(config: ResolvedConfig = this.behavior.config): Promise<Brain | null> {
    const b = await this.run.brain();
    if (b) return b;
    const u = this.run.last;
    return u ? brainFromUpdate(this.behavior, config, u) : null;
  }
}
