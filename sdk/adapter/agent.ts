/**
 * The base class a game developer extends, modelled on Unity ML-Agents' `Agent`: hooks the
 * runner calls (observe, act, begin an episode), and calls the game makes (rewards, episode end).
 * The agent holds its own episode bookkeeping; a {@link BehaviorRunner} drives it.
 */
import { EnvError } from '../core/errors.js';
import type { ActionBuffers, ActionMask } from './action-spec.js';
import type { ObservationWriter } from './observation-writer.js';
import type { Sensor } from './sensor.js';

/** What {@link Agent.shouldRequestDecision} gets to decide with. */
export interface DecisionContext {
  /** Physics ticks this agent has acted in its current episode. */
  readonly stepCount: number;
  /** Ticks since the behavior's last decision: how many times the current action has been applied. */
  readonly ticksSinceDecision: number;
}

/** How an episode ended for this agent in a game with winners (self-play's ELO reads it). */
export type GameResult = 'win' | 'loss' | 'draw';

export interface AgentOptions {
  /**
   * Named in error messages and episode records. Default: `<behavior>#<index>` once added to a
   * behavior (the index counts the agents added to it), the class name before.
   */
  name?: string;
  /** Ticks after which an episode is cut (a truncation, not a terminal state); 0 = unlimited. */
  maxSteps?: number;
  /** Ticks between decisions; the last action repeats in between. Default 1. */
  decisionPeriod?: number;
  /**
   * The team this agent plays for, in a behavior trained with self-play (agents of one behavior
   * on different teams play each other; ML-Agents' `TeamId`). Default 0.
   */
  team?: number;
}

/** Per-episode bookkeeping the runner reads and clears; not part of the game-facing API. */
export interface AgentRuntime {
  /** Reward since the last decision. */
  pendingReward: number;
  /** Undiscounted return of the episode so far. */
  episodeReturn: number;
  /** Ticks acted in this episode. */
  stepCount: number;
  /** Decisions taken in this episode. */
  decisions: number;
  endRequested: boolean;
  /** The trainer cut the episode short (a new curriculum lesson): closed as a truncation, bootstrapped. */
  interruptRequested: boolean;
  decisionRequested: boolean;
  completedEpisodes: number;
  sensors: Sensor[];
  /** The runner driving this agent, if any: an agent belongs to one behavior at a time. */
  owner: object | null;
  /** The placeholder name an agent gets without `options.name`, replaced when it is first added; null once replaced or when named. */
  defaultName: string | null;
  /** What {@link Agent.setResult} said about the current episode; null until it is called. */
  result: GameResult | null;
}

/** Key of an agent's {@link AgentRuntime}; not exported from the package. */
export const AGENT_RUNTIME: unique symbol = Symbol('phaser-ppo.agentRuntime');

/**
 * An NPC that learns. Extend it, implement `collectObservations` and `onActionReceived`, reward
 * it from the game, and add it to a behavior.
 *
 * @example
 * class Chaser extends Agent {
 *   override collectObservations(obs: ObservationWriter) { obs.addArray([this.dx / 400, this.dy / 300]); }
 *   override onActionReceived(a: ActionBuffers) { this.body.force.x += 0.001 * a.continuous[0]!; }
 * }
 */
export abstract class Agent {
  /**
   * Named in error messages and episode records: `options.name`, or `<behavior>#<index>` once
   * added to a behavior. Not derived from the class name, which minification shortens (`ka`).
   */
  name: string;
  /** Ticks after which an episode is cut (a truncation: the learner bootstraps from it); 0 = unlimited. */
  maxSteps: number;
  /** Ticks between decisions with the default {@link shouldRequestDecision}; actions repeat in between. */
  decisionPeriod: number;
  /** The team this agent plays for (self-play); 0 unless set. Change it only between episodes. */
  team: number;
  /** @internal */
  readonly [AGENT_RUNTIME]: AgentRuntime = {
    pendingReward: 0, episodeReturn: 0, stepCount: 0, decisions: 0,
    endRequested: false, interruptRequested: false, decisionRequested: false, completedEpisodes: 0, sensors: [], owner: null, defaultName: null, result: null,
  };

  constructor(options: AgentOptions = {}) {
    this.name = options.name ?? new.target.name;
    if (options.name === undefined) this[AGENT_RUNTIME].defaultName = this.name;
    this.maxSteps = options.maxSteps ?? 0;
    this.decisionPeriod = options.decisionPeriod ?? 1;
    const team = options.team ?? 0;
    if (!Number.isInteger(team) || team < 0) throw new EnvError(`agent '${this.name}': team must be a non-negative integer, got ${String(team)}`);
    this.team = team;
  }

  /**
   * Called when an episode begins (also the first one), before its first observation: put the
   * NPC and its surroundings back to a starting state.
   * @example override onEpisodeBegin() { Matter.Body.setPosition(this.body, { x: 100, y: 300 }); }
   */
  onEpisodeBegin(): void {}

  /**
   * Writes this agent's observation for a decision, always the same number of values in the same
   * order (the behavior's `observationSize`); sensors are appended after them.
   * @example override collectObservations(obs: ObservationWriter) { obs.add(this.body.velocity.x / 10); obs.addOneHot(this.lane, 3); }
   */
  abstract collectObservations(obs: ObservationWriter): void;

  /**
   * Applies an action to the game. Called every tick: with the new action on a decision tick, with
   * the same one repeated in between. `actions.continuous` is already clipped to the spec's bounds.
   * @example override onActionReceived(a: ActionBuffers) { if (a.discrete[0] === 1) this.jump(); }
   */
  abstract onActionReceived(actions: ActionBuffers): void;

  /**
   * A scripted or human controller, used when the behavior's type is `heuristic`: write an action
   * into `out` (zeroed before the call). Discrete choices must be in range and allowed by the mask.
   * @example override heuristic(out: ActionBuffers) { out.discrete[0] = keys.left.isDown ? 0 : keys.right.isDown ? 2 : 1; }
   */
  heuristic?(out: ActionBuffers): void;

  /**
   * Forbids discrete choices for this decision (everything starts enabled). Implement it only if
   * the NPC has choices that are sometimes impossible.
   * @example override writeActionMask(mask: ActionMask) { if (!this.grounded) mask.setActionEnabled(1, 1, false); }
   */
  writeActionMask?(mask: ActionMask): void;

  /**
   * Whether this agent wants a decision on the coming tick; the default asks every
   * `decisionPeriod` ticks. The behavior decides for all its agents at once when any agent asks.
   * @example override shouldRequestDecision(ctx: DecisionContext) { return ctx.ticksSinceDecision >= (this.inDanger ? 1 : 5); }
   */
  shouldRequestDecision(ctx: DecisionContext): boolean {
    return ctx.ticksSinceDecision >= this.decisionPeriod;
  }

  /**
   * Adds `reward` to the reward of the current decision (and the episode's return).
   * @example this.addReward(-0.001) // a little cost per tick
   */
  addReward(reward: number): void {
    this.checkReward('addReward', reward);
    const rt = this[AGENT_RUNTIME];
    rt.pendingReward += reward;
    rt.episodeReturn += reward;
  }

  /**
   * Replaces the reward accumulated since the last decision with `reward`.
   * @example this.setReward(-1) // whatever happened before, this step is a loss
   */
  setReward(reward: number): void {
    this.checkReward('setReward', reward);
    const rt = this[AGENT_RUNTIME];
    rt.episodeReturn += reward - rt.pendingReward;
    rt.pendingReward = reward;
  }

  /**
   * Ends the episode in a terminal state (no future reward is bootstrapped); the runner closes it
   * on the next tick and begins a new one.
   * @example if (this.reachedGoal) { this.addReward(1); this.endEpisode(); }
   */
  endEpisode(): void {
    this[AGENT_RUNTIME].endRequested = true;
  }

  /**
   * Says how the current episode ended for this agent, in a game with winners: self-play updates
   * the ELO ratings from it. Call it before (or with) `endEpisode()`; the last call of an episode
   * counts. Without it, a self-play episode's result is read from the sign of its return
   * (positive: win, negative: loss, zero: draw).
   * @example if (this.pushedOut(rival)) { this.setResult('win'); this.addReward(1); this.endEpisode(); }
   */
  setResult(result: GameResult): void {
    if (result !== 'win' && result !== 'loss' && result !== 'draw') {
      throw new EnvError(`agent '${this.name}': setResult(${JSON.stringify(result)}): the result must be 'win', 'loss' or 'draw'`);
    }
    this[AGENT_RUNTIME].result = result;
  }

  /**
   * Asks for a decision on the next tick, whatever the cadence.
   * @example onCollision() { this.requestDecision(); }
   */
  requestDecision(): void {
    this[AGENT_RUNTIME].decisionRequested = true;
  }

  /**
   * Appends a sensor to this agent's observation (after the `collectObservations` values, in the
   * order added). Add sensors before adding the agent to a behavior.
   * @example this.addSensor(new RayCastSensor('eyes', { ... }));
   */
  addSensor(sensor: Sensor): this {
    if (!sensor || typeof sensor.write !== 'function' || !Number.isInteger(sensor.size) || sensor.size <= 0) {
      throw new EnvError(`agent '${this.name}': addSensor needs a Sensor with a positive integer size and write(out, offset), got ${String(sensor?.name ?? sensor)}`);
    }
    this[AGENT_RUNTIME].sensors.push(sensor);
    return this;
  }

  /** The sensors, in observation order. */
  get sensors(): readonly Sensor[] {
    return this[AGENT_RUNTIME].sensors;
  }

  /** Ticks acted in the current episode. */
  get stepCount(): number {
    return this[AGENT_RUNTIME].stepCount;
  }

  /** Undiscounted return of the current episode so far. */
  get cumulativeReward(): number {
    return this[AGENT_RUNTIME].episodeReturn;
  }

  /** Episodes this agent has finished. */
  get completedEpisodes(): number {
    return this[AGENT_RUNTIME].completedEpisodes;
  }

  private checkReward(method: string, reward: number): void {
    if (typeof reward !== 'number' || !Number.isFinite(reward)) {
      throw new EnvError(`agent '${this.name}': ${method}(${String(reward)}): reward must be a finite number`);
    }
  }
}
