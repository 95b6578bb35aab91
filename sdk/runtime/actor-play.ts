/**
 * What one actor does, in a Node actor worker (actor-worker.ts) and in a page's fast-mode worker
 * (fast-actors.ts) alike: builds its share of the run's copies in the one {@link FastTrainer}
 * (collector, runners, episodes) with a remote learner per learning behavior, hands each full
 * rollout to the learner with the behavior's index, the normalizer statistics its copies gathered
 * since the last merged ones and the episodes that ended, and adopts the weights and merged
 * statistics the learner answers with for the behavior the answer names. How a rollout travels and
 * when the answer comes is the caller's {@link ActorHandOff}.
 */
import { restoreStats } from '../io/brain.js';
import type { ResolvedConfig } from '../rl/config.js';
import { copyInputs } from '../rl/conv.js';
import type { LearnerState, UpdateStats } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';
import { FastTrainer, type SyncLearner } from './fast-trainer.js';
import type { HeadlessGame } from './game.js';
import type { TrainReply } from './learner-host.js';
import type { BehaviorRunner } from '../adapter/runner.js';
import type { GameResult } from '../adapter/agent.js';
import type { ActorAssignment, ActorReady, ActorReply, ActorRolloutMessage, ActorStart, StatsJson } from './actor-protocol.js';

/**
 * Sends a rollout message (its arrays in `transfer`) to the learner. Returns the learner's reply
 * when the actor waits for it here (a Node worker blocks), or null to act on with the weights it
 * has: the reply then comes later through {@link ActorPlay.receive}.
 */
export type ActorHandOff = (message: ActorRolloutMessage, transfer: ArrayBuffer[]) => ActorReply | null;

/** One learning behavior of an actor: its runner and what its next rollout's message is measured from. */
interface PlayedBehavior {
  name: string;
  runner: BehaviorRunner;
  episodes: { return: number; length: number; result: GameResult | null; team: number }[];
  /** The statistics every rollout's delta is measured from: the merged ones last adopted. */
  base: { obs: StatsJson | null; reward: StatsJson };
  /** The weights it acts with. */
  current: { params: Float32Array; version: number };
  /**
   * Merged statistics that came (overlapping) while another behavior handed its rollout off:
   * adopted at this behavior's own next hand-off, so its delta then still counts what its
   * copies saw since its last one.
   */
  pending: { observationStats: StatsJson | null; rewardStats: StatsJson } | null;
}

/** The arrays of a rollout, to transfer rather than copy. */
export function rolloutBuffers(r: Rollout): ArrayBuffer[] {
  return [r.observations.buffer, r.actions.buffer, r.logProbs.buffer, r.values.buffer, r.rewards.buffer, r.terminated.buffer,
    r.truncated.buffer, r.finalValues.buffer, r.lastValues.buffer, ...(r.masks ? [r.masks.buffer] : []), ...(r.versions ? [r.versions.buffer] : [])] as ArrayBuffer[];
}

export class ActorPlay {
  private readonly fast: FastTrainer;
  private readonly played: PlayedBehavior[];
  private handOff: ActorHandOff = () => null;

  constructor(game: HeadlessGame, a: ActorAssignment) {
    this.fast = new FastTrainer(game, null, {
      copies: a.copies, firstCopy: a.firstCopy, seed: a.seed, actingSeed: a.actingSeed, config: a.config, ...(a.behaviorConfig ? { behaviorConfig: a.behaviorConfig } : {}),
      // The learner's curriculum moves the lessons; actor 0 draws as one thread does, the others each their own stream.
      followsLearner: true, ...(a.environmentParameters ? { environmentParameters: a.environmentParameters } : {}), ...(a.index > 0 ? { curriculumSeed: a.seed + 7919 * a.index } : {}),
      onEpisodeEnd: (name, e) => this.played.find((p) => p.name === name)?.episodes.push({ return: e.return, length: e.length, result: e.result, team: e.team }),
    });
    this.played = this.fast.learning.map(({ name, runner }) => ({
      name, runner, episodes: [], pending: null, current: { params: new Float32Array(0), version: 0 },
      base: { obs: runner.observationStats?.toJSON() ?? null, reward: runner.rewardStats.toJSON() },
    }));
  }

  /** What the learner needs to know of this actor once its copies are built. */
  ready(): ActorReady {
    return {
      type: 'ready',
      behaviors: this.fast.learning.map(({ name, runner, config, teams }) => {
        const spec = runner.spec!;
        return {
          name, agents: config.numEnvs, observationSize: spec.observationSize, observationInputs: copyInputs(spec.observationInputs), actionSpace: spec.actionSpace,
          ...(teams !== undefined ? { teams } : {}),
        };
      }),
    };
  }

  /** Starts acting with the learner's first weights (one per behavior); each full rollout goes through `handOff`. */
  begin(start: { behaviors: ActorStart[]; lessons?: Record<string, number> }, handOff: ActorHandOff, reason: string): void {
    if (start.lessons) this.fast.followLessons(start.lessons, false);
    this.handOff = handOff;
    this.fast.startWith((_spec, name) => {
      const b = this.played.findIndex((p) => p.name === name);
      const first = start.behaviors[b]!;
      this.played[b]!.current = { params: first.params, version: first.version };
      return { learner: new RemoteLearner(this, b), report: { backend: 'kernels', reason, timings: {} }, params: first.params, version: first.version };
    });
    start.behaviors.forEach((s, b) => {
      this.adopt(this.played[b]!, s);
      if (s.selfPlay) this.fast.followSelfPlay(this.played[b]!.name, s.selfPlay);
    });
  }

  /** Plays until one behavior's rollout is full (it ends in {@link handOver}, handing it to the learner). */
  playRollout(): void {
    this.fast.runUpdate();
  }

  /** The learner's answer that came after the hand-off returned null: act with it from the next tick. */
  receive(reply: ActorReply): void {
    this.followLearner(reply);
    const p = this.played[reply.behavior]!;
    p.current = { params: reply.params, version: reply.version };
    p.runner.setParams(reply.params, reply.version);
    this.adopt(p, reply);
  }

  /** The learner's lessons and self-play opponents after the update `reply` answers (the learner decides them). */
  private followLearner(reply: ActorReply): void {
    if (reply.lessons) this.fast.followLessons(reply.lessons, reply.reset ?? false);
    if (reply.selfPlay) this.fast.followSelfPlay(this.played[reply.behavior]!.name, reply.selfPlay);
  }

  private adopt(p: PlayedBehavior, stats: { observationStats: StatsJson | null; rewardStats: StatsJson }): void {
    if (p.runner.observationStats) restoreStats(p.runner.observationStats, stats.observationStats);
    restoreStats(p.runner.rewardStats, stats.rewardStats);
    p.pending = null;
    this.rebase(p);
  }

  private rebase(p: PlayedBehavior): void {
    p.base = { obs: p.runner.observationStats?.toJSON() ?? null, reward: p.runner.rewardStats.toJSON() };
  }

  /** Behavior `b`'s full rollout, as its remote learner's `train` gets it from the FastTrainer. */
  handOver(b: number, rollout: Rollout): TrainReply {
    const p = this.played[b]!;
    const { base, runner } = p;
    const message: ActorRolloutMessage = {
      type: 'rollout', behavior: b, rollout, episodes: p.episodes.splice(0),
      observationDelta: runner.observationStats && base.obs ? runner.observationStats.since(base.obs) : null,
      rewardDelta: runner.rewardStats.since(base.reward),
    };
    const reply = this.handOff(message, rolloutBuffers(rollout));
    if (reply) this.followLearner(reply);
    // Sent: the next delta starts here (statistics that came for it meanwhile are adopted now).
    if (p.pending) this.adopt(p, p.pending);
    else this.rebase(p);
    if (reply && reply.behavior !== b) {
      // Overlapping, another behavior's answer: its weights act from the next tick, its statistics at its own next hand-off.
      const other = this.played[reply.behavior]!;
      other.current = { params: reply.params, version: reply.version };
      other.runner.setParams(reply.params, reply.version);
      other.pending = { observationStats: reply.observationStats, rewardStats: reply.rewardStats };
    } else if (reply) {
      this.adopt(p, reply);
      p.current = { params: reply.params, version: reply.version };
      return { params: reply.params, version: reply.version, stats: reply.stats, updateMs: 0 };
    }
    // Acting on with the weights it has (one rollout ahead, or until the answer comes).
    return { params: p.current.params, version: p.current.version, stats: {} as UpdateStats, updateMs: 0 };
  }

  getConfig(b = 0): ResolvedConfig {
    return this.fast.learning[b]!.config;
  }
}

/** A behavior's learner as the actor's FastTrainer sees it: each full rollout goes to the learner's thread. */
class RemoteLearner implements SyncLearner {
  constructor(private readonly play: ActorPlay, private readonly behavior: number) {}

  train(rollout: Rollout): TrainReply {
    return this.play.handOver(this.behavior, rollout);
  }

  getState(): LearnerState {
    throw new Error('an actor holds no learner state');
  }

  getConfig(): ResolvedConfig {
    return this.play.getConfig(this.behavior);
  }

  dispose(): void {}
}
