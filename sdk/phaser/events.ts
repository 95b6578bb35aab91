/**
 * Every event the scene plugin emits on `this.ppo.events`, with its payload type: one map, so a
 * listener's argument is typed by the event's name and a misspelt name does not compile.
 *
 * @example
 * import { PPO_EVENTS } from 'phaser-ppo/phaser';
 * this.ppo.events.on(PPO_EVENTS.METRICS, (m) => console.log(m.behavior, m.returnMean));
 * this.ppo.events.on(PPO_EVENTS.ERROR, (e) => console.error(e.behavior, e.source, e.message));
 */
import type { BackendReport } from '../runtime/learner-host.js';
import type { LiveMetrics } from './behavior.js';

/** The events' names, as Phaser names its own (`Phaser.Scenes.Events.UPDATE`). */
export const PPO_EVENTS = {
  /** After each learner update of a `train` behavior: {@link LiveMetrics}. */
  METRICS: 'metrics',
  /** Once per behavior, when its learner started: which backend it got and why. */
  BACKEND: 'backend',
  /** Something stopped a behavior (or the whole plugin): a {@link BehaviorError}. */
  ERROR: 'error',
  /** The learner discarded an update (a non-finite loss, gradient or weight); once per run of faults. */
  FAULT: 'fault',
  /** The learner worker died and was replaced from its last state. */
  LEARNER_RESTART: 'learner-restart',
  /** An annealed learning-rate schedule reached its end: further updates leave the weights as they are. */
  SCHEDULE_END: 'schedule-end',
  /** A likely mistake that does not stop anything (e.g. Matter also stepping on its own); once per scene run. */
  WARNING: 'warning',
  /** A recording behavior (`Behavior.startRecording`) recorded one more whole episode: {@link DemoEpisodeEvent}. */
  DEMO_EPISODE: 'demo-episode',
} as const;

/** One of {@link PPO_EVENTS}' values. */
export type PPOEventName = (typeof PPO_EVENTS)[keyof typeof PPO_EVENTS];

/** Where a {@link BehaviorError} came from. */
export type BehaviorErrorSource =
  /** The learner worker could not start (backend, spec, brain). */
  | 'learner-start'
  /** A learner update failed (or too many were discarded in a row). */
  | 'training'
  /** One of the behavior's agent hooks threw while it ticked (collectObservations, onActionReceived, heuristic, ...). */
  | 'agent'
  /** A callback given to `onFixedStep` threw (the scene's physics and game rules, where `addReward` is usually called). */
  | 'fixed-step';

/**
 * The payload of `error`: an Error (its stack points at the throw) that also says which behavior
 * stopped and where the error came from. `behavior` is null when the scene's fixed step threw: the
 * plugin cannot tell whose state it broke, so it stops stepping the scene altogether.
 */
export class BehaviorError extends Error {
  constructor(message: string, readonly behavior: string | null, readonly source: BehaviorErrorSource, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BehaviorError';
  }
}

/** The payload of `backend`. */
export interface BackendEvent extends BackendReport {
  behavior: string;
}

/** The payload of `fault`. */
export interface FaultEvent {
  behavior: string;
  /** What went non-finite, e.g. `policy loss = NaN (epoch 1, minibatch 2)`. */
  fault: string;
}

/** The payload of `learner-restart`. */
export interface LearnerRestartEvent {
  behavior: string;
  /** Restarts so far in this run. */
  restarts: number;
  reason: string;
}

/** The payload of `schedule-end`. */
export interface ScheduleEndEvent {
  behavior: string;
  /** The update at which the schedule was found ended. */
  update: number;
  /** Transitions trained so far. */
  step: number;
}

/** What a `warning` is about. */
export type WarningCode =
  /** `this.matter.world.autoUpdate` is true while the plugin steps the world on its fixed step: Matter steps twice. */
  'matter-auto-update'
  /** The Arcade world's fps does not match the plugin's stepMs: each fixed step moves Arcade's bodies by another time than stepMs. */
  | 'arcade-fps'
  /** A restarted scene declares a behavior of the previous run differently (type, sizes, config, ...): it starts afresh. */
  | 'behavior-redeclared';

/** The payload of `warning`. */
export interface WarningEvent {
  code: WarningCode;
  /** Says what is wrong and what to change. */
  message: string;
}

/** The payload of `demo-episode`: the recording's counts so far. */
export interface DemoEpisodeEvent {
  behavior: string;
  /** Whole episodes recorded. */
  episodes: number;
  /** Decisions in them. */
  steps: number;
  /** Mean of their returns. */
  meanReturn: number;
  /** Return of the episode just recorded. */
  lastReturn: number;
}

/** Each event's payload, by name. */
export interface PPOEventMap {
  metrics: LiveMetrics;
  backend: BackendEvent;
  error: BehaviorError;
  fault: FaultEvent;
  'learner-restart': LearnerRestartEvent;
  'schedule-end': ScheduleEndEvent;
  warning: WarningEvent;
  'demo-episode': DemoEpisodeEvent;
}

/**
 * `this.ppo.events`: Phaser's EventEmitter (eventemitter3), typed by {@link PPOEventMap}. Every
 * payload is one argument.
 */
export interface PPOEventEmitter {
  on<K extends PPOEventName>(event: K, fn: (payload: PPOEventMap[K]) => void, context?: unknown): this;
  once<K extends PPOEventName>(event: K, fn: (payload: PPOEventMap[K]) => void, context?: unknown): this;
  off<K extends PPOEventName>(event: K, fn?: (payload: PPOEventMap[K]) => void, context?: unknown, once?: boolean): this;
  emit<K extends PPOEventName>(event: K, payload: PPOEventMap[K]): boolean;
  listenerCount(event: PPOEventName): number;
  removeAllListeners(event?: PPOEventName): this;
}
