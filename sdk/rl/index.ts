/**
 * `phaser-ppo/rl`: the learner's internals, for whoever builds on the learner itself (a custom
 * collector, another engine, a research script): PPO's learner and loss, GAE/Retrace, action
 * distributions, the network layout, Adam, the compute engines (kernels, tfjs), normalizers,
 * rollouts, the env trainer, and the learner hosts and clients that run it in a worker.
 * A game developer needs none of it: `phaser-ppo` holds what a game touches.
 *
 * @example
 * import { Trainer, KernelsEngine } from 'phaser-ppo/rl';
 * import { ENVS } from 'phaser-ppo';
 *
 * const trainer = new Trainer({ env: ENVS.cartpole!.create, envName: 'cartpole', engine: (l) => new KernelsEngine(l) });
 * trainer.run({ targetReturn: 475 });
 */
export { PPOLearner, explainedVariance, scheduleAt } from './learner.js';
export type { LearnerOptions, LearnerState } from './learner.js';
export { ppoLoss } from './ppo-loss.js';
export { imitationLoss } from './imitation-loss.js';
export type { ImitationBatch, ImitationStats } from './imitation-loss.js';
export { BehavioralCloningTerm, DemonstrationBatches, checkDemonstrations, demonstrationStats, pretrainBehavioralCloning } from './behavioral-cloning.js';
export type { BehavioralCloningSettings, ClonedPolicy, PretrainOptions, PretrainReport } from './behavioral-cloning.js';
export type { BatchPosition } from './behavioral-cloning.js';
export type { DemonstrationLearningState } from './demonstration-learning.js';
export type { DiscriminatorState } from './gail.js';
export { Discriminator } from './gail.js';
export type { LossBatch, LossCoefficients, LossGrads, LossStats } from './ppo-loss.js';
export { computeAdvantages, computeSignalAdvantages } from './gae.js';
export type { AdvantageInput, RewardSignalInput } from './gae.js';
export { ActionDistribution } from './distributions.js';
export { ActorCriticLayout, orthogonal } from './network.js';
export type { EncoderSpec, LayerSlice } from './network.js';
export { convBackward, convForward, convScratchSize, describeInput, inputSize, observationSizeOf } from './conv.js';
export type { ConvLayerConfig, ConvLayerSlice, ConvStack, GridInput, MlpInputPart, ObservationInput, VectorInput } from './conv.js';
export { Adam } from './adam.js';
export type { AdamState } from './adam.js';
export { ObservationNormalizer, RewardScaler, RunningMeanStd } from './normalizer.js';
export { allocateRollout } from './rollout.js';
export type { Rollout, SignalValues } from './rollout.js';
export { TfjsEngine } from './tfjs-engine.js';
export { KernelsEngine } from './kernels-engine.js';
export { KernelsForward } from './kernels-forward.js';
export { preloadKernels } from './kernels/load.js';
export type { ComputeEngine, ForwardResult } from './engine.js';
export { Trainer } from '../runtime/trainer.js';
export type { TrainerOptions } from '../runtime/trainer.js';
export { EpisodeWindow } from './episode-window.js';

export { LearnerHost, DEFAULT_AUTO_BUDGET } from '../runtime/learner-host.js';
export type { AutoBudget, BackendChoice, BackendReport, BackendSelector, LearnerHostOptions, LearnerSpec, TfjsBackend, TrainReply } from '../runtime/learner-host.js';
export { inProcessLearner, workerLearner } from '../runtime/learner-client.js';
export type { InitReply, LearnerClient } from '../runtime/learner-client.js';
export { LearnerRestartedError, ResilientLearner } from '../runtime/resilient-learner.js';
export type { ResilientLearnerOptions } from '../runtime/resilient-learner.js';
