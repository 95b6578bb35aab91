/**
 * The game side's handle on a learner, wherever it runs: a comlink-wrapped module worker in the
 * browser, or a LearnerHost in the same process (Node, tests). Rollout arrays are transferred to
 * a worker, so the caller must not touch a rollout after handing it over.
 */
import * as Comlink from 'comlink';
import type { LearnerState } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';
import type { BackendReport, LearnerHost, LearnerSpec, TrainReply } from './learner-host.js';
import type { LearnerWorkerApi } from '../../workers/learner.worker.js';

export type InitReply = BackendReport & { params: Float32Array; version: number };

export interface LearnerClient {
  init(spec: LearnerSpec): Promise<InitReply>;
  train(rollout: Rollout): Promise<TrainReply>;
  getState(): Promise<LearnerState>;
  /** Stops the learner (terminates a worker). */
  dispose(): void;
  /**
   * Resolves when the learner can no longer answer (its worker was terminated from outside or
   * threw an uncaught error); never resolves after {@link dispose}. See ResilientLearner.
   */
  readonly died?: Promise<Error>;
  /** Test hook: kills the learner as a crash would (a worker's `terminate()`), so `died` resolves. */
  kill?(): void;
}

function rolloutBuffers(r: Rollout): ArrayBuffer[] {
  const arrays = [r.observations, r.actions, r.logProbs, r.values, r.rewards, r.terminated, r.truncated, r.finalValues, r.lastValues];
  if (r.masks) arrays.push(r.masks);
  if (r.signalValues) arrays.push(r.signalValues.values, r.signalValues.finalValues, r.signalValues.lastValues);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** A learner in a module worker (`workers/learner.worker.ts`). */
export function workerLearner(worker: Worker): LearnerClient {
  const remote = Comlink.wrap<LearnerWorkerApi>(worker);
  // A terminated worker fires no event and never answers: catch terminate() itself, from anyone.
  let signalDeath: (err: Error) => void = () => undefined;
  const died = new Promise<Error>((resolve) => { signalDeath = resolve; });
  const terminate = worker.terminate.bind(worker);
  worker.terminate = () => {
    terminate();
    signalDeath(new Error('the learner worker was terminated'));
  };
  worker.addEventListener('error', (e: Event) => {
    signalDeath(new Error(`the learner worker threw: ${(e as ErrorEvent).message || 'an uncaught error'}`));
    terminate();
  });
  worker.addEventListener('messageerror', () => {
    signalDeath(new Error('the learner worker sent a message that could not be read'));
    terminate();
  });
  return {
    init: (spec) => remote.init(spec),
    train: (rollout) => remote.train(Comlink.transfer(rollout, rolloutBuffers(rollout))),
    getState: () => remote.getState(),
    dispose: () => {
      signalDeath = () => undefined;
      remote[Comlink.releaseProxy]();
      terminate();
    },
    died,
    kill: () => worker.terminate(),
  };
}

/** A learner in this thread: same contract, no copies. */
export function inProcessLearner(host: LearnerHost): LearnerClient {
  return {
    init: (spec) => host.init(spec),
    train: async (rollout) => host.train(rollout),
    getState: async () => host.getState(),
    dispose: () => host.dispose(),
  };
}
