/**
 * An actor worker (a Node `worker_threads` thread started by {@link ActorThreads}): it loads the
 * game by path and plays its share of the run's copies through {@link ActorPlay}: each full
 * rollout is transferred to the learner's thread, and the worker blocks (`Atomics.wait`) until the
 * learner answers with new weights and the merged normalizer statistics. With `overlap`, the first
 * rollout is answered at once with the weights it acted with, so the worker is always one rollout
 * ahead of the learner (policy lag exactly 1, the same for every run of a seed).
 */
import { receiveMessageOnPort, workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { resolveSource } from '../cli/env-source.js';
import { loadTypeScriptFor } from '../cli/typescript-loader.js';
import { envGame } from './env-game.js';
import { ActorPlay, type ActorHandOff } from './actor-play.js';
import type { ActorAssignment, ActorReply, ActorSource, ActorStart } from './actor-protocol.js';

/** What {@link ActorThreads} hands each worker at its start: its assignment, and how to reach the learner. */
export interface ActorWorkerData extends ActorAssignment {
  source: ActorSource;
  overlap: boolean;
  /** Bumped by the learner's thread after each message on `port`. */
  signal: SharedArrayBuffer;
  port: MessagePort;
  /** Workers this actor had before this one (0: the first; more after restarts). */
  incarnation: number;
}

const data = workerData as ActorWorkerData;
const signal = new Int32Array(data.signal);

/** The next message from the learner's thread, blocking this thread until one comes. */
function waitMessage<T>(): T {
  for (;;) {
    const seen = Atomics.load(signal, 0);
    const m = receiveMessageOnPort(data.port);
    if (m) {
      const msg = m.message as T | { type: 'stop' };
      if ((msg as { type?: string }).type === 'stop') process.exit(0);
      return msg as T;
    }
    Atomics.wait(signal, 0, seen);
  }
}

// The game's own .ts module: this thread registers tsx itself (a worker keeps none of the main thread's loader hooks).
await loadTypeScriptFor(data.source.modulePath, 'train');
const source = await resolveSource(data.source.name, data.source.modulePath);
const game = source.kind === 'game' ? source.game : envGame(source.name, source.create, { ...source.config, ...data.config });
const play = new ActorPlay(game, data);
parentPort!.postMessage(play.ready());
/** Transfers each rollout to the learner and blocks for its answer; with `overlap`, not for the first. */
function blockingHandOff(overlap: boolean): ActorHandOff {
  let rollouts = 0;
  return (message, transfer) => {
    parentPort!.postMessage(message, transfer);
    // One rollout ahead: the next one acts with the weights this one did, while the learner trains.
    if (overlap && ++rollouts === 1) return null;
    return waitMessage<ActorReply>();
  };
}

play.begin(waitMessage<{ behaviors: ActorStart[]; lessons?: Record<string, number> }>(), blockingHandOff(data.overlap), 'actor worker: the main thread learns');
for (;;) play.playRollout();
