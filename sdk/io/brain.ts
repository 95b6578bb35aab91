/**
 * The brain format: what a trained agent is, as data. A JSON manifest (`brain.json`) plus the
 * weights in TensorFlow.js's weights-manifest format (`weightsManifest` naming a binary file of
 * little-endian float32s beside it), so tfjs tooling can read the weights too.
 *
 * Loading checks every field and shape and says what is wrong; nothing is half-loaded.
 * Platform-neutral: file, IndexedDB and URL handlers wrap {@link encodeBrain}/{@link decodeBrain}.
 */
import { BrainError } from '../core/errors.js';
import { Box, Discrete, Hybrid, MultiDiscrete, type BoxSpace, type Space } from '../core/spaces.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { ActionDistribution } from '../rl/distributions.js';
import { ActorCriticLayout, type LayerSlice } from '../rl/network.js';
import { ObservationNormalizer, RunningMeanStd } from '../rl/normalizer.js';
import { Policy } from '../rl/policy.js';

export const BRAIN_FORMAT = 'phaser-ppo-brain';
export const BRAIN_FORMAT_VERSION = 1;
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
  normalizer: { observation: { mean: number[]; var: number[]; count: number } | null };
  policyVersion: number;
  steps: number;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export function layoutOf(brain: Pick<Brain, 'observationSpace' | 'actionSpace' | 'config'>): ActorCriticLayout {
  const dist = new ActionDistribution(brain.actionSpace);
  return ActorCriticLayout.forDistribution(brain.observationSpace.size, brain.config.hiddenSizes, dist);
}

/** Weight names and shapes in layout order, as tfjs's weights manifest lists them. */
function weightSpecs(layout: ActorCriticLayout): WeightSpec[] {
  const specs: WeightSpec[] = [];
  const net = (name: string, layers: readonly LayerSlice[]) => layers.forEach((l, i) => {
    specs.push({ name: `${name}/dense_${i}/kernel`, shape: [l.inSize, l.outSize], dtype: 'float32' });
    specs.push({ name: `${name}/dense_${i}/bias`, shape: [l.outSize], dtype: 'float32' });
  });
  net('actor', layout.actor);
  if (layout.logStd >= 0) specs.push({ name: 'actor/log_std', shape: [layout.logStdSize], dtype: 'float32' });
  net('critic', layout.critic);
  return specs;
}

/** JSON cannot hold ±Infinity; unbounded Box dimensions (also a Hybrid's) are stored as null. */
function spaceToJson(space: Space): unknown {
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
  const manifest: BrainManifest = {
    format: BRAIN_FORMAT,
    formatVersion: BRAIN_FORMAT_VERSION,
    sdkVersion: SDK_VERSION,
    env: brain.env,
    observationSpace: spaceToJson(brain.observationSpace),
    actionSpace: spaceToJson(brain.actionSpace),
    config,
    normalizer: { observation: brain.observationStats ? brain.observationStats.toJSON() : null },
    policyVersion: brain.policyVersion,
    steps: brain.steps,
    weightsManifest: [{ paths: [weightsPath], weights: weightSpecs(layout) }],
  };
  const weights = brain.params.slice().buffer;
  return { manifest, weights };
}

/**
 * Validates a parsed `brain.json` and its weight bytes and builds the brain. Throws
 * {@link BrainError} saying which field is wrong; returns only a complete, finite brain.
 * `where` names the source in messages (a path or URL).
 */
export function decodeBrain(json: unknown, weights: ArrayBuffer, where = 'brain.json'): Brain {
  const fail = (msg: string): never => { throw new BrainError(`${where}: ${msg}`); };
  if (!isRecord(json)) return fail(`expected a JSON object, got ${typeOf(json)}`);
  if (json.format !== BRAIN_FORMAT) fail(`"format" is ${JSON.stringify(json.format)}, expected "${BRAIN_FORMAT}" (is this a phaser-ppo brain?)`);
  if (json.formatVersion !== BRAIN_FORMAT_VERSION) fail(`"formatVersion" ${JSON.stringify(json.formatVersion)} is not supported; this SDK reads version ${BRAIN_FORMAT_VERSION}`);
  if (typeof json.env !== 'string') fail(`"env" must be a string`);

  const parsedObs = field(() => parseSpace(json.observationSpace), 'observationSpace', fail);
  if (parsedObs.kind !== 'box') return fail(`"observationSpace" must be a box, got ${parsedObs.kind}`);
  const observationSpace: BoxSpace = parsedObs;
  const actionSpace = field(() => parseSpace(json.actionSpace), 'actionSpace', fail);
  if (!isRecord(json.config)) fail(`"config" must be an object`);
  const config = field(() => resolveConfig(json.config as Partial<PPOConfig>), 'config', fail);
  for (const key of ['policyVersion', 'steps'] as const) {
    const v = json[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`"${key}" must be a non-negative integer, got ${JSON.stringify(v)}`);
  }

  const layout = layoutOf({ observationSpace, actionSpace, config });
  const expected = weightSpecs(layout);
  const wm = json.weightsManifest;
  if (!Array.isArray(wm) || wm.length !== 1 || !isRecord(wm[0]) || !Array.isArray(wm[0].weights)) {
    fail(`"weightsManifest" must hold one group with a "weights" list`);
  }
  const specs = (wm as { weights: unknown[] }[])[0]!.weights;
  if (specs.length !== expected.length) fail(`weightsManifest lists ${specs.length} tensors, the specs need ${expected.length}`);
  expected.forEach((e, i) => {
    const s = specs[i];
    if (!isRecord(s) || s.name !== e.name || s.dtype !== 'float32' || !Array.isArray(s.shape) || s.shape.join(',') !== e.shape.join(',')) {
      fail(`weightsManifest tensor ${i} is ${JSON.stringify(s)}, expected ${JSON.stringify(e)} for these specs and hiddenSizes`);
    }
  });
  if (weights.byteLength > MAX_WEIGHT_BYTES) fail(`weights are ${weights.byteLength} bytes, over the ${MAX_WEIGHT_BYTES}-byte limit`);
  if (weights.byteLength !== layout.size * 4) fail(`weights are ${weights.byteLength} bytes, expected ${layout.size * 4} (${layout.size} float32 parameters)`);
  const params = new Float32Array(weights.slice(0));
  const bad = params.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`weight ${bad} (${tensorAt(expected, bad)}) is ${params[bad]}: the brain is corrupt`);

  let observationStats: RunningMeanStd | null = null;
  const norm = isRecord(json.normalizer) ? json.normalizer.observation : undefined;
  if (norm !== null && norm !== undefined) {
    if (!isRecord(norm)) return fail(`"normalizer.observation" must be an object or null`);
    const size = observationSpace.size;
    const arr = (name: 'mean' | 'var') => {
      const a = norm[name];
      if (!Array.isArray(a) || a.length !== size || !a.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        fail(`"normalizer.observation.${name}" must be ${size} finite numbers`);
      }
      return a as number[];
    };
    const mean = arr('mean');
    const variance = arr('var');
    if (variance.some((v) => v < 0)) fail(`"normalizer.observation.var" has a negative variance`);
    if (typeof norm.count !== 'number' || !(norm.count > 0)) fail(`"normalizer.observation.count" must be a positive number`);
    observationStats = RunningMeanStd.fromJSON({ mean, var: variance, count: norm.count as number });
  } else if (config.normalizeObs) {
    fail(`config.normalizeObs is true but "normalizer.observation" is missing`);
  }

  return {
    env: json.env as string,
    observationSpace,
    actionSpace,
    config,
    observationStats,
    policyVersion: json.policyVersion as number,
    steps: json.steps as number,
    params,
  };
}

/**
 * The weights file a parsed manifest names, checked to stay beside the manifest: a plain relative
 * name, no `..`, no absolute path or URL (a manifest from elsewhere must not point a loader at an
 * arbitrary file or host).
 */
export function weightsFileOf(json: unknown, where: string): string {
  const wm = (json as { weightsManifest?: { paths?: unknown[] }[] } | null)?.weightsManifest;
  const file = Array.isArray(wm) ? wm[0]?.paths?.[0] : undefined;
  if (typeof file !== 'string' || file === '') throw new BrainError(`${where}: "weightsManifest[0].paths[0]" must name the weights file beside it`);
  if (file.includes('..') || file.startsWith('/') || file.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(file)) {
    throw new BrainError(`${where}: weights path ${JSON.stringify(file)} must stay beside the manifest`);
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

function parseSpace(raw: unknown): Space {
  if (!isRecord(raw)) throw new Error(`expected a space object, got ${typeOf(raw)}`);
  switch (raw.kind) {
    case 'discrete': return Discrete(raw.n as number);
    case 'multiDiscrete':
      if (!Array.isArray(raw.nvec)) throw new Error('"nvec" must be an array');
      return MultiDiscrete(raw.nvec as number[]);
    case 'box': {
      const bound = (name: string, inf: number) => {
        const a = raw[name];
        if (!Array.isArray(a) || a.length !== raw.size) throw new Error(`"${name}" must be an array of ${String(raw.size)} numbers or nulls`);
        return a.map((v: unknown) => (v === null ? inf : v as number));
      };
      return Box(bound('low', -Infinity), bound('high', Infinity), raw.size as number);
    }
    case 'hybrid': {
      const continuous = parseSpace(raw.continuous);
      const discrete = parseSpace(raw.discrete);
      if (continuous.kind !== 'box') throw new Error(`"continuous" must be a box, got ${continuous.kind}`);
      if (discrete.kind !== 'multiDiscrete') throw new Error(`"discrete" must be a multiDiscrete, got ${discrete.kind}`);
      return Hybrid(continuous, discrete);
    }
    default: throw new Error(`unknown space kind ${JSON.stringify(raw.kind)}`);
  }
}

function field<T>(parse: () => T, name: string, fail: (msg: string) => never): T {
  try {
    return parse();
  } catch (err) {
    return fail(`"${name}" is invalid: ${(err as Error).message}`);
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
