/**
 * phaser-ppo's public API (browser, worker and Node alike): what a game developer touches
 * (agents, action specs, sensors, spaces, brains, config, metrics, evaluation, fast mode, errors,
 * the built-in envs). The Phaser scene plugin is in `sdk/phaser/index.ts` (it needs Phaser);
 * Node-only helpers (tfjs-wasm setup, brain files on disk) are in `sdk/node.ts`; the learner's
 * internals (PPOLearner, engines, losses, GAE, hosts, the env Trainer) in `sdk/rl/index.ts`
 * (`phaser-ppo/rl`).
 */
export { Box, Discrete, Hybrid, MultiDiscrete, actionSize, clipActions, spaceToString } from './core/spaces.js';
export type { Action, BoxSpace, DiscreteSpace, HybridSpace, MultiDiscreteSpace, Space } from './core/spaces.js';
export type { Env, EnvFactory, StepResult } from './core/env.js';
export { VecEnv } from './core/vec-env.js';
export type { EpisodeRecord, VecStep } from './core/vec-env.js';
export { Rng } from './core/rng.js';
export { BrainError, ConfigError, EnvError, PhaserPpoError } from './core/errors.js';

export { DEFAULT_PPO_CONFIG, DEFAULT_SELF_PLAY, resolveConfig, scheduledSteps } from './rl/config.js';
export type { LearningSchedule, LegacyConfigFields, PPOConfig, ResolvedConfig, SelfPlayConfig, StaleRollouts, TargetKlCheck } from './rl/config.js';
export type { BehavioralCloningConfig, DemonstrationRef, GailConfig } from './rl/config.js';
export type { ConvLayerConfig, GridInput, ObservationInput, VectorInput } from './rl/conv.js';
export type { PretrainOptions, PretrainReport } from './rl/behavioral-cloning.js';
export type { ImitationStats } from './rl/imitation-loss.js';
export { engineDeviceOf } from './rl/metrics.js';
export type { DeviceName, EngineDevice, EngineName, LessonProgressMetrics, RunProgress, UpdateMetrics } from './rl/metrics.js';
export type { UpdateStats } from './rl/learner.js';
export { TrainingFaultError } from './rl/fault-guard.js';
export { Policy, type PolicyForward } from './rl/policy.js';

export { assertBrainFits, assertBrainInputs, decodeBrain, encodeBrain, learnerStateOf, policyFromBrain, reviveBrain, reviveStats, BRAIN_FORMAT, BRAIN_FORMAT_VERSION } from './io/brain.js';
export type { Brain, BrainManifest, TrainingState } from './io/brain.js';

export {
  assertDemonstrationFits, checkDemonstration, decodeDemonstration, demonstrationHash, encodeDemonstration, summarizeDemonstration,
  DemonstrationError, DEMO_FORMAT, DEMO_FORMAT_VERSION,
} from './io/demonstration.js';
export type { DemonstrationData, DemonstrationInfo, DemonstrationManifest, DemonstrationSummary, DemonstrationTarget } from './io/demonstration.js';

export { CartPole, Pendulum, createCartPole, createPendulum, ENVS, getEnv } from './envs/index.js';
export type { RegisteredEnv } from './envs/index.js';

export * from './adapter/index.js';
// Phaser-free at run time (types only), so headless copies of a tilemap game can use it in Node.
export { TilemapGridSensor, arrayTileSource, phaserTileSource } from './phaser/tilemap-sensor.js';
export type { TileLike, TileSource, TilemapGridSensorOptions } from './phaser/tilemap-sensor.js';

export { FastTrainer } from './runtime/fast-trainer.js';
export type { FastTrainerOptions, FastUpdate } from './runtime/fast-trainer.js';
export type { GivenDemonstrations } from './runtime/demo-ref.js';
export { SelfPlay } from './runtime/self-play.js';
export type { SelfPlayEvents, SelfPlaySnapshot, SelfPlayStateJson, SelfPlayWeights, StatsJsonLike } from './runtime/self-play.js';
export { opponentsOf } from './runtime/team-split.js';
export { BehaviorRatings } from './runtime/rivals.js';
export type { RatedEpisode } from './runtime/rivals.js';
export { oneAgentGame } from './runtime/game.js';
export type { CopyContext, GameBehavior, HeadlessCopy, HeadlessGame, OneAgentCopy, OneAgentGame, OneBehaviorGame } from './runtime/game.js';
export { evaluateGame } from './runtime/evaluate.js';
export type { EpisodeEnd, Evaluation, EvaluationOptions } from './runtime/evaluate.js';
export { recordGame } from './runtime/record.js';
export type { RecordOptions } from './runtime/record.js';
export { Curriculum } from './runtime/curriculum.js';
export type { CurriculumState, CurriculumSummary, LessonChange, LessonProgress } from './runtime/curriculum.js';
export { EnvParamsError, SAMPLERS, finalSettings, resolveEnvironmentParameters, sample } from './runtime/env-params.js';
export type { CompletionCriteria, EnvironmentParameter, EnvironmentParameters, EnvParams, Lesson, ResolvedCriteria, ResolvedLesson, ResolvedParameters, Sampler } from './runtime/env-params.js';
