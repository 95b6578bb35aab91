/**
 * The brain format: what a trained agent is, as data. A JSON manifest (`brain.json`) plus the
 * weights in TensorFlow.js's weights-manifest format (`weightsManifest` naming a binary file of
 * little-endian float32s beside it), so tfjs tooling can read the weights too.
 *
 * Loading checks every field and shape and says what is wrong; nothing is half-loaded.
 * Platform-neutral: file, IndexedDB and URL handlers wrap {@link encodeBrain}/{@link decodeBrain}.
 */
import { BrainError, ConfigError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete, Hybrid, MultiDiscrete, type BoxSpace, type Space } from '../core/spaces.js';
import { configFields, resolveConfig, type GailConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { ActionDistribution } from '../rl/distributions.js';
import { ActorCriticLayout, type LayerSlice } from '../rl/network.js';
import { copyInputs, inputsMismatch, observationInputsProblem, type ConvStack, type ObservationInput } from '../rl/conv.js';
import { ObservationNormalizer, RunningMeanStd } from '../rl/normalizer.js';
import { Policy } from '../rl/policy.js';
import type { AdamState } from '../rl/adam.js';
import type { LearnerState } from '../rl/learner.js';
import type { DemonstrationLearningState } from '../rl/demonstration-learning.js';
import { discriminatorSize } from '../rl/gail.js';
import type { SelfPlayStateJson } from '../runtime/self-play.js';
import type { CurriculumState } from '../runtime/curriculum.js';
import type { EnvironmentParameters } from '../runtime/env-params.js';
import { describeIssues, manifestSchema, type SpaceJson, type StatsJson, type TrainingJson } from './brain-schema.js';

export const BRAIN_FORMAT = 'phaser-ppo-brain';
/**
 * 2 adds the optional training state; 3 the observation's named inputs (grids) and the conv
 * encoder (`config.convLayers`). Versions 1 and 2 still load: their observation is one vector
 * and their grids were flattened (they read as `convLayers: []`).
 */
export const BRAIN_FORMAT_VERSION = 3;
export const SDK_VERSION = '0.1.0';
/** Refuse manifests and weight files larger than these before parsing them. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
export const MAX_WEIGHT_BYTES = 256 * 1024 * 1024;

/** A trained agent in memory. */
export interface Brain {
  /** Environment or behavior name it was trained on. */
  env: string;
  observationSpace: BoxSpace;
  actionSpace: Space;
  config: ResolvedConfig;
  /** Observation normalizer statistics, or null when observations were not normalized. */
  observationStats: RunningMeanStd | null;
  /** Weights version (learner updates applied). */
  policyVersion: number;
  /** Environment steps it was trained for. */
  steps: number;
  /** Flat actor-critic parameters in {@link ActorCriticLayout} order. */
  params: Float32Array;
  /**
   * The observation's named inputs (grids get the conv stacks of `config.convLayers`); absent:
   * one vector of `observationSpace.size` (format 1 and 2 brains, and envs without sensors).
   */
  observationInputs?: ObservationInput[];
  /**
   * What resuming training needs besides the weights, in a checkpoint; absent in a brain saved
   * for play (a brain without it still trains, from fresh Adam moments).
   */
  training?: TrainingState;
}

/**
 * The optimizer, schedules and random streams of a training run (a checkpoint is a brain with
 * this). The weights, version, step count and observation statistics are the brain's own fields.
 */
export interface TrainingState {
  /** Adam moments (stored as `training/adam_m`, `training/adam_v` in the weights file) and step count. */
  adam: AdamState;
  /** Learner updates taken: drives the learning-rate and ε schedules. */
  updates: number;
  /** The learner's RNG (minibatch shuffling), `Rng.getState()`. */
  learnerRng: number[];
  /** The reward scaler's running statistics of the discounted return (null when rewards are not scaled). */
  rewardStats: RunningMeanStd | null;
  /** The acting RNG (action sampling) of the trainer that saved it, or null where it has none to save. */
  actingRng: number[] | null;
  /**
   * Self-play's pool of snapshots, ratings, learning team and draws (sdk/runtime/self-play.ts),
   * when the behavior trains with `config.selfPlay`. Only in checkpoints: a brain saved for play
   * has no training state, so it stays the size of its weights.
   */
  selfPlay?: SelfPlayStateJson;
  /** The run's curriculum and where it is (lessons, episode windows, sampling RNG), when it has environment parameters. */
  curriculum?: CurriculumState;
  /**
   * With `config.gail` / `config.behavioralCloning`: GAIL's discriminator (its weights and Adam
   * moments are `training/gail/*` tensors in the weights file) and RNG, behaviour cloning's batch
   * position. The demonstrations are referenced by the config (`demo`: path or key, SHA-256).
   */
  demonstrations?: DemonstrationLearningState;
}

interface WeightSpec { name: string; shape: number[]; dtype: 'float32' }

/** The JSON half of a brain: `brain.json`. */
export interface BrainManifest {
  format: typeof BRAIN_FORMAT;
  formatVersion: number;
  sdkVersion: string;
  env: string;
  observationSpace: unknown;
  actionSpace: unknown;
  config: PPOConfig;
  /** The observation's named inputs (format 3). */
  observationInputs?: ObservationInput[];
  normalizer: { observation: { mean: number[]; var: number[]; count: number } | null };
  policyVersion: number;
  steps: number;
  /** Present in checkpoints; the Adam moments are extra tensors in `weightsManifest`. */
  training?: TrainingJson;
  /** Marks the file for tfjs tooling, which reads `weightsManifest` as in a model.json. */
  generatedBy: string;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export function layoutOf(brain: Pick<Brain, 'observationSpace' | 'actionSpace' | 'config' | 'observationInputs'>): ActorCriticLayout {
  const dist = new ActionDistribution(brain.actionSpace);
  return ActorCriticLayout.forBehavior(brain.observationSpace.size, brain.observationInputs, brain.config, dist);
}

/**
 * Weight names and shapes in layout order, as tfjs's weights manifest lists them; with the
 * training state, Adam's two moment vectors follow (same order and size as the parameters).
 */
function weightSpecs(layout: ActorCriticLayout, training: boolean, gailSize = 0): WeightSpec[] {
  const specs: WeightSpec[] = [];
  const net = (name: string, layers: readonly LayerSlice[]) => layers.forEach((l, i) => {
    specs.push({ name: `${name}/dense_${i}/kernel`, shape: [l.inSize, l.outSize], dtype: 'float32' });
    specs.push({ name: `${name}/dense_${i}/bias`, shape: [l.outSize], dtype: 'float32' });
  });
  // Conv filters in tf.conv2d's [k, k, inC, outC] layout; `grid_k`: the k-th grid input.
  const conv = (name: string, stacks: readonly ConvStack[]) => stacks.forEach((s, k) => s.layers.forEach((l, i) => {
    specs.push({ name: `${name}/grid_${k}/conv_${i}/kernel`, shape: [l.kernel, l.kernel, l.inC, l.outC], dtype: 'float32' });
    specs.push({ name: `${name}/grid_${k}/conv_${i}/bias`, shape: [l.outC], dtype: 'float32' });
  }));
  conv('actor', layout.actorConv);
  net('actor', layout.actor);
  if (layout.logStd >= 0) specs.push({ name: 'actor/log_std', shape: [layout.logStdSize], dtype: 'float32' });
  conv('critic', layout.criticConv);
  net('critic', layout.critic);
  if (training) {
    specs.push({ name: 'training/adam_m', shape: [layout.size], dtype: 'float32' });
    specs.push({ name: 'training/adam_v', shape: [layout.size], dtype: 'float32' });
  }
  if (gailSize > 0) for (const n of GAIL_TENSORS) specs.push({ name: `training/gail/${n}`, shape: [gailSize], dtype: 'float32' });
  return specs;
}

/** GAIL's discriminator in a checkpoint's weights file, after Adam's moments: its weights, then its own Adam moments. */
const GAIL_TENSORS = ['params', 'adam_m', 'adam_v'] as const;

/** The parameters of the GAIL discriminator `config.gail` describes for these spaces (0 without GAIL). */
function gailSizeOf(brain: Pick<Brain, 'observationSpace' | 'actionSpace' | 'config'>): number {
  const g = brain.config.gail;
  if (!g) return 0;
  const inputs = brain.observationSpace.size + (g.useActions ? new ActionDistribution(brain.actionSpace).actionSize : 0);
  return discriminatorSize(inputs, g.encodingSize ?? 64);
}

/** JSON cannot hold ±Infinity; unbounded Box dimensions (also a Hybrid's) are stored as null. */
export function spaceToJson(space: Space): unknown {
  if (space.kind === 'hybrid') return { kind: 'hybrid', continuous: spaceToJson(space.continuous), discrete: space.discrete };
  if (space.kind !== 'box') return space;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return { kind: 'box', size: space.size, low: space.low.map(finite), high: space.high.map(finite) };
}

/** Splits a brain into its manifest and its weight bytes (`weightsPath` names the file beside it). */
export function encodeBrain(brain: Brain, weightsPath = 'weights.bin'): { manifest: BrainManifest; weights: ArrayBuffer } {
  const layout = layoutOf(brain);
  if (brain.params.length !== layout.size) throw new BrainError(`brain has ${brain.params.length} parameters, its specs need ${layout.size}`);
  const config = configFields(brain.config);
  const t = brain.training;
  if (t && (t.adam.m.length !== layout.size || t.adam.v.length !== layout.size)) {
    throw new BrainError(`brain's Adam moments hold ${t.adam.m.length} and ${t.adam.v.length} values, its specs need ${layout.size}`);
  }
  const gail = t?.demonstrations?.gail ?? null;
  const gailSize = gail ? gailSizeOf(brain) : 0;
  if (gail && (gailSize === 0 || gail.params.length !== gailSize || gail.adam.m.length !== gailSize || gail.adam.v.length !== gailSize)) {
    throw new BrainError(`brain's GAIL discriminator holds ${gail.params.length} parameters, config.gail needs ${gailSize}`);
  }
  const manifest: BrainManifest = {
    format: BRAIN_FORMAT,
    formatVersion: BRAIN_FORMAT_VERSION,
    sdkVersion: SDK_VERSION,
    env: brain.env,
    observationSpace: spaceToJson(brain.observationSpace),
    actionSpace: spaceToJson(brain.actionSpace),
    config,
    observationInputs: copyInputs(layout.inputs),
    normalizer: { observation: statsJson(brain.observationStats) },
    policyVersion: brain.policyVersion,
    steps: brain.steps,
    ...(t ? {
      training: {
        adamT: t.adam.t, updates: t.updates, learnerRng: [...t.learnerRng],
        rewardStats: statsJson(t.rewardStats), actingRng: t.actingRng ? [...t.actingRng] : null,
        ...(t.selfPlay ? { selfPlay: t.selfPlay } : {}),
        ...(t.curriculum ? { curriculum: t.curriculum } : {}),
        ...(t.demonstrations ? { demonstrations: { gail: gail ? { adamT: gail.adam.t, rng: [...gail.rng] } : null, bc: t.demonstrations.bc ? { rng: [...t.demonstrations.bc.rng], cursor: t.demonstrations.bc.cursor } : null } } : {}),
      },
    } : {}),
    generatedBy: `phaser-ppo ${SDK_VERSION}`,
    weightsManifest: [{ paths: [weightsPath], weights: weightSpecs(layout, t !== undefined, gailSize) }],
  };
  const all = new Float32Array((t ? 3 * layout.size : layout.size) + 3 * gailSize);
  all.set(brain.params);
  if (t) {
    all.set(t.adam.m, layout.size);
    all.set(t.adam.v, 2 * layout.size);
  }
  if (gail) {
    all.set(gail.params, 3 * layout.size);
    all.set(gail.adam.m, 3 * layout.size + gailSize);
    all.set(gail.adam.v, 3 * layout.size + 2 * gailSize);
  }
  return { manifest, weights: all.buffer };
}

/**
 * Validates a parsed `brain.json` and its weight bytes and builds the brain. Throws
 * {@link BrainError} naming the file and the field (`brain.json: config.hiddenSizes[1]: expected a
 * positive integer, got -3`); returns only a complete, finite brain. `where` names the source in
 * messages (a path or URL). Reads format versions 1 (no training state) and 2.
 */
export function decodeBrain(json: unknown, weights: ArrayBuffer, where = 'brain.json'): Brain {
  const fail = (msg: string): never => { throw new BrainError(`${where}: ${msg}`); };
  if (!isRecord(json)) return fail(`expected a JSON object, got ${typeOf(json)}`);
  // By tag, not instanceof: an ArrayBuffer from another realm (a worker, an iframe) is fine too.
  if (Object.prototype.toString.call(weights) !== '[object ArrayBuffer]') return fail(`the weights must be an ArrayBuffer, got ${typeOf(weights)}`);
  if (json.format !== BRAIN_FORMAT) fail(`"format" is ${JSON.stringify(json.format)}, expected "${BRAIN_FORMAT}" (is this a phaser-ppo brain?)`);
  if (json.formatVersion !== 1 && json.formatVersion !== 2 && json.formatVersion !== BRAIN_FORMAT_VERSION) {
    fail(`"formatVersion" ${JSON.stringify(json.formatVersion)} is not supported; this SDK reads versions 1 to ${BRAIN_FORMAT_VERSION}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) return fail(describeIssues(parsed.error, json));
  const m = parsed.data;
  if (m.formatVersion === 1 && m.training) fail(`"training" needs formatVersion 2, the manifest says 1`);
  if (m.formatVersion < 3 && m.observationInputs !== undefined) fail(`"observationInputs" needs formatVersion 3, the manifest says ${m.formatVersion}`);
  if (m.formatVersion < 3 && m.config.convLayers !== undefined) fail(`config.convLayers needs formatVersion 3, the manifest says ${m.formatVersion}`);

  const parsedObs = field(() => spaceFromJson(m.observationSpace), 'observationSpace', fail);
  if (parsedObs.kind !== 'box') return fail(`observationSpace: expected a box, got ${parsedObs.kind}`);
  const observationSpace: BoxSpace = parsedObs;
  const actionSpace = field(() => spaceFromJson(m.actionSpace), 'actionSpace', fail);
  let config: ResolvedConfig;
  try {
    // Before format 3 grids were flattened into the MLP: no conv layers, whatever today's default.
    // A GAIL brain saved before gail.gamma existed has a one-output critic that learned the mixed
    // reward: it loads as what it is, GAIL sharing the extrinsic critic and gamma (gamma null).
    const gail = (m.config as Partial<PPOConfig>).gail;
    const sharedGail = isRecord(gail) && !('gamma' in gail) ? { gail: { ...(gail as GailConfig), gamma: null } } : {};
    config = resolveConfig({ ...(m.config as Partial<PPOConfig>), ...(m.formatVersion < 3 ? { convLayers: [] } : {}), ...sharedGail });
  } catch (err) {
    return fail(err instanceof ConfigError ? `config.${err.field}: ${err.message.slice(`PPOConfig.${err.field}: `.length)}` : `config: ${(err as Error).message}`);
  }

  let observationInputs: ObservationInput[] | undefined;
  if (m.observationInputs !== undefined) {
    const problem = observationInputsProblem(m.observationInputs, observationSpace.size);
    if (problem) fail(`observationInputs${problem.startsWith('[') ? '' : ': '}${problem}`);
    observationInputs = copyInputs(m.observationInputs as ObservationInput[]);
  }
  let layout: ActorCriticLayout;
  try {
    layout = layoutOf({ observationSpace, actionSpace, config, ...(observationInputs ? { observationInputs } : {}) });
  } catch (err) {
    return fail(err instanceof ConfigError ? `config.${err.field}: ${err.message.slice(`PPOConfig.${err.field}: `.length)}` : `observationInputs: ${(err as Error).message}`);
  }
  const savedGail = m.training?.demonstrations?.gail ?? null;
  if (savedGail && !config.gail) fail('training.demonstrations.gail: a GAIL discriminator is saved, but config.gail is null');
  const gailSize = savedGail ? gailSizeOf({ observationSpace, actionSpace, config }) : 0;
  const expected = weightSpecs(layout, m.training !== undefined, gailSize);
  const specs = m.weightsManifest[0]!.weights;
  if (specs.length !== expected.length) {
    fail(`weightsManifest lists ${specs.length} tensors, the specs${m.training ? ' and training state' : ''} need ${expected.length}`);
  }
  expected.forEach((e, i) => {
    const s = specs[i]!;
    if (s.name !== e.name || s.shape.join(',') !== e.shape.join(',')) {
      fail(`weightsManifest[0].weights[${i}] is ${JSON.stringify(s)}, expected ${JSON.stringify(e)} for these specs and hiddenSizes`);
    }
  });
  const total = (m.training ? 3 * layout.size : layout.size) + 3 * gailSize;
  if (weights.byteLength > MAX_WEIGHT_BYTES) fail(`weights are ${weights.byteLength} bytes, over the ${MAX_WEIGHT_BYTES}-byte limit`);
  if (weights.byteLength !== total * 4) fail(`weights are ${weights.byteLength} bytes, expected ${total * 4} (${total} float32 values)`);
  const all = new Float32Array(weights.slice(0));
  const bad = all.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`weight ${bad} (${tensorAt(expected, bad)}) is ${all[bad]}: the brain is corrupt`);
  const params = all.slice(0, layout.size);

  const stats = (s: StatsJson | null | undefined, size: number, name: string): RunningMeanStd | null => {
    if (!s) return null;
    if (s.mean.length !== size || s.var.length !== size) fail(`${name}: expected mean and var of ${size} values each, got ${s.mean.length} and ${s.var.length}`);
    return RunningMeanStd.fromJSON(s);
  };
  const observationStats = stats(m.normalizer?.observation, observationSpace.size, 'normalizer.observation');
  if (!observationStats && config.normalizeObs) fail(`config.normalizeObs is true but "normalizer.observation" is missing`);

  let training: TrainingState | undefined;
  if (m.training) {
    const t = m.training;
    const rewardStats = stats(t.rewardStats, 1, 'training.rewardStats');
    if ((rewardStats !== null) !== config.normalizeReward) {
      fail(`training.rewardStats: config.normalizeReward is ${config.normalizeReward}, so expected ${config.normalizeReward ? 'statistics' : 'null'}, got ${rewardStats ? 'statistics' : 'null'}`);
    }
    const m2 = all.slice(layout.size, 2 * layout.size);
    const v2 = all.slice(2 * layout.size, 3 * layout.size);
    const negative = v2.findIndex((v) => v < 0);
    if (negative >= 0) fail(`weight ${2 * layout.size + negative} (${tensorAt(expected, 2 * layout.size + negative)}) is negative: Adam's second moment cannot be`);
    const g0 = 3 * layout.size;
    const gailV = all.slice(g0 + 2 * gailSize, g0 + 3 * gailSize);
    const negativeV = gailV.findIndex((v) => v < 0);
    if (negativeV >= 0) fail(`weight ${g0 + 2 * gailSize + negativeV} (${tensorAt(expected, g0 + 2 * gailSize + negativeV)}) is negative: Adam's second moment cannot be`);
    const d = t.demonstrations;
    const demonstrations: DemonstrationLearningState | undefined = d ? {
      gail: d.gail ? { params: all.slice(g0, g0 + gailSize), adam: { m: all.slice(g0 + gailSize, g0 + 2 * gailSize), v: gailV, t: d.gail.adamT }, rng: [...d.gail.rng] } : null,
      bc: d.bc ? { rng: [...d.bc.rng], cursor: d.bc.cursor } : null,
    } : undefined;
    training = {
      adam: { m: m2, v: v2, t: t.adamT }, updates: t.updates, learnerRng: [...t.learnerRng], rewardStats,
      actingRng: t.actingRng ? [...t.actingRng] : null,
      ...(t.selfPlay ? { selfPlay: t.selfPlay } : {}),
      ...(t.curriculum ? { curriculum: { ...t.curriculum, parameters: t.curriculum.parameters as EnvironmentParameters, rng: [...t.curriculum.rng] } } : {}),
      ...(demonstrations ? { demonstrations } : {}),
    };
  }

  return {
    env: m.env, observationSpace, actionSpace, config, observationStats, policyVersion: m.policyVersion, steps: m.steps, params,
    ...(observationInputs ? { observationInputs } : {}),
    ...(training ? { training } : {}),
  };
}

/**
 * The learner state to continue training a brain from: exact (Adam moments, schedules, shuffle
 * RNG) when it holds training state; otherwise its weights and version with a fresh optimizer and
 * schedules from the start (fine-tuning a brain saved for play).
 */
export function learnerStateOf(brain: Brain): LearnerState {
  const t = brain.training;
  const n = brain.params.length;
  return {
    params: Float32Array.from(brain.params),
    adam: t ? { m: Float32Array.from(t.adam.m), v: Float32Array.from(t.adam.v), t: t.adam.t } : { m: new Float32Array(n), v: new Float32Array(n), t: 0 },
    updates: t ? t.updates : 0,
    version: brain.policyVersion,
    // Fine-tuning: a shuffle stream of its own, seeded like a fresh learner's.
    rngState: t ? [...t.learnerRng] : new Rng(brain.config.seed ^ 0x5bd1e995).getState(),
    ...(t?.demonstrations ? { demonstrations: copyDemonstrationState(t.demonstrations) } : {}),
  };
}

/** A copy of demonstration-learning state, sharing no array with `d`. */
function copyDemonstrationState(d: DemonstrationLearningState): DemonstrationLearningState {
  const g = d.gail;
  return {
    gail: g ? { params: Float32Array.from(g.params), adam: { m: Float32Array.from(g.adam.m), v: Float32Array.from(g.adam.v), t: g.adam.t }, rng: [...g.rng] } : null,
    bc: d.bc ? { rng: [...d.bc.rng], cursor: d.bc.cursor } : null,
  };
}

/**
 * Statistics as JSON, read field by field: a brain that crossed `postMessage` (a worker's
 * `brain()`) holds plain objects where RunningMeanStd instances were.
 */
function statsJson(s: StatsLike | null | undefined): StatsJson | null {
  return s ? { mean: Array.from(s.mean), var: Array.from(s.var), count: s.count } : null;
}

/** Running statistics rebuilt as a RunningMeanStd (a copy; also from a structured clone). */
export function reviveStats(s: StatsLike | null | undefined): RunningMeanStd | null {
  const j = statsJson(s);
  return j ? RunningMeanStd.fromJSON(j) : null;
}

/**
 * A brain with its statistics as RunningMeanStd instances again, after it crossed `postMessage`
 * (structured cloning keeps the data and drops the classes). Arrays are shared, not copied.
 */
export function reviveBrain(brain: Brain): Brain {
  const t = brain.training;
  return {
    ...brain,
    observationStats: reviveStats(brain.observationStats),
    ...(t ? { training: { ...t, rewardStats: reviveStats(t.rewardStats) } } : {}),
  };
}

/**
 * Throws {@link BrainError} unless `brain` fits a behavior or env with these sizes: the same
 * observation size and action space (what its weights were shaped for). `what` names the target.
 */
export function assertBrainFits(brain: Brain, observationSize: number, actionSpace: Space, what: string, inputs?: readonly ObservationInput[]): void {
  if (brain.observationSpace.size !== observationSize) {
    throw new BrainError(`the brain (trained as "${brain.env}") observes ${brain.observationSpace.size} values, ${what} gives ${observationSize}: was it trained on this one?`);
  }
  if (inputs) assertBrainInputs(brain, inputs, what);
  const a = JSON.stringify(spaceToJson(brain.actionSpace));
  const b = JSON.stringify(spaceToJson(actionSpace));
  if (a !== b) throw new BrainError(`the brain (trained as "${brain.env}") acts in ${a}, ${what} in ${b}: was it trained on this one?`);
}

/**
 * Throws {@link BrainError} unless the brain's observation inputs are `inputs` (same names,
 * kinds, shapes, in order), naming the first that differs. A brain without inputs (format 1 or 2)
 * saw one flat vector: it fits any inputs of its size whose grids are flattened
 * (`convLayers: []`, which its config says), so only the sizes are checked for it.
 */
export function assertBrainInputs(brain: Pick<Brain, 'env' | 'observationInputs'>, inputs: readonly ObservationInput[], what: string): void {
  if (!brain.observationInputs) return;
  const problem = inputsMismatch(brain.observationInputs, inputs);
  if (problem) throw new BrainError(`the brain (${brain.env}) does not fit ${what}: ${problem}`);
}

/** Running statistics as a class, a structured clone of one, or their JSON. */
export interface StatsLike { mean: ArrayLike<number>; var: ArrayLike<number>; count: number }

/**
 * What a brain is assembled from, whichever trainer holds it (a fast-mode run, a live behavior, an
 * evaluation): the behavior's sizes, config and statistics, and either a learner's state (a
 * checkpoint that resumes exactly) or only the weights acting now.
 */
export interface BrainParts {
  /** The behavior (or environment) name the brain is for. */
  name: string;
  observationSpace: BoxSpace;
  actionSpace: Space;
  config: ResolvedConfig;
  /** Observation statistics (copied), or null when observations are not normalized. */
  observationStats: StatsLike | null;
  /** Transitions trained on. */
  steps: number;
  /** The behavior's named observation inputs (omitted: one vector). */
  observationInputs?: readonly ObservationInput[];
  /** A learner's state with the trainer's own statistics, or fixed weights (no training state). */
  source:
    | { learner: LearnerState; rewardStats: StatsLike | null; actingRng: number[] | null }
    | { params: Float32Array; version: number };
  /** Self-play's state, kept with a learner's state (a checkpoint) and dropped otherwise. */
  selfPlay?: SelfPlayStateJson;
}

/**
 * The one brain assembly: every trainer and behavior builds its brain here. The result shares no
 * array with `parts` except a learner state's (`getState()` already copies), so it can be transferred.
 */
export function brainOf(parts: BrainParts): Brain {
  const { source } = parts;
  const base = {
    env: parts.name, observationSpace: parts.observationSpace, actionSpace: parts.actionSpace, config: parts.config,
    observationStats: reviveStats(parts.observationStats), steps: parts.steps,
    ...(parts.observationInputs ? { observationInputs: copyInputs(parts.observationInputs) } : {}),
  };
  if ('learner' in source) {
    // Reward statistics exist only when rewards are scaled; a brain never carries unused ones.
    const rewardStats = parts.config.normalizeReward ? reviveStats(source.rewardStats) : null;
    return { ...base, params: source.learner.params, policyVersion: source.learner.version, training: { ...trainingStateOf(source.learner, { rewardStats, actingRng: source.actingRng }), ...(parts.selfPlay ? { selfPlay: parts.selfPlay } : {}) } };
  }
  return { ...base, params: Float32Array.from(source.params), policyVersion: source.version };
}

/**
 * The one training-state restore: what a trainer resumes from `brain` (a checkpoint, also one that
 * crossed postMessage), or fine-tunes from when it holds no training state (fresh optimizer,
 * schedules and reward statistics). Copies: the brain stays untouched.
 */
export function resumeStateOf(brain: Brain): {
  learner: LearnerState;
  observationStats: RunningMeanStd | null;
  rewardStats: RunningMeanStd | null;
  actingRng: number[] | null;
  /** Transitions trained on, and learner updates taken, so far. */
  steps: number;
  updates: number;
} {
  const t = brain.training;
  return {
    learner: learnerStateOf(brain), observationStats: reviveStats(brain.observationStats), rewardStats: reviveStats(t?.rewardStats),
    actingRng: t?.actingRng ? [...t.actingRng] : null, steps: brain.steps, updates: t?.updates ?? 0,
  };
}

/** Copies saved running statistics into live ones (a reward scaler's), in place; `from` null leaves them fresh. */
export function restoreStats(into: RunningMeanStd, from: StatsLike | null): void {
  if (!from) return;
  if (from.mean.length !== into.mean.length) throw new BrainError(`saved statistics have ${from.mean.length} dimensions, expected ${into.mean.length}`);
  into.mean.set(from.mean);
  into.var.set(from.var);
  into.count = from.count;
}

/** The training part of a brain from a learner snapshot (its params and version go in the brain itself). */
export function trainingStateOf(learner: LearnerState, extra: { rewardStats: RunningMeanStd | null; actingRng: number[] | null }): TrainingState {
  return {
    adam: learner.adam, updates: learner.updates, learnerRng: learner.rngState, rewardStats: extra.rewardStats, actingRng: extra.actingRng,
    ...(learner.demonstrations ? { demonstrations: learner.demonstrations } : {}),
  };
}

/**
 * The weights file a parsed manifest names, checked to stay beside the manifest: a plain file
 * name, no directory part, no `..`, no absolute path or URL (a manifest from elsewhere must not point a loader at an
 * arbitrary file or host).
 */
export function weightsFileOf(json: unknown, where: string): string {
  const wm = (json as { weightsManifest?: { paths?: unknown[] }[] } | null)?.weightsManifest;
  const file = Array.isArray(wm) ? wm[0]?.paths?.[0] : undefined;
  if (typeof file !== 'string' || file === '') throw new BrainError(`${where}: "weightsManifest[0].paths[0]" must name the weights file beside it`);
  // A plain file name: no directory part (a subdirectory may be a symbolic link out of the brain's
  // folder), no `.`/`..`, no URL scheme, no NUL byte.
  if (file === '.' || file.includes('..') || file.includes('/') || file.includes('\\') || file.includes('\0') || /^[a-z][a-z0-9+.-]*:/i.test(file)) {
    throw new BrainError(`${where}: weights path ${JSON.stringify(file)} must stay beside the manifest (a plain file name)`);
  }
  return file;
}

/** A ready-to-act policy and observation normalizer for a brain (inference: stats frozen). */
export function policyFromBrain(brain: Brain, maxBatch: number): { policy: Policy; normalizer: ObservationNormalizer | null } {
  const layout = layoutOf(brain);
  const policy = new Policy(layout, new ActionDistribution(brain.actionSpace), brain.params, maxBatch);
  const normalizer = brain.observationStats
    ? new ObservationNormalizer(brain.observationSpace.size, brain.config.obsClip, brain.observationStats)
    : null;
  return { policy, normalizer };
}

/** Builds a space from its checked JSON; the space constructors check what is left (e.g. low ≤ high). */
export function spaceFromJson(j: SpaceJson): Space {
  const bounds = (a: (number | null)[], inf: number) => a.map((v) => (v === null ? inf : v));
  switch (j.kind) {
    case 'discrete': return Discrete(j.n);
    case 'multiDiscrete': return MultiDiscrete(j.nvec);
    case 'box': return Box(bounds(j.low, -Infinity), bounds(j.high, Infinity), j.size);
    case 'hybrid': {
      const continuous = spaceFromJson(j.continuous);
      const discrete = spaceFromJson(j.discrete);
      if (continuous.kind !== 'box' || discrete.kind !== 'multiDiscrete') throw new Error('a hybrid space is a box and a multiDiscrete');
      return Hybrid(continuous, discrete);
    }
  }
}

function field<T>(parse: () => T, name: string, fail: (msg: string) => never): T {
  try {
    return parse();
  } catch (err) {
    return fail(`${name}: ${(err as Error).message}`);
  }
}

function tensorAt(specs: WeightSpec[], index: number): string {
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (index < offset + n) return `${s.name}[${index - offset}]`;
    offset += n;
  }
  return 'past the end';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
