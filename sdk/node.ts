/** Node-only parts of the API: the tfjs backend setup, brain and demonstration files on disk, and the TCP bridge to Python learners. */
export { useNodeBackend, NODE_BACKENDS } from './rl/backend.node.js';
export type { NodeBackend } from './rl/backend.node.js';
export { loadBrain, saveBrain } from './io/brain.node.js';
export { demonstrationExists, loadDemonstration, saveDemonstration } from './io/demonstration.node.js';
export { nodeBackends } from './runtime/backend.node.js';
export { startBridgeServer } from './bridge/server.js';
export type { BridgeServer, BridgeServerOptions } from './bridge/server.js';
export { BRIDGE_PROTOCOL, BRIDGE_MAJOR_VERSION, BRIDGE_MINOR_VERSION } from './bridge/protocol.js';
export { ActorWorkerError, ParallelTrainer, defaultWorkers, joinRollouts } from './runtime/parallel-trainer.js';
export type { ActorSource, ParallelTrainerOptions } from './runtime/parallel-trainer.js';
