/**
 * What a behavior is, declared once (ML-Agents' BrainParameters): its sizes, known when its first
 * agent is added, and the weights a learner or a brain hands it.
 */
import type { Space } from '../core/spaces.js';
import type { ObservationInput } from '../rl/conv.js';
import type { ActorCriticLayout } from '../rl/network.js';
import type { RunningMeanStd } from '../rl/normalizer.js';
import type { ActionSpec } from './action-spec.js';

/** `train`: act by sampling and fill rollouts; `inference`: act from fixed weights; `heuristic`: each agent's `heuristic`. */
export type BehaviorType = 'train' | 'inference' | 'heuristic';

/** The sizes a behavior's network must have, known once its first agent is added. */
export interface BehaviorSpec {
  readonly name: string;
  /** Values per observation row: the `collectObservations` count plus the sensors' sizes. */
  readonly observationSize: number;
  /**
   * Which slice of the (flat) observation row is which input, in order: `observations` (the
   * collectObservations values), then each sensor; a sensor with a `shape` is a grid, which the
   * network encodes with `config.convLayers`. Their sizes add up to `observationSize`.
   */
  readonly observationInputs: readonly ObservationInput[];
  readonly actionSpec: ActionSpec;
  /** The learner's action space (`actionSpec.space`). */
  readonly actionSpace: Space;
  /** The actor-critic layout for these sizes and `config.hiddenSizes`: what a learner must build. */
  readonly layout: ActorCriticLayout;
}

/** Flat actor-critic weights, as a learner or a brain provides them. */
export interface PolicyWeights {
  params: Float32Array;
  version: number;
  /** Observation statistics to start from (a loaded brain, a resumed run). */
  observationStats?: RunningMeanStd | null;
}

/**
 * Gives the first weights once the behavior's sizes are known (its first agent is added); null
 * when they will come later through `BehaviorRunner.setParams` (e.g. from a worker).
 */
export type PolicyProvider = (spec: BehaviorSpec) => PolicyWeights | null;
