/** The Phaser side of phaser-ppo: the scene plugin, behaviors in live mode, debug drawing. */
export { PPOPlugin } from './plugin.js';
export { Behavior } from './behavior.js';
export type { BehaviorOptions, LiveMetrics } from './behavior.js';
export { Overlay } from './overlay.js';
export { RayDebug } from './ray-debug.js';
export type { RayDebugOptions } from './ray-debug.js';
export { startLearnerWorker } from './learner-worker.js';
export { browserBackends } from '../runtime/backend.browser.js';
