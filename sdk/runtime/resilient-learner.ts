/**
 * A learner that survives its worker: when the learner dies (an uncaught exception, a
 * `terminate()` from outside, a call that never answers), it starts a new one from the last
 * learner state it holds (weights, Adam moments, schedules, RNG: fetched after every update) and
 * carries on. The game never waits on this: it keeps acting with the weights it has, and at
 * most the rollout in flight is lost.
 *
 * Input errors (a malformed rollout, a bad config) and a {@link TrainingFaultError} pass through
 * unchanged: a new worker would fail the same way.
 */
import { PhaserPpoError } from '../core/errors.js';
import type { LearnerState } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';
import type { InitReply, LearnerClient } from './learner-client.js';
import type { LearnerSpec, TrainReply } from './learner-host.js';
import { RestartPolicy } from './restart-policy.js';

/** The learner died during a call whose rollout could not be kept (it was transferred); a new learner took over. */
export class LearnerRestartedError extends PhaserPpoError {
  override name = 'LearnerRestartedError';
}

/** Errors a fresh learner would raise again: not crashes. Names survive comlink's error transfer. */
const INPUT_ERRORS = new Set(['RangeError', 'ConfigError', 'EnvError', 'BrainError', 'PhaserPpoError', 'TrainingFaultError']);

export interface ResilientLearnerOptions {
  /** ms a train or getState call may take before the learner counts as hung (default 30 000). */
  callTimeoutMs?: number;
  /** ms init may take (it measures backends when `auto`; default 120 000). */
  initTimeoutMs?: number;
  /** Restarts in a row, without a good update between them, before giving up (default 3). */
  maxRestarts?: number;
  /** Called after each restart, with the total and why. */
  onRestart?: (info: { restarts: number; reason: string }) => void;
}

/** Wraps a learner factory (a worker, or in-process) with crash detection and restart. */
export class ResilientLearner implements LearnerClient {
  private client: LearnerClient | null = null;
  private dead: Error | null = null;
  private spec: LearnerSpec | null = null;
  private state: LearnerState | null = null;
  private backend: string | null = null;
  /** A checkpoint (the learner state) after every update; at most `maxRestarts` in a row. */
  private readonly policy: RestartPolicy;
  private disposed = false;
  /** Rejecters of the calls in flight: a death fails them all (one listener per learner, not one per call). */
  private readonly pending = new Set<(err: Error) => void>();
  private readonly callTimeoutMs: number;
  private readonly initTimeoutMs: number;

  constructor(private readonly start: () => LearnerClient, private readonly options: ResilientLearnerOptions = {}) {
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.initTimeoutMs = options.initTimeoutMs ?? 120_000;
    this.policy = new RestartPolicy({ checkpointEvery: 1, ...(options.maxRestarts !== undefined ? { maxRestarts: options.maxRestarts } : {}) });
  }

  /** Learners started after the first one. */
  get restarts(): number {
    return this.policy.restarts;
  }

  async init(spec: LearnerSpec): Promise<InitReply> {
    this.spec = spec;
    const reply = await this.launch(spec);
    this.backend = reply.backend;
    return reply;
  }

  /** One update; restarts the learner (and retries once, when the rollout is still intact) if it dies. */
  async train(rollout: Rollout): Promise<TrainReply> {
    if (this.disposed) throw new Error('ResilientLearner: disposed');
    if (!this.spec) throw new Error('ResilientLearner: call init() before train()');
    // One microtask turn, so a death signalled just before this call is seen before the rollout goes out.
    await null;
    if (this.dead) await this.restart(this.dead.message);
    const client = this.client!;
    try {
      const reply = await this.call(client, () => client.train(rollout), this.callTimeoutMs, 'train');
      // The state that goes with these weights: a restart resumes exactly here.
      if (this.policy.succeeded(reply.version)) this.state = await this.call(client, () => client.getState(), this.callTimeoutMs, 'getState');
      return reply;
    } catch (err) {
      if (!this.isCrash(err)) throw err;
      const reason = (err as Error).message;
      await this.restart(reason);
      // Transferred buffers are detached (length 0): that rollout is gone; an in-process one is intact.
      if (rollout.observations.length > 0 && rollout.observations.buffer.byteLength > 0) return this.train(rollout);
      throw new LearnerRestartedError(`the learner died (${reason}) and was restarted from update ${this.state?.updates ?? 0}; the rollout in flight was lost`);
    }
  }

  /** The learner state after the last update (a copy: the caller may transfer or change it). */
  async getState(): Promise<LearnerState> {
    const s = this.state;
    if (s) {
      return { ...s, params: Float32Array.from(s.params), adam: { m: Float32Array.from(s.adam.m), v: Float32Array.from(s.adam.v), t: s.adam.t }, rngState: [...s.rngState] };
    }
    const client = this.client;
    if (!client) throw new Error('ResilientLearner: call init() first');
    return this.call(client, () => client.getState(), this.callTimeoutMs, 'getState');
  }

  /** Test hook: kills the current learner the way an outside `terminate()` would. */
  kill(): void {
    this.client?.kill?.();
  }

  dispose(): void {
    this.disposed = true;
    this.client?.dispose();
    this.client = null;
    // A disposed worker never answers: settle the calls in flight now rather than at their timeout.
    for (const reject of [...this.pending]) reject(new Error('ResilientLearner: disposed'));
  }

  private async launch(spec: LearnerSpec): Promise<InitReply> {
    this.client?.dispose();
    this.dead = null;
    const client = this.start();
    this.client = client;
    client.died?.then((err) => {
      if (this.client !== client) return;
      this.dead = err;
      for (const reject of [...this.pending]) reject(err);
    });
    const reply = await this.call(client, () => client.init(spec), this.initTimeoutMs, 'init');
    this.state = await this.call(client, () => client.getState(), this.callTimeoutMs, 'getState');
    return reply;
  }

  private async restart(reason: string): Promise<void> {
    for (;;) {
      if (this.disposed) throw new Error('ResilientLearner: disposed during a restart');
      const giveUp = this.policy.died('the learner', reason);
      if (giveUp) throw new PhaserPpoError(giveUp);
      try {
        // The backend the first learner chose: measuring again would only delay the restart.
        await this.launch({ ...this.spec!, ...(this.state ? { state: this.state } : {}), ...(this.backend ? { backend: this.backend as LearnerSpec['backend'] } : {}) });
        this.options.onRestart?.({ restarts: this.policy.restarts, reason });
        return;
      } catch (err) {
        if (!this.isCrash(err)) throw err;
        reason = (err as Error).message;
      }
    }
  }

  /** Races a call against the learner's death and a timeout. */
  private call<T>(client: LearnerClient, fn: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
    if (this.dead && this.client === client) return Promise.reject(this.dead);
    return new Promise<T>((resolve, reject) => {
      const fail = (err: Error) => { done(); reject(err); };
      const timer = setTimeout(() => {
        if (this.client === client) this.dead ??= new Error(`the learner did not answer ${what} within ${timeoutMs} ms`);
        fail(this.dead ?? new Error(`${what} timed out`));
      }, timeoutMs);
      const done = () => { clearTimeout(timer); this.pending.delete(fail); };
      this.pending.add(fail);
      let promise: Promise<T>;
      try { promise = fn(); } catch (err) { fail(err as Error); return; }
      promise.then((v) => { done(); resolve(v); }, (err: unknown) => fail(err as Error));
    });
  }

  private isCrash(err: unknown): boolean {
    if (this.dead) return true;
    const name = err instanceof Error ? err.name : '';
    return !INPUT_ERRORS.has(name);
  }
}
