/**
 * FastRun sends the page's address to its workers (with `train`, and with `act` to the others of a
 * run on several): their copies resolve the relative URLs of the files a scene loads against it,
 * as the page's own loader does (a worker cannot know the page's path).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Comlink from 'comlink';
import { FastRun } from './fast-run.js';
import type { FastTrainOptions, FastWorkerApi } from './fast-worker.js';

/** A worker (one end of a MessageChannel) that hands over what each call was given and sends nothing. */
function recordingWorker(onTrain: (opts: FastTrainOptions) => void, onAct: (pageUrl: string | undefined) => void): Worker {
  const { port1, port2 } = new MessageChannel();
  const api: Partial<FastWorkerApi> = {
    async train(opts) {
      onTrain(opts);
    },
    async act(_port, pageUrl) {
      onAct(pageUrl);
    },
    stop() {},
  };
  Comlink.expose(api, port1);
  return Object.assign(port2, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("FastRun: the page's address reaches the workers", () => {
  it('train and act carry document.baseURI', async () => {
    vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:4402/my-game/index.html' });
    let onTrain!: (opts: FastTrainOptions) => void;
    let onAct!: (pageUrl: string | undefined) => void;
    const trained = new Promise<FastTrainOptions>((resolve) => { onTrain = resolve; });
    const acted = new Promise<string | undefined>((resolve) => { onAct = resolve; });
    const run = new FastRun();
    run.start(() => recordingWorker(onTrain, onAct), { seed: 1, backend: 'cpu', workers: 2 }, () => {}, (m) => { throw new Error(m); });
    const [opts, actUrl] = await Promise.all([trained, acted]);
    expect(opts.pageUrl).toBe('http://127.0.0.1:4402/my-game/index.html');
    expect(actUrl).toBe('http://127.0.0.1:4402/my-game/index.html');
    run.stop();
  });
});
