/**
 * The messages between {@link ParallelTrainer} (main thread, the learner) and its actor workers
 * (sdk/runtime/actor-worker.ts). Worker → main on the worker's `parentPort`; main → worker on a
 * MessagePort the worker reads synchronously (`receiveMessageOnPort`) while it waits.
 */
import type { Space } from '../core/spaces.js';
import type { PPOConfig } from '../rl/config.js';
import type { ObservationInput } from '../rl/conv.js';
import type { UpdateStats } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';

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

/** Worker → main, once its copies are built: the rollout columns it fills and the behavior's sizes. */
export interface ActorReady {
  type: 'ready';
  agents: number;
  observationSize: number;
  /** The observation's named inputs (vector and grid parts): the learner builds the same network (conv stacks for grids) as the actors act with. */
  observationInputs: ObservationInput[];
  actionSpace: Space;
}

/** Worker → main: one full rollout (its arrays transferred), with what its normalizers saw and the episodes that ended since the last one. */
export interface ActorRolloutMessage {
  type: 'rollout';
  rollout: Rollout;
  episodes: { return: number; length: number }[];
  /** The observations' statistics gathered since the last merged ones ({@link RunningMeanStd.since}); null when not normalizing. */
  observationDelta: StatsJson | null;
  rewardDelta: StatsJson;
}

/** Main → worker: the first weights and statistics. */
export interface ActorStart {
  params: Float32Array;
  version: number;
  observationStats: StatsJson | null;
  rewardStats: StatsJson;
}

/** Main → worker after each update: the new weights, the merged statistics, and the update's diagnostics. */
export interface ActorReply extends ActorStart {
  stats: UpdateStats;
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
}

/** Learner → actor: the first weights, then each update's. */
export type ToActorWeights = ({ type: 'start' } & ActorStart) | ({ type: 'reply' } & ActorReply);
