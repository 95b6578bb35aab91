/**
 * The learner worker: PPO on tfjs off the main thread, exposed with comlink. It wraps
 * LearnerHost and nothing more; weights leave it transferred, never copied twice.
 */
import * as Comlink from 'comlink';
import { LearnerHost, type LearnerSpec } from '../sdk/runtime/learner-host.js';
import { browserBackends } from '../sdk/runtime/backend.browser.js';
import type { Rollout } from '../sdk/rl/rollout.js';
import { guardEndpoint } from '../sdk/runtime/message-guard.js';

const host = new LearnerHost(browserBackends);

const api = {
  async init(spec: LearnerSpec) {
    const reply = await host.init(spec);
    return Comlink.transfer(reply, [reply.params.buffer]);
  },
  train(rollout: Rollout) {
    const reply = host.train(rollout);
    return Comlink.transfer(reply, [reply.params.buffer]);
  },
  getState() {
    const state = host.getState();
    return Comlink.transfer(state, [state.params.buffer, state.adam.m.buffer, state.adam.v.buffer]);
  },
  getReport() {
    return host.report;
  },
  dispose() {
    host.dispose();
  },
};

export type LearnerWorkerApi = typeof api;
// Only calls of the API's own methods reach comlink; anything else is answered with an error.
guardEndpoint(self, Object.keys(api));
Comlink.expose(api);
