/**
 * Trains an `Env` (CartPole, Pendulum, your own) synchronously, in-process, on a compute engine
 * of your choice: a thin façade over the one collector. The Env plays as a one-agent game
 * ({@link envGame}: one copy per `numEnvs`), trained by a {@link FastTrainer} whose learner is a
 * PPOLearner on `engine`; the CLI, benchmarks and tests use it for envs.
 */
import type { EnvFactory } from '../core/env.js';
import type { Brain } from '../io/brain.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import type { ComputeEngine } from '../rl/engine.js';
import { PPOLearner } from '../rl/learner.js';
import type { DeviceName, UpdateMetrics } from '../rl/metrics.js';
import { ActorCriticLayout } from '../rl/network.js';
import { ActionDistribution } from '../rl/distributions.js';
import type { Rollout } from '../rl/rollout.js';
import { envGame } from './env-game.js';
import { FastTrainer } from './fast-trainer.js';

export interface TrainerOptions {
  /** Builds environment copy `index`. */
  env: EnvFactory;
  /** Shown in errors and stored in the brain. */
  envName: string;
  config?: Partial<PPOConfig>;
  /** Builds the compute engine for the learner's network layout (e.g. `l => new TfjsEngine(l)`). */
  engine: (layout: ActorCriticLayout) => ComputeEngine;
  /**
   * Continue from a checkpoint brain ({@link Trainer.brain}, or a file): exactly (weights, Adam,
   * schedules, shuffle RNG, normalizer and reward statistics, step count) when it holds training
   * state. Episodes in flight are not saved: every env starts a new episode (seeded by
   * `config.seed + steps`), and action sampling starts a new stream.
   */
  resume?: Brain;
}

/**
 * @example
 * const trainer = new Trainer({ env: createCartPole, envName: 'cartpole', engine: (l) => new KernelsEngine(l) });
 * trainer.run({ targetReturn: 475, onUpdate: (m) => console.log(m.step, m.returnMean) });
 */
export class Trainer {
  readonly config: ResolvedConfig;
  readonly envName: string;
  /** The PPO learner (its engine, weights and state). */
  readonly learner: PPOLearner;
  private readonly fast: FastTrainer;
  /** The last rollout trained on. */
  private rollout: Rollout | null = null;

  constructor(opts: TrainerOptions) {
    const resume = opts.resume;
    // A resumed run keeps the checkpoint's config (as FastTrainer does); `config` still overrides.
    this.config = resolveConfig({ ...(resume ? configFields(resume.config) : {}), ...opts.config });
    this.envName = opts.envName;
    const fields = configFields(this.config);
    const game = envGame(opts.envName, opts.env, fields);
    this.fast = new FastTrainer(game, null, { copies: this.config.numEnvs, seed: this.config.seed, config: fields, ...(resume ? { brain: { ...resume, env: opts.envName } } : {}) });
    let built: PPOLearner | null = null;
    this.fast.startWith((spec) => {
      const dist = new ActionDistribution(spec.actionSpace);
      const layout = ActorCriticLayout.forBehavior(spec.observationSize, spec.observationInputs, this.config, dist);
      const learner = new PPOLearner({
        observationSize: spec.observationSize, observationInputs: spec.observationInputs, actionSpace: spec.actionSpace, config: this.config, engine: opts.engine(layout),
        // An engine that throws mid-update is replaced and the update retried once (robustness).
        rebuildEngine: () => opts.engine(layout),
        ...(spec.state ? { state: spec.state } : {}),
      });
      built = learner;
      return {
        learner: {
          train: (r) => {
            this.rollout = r;
            const t0 = performance.now();
            const stats = learner.train(r);
            return { params: Float32Array.from(learner.params), version: learner.version, stats, updateMs: performance.now() - t0 };
          },
          getState: () => learner.getState(),
          getConfig: () => this.config,
          dispose: () => learner.engine.dispose(),
        },
        report: { backend: learner.engine.device, reason: 'configured', timings: {} },
        params: Float32Array.from(learner.params),
        version: learner.version,
      };
    });
    this.learner = built!;
  }

  /** The device the learner's engine computes on (a tfjs backend, or `wasm-simd`). */
  get device(): DeviceName {
    return this.learner.engine.device;
  }

  /** Transitions collected and trained on so far (all envs). */
  get step(): number {
    return this.fast.step;
  }

  /** Whether the configured number of updates has run. */
  get done(): boolean {
    return this.learner.updates >= this.config.numUpdates;
  }

  /** Collects one rollout, trains on it, and returns the update's metrics. */
  runUpdate(): UpdateMetrics {
    const { params: _p, observationStats: _o, backendReason: _r, policyVersion: _v, behavior: _b, backend: _d, ...m } = this.fast.runUpdate();
    return { ...m, engine: this.learner.engine.name, device: this.device };
  }

  /**
   * Trains until the configured steps are used or `returnMean` reaches `targetReturn`, calling
   * `onUpdate` after each update. Returns every update's metrics.
   */
  run(opts: { targetReturn?: number; onUpdate?: (m: UpdateMetrics) => void } = {}): UpdateMetrics[] {
    const history: UpdateMetrics[] = [];
    while (!this.done) {
      const m = this.runUpdate();
      history.push(m);
      opts.onUpdate?.(m);
      if (opts.targetReturn !== undefined && m.returnMean >= opts.targetReturn) break;
    }
    return history;
  }

  /** The run as a brain with its training state: a checkpoint {@link TrainerOptions.resume} continues. */
  brain(): Brain {
    return this.fast.brain();
  }

  /** Releases the learner's device memory. */
  dispose(): void {
    this.fast.dispose();
  }
}
