/** Node-only parts of the API: the tfjs backend setup, brain and demonstration files on disk. */
export { useNodeBackend, NODE_BACKENDS } from './rl/backend.node.js';
export type { NodeBackend } from './rl/backend.node.js';
export { loadBrain, saveBrain } from './io/brain.node.js';
export { demonstrationExists, loadDemonstration, saveDemonstration } from './io/demonstration.node.js';
export { nodeBackends } from './runtime/backend.node.js';
