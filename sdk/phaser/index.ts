/** The Phaser side of phaser-ppo: the scene plugin, behaviors in live mode, debug drawing. */
export { PPOPlugin } from './plugin.js';
export { Behavior } from './behavior.js';
export type { BehaviorOptions, LiveMetrics } from './behavior.js';
export { Overlay } from './overlay.js';
export { RayDebug } from './ray-debug.js';
export type { RayDebugOptions } from './ray-debug.js';
export { startLearnerWorker } from './learner-worker.js';
export { browserBackends } from '../runtime/backend.browser.js';
// Brains in the browser (URL, IndexedDB, files, downloads): browser-only, so here rather than in the core entry.
export { deleteSavedBrain, listSavedBrains, loadBrainFromFiles, loadBrainFromUrl, loadBrainFromUrls, saveBrainToUrl } from '../io/brain.browser.js';
export type { DownloadSink, FetchLike, SavedBrainInfo } from '../io/brain.browser.js';
export { recordMetrics, trainingLog, MAX_LOGGED_UPDATES } from './training-log.js';
export type { BehaviorLog, TrainingLog } from './training-log.js';
