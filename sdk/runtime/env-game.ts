/**
 * An `Env` (CartPole, Pendulum, a user's `--env` module) as a game with one agent per copy, so it
 * trains and evaluates through the same collector as every game. Gymnasium's semantics are kept:
 * a terminal state ends the episode without bootstrap; a truncation (time limit) ends it with a
 * bootstrap from the final observation, which the agent still reports at that decision; the env
 * resets on the same tick (as `VecEnv`: copy `i` is first reset with `seed + i`, later unseeded,
 * continuing its own random stream).
 */
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import { Agent } from '../adapter/agent.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import type { Env, EnvFactory } from '../core/env.js';
import { EnvError } from '../core/errors.js';
import { actionSize, spaceToString, spacesEqual } from '../core/spaces.js';
import { DEFAULT_PPO_CONFIG, type PPOConfig } from '../rl/config.js';
import { oneAgentGame, type OneAgentGame } from './game.js';

/** The largest finite float32: rollouts store float32, so anything past it is Infinity there. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The agent that plays an Env: observes its observation, acts through `step`, reports its ends. */
export class EnvAgent extends Agent {
  readonly env: Env;
  private readonly obs: Float32Array;
  private readonly row: Float32Array;
  private readonly continuous: number;
  private readonly discreteOnly: boolean;
  private seed: number | undefined;

  constructor(env: Env, seed: number | undefined, name: string) {
    super({ name });
    this.env = env;
    this.seed = seed;
    this.obs = new Float32Array(env.observationSpace.size);
    this.row = new Float32Array(actionSize(env.actionSpace));
    const space = env.actionSpace;
    this.continuous = space.kind === 'box' ? space.size : space.kind === 'hybrid' ? space.continuous.size : 0;
    this.discreteOnly = space.kind === 'discrete';
  }

  override onEpisodeBegin(): void {
    // A truncation was signalled through maxSteps (below): the new episode has no time limit of ours.
    this.maxSteps = 0;
    const first = this.env.reset(this.seed);
    this.seed = undefined;
    this.take(first, 'reset');
  }

  override collectObservations(obs: ObservationWriter): void {
    obs.addArray(this.obs);
  }

  override onActionReceived(actions: ActionBuffers): void {
    // The Env's action row: the Box part, then the branches (Hybrid's layout).
    const row = this.row;
    const C = this.continuous;
    for (let d = 0; d < C; d++) row[d] = actions.continuous[d]!;
    for (let b = 0; b < actions.discrete.length; b++) row[C + b] = actions.discrete[b]!;
  }

  /** One env step with the current action: reward, next (or final) observation, episode end. */
  step(): void {
    const r = this.env.step(this.discreteOnly ? this.row[0]! : this.row);
    const at = `${this.name} step ${this.stepCount}`;
    if (typeof r !== 'object' || r === null) throw new EnvError(`${at}: step() returned ${r}, expected { observation, reward, terminated, truncated }`);
    this.take(r.observation, this.stepCount);
    const reward: unknown = r.reward;
    // Finite but past float32 (1e300) would become Infinity in the rollout, far from this env.
    if (typeof reward !== 'number' || !Number.isFinite(reward) || Math.abs(reward) > FLOAT32_MAX) {
      const beyond = typeof reward === 'number' && Number.isFinite(reward) ? `, beyond float32 (±${FLOAT32_MAX.toPrecision(3)})` : '';
      throw new EnvError(`${at}: reward is ${typeof reward === 'string' ? JSON.stringify(reward) : String(reward)}${beyond}, expected a finite number`);
    }
    this.addReward(reward);
    if (r.terminated) this.endEpisode();
    // A truncation, not a terminal: the runner cuts an episode at maxSteps ticks and bootstraps
    // from the observation reported at that decision, the final one.
    else if (r.truncated) this.maxSteps = this.stepCount;
  }

  /** Checks and keeps an observation; `where` is the step within the episode, or 'reset'. Messages as VecEnv's. */
  private take(obs: Float32Array, where: number | 'reset'): void {
    const at = `${this.name} ${where === 'reset' ? 'reset' : `step ${where}`}`;
    const size = this.obs.length;
    if (obs == null || typeof obs.length !== 'number') throw new EnvError(`${at}: observation is ${obs}, expected a Float32Array of ${size} finite numbers`);
    if (obs.length !== size) throw new EnvError(`${at}: observation has length ${obs.length}, expected ${size} (observationSpace.size)`);
    for (let k = 0; k < size; k++) {
      const v = obs[k]!;
      if (!Number.isFinite(v)) throw new EnvError(`${at}: observation[${k}] is ${v} (expected ${size} finite numbers)`);
      if (Math.abs(v) > FLOAT32_MAX) throw new EnvError(`${at}: observation[${k}] is ${v}, beyond float32 (expected ${size} finite float32 numbers)`);
    }
    // Copied: the env may hand back a buffer it reuses.
    this.obs.set(obs);
  }
}

/**
 * An Env factory as a one-agent game named `name`: copy `i` plays `create(i)`.
 *
 * @example
 * const game = envGame('cartpole', createCartPole, { numEnvs: 4 });
 * const trainer = new FastTrainer(game, nodeBackends, { seed: 1 });
 */
export function envGame(name: string, create: EnvFactory, config: Partial<PPOConfig> = {}, solvedAt = Infinity): OneAgentGame {
  const probe = create(0);
  if (probe?.observationSpace?.kind !== 'box') throw new EnvError(`${name}[0]: observationSpace must be a Box, got ${JSON.stringify(probe?.observationSpace)}`);
  const actionSpec = ActionSpec.fromSpace(probe.actionSpace);
  return oneAgentGame({
    name, observationSize: probe.observationSpace.size, observationSpace: probe.observationSpace, actionSpec, config, solvedAt,
    // One copy per env: the config's numEnvs.
    copies: config.numEnvs ?? DEFAULT_PPO_CONFIG.numEnvs,
    build(index, seed) {
      const env = create(index);
      if (env.observationSpace?.size !== probe.observationSpace.size) {
        throw new EnvError(`${name}[${index}]: observationSpace.size is ${env.observationSpace?.size}, but ${name}[0] has ${probe.observationSpace.size}`);
      }
      if (!env.actionSpace || !spacesEqual(env.actionSpace, probe.actionSpace)) {
        throw new EnvError(`${name}[${index}]: actionSpace ${env.actionSpace ? spaceToString(env.actionSpace) : env.actionSpace} differs from ${name}[0]'s ${spaceToString(probe.actionSpace)}`);
      }
      const agent = new EnvAgent(env, seed + index, `${name}[${index}]`);
      return { agent, step: () => agent.step() };
    },
  });
}
