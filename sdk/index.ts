/**
 * phaser-ppo's public API (browser, worker and Node alike). The Phaser scene plugin is in
 * `sdk/phaser/index.ts` (it needs Phaser); Node-only helpers (tfjs-wasm setup, brain files on
 * disk) are in `sdk/node.ts`.
 */
export { Box, Discrete, Hybrid, MultiDiscrete, actionSize, clipActions, spaceToString } from './core/spaces.js';
export type { Action, BoxSpace, DiscreteSpace, HybridSpace, MultiDiscreteSpace, Space } from './core/spaces.js';
export type { Env, EnvFactory, StepResult } from './core/env.js';
export { VecEnv } from './core/vec-env.js';
export type { EpisodeRecord, VecStep } from './core/vec-env.js';
export { Rng } from './core/rng.js';
export { BrainError, ConfigError, EnvError, PhaserPpoError } from './core/errors.js';

export { DEFAULT_PPO_CONFIG, resolveConfig } from './rl/config.js';
export type { PPOConfig, ResolvedConfig } from './rl/config.js';
export type { UpdateMetrics } from './rl/metrics.js';
export { Trainer } from './runtime/trainer.js';
export type { TrainerOptions } from './runtime/trainer.js';
export { PPOLearner } from './rl/learner.js';
export type { LearnerOptions, LearnerState, UpdateStats } from './rl/learner.js';
export { TrainingFaultError } from './rl/fault-guard.js';
export { Policy } from './rl/policy.js';
export { ActionDistribution } from './rl/distributions.js';
export { ActorCriticLayout } from './rl/network.js';
export type { LayerSlice } from './rl/network.js';
export type { AdamState } from './rl/adam.js';
export { computeAdvantages } from './rl/gae.js';
export type { AdvantageInput } from './rl/gae.js';
export { ppoLoss } from './rl/ppo-loss.js';
export type { LossBatch, LossCoefficients, LossGrads, LossStats } from './rl/ppo-loss.js';
export { ObservationNormalizer, RewardScaler, RunningMeanStd } from './rl/normalizer.js';
export { TfjsEngine } from './rl/tfjs-engine.js';
export { KernelsEngine } from './rl/kernels-engine.js';
export { preloadKernels } from './rl/kernels/load.js';
export type { ComputeEngine, ForwardResult } from './rl/engine.js';
export { allocateRollout } from './rl/rollout.js';
export type { Rollout } from './rl/rollout.js';

export { assertBrainFits, decodeBrain, encodeBrain, learnerStateOf, policyFromBrain, reviveBrain, BRAIN_FORMAT, BRAIN_FORMAT_VERSION } from './io/brain.js';
export type { Brain, BrainManifest, TrainingState } from './io/brain.js';

export { CartPole, Pendulum, createCartPole, createPendulum, ENVS, getEnv } from './envs/index.js';
export type { RegisteredEnv } from './envs/index.js';

export * from './adapter/index.js';

export { LearnerHost } from './runtime/learner-host.js';
export type { BackendChoice, BackendReport, BackendSelector, LearnerSpec, TfjsBackend, TrainReply } from './runtime/learner-host.js';
export { inProcessLearner, workerLearner } from './runtime/learner-client.js';
export type { InitReply, LearnerClient } from './runtime/learner-client.js';
export { LearnerRestartedError, ResilientLearner } from './runtime/resilient-learner.js';
export type { ResilientLearnerOptions } from './runtime/resilient-learner.js';
export { FastTrainer } from './runtime/fast-trainer.js';
export type { FastTrainerOptions, FastUpdate } from './runtime/fast-trainer.js';
export { oneAgentGame } from './runtime/game.js';
export type { CopyContext, GameBehavior, HeadlessCopy, HeadlessGame, OneAgentCopy, OneAgentGame, OneBehaviorGame } from './runtime/game.js';
export { evaluateGame } from './runtime/evaluate.js';
export type { EpisodeEnd, Evaluation, EvaluationOptions } from './runtime/evaluate.js';
export { EpisodeWindow } from './rl/episode-window.js';
