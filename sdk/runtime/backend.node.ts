/** tfjs backends in Node for the LearnerHost: wasm and cpu (webgl and webgpu need a browser). */
import { useNodeBackend } from '../rl/backend.node.js';
import type { BackendSelector } from './learner-host.js';

export const nodeBackends: BackendSelector = {
  candidates: ['wasm', 'cpu'],
  async activate(name) {
    if (name === 'webgl' || name === 'webgpu') throw new Error(`${name} is not available in Node`);
    await useNodeBackend(name, false);
  },
};
