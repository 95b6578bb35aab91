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
import type { PretrainOptions } from '../rl/behavioral-cloning.js';
import { demonstrationHash } from '../io/demonstration.js';
import type { GivenDemonstrations } from './demo-ref.js';
import { FastActorLearner, localActor, runFastActor } from './fast-actors.js';
import { PAGE } from '../scene/asset-source.js';

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
   * The worker hashes them when `sha256` is not given, so checkpoints record which demonstrations
   * they learned from (`source`: e.g. the IndexedDB key) and a resume checks them.
   */
  demonstrations?: GivenDemonstrations & { pretrain?: PretrainOptions | false };
  /**
   * Workers to train on (default 1): this worker learns and plays its share of the copies, `workers
   * − 1` others (the same worker module, started by `FastRun`/`FastTraining`) play the rest: every
   * game one worker trains (several behaviors, self-play, curricula; see sdk/runtime/fast-actors.ts)
   * but demonstrations, which need `workers: 1`. Same seed and worker count, same curve.
   */
  workers?: number;
  /** Set by `FastRun` when `workers` > 1: a port to each of the other workers' actors (see {@link FastWorkerApi.act}). */
  actors?: MessagePort[];
  /** Set by `FastRun`: the page's address (`document.baseURI`), where the copies resolve the relative URLs of the files their scene loads. */
  pageUrl?: string;
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
   * `name`: the behavior (default: the game's first).
   */
  brain(name?: string): Promise<Brain>;
  /**
   * Plays as one of a multi-worker run's actors: the learner's worker assigns its copies and sends
   * weights on `port` (see sdk/runtime/fast-actors.ts); resolves when the learner stops it.
   */
  act(port: MessagePort, pageUrl?: string): Promise<void>;
}

/**
 * Serves {@link FastWorkerApi} for `game` from this worker (the page drives it with
 * `FastTraining` from `phaser-ppo/phaser`). `endpoint` defaults to the worker's own scope; tests
 * pass one end of a `MessageChannel`.
 */
export function exposeFastTrainer(game: HeadlessGame, endpoint?: Comlink.Endpoint): void {
  let trainer: FastTrainer | null = null;
  /** The learner of a run on several workers (`opts.actors`), while it lasts. */
  let parallel: { learner: FastActorLearner; stopped: boolean } | null = null;
  const stopAll = () => {
    trainer?.stop();
    if (parallel) parallel.stopped = true;
  };
  const api: FastWorkerApi = {
    async train(opts, onUpdate) {
      stopAll();
      if (opts.pageUrl) PAGE.url = opts.pageUrl;
      if (opts.actors && opts.actors.length > 0) {
        trainer = null;
        const run = { learner: null as unknown as FastActorLearner, stopped: false };
        await trainOnWorkers(game, opts, opts.actors, onUpdate, (learner) => {
          run.learner = learner;
          parallel = run;
        }, () => run.stopped);
        return;
      }
      parallel = null;
      const given = opts.demonstrations;
      const demonstrations = given && given.sha256 === undefined ? { ...given, sha256: await demonstrationHash(given.data) } : given;
      trainer = new FastTrainer(game, browserBackends, {
        ...(opts.copies !== undefined ? { copies: opts.copies } : {}), seed: opts.seed, backend: opts.backend, ...(opts.config ? { config: opts.config } : {}), ...(opts.brain ? { brain: opts.brain } : {}),
        ...(opts.brains ? { brains: opts.brains } : {}), ...(opts.ratings ? { ratings: opts.ratings } : {}),
        ...(opts.environmentParameters ? { environmentParameters: opts.environmentParameters } : {}),
        ...(demonstrations ? { demonstrations } : {}),
      });
      await trainer.start();
      const every = opts.checkpointEvery ?? 0;
      // The cloned policy acts in the page before the first PPO update has played a rollout. With
      // checkpoints, update 0 carries one (the cloned weights): a worker that dies before update
      // `every` is restarted from it, so it neither clones again nor sends a second update 0.
      const u0 = trainer.pretrainUpdate();
      const run = trainer;
      // Weights transferred; with `checkpoint`, the brain with its training state rides along.
      const send = (u: FastUpdate, checkpoint: boolean) => {
        if (!checkpoint) return onUpdate(Comlink.transfer(u, [u.params.buffer]));
        const brain = run.brain(u.behavior);
        const t = brain.training!;
        onUpdate(Comlink.transfer({ ...u, checkpoint: brain }, [u.params.buffer, brain.params.buffer, t.adam.m.buffer, t.adam.v.buffer]));
      };
      if (u0) send(u0, every > 0);
      if (opts.maxSteps === 0) return;
      const untilDone = opts.untilDone === true;
      await run.run((u) => {
        // Read before the update is sent (it transfers the weights); the last update still goes out.
        const finish = untilDone && run.done;
        send(u, every > 0 && u.update % every === 0);
        if (finish) run.stop();
      }, {
        ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
        ...(opts.targetReturn !== undefined ? { targetReturn: opts.targetReturn } : {}),
      });
    },
    stop() {
      stopAll();
    },
    async act(port, pageUrl) {
      if (pageUrl) PAGE.url = pageUrl;
      await runFastActor(game, port);
    },
    async brain(name) {
      if (parallel) {
        const b = parallel.learner.brain(name);
        const t = b.training!;
        return Comlink.transfer(b, [b.params.buffer, t.adam.m.buffer, t.adam.v.buffer]);
      }
      if (!trainer) throw new Error(`${game.name}: no brain yet: call train() first`);
      const b = trainer.brain(name);
      const t = b.training!;
      return Comlink.transfer(b, [b.params.buffer, t.adam.m.buffer, t.adam.v.buffer]);
    },
  };
  Comlink.expose(api, endpoint);
}

/**
 * A run on several workers, from the learner's worker: its own actor and `actors` (the other
 * workers') play, a {@link FastActorLearner} trains; updates stream as with one worker: each
 * behavior's (with `ratings` in a game of several, `elo`/`learningTeam`/`opponentElo` with
 * self-play, `lessons` with a curriculum), and every `checkpointEvery`-th update of a behavior
 * carries that behavior's checkpoint, so a restart continues each one. The limits are one
 * worker's: `maxSteps` and `untilDone` wait for every behavior, `targetReturn` for the last lessons.
 */
async function trainOnWorkers(game: HeadlessGame, opts: FastTrainOptions, actors: MessagePort[], onUpdate: (u: FastWorkerUpdate) => void,
  started: (learner: FastActorLearner) => void, stopped: () => boolean): Promise<void> {
  const workers = actors.length + 1;
  // The actor workers carry no demonstrations (BC, GAIL and cloning learn in FastTrainer's one thread).
  if (opts.demonstrations) throw new Error(`fast mode on ${workers} workers: learning from demonstrations trains on one worker; use workers: 1`);
  let failure: ((e: unknown) => void) | null = null;
  const failed = new Promise<never>((_, reject) => { failure = reject; });
  const own = localActor(game, (e) => failure!(e));
  const learner = new FastActorLearner(game, browserBackends, [own, ...actors], {
    ...(opts.copies !== undefined ? { copies: opts.copies } : {}), seed: opts.seed, backend: opts.backend,
    ...(opts.config ? { config: opts.config } : {}), ...(opts.brain ? { brain: opts.brain } : {}), ...(opts.brains ? { brains: opts.brains } : {}),
    ...(opts.ratings ? { ratings: opts.ratings } : {}), ...(opts.environmentParameters ? { environmentParameters: opts.environmentParameters } : {}),
  });
  try {
    await Promise.race([learner.start(), failed]);
    started(learner);
    const every = opts.checkpointEvery ?? 0;
    // Each behavior's newest mean return (targetReturn waits for every one, as one worker does).
    const returns = new Map<string, number>();
    while (!stopped()) {
      const u = await Promise.race([learner.runUpdate(), failed]);
      returns.set(u.behavior, u.returnMean);
      // As FastTrainer.run (one worker): every behavior's steps, and a score only in the last lessons.
      const finish = (opts.maxSteps !== undefined && Object.values(learner.steps()).every((s) => s >= opts.maxSteps!))
        || (opts.untilDone === true && learner.done)
        || (opts.targetReturn !== undefined && (learner.curriculum?.finished ?? true) && learner.behaviors.every((b) => (returns.get(b) ?? NaN) >= opts.targetReturn!));
      if (every > 0 && u.update % every === 0) {
        const checkpoint = learner.brain(u.behavior);
        const t = checkpoint.training!;
        onUpdate(Comlink.transfer({ ...u, checkpoint }, [u.params.buffer, checkpoint.params.buffer, t.adam.m.buffer, t.adam.v.buffer]));
      } else {
        onUpdate(Comlink.transfer(u, [u.params.buffer]));
      }
      if (finish) break;
    }
  } finally {
    learner.close();
  }
}
