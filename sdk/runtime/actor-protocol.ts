/**
 * The messages between {@link ParallelTrainer} (main thread, the learner) and its actor workers
 * (sdk/runtime/actor-worker.ts). Worker → main on the worker's `parentPort`; main → worker on a
 * MessagePort the worker reads synchronously (`receiveMessageOnPort`) while it waits.
 */
import type { GameResult } from '../adapter/agent.js';
import type { Space } from '../core/spaces.js';
import type { PPOConfig } from '../rl/config.js';
import type { ObservationInput } from '../rl/conv.js';
import type { UpdateStats } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';
import type { EnvironmentParameters } from './env-params.js';

/** Where a worker loads the game from: a built-in env or bundled game by name, or a module by path (the CLI's `<env>` / `--env`). */
export interface ActorSource {
  name?: string;
  modulePath?: string;
}

export interface StatsJson {
  mean: number[];
  var: number[];
  count: number;
}

/** One learning behavior as an actor plays it: the rollout columns it fills and the behavior's sizes. */
export interface ActorBehavior {
  name: string;
  agents: number;
  observationSize: number;
  /** The observation's named inputs (vector and grid parts): the learner builds the same network (conv stacks for grids) as the actors act with. */
  observationInputs: ObservationInput[];
  actionSpace: Space;
  /** With self-play: the teams its agents play on. */
  teams?: number;
}

/** Worker → main, once its copies are built: each learning behavior, in the game's order (a message's `behavior` indexes it). */
export interface ActorReady {
  type: 'ready';
  behaviors: ActorBehavior[];
}

/** Worker → main: one full rollout (its arrays transferred), with what its normalizers saw and the episodes that ended since the last one. */
export interface ActorRolloutMessage {
  type: 'rollout';
  /** Which learning behavior (index in {@link ActorReady.behaviors}). */
  behavior: number;
  rollout: Rollout;
  /** The episodes that ended, with their `result` (a game of several behaviors rates them by it). */
  episodes: { return: number; length: number; result: GameResult | null; team: number }[];
  /** The observations' statistics gathered since the last merged ones ({@link RunningMeanStd.since}); null when not normalizing. */
  observationDelta: StatsJson | null;
  rewardDelta: StatsJson;
}

/** Self-play as the learner's decides it: the weights the other teams act with (when they changed), and the team that learns. */
export interface ActorSelfPlay {
  opponent?: { params: Float32Array; version: number; observationStats: StatsJson | null };
  learningTeam: number;
}

/** Main → worker: one behavior's first weights and statistics. */
export interface ActorStart {
  params: Float32Array;
  version: number;
  observationStats: StatsJson | null;
  rewardStats: StatsJson;
  /** With self-play (`config.selfPlay`). */
  selfPlay?: ActorSelfPlay;
}

/** Main → worker after each update: the behavior trained, its new weights, the merged statistics, and the update's diagnostics. */
export interface ActorReply extends ActorStart {
  behavior: number;
  stats: UpdateStats;
  /** With a curriculum: every parameter's lesson after this update (the learner's curriculum decides them). */
  lessons?: Record<string, number>;
  /** A lesson that changed asks for `requireReset`: every episode is cut at its next decision. */
  reset?: boolean;
}

/** What the learner tells an actor it plays: its copies of the run and how it samples. */
export interface ActorAssignment {
  type: 'assign';
  index: number;
  firstCopy: number;
  copies: number;
  /** Seed of the copies (the run's, so copy i is the copy i of a one-thread run). */
  seed: number;
  actingSeed: number;
  config: Partial<PPOConfig>;
  /** Overrides of one behavior's tuned config, by behavior (`config` still comes on top): FastTrainerOptions.behaviorConfig. */
  behaviorConfig?: Record<string, Partial<PPOConfig>>;
  /** The run's curriculum (the learner's parameters): the actor draws from its lessons, which the learner moves. */
  environmentParameters?: EnvironmentParameters;
}

/** Learner → actor: every behavior's first weights (in {@link ActorReady.behaviors}' order), then each update's. */
export type ToActorWeights = { type: 'start'; behaviors: ActorStart[]; lessons?: Record<string, number> } | ({ type: 'reply' } & ActorReply);
