/**
 * An actor worker (a Node `worker_threads` thread started by {@link ParallelTrainer}): it loads
 * the game by path, builds its share of the run's copies, and plays them through the one
 * {@link FastTrainer} (collector, runner, episodes) whose learner is remote: each full rollout is
 * transferred to the main thread, and the worker blocks (`Atomics.wait`) until the main thread's
 * learner answers with new weights and the merged normalizer statistics. With `overlap`, the first
 * rollout is answered at once with the weights it acted with, so the worker is always one rollout
 * ahead of the learner (policy lag exactly 1, the same for every run of a seed).
 */
import { receiveMessageOnPort, workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { RunningMeanStd } from '../rl/normalizer.js';
import { restoreStats } from '../io/brain.js';
import type { PPOConfig, ResolvedConfig } from '../rl/config.js';
import type { UpdateStats } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';
import { resolveSource } from '../cli/env-source.js';
import { loadTypeScriptFor } from '../cli/typescript-loader.js';
import { envGame } from './env-game.js';
import { FastTrainer, type SyncLearner } from './fast-trainer.js';
import type { TrainReply } from './learner-host.js';
import type { ActorReady, ActorReply, ActorRolloutMessage, ActorSource, ActorStart, StatsJson } from './actor-protocol.js';
import { copyInputs } from '../rl/conv.js';

/** What {@link ParallelTrainer} hands each worker at its start. */
export interface ActorWorkerData {
  /** 0-based worker index. */
  index: number;
  source: ActorSource;
  firstCopy: number;
  copies: number;
  /** Seed of the copies (the run's, so copy i is the copy i of a one-thread run). */
  seed: number;
  actingSeed: number;
  config: Partial<PPOConfig>;
  overlap: boolean;
  /** Bumped by the main thread after each message on `port`. */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

const data = workerData as ActorWorkerData;
const signal = new Int32Array(data.signal);

/** The next message from the main thread, blocking this thread until one comes. */
function waitMessage<T>(): T {
  for (;;) {
    const seen = Atomics.load(signal, 0);
    const m = receiveMessageOnPort(data.port);
    if (m) {
      const msg = m.message as T | { type: 'stop' };
      if ((msg as { type?: string }).type === 'stop') process.exit(0);
      return msg as T;
    }
    Atomics.wait(signal, 0, seen);
  }
}

function snapshot(s: RunningMeanStd | null): StatsJson | null {
  return s ? s.toJSON() : null;
}

// The game's own .ts module: this thread registers tsx itself (a worker keeps none of the main thread's loader hooks).
await loadTypeScriptFor(data.source.modulePath, 'train');
const source = await resolveSource(data.source.name, data.source.modulePath);
const game = source.kind === 'game' ? source.game : envGame(source.name, source.create, { ...source.config, ...data.config });
const episodes: { return: number; length: number }[] = [];
const fast = new FastTrainer(game, null, {
  copies: data.copies, firstCopy: data.firstCopy, seed: data.seed, actingSeed: data.actingSeed, config: data.config,
  onEpisodeEnd: (_b, e) => episodes.push({ return: e.return, length: e.length }),
});
const runner = fast.collector.runners[0]!;
const spec = runner.spec!;
parentPort!.postMessage({ type: 'ready', agents: fast.config.numEnvs, observationSize: spec.observationSize, observationInputs: copyInputs(spec.observationInputs), actionSpace: spec.actionSpace } satisfies ActorReady);
const start = waitMessage<ActorStart>();

/**
 * The learner as this worker sees it: `train` transfers the rollout to the main thread and
 * returns the weights it answers with (with `overlap`, the first rollout at once with the weights
 * it acted with), adopting the merged statistics.
 */
class RemoteLearner implements SyncLearner {
  /** The statistics every rollout's delta is measured from: the merged ones last received. */
  private base = { obs: snapshot(runner.observationStats), reward: runner.rewardStats.toJSON() };
  private current: { params: Float32Array; version: number };
  private rollouts = 0;

  constructor(start: ActorStart) {
    this.current = { params: start.params, version: start.version };
  }

  adopt(stats: { observationStats: StatsJson | null; rewardStats: StatsJson }): void {
    if (runner.observationStats) restoreStats(runner.observationStats, stats.observationStats);
    restoreStats(runner.rewardStats, stats.rewardStats);
    this.rebase();
  }

  private rebase(): void {
    this.base = { obs: snapshot(runner.observationStats), reward: runner.rewardStats.toJSON() };
  }

  train(rollout: Rollout): TrainReply {
    const { base } = this;
    const msg: ActorRolloutMessage = {
      type: 'rollout', rollout, episodes: episodes.splice(0),
      observationDelta: runner.observationStats && base.obs ? runner.observationStats.since(base.obs) : null,
      rewardDelta: runner.rewardStats.since(base.reward),
    };
    const r = rollout;
    parentPort!.postMessage(msg, [r.observations.buffer, r.actions.buffer, r.logProbs.buffer, r.values.buffer, r.rewards.buffer, r.terminated.buffer,
      r.truncated.buffer, r.finalValues.buffer, r.lastValues.buffer, ...(r.masks ? [r.masks.buffer] : []), ...(r.versions ? [r.versions.buffer] : [])] as ArrayBuffer[]);
    this.rollouts++;
    if (data.overlap && this.rollouts === 1) {
      // One rollout ahead: the next one acts with the weights this one did, while the learner trains.
      this.rebase();
      return { params: this.current.params, version: this.current.version, stats: {} as UpdateStats, updateMs: 0 };
    }
    const reply = waitMessage<ActorReply>();
    this.adopt(reply);
    this.current = { params: reply.params, version: reply.version };
    return { params: reply.params, version: reply.version, stats: reply.stats, updateMs: 0 };
  }

  getState(): never {
    throw new Error('an actor worker holds no learner state');
  }

  getConfig(): ResolvedConfig {
    return fast.config;
  }

  dispose(): void {}
}

const remote = new RemoteLearner(start);
fast.startWith(() => ({ learner: remote, report: { backend: 'kernels', reason: 'actor worker: the main thread learns', timings: {} }, params: start.params, version: start.version }));
remote.adopt(start);
for (;;) fast.runUpdate();
