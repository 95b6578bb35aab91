/**
 * N copies of an environment stepped together, synchronously, with automatic reset: the batched
 * view a learner wants (flat Float32Arrays, one row per env), as Gymnasium's SyncVectorEnv with
 * next-step autoreset replaced by same-step autoreset (the final observation is kept aside).
 *
 * Every value an env hands back is checked here, because a NaN that reaches the network turns
 * into NaN weights many updates later, far from the line that caused it.
 */
import type { Env, EnvFactory } from './env.js';
import { EnvError } from './errors.js';
import { actionSize, spaceToString, spacesEqual, type BoxSpace, type Space } from './spaces.js';

/**
 * What {@link VecEnv.step} returns. The arrays belong to the VecEnv and are overwritten by the next
 * `step`/`reset`: copy what you keep.
 */
export interface VecStep {
  /** numEnvs × obsSize. For an env whose episode just ended, already the first obs of the new one. */
  observations: Float32Array;
  /** numEnvs. */
  rewards: Float32Array;
  /** numEnvs; 1 where the episode reached a terminal state this step. */
  terminated: Uint8Array;
  /** numEnvs; 1 where the episode was cut by a time limit (and did not terminate). */
  truncated: Uint8Array;
  /** numEnvs × obsSize; rows valid only where terminated or truncated: the ended episode's last obs. */
  finalObservations: Float32Array;
}

/** The largest finite float32: rollouts store float32, so anything past it is Infinity there. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A finished episode's undiscounted return and number of steps. */
export interface EpisodeRecord { return: number; length: number }

/**
 * Synchronous in-process vector of environments with auto-reset and validation.
 *
 * @example
 * const vec = new VecEnv(createCartPole, 8, 'cartpole');
 * let obs = vec.reset(1);
 * const { observations, rewards, terminated, truncated } = vec.step(actions);
 */
export class VecEnv {
  readonly numEnvs: number;
  readonly observationSize: number;
  readonly actionSize: number;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;

  private readonly envs: Env[];
  /** One row per env so the env never sees (or mutates) the caller's actions array. */
  private readonly actionRows: Float32Array[];
  private readonly out: VecStep;
  private readonly episodeReturns: Float64Array;
  private readonly episodeLengths: Int32Array;
  private episodes: EpisodeRecord[] = [];
  private started = false;

  /** Builds `numEnvs` envs with `factory(i)`; `name` labels error messages. */
  constructor(factory: EnvFactory, numEnvs: number, readonly name = 'env') {
    if (!Number.isInteger(numEnvs) || numEnvs <= 0) throw new EnvError(`VecEnv(${name}): numEnvs must be a positive integer, got ${numEnvs}`);
    this.numEnvs = numEnvs;
    this.envs = Array.from({ length: numEnvs }, (_, i) => factory(i));
    const first = this.envs[0]!;
    this.observationSpace = first.observationSpace;
    this.actionSpace = first.actionSpace;
    if (this.observationSpace?.kind !== 'box') throw new EnvError(`${name}[0]: observationSpace must be a Box, got ${JSON.stringify(this.observationSpace)}`);
    this.observationSize = this.observationSpace.size;
    this.actionSize = actionSize(this.actionSpace);
    this.envs.forEach((env, i) => {
      if (env.observationSpace?.size !== this.observationSize) {
        throw new EnvError(`${name}[${i}]: observationSpace.size is ${env.observationSpace?.size}, but ${name}[0] has ${this.observationSize}`);
      }
      if (!env.actionSpace || !spacesEqual(env.actionSpace, this.actionSpace)) {
        throw new EnvError(`${name}[${i}]: actionSpace ${env.actionSpace ? spaceToString(env.actionSpace) : env.actionSpace} differs from ${name}[0]'s ${spaceToString(this.actionSpace)}`);
      }
    });

    this.actionRows = this.envs.map(() => new Float32Array(this.actionSize));
    this.out = {
      observations: new Float32Array(numEnvs * this.observationSize),
      rewards: new Float32Array(numEnvs),
      terminated: new Uint8Array(numEnvs),
      truncated: new Uint8Array(numEnvs),
      finalObservations: new Float32Array(numEnvs * this.observationSize),
    };
    this.episodeReturns = new Float64Array(numEnvs);
    this.episodeLengths = new Int32Array(numEnvs);
  }

  /**
   * Starts a new episode in every env (env i gets `seed + i` when a seed is given) and returns the
   * observations (numEnvs × obsSize, a reused buffer). Episodes in progress are dropped unrecorded.
   */
  reset(seed?: number): Float32Array {
    for (let i = 0; i < this.numEnvs; i++) {
      const obs = this.envs[i]!.reset(seed === undefined ? undefined : seed + i);
      this.checkObservation(i, 'reset', obs);
      this.out.observations.set(obs, i * this.observationSize);
      this.episodeReturns[i] = 0;
      this.episodeLengths[i] = 0;
    }
    this.started = true;
    return this.out.observations;
  }

  /** Applies one row of `actions` (numEnvs × actionSize) to each env; ended episodes auto-reset. */
  step(actions: Float32Array): VecStep {
    if (!this.started) throw new EnvError(`${this.name}: call reset() before step()`);
    const expected = this.numEnvs * this.actionSize;
    if (actions.length !== expected) {
      throw new EnvError(`${this.name}: step() got ${actions.length} actions, expected ${expected} (numEnvs ${this.numEnvs} × actionSize ${this.actionSize})`);
    }
    const { observations, rewards, terminated, truncated, finalObservations } = this.out;
    const obsSize = this.observationSize;

    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i]!;
      const where = this.episodeLengths[i]! + 1;
      const row = this.actionRows[i]!;
      for (let k = 0; k < this.actionSize; k++) row[k] = actions[i * this.actionSize + k]!;
      this.checkAction(i, where, row);
      const result = env.step(this.actionSpace.kind === 'discrete' ? row[0]! : row);
      if (typeof result !== 'object' || result === null) {
        throw this.error(i, where, `step() returned ${result}, expected { observation, reward, terminated, truncated }`);
      }

      this.checkObservation(i, where, result.observation);
      // Finite but past float32 (1e300) would become Infinity in the rollout, far from this env.
      if (typeof result.reward !== 'number' || !Number.isFinite(result.reward) || Math.abs(result.reward) > FLOAT32_MAX) {
        throw this.error(i, where, `reward is ${typeof result.reward === 'string' ? JSON.stringify(result.reward) : result.reward}${typeof result.reward === 'number' && Number.isFinite(result.reward) ? `, beyond float32 (±${FLOAT32_MAX.toPrecision(3)})` : ''}, expected a finite number`);
      }
      rewards[i] = result.reward;
      this.episodeReturns[i]! += result.reward;
      this.episodeLengths[i]! += 1;
      terminated[i] = result.terminated ? 1 : 0;
      truncated[i] = result.truncated && !result.terminated ? 1 : 0;

      if (result.terminated || result.truncated) {
        // Copy before reset: the env may hand back the same buffer for its next observation.
        finalObservations.set(result.observation, i * obsSize);
        this.episodes.push({ return: this.episodeReturns[i]!, length: this.episodeLengths[i]! });
        this.episodeReturns[i] = 0;
        this.episodeLengths[i] = 0;
        // No seed: the env continues its own random stream, so runs stay reproducible.
        const first = env.reset();
        this.checkObservation(i, 'reset', first);
        observations.set(first, i * obsSize);
      } else {
        observations.set(result.observation, i * obsSize);
      }
    }
    return this.out;
  }

  /** Episodes finished since the last call, in completion order. */
  drainEpisodes(): EpisodeRecord[] {
    const done = this.episodes;
    this.episodes = [];
    return done;
  }

  /** `where` is the step number within the episode, or 'reset'; messages are built only on failure. */
  private error(i: number, where: number | 'reset', what: string): EnvError {
    return new EnvError(`${this.name}[${i}] ${where === 'reset' ? 'reset' : `step ${where}`}: ${what}`);
  }

  private checkObservation(i: number, where: number | 'reset', obs: Float32Array): void {
    const size = this.observationSize;
    if (obs == null || typeof obs.length !== 'number') {
      throw this.error(i, where, `observation is ${obs}, expected a Float32Array of ${size} finite numbers`);
    }
    if (obs.length !== size) throw this.error(i, where, `observation has length ${obs.length}, expected ${size} (observationSpace.size)`);
    for (let k = 0; k < size; k++) {
      const v = obs[k]!;
      if (!Number.isFinite(v)) throw this.error(i, where, `observation[${k}] is ${v} (expected ${size} finite numbers)`);
      if (Math.abs(v) > FLOAT32_MAX) throw this.error(i, where, `observation[${k}] is ${v}, beyond float32 (expected ${size} finite float32 numbers)`);
    }
  }

  /**
   * Discrete choices must be valid indices; Box actions pass unchanged (the learner clips them).
   * A Hybrid row is checked as its Box part (`action[0..size)`) then its branches.
   */
  private checkAction(i: number, where: number, row: Float32Array): void {
    const space = this.actionSpace;
    if (space.kind === 'discrete') {
      const a = row[0]!;
      if (!Number.isInteger(a) || a < 0 || a >= space.n) throw this.error(i, where, `action ${a} is out of range for ${spaceToString(space)}`);
      return;
    }
    const numReals = space.kind === 'box' ? space.size : space.kind === 'hybrid' ? space.continuous.size : 0;
    const nvec = space.kind === 'multiDiscrete' ? space.nvec : space.kind === 'hybrid' ? space.discrete.nvec : [];
    for (let k = 0; k < numReals; k++) {
      if (Number.isNaN(row[k])) throw this.error(i, where, `action[${k}] is NaN`);
    }
    for (let b = 0; b < nvec.length; b++) {
      const k = numReals + b;
      const a = row[k]!;
      const n = nvec[b]!;
      if (!Number.isInteger(a) || a < 0 || a >= n) throw this.error(i, where, `action[${k}] = ${a} is out of range for ${spaceToString(space)}`);
    }
  }
}
