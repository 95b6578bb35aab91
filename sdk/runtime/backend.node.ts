/** tfjs backends in Node for the LearnerHost: wasm and cpu (webgl needs a browser). */
import { useNodeBackend } from '../rl/backend.node.js';
import type { BackendSelector } from './learner-host.js';

export const nodeBackends: BackendSelector = {
  candidates: ['wasm', 'cpu'],
  async activate(name) {
    if (name === 'webgl') throw new Error('webgl is not available in Node');
    await useNodeBackend(name, false);
  },
};
