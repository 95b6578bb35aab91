/**
 * The body of a game's fast-mode worker: trains a HeadlessGame with FastTrainer off the main
 * thread and streams every update (metrics and transferred weights) to the page.
 *
 * @example
 * // src/fast.worker.ts
 * import { exposeFastTrainer } from 'phaser-ppo/fast-worker';
 * import myGame from './scene-game.js'; // sceneGame({ scene: MyScene, ... }) or any HeadlessGame
 * exposeFastTrainer(myGame);
 */
// First, before the game's module imports Phaser: a game made from its scene (phaser-ppo/scene's
// sceneGame) boots Phaser in this worker, which has no page; the shim gives Phaser what it reads of one.
import '../scene/phaser-shim.js';
import * as Comlink from 'comlink';
import { FastTrainer, type FastUpdate } from './fast-trainer.js';
import type { HeadlessGame } from './game.js';
import type { BackendChoice } from './learner-host.js';
import { browserBackends } from './backend.browser.js';
import type { PPOConfig } from '../rl/config.js';
import type { Brain } from '../io/brain.js';
import type { EnvironmentParameters } from './env-params.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import type { PretrainOptions } from '../rl/behavioral-cloning.js';

export interface FastTrainOptions {
  /** Copies of the game's world (default: the game's). */
  copies?: number;
  backend: BackendChoice;
  seed: number;
  /**
   * Stop once every behavior has trained `maxSteps` transitions. In a game of several behaviors
   * that is each behavior, so one with fewer transitions per tick (chase's one runner per pack of
   * four) keeps the others going past it: use {@link untilDone} to give each its own schedule.
   * 0: no PPO update at all (with `demonstrations`: only update 0, the cloned policy).
   */
  maxSteps?: number;
  /**
   * Stop once every behavior has trained its own config's `totalSteps` (`FastTrainer.done`): in
   * chase's rivals game the pack 240,000 transitions and the runner 60,000, over the same ticks.
   */
  untilDone?: boolean;
  targetReturn?: number;
  /** Overrides of the game's tuned config for this run (the page's hyperparameter form). */
  config?: Partial<PPOConfig>;
  /**
   * Continue training this brain (a checkpoint from {@link FastWorkerApi.brain}, IndexedDB or a
   * file): exactly when it holds training state, else from its weights with a fresh optimizer.
   * Its config is kept; `config` still overrides it.
   */
  brain?: Brain;
  /** Checkpoints of several behaviors to continue together (`FastTrainerOptions.brains`): a restarted Rivals worker's. */
  brains?: readonly Brain[];
  /** Every behavior's ELO to go on from (`FastTrainerOptions.ratings`): a restarted Rivals worker's. */
  ratings?: Readonly<Record<string, number>>;
  /** Environment parameters for this run, replacing the game's own parameter by parameter (a resumed brain keeps its curriculum). */
  environmentParameters?: EnvironmentParameters;
  /**
   * Every this many updates, the update carries `checkpoint`: the brain with its training state at
   * that update, so whoever restarts a dead worker has it without asking a worker that may be gone.
   * Default 0: never (ask {@link FastWorkerApi.brain}).
   */
  checkpointEvery?: number;
  /**
   * Demonstrations of one of the game's behaviors (`data.behavior`), as `FastTrainer` takes them:
   * unless `pretrain` is false a fresh run first clones them, and the worker then sends "update 0"
   * (the cloned weights, `pretrain` holding the report) before any PPO update; `config.behavioralCloning`
   * / `config.gail` learn from them during PPO. `FastRun` copies them to the worker (structured
   * clone), not transfers them: the page keeps its demonstration, and a restarted worker needs them again.
   */
  demonstrations?: { data: DemonstrationData; pretrain?: PretrainOptions | false };
}

/** A fast-mode update as the worker streams it: with a checkpoint every `checkpointEvery` updates. */
export interface FastWorkerUpdate extends FastUpdate {
  checkpoint?: Brain;
}

/** What the page calls through `Comlink.wrap<FastWorkerApi>(worker)`. */
export interface FastWorkerApi {
  /** Trains until stopped or a limit is hit; `onUpdate` (a `Comlink.proxy`) gets every update. */
  train(opts: FastTrainOptions, onUpdate: (u: FastWorkerUpdate) => void): Promise<void>;
  stop(): void;
  /**
   * The current brain with its training state (a checkpoint), for the page's Save button; works
   * while training and after it stopped. Rejects before the first `train` has started its learner.
   * Its statistics arrive as plain objects (structured clone): `saveBrainToUrl` takes it as is.
   * `behavior`: which behavior's (default: the game's first).
   */
  brain(behavior?: string): Promise<Brain>;
}

/**
 * Serves {@link FastWorkerApi} for `game` from this worker (the page drives it with
 * `FastTraining` from `phaser-ppo/phaser`). `endpoint` defaults to the worker's own scope; tests
 * pass one end of a `MessageChannel`.
 */
export function exposeFastTrainer(game: HeadlessGame, endpoint?: Comlink.Endpoint): void {
  let trainer: FastTrainer | null = null;
  const api: FastWorkerApi = {
    async train(opts, onUpdate) {
      trainer?.stop();
      trainer = new FastTrainer(game, browserBackends, {
        ...(opts.copies !== undefined ? { copies: opts.copies } : {}), seed: opts.seed, backend: opts.backend, ...(opts.config ? { config: opts.config } : {}), ...(opts.brain ? { brain: opts.brain } : {}),
        ...(opts.brains ? { brains: opts.brains } : {}), ...(opts.ratings ? { ratings: opts.ratings } : {}),
        ...(opts.environmentParameters ? { environmentParameters: opts.environmentParameters } : {}),
        ...(opts.demonstrations ? { demonstrations: opts.demonstrations } : {}),
      });
      await trainer.start();
      // The cloned policy acts in the page before the first PPO update has played a rollout.
      const u0 = trainer.pretrainUpdate();
      if (u0) onUpdate(Comlink.transfer(u0, [u0.params.buffer]));
      if (opts.maxSteps === 0) return;
      const every = opts.checkpointEvery ?? 0;
      const untilDone = opts.untilDone === true;
      const run = trainer;
      await run.run((u) => {
        // Read before the update is sent (it transfers the weights); the last update still goes out.
        const finish = untilDone && run.done;
        if (every > 0 && u.update % every === 0) {
          const checkpoint = trainer!.brain(u.behavior);
          const t = checkpoint.training!;
          onUpdate(Comlink.transfer({ ...u, checkpoint }, [u.params.buffer, checkpoint.params.buffer, t.adam.m.buffer, t.adam.v.buffer]));
        } else {
          onUpdate(Comlink.transfer(u, [u.params.buffer]));
        }
        if (finish) run.stop();
      }, {
        ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
        ...(opts.targetReturn !== undefined ? { targetReturn: opts.targetReturn } : {}),
      });
    },
    stop() {
      trainer?.stop();
    },
    async brain(behavior) {
      if (!trainer) throw new Error(`${game.name}: no brain yet: call train() first`);
      const b = trainer.brain(behavior);
      const t = b.training!;
      return Comlink.transfer(b, [b.params.buffer, t.adam.m.buffer, t.adam.v.buffer]);
    },
  };
  Comlink.expose(api, endpoint);
}
