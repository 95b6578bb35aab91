/**
 * The Phaser side of phaser-ppo: the scene plugin (its settings and typed events), behaviors in
 * live mode, fast mode's page side, the overlay, debug drawing, browser brain storage, and the page's training log.
 */
export { PPOPlugin } from './plugin.js';
export { DEFAULT_PPO_PLUGIN_SETTINGS, resolvePluginSettings } from './settings.js';
export type { PPOPluginSettings } from './settings.js';
export { PPO_EVENTS, BehaviorError } from './events.js';
export type {
  BackendEvent, BehaviorErrorSource, DemoEpisodeEvent, FaultEvent, LearnerRestartEvent, PPOEventEmitter, PPOEventMap, PPOEventName, ScheduleEndEvent, WarningCode, WarningEvent,
} from './events.js';
export { Behavior } from './behavior.js';
export type { BehaviorOptions, LiveMetrics } from './behavior.js';
export { Overlay, type OverlayOptions } from './overlay.js';
export { RayDebug } from './ray-debug.js';
export type { RayDebugOptions } from './ray-debug.js';
export { GridDebug } from './grid-debug.js';
export type { DebuggableGrid, GridDebugOptions } from './grid-debug.js';
// TilemapGridSensor is exported from `phaser-ppo` (sdk/index.ts), not here: headless copies use it
// in Node, where this entry's plugin would pull in Phaser.
export { startLearnerWorker } from './learner-worker.js';
export { browserBackends } from '../runtime/backend.browser.js';
// Brains in the browser (URL, IndexedDB, files, downloads): browser-only, so here rather than in the core entry.
export { deleteSavedBrain, listSavedBrains, loadBrainFromFiles, loadBrainFromUrl, loadBrainFromUrls, saveBrainToUrl } from '../io/brain.browser.js';
export type { DownloadSink, FetchLike, SavedBrainInfo } from '../io/brain.browser.js';
export { deleteSavedDemonstration, listSavedDemonstrations, loadDemonstrationFromFiles, loadDemonstrationFromUrl, saveDemonstrationToUrl } from '../io/demonstration.browser.js';
export type { SavedDemonstrationInfo } from '../io/demonstration.browser.js';
export { FastTraining, brainFromUpdate, defaultFastWorkers, fastMetrics, playFastUpdate, type FastBehaviorOf } from './fast-training.js';
export type { FastTrainingOptions } from './fast-training.js';
export type { FastTrainOptions, FastWorkerApi, FastWorkerUpdate } from '../runtime/fast-worker.js';
export { enableTrainingLog, recordBackend, recordMetrics, trainingLog, trainingLogEnabled, MAX_LOGGED_UPDATES, TESTING_FLAGS_KEY, TRAINING_LOG_KEY } from './training-log.js';
export type { BehaviorLog, EpisodeProgress, TestingFlags, TrainingLog } from './training-log.js';
