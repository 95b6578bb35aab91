/**
 * What one actor does, in a Node actor worker (actor-worker.ts) and in a page's fast-mode worker
 * (fast-actors.ts) alike: builds its share of the run's copies in the one {@link FastTrainer}
 * (collector, runner, episodes) with a remote learner, hands each full rollout to the learner with
 * the normalizer statistics its copies gathered since the last merged ones and the episodes that
 * ended, and adopts the weights and merged statistics the learner answers with. How a rollout
 * travels and when the answer comes is the caller's {@link ActorHandOff}.
 */
import { restoreStats } from '../io/brain.js';
import type { ResolvedConfig } from '../rl/config.js';
import { copyInputs } from '../rl/conv.js';
import type { UpdateStats } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';
import { FastTrainer, type SyncLearner } from './fast-trainer.js';
import type { HeadlessGame } from './game.js';
import type { TrainReply } from './learner-host.js';
import type { ActorAssignment, ActorReady, ActorReply, ActorRolloutMessage, ActorStart, StatsJson } from './actor-protocol.js';

/**
 * Sends a rollout message (its arrays in `transfer`) to the learner. Returns the learner's reply
 * when the actor waits for it here (a Node worker blocks), or null to act on with the weights it
 * has: the reply then comes later through {@link ActorPlay.receive}.
 */
export type ActorHandOff = (message: ActorRolloutMessage, transfer: ArrayBuffer[]) => ActorReply | null;

/** The arrays of a rollout, to transfer rather than copy. */
export function rolloutBuffers(r: Rollout): ArrayBuffer[] {
  return [r.observations.buffer, r.actions.buffer, r.logProbs.buffer, r.values.buffer, r.rewards.buffer, r.terminated.buffer,
    r.truncated.buffer, r.finalValues.buffer, r.lastValues.buffer, ...(r.masks ? [r.masks.buffer] : []), ...(r.versions ? [r.versions.buffer] : [])] as ArrayBuffer[];
}

export class ActorPlay implements SyncLearner {
  private readonly fast: FastTrainer;
  private readonly episodes: { return: number; length: number }[] = [];
  /** The statistics every rollout's delta is measured from: the merged ones last received. */
  private base: { obs: StatsJson | null; reward: StatsJson };
  private current: { params: Float32Array; version: number } = { params: new Float32Array(0), version: 0 };
  private handOff: ActorHandOff = () => null;

  constructor(game: HeadlessGame, a: ActorAssignment) {
    this.fast = new FastTrainer(game, null, {
      copies: a.copies, firstCopy: a.firstCopy, seed: a.seed, actingSeed: a.actingSeed, config: a.config,
      onEpisodeEnd: (_b, e) => this.episodes.push({ return: e.return, length: e.length }),
    });
    this.base = { obs: this.runner.observationStats?.toJSON() ?? null, reward: this.runner.rewardStats.toJSON() };
  }

  private get runner() {
    return this.fast.collector.runners[0]!;
  }

  /** What the learner needs to know of this actor once its copies are built. */
  ready(): ActorReady {
    const spec = this.runner.spec!;
    return { type: 'ready', agents: this.fast.config.numEnvs, observationSize: spec.observationSize, observationInputs: copyInputs(spec.observationInputs), actionSpace: spec.actionSpace };
  }

  /** Starts acting with the learner's first weights; each full rollout goes through `handOff`. */
  begin(start: ActorStart, handOff: ActorHandOff, reason: string): void {
    this.handOff = handOff;
    this.current = { params: start.params, version: start.version };
    this.fast.startWith(() => ({ learner: this, report: { backend: 'kernels', reason, timings: {} }, params: start.params, version: start.version }));
    this.adopt(start);
  }

  /** Plays one rollout (it ends in {@link train}, handing it to the learner). */
  playRollout(): void {
    this.fast.runUpdate();
  }

  /** The learner's answer that came after the hand-off returned null: act with it from the next tick. */
  receive(reply: ActorReply): void {
    this.current = { params: reply.params, version: reply.version };
    this.runner.setParams(reply.params, reply.version);
    this.adopt(reply);
  }

  private adopt(stats: { observationStats: StatsJson | null; rewardStats: StatsJson }): void {
    if (this.runner.observationStats) restoreStats(this.runner.observationStats, stats.observationStats);
    restoreStats(this.runner.rewardStats, stats.rewardStats);
    this.rebase();
  }

  private rebase(): void {
    this.base = { obs: this.runner.observationStats?.toJSON() ?? null, reward: this.runner.rewardStats.toJSON() };
  }

  /** The remote learner's `train`, as the FastTrainer calls it with each full rollout. */
  train(rollout: Rollout): TrainReply {
    const { base, runner } = this;
    const message: ActorRolloutMessage = {
      type: 'rollout', rollout, episodes: this.episodes.splice(0),
      observationDelta: runner.observationStats && base.obs ? runner.observationStats.since(base.obs) : null,
      rewardDelta: runner.rewardStats.since(base.reward),
    };
    const reply = this.handOff(message, rolloutBuffers(rollout));
    if (!reply) {
      // Acting on with the weights it has (one rollout ahead, or until the answer comes): the next delta starts here.
      this.rebase();
      return { params: this.current.params, version: this.current.version, stats: {} as UpdateStats, updateMs: 0 };
    }
    this.adopt(reply);
    this.current = { params: reply.params, version: reply.version };
    return { params: reply.params, version: reply.version, stats: reply.stats, updateMs: 0 };
  }

  getState(): never {
    throw new Error('an actor holds no learner state');
  }

  getConfig(): ResolvedConfig {
    return this.fast.config;
  }

  dispose(): void {}
}
