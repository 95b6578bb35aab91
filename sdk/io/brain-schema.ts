/**
 * The shape of `brain.json`, as zod schemas: types, sizes and caps of every field. What a schema
 * cannot say (shapes that depend on other fields: the weights manifest against the specs, the
 * normalizer's length) is checked in `decodeBrain`.
 *
 * Parsing builds new objects holding only the known keys (objects are strict or strip unknown
 * keys, and no schema copies arbitrary keys), so `__proto__` or `constructor` in a manifest
 * cannot reach a prototype.
 */
// zod/mini: the same schemas at a fraction of the bundle (a page that loads brains carries it).
import * as z from 'zod/mini';
import { DEFAULT_PPO_CONFIG } from '../rl/config.js';

/** Caps that keep a hostile manifest from making the loader allocate or loop without bound. */
export const LIMITS = {
  /** Observation values per row, and continuous action dimensions. */
  maxSpaceSize: 65_536,
  /** Choices of one discrete branch. */
  maxChoices: 65_536,
  /** Branches of a multi-discrete space. */
  maxBranches: 1024,
  maxNameLength: 256,
} as const;

const POSITIVE_INT = 'expected a positive integer';
const COUNT = 'expected a non-negative integer';

const positiveInt = (max: number) => z.int({ error: POSITIVE_INT }).check(z.positive({ error: POSITIVE_INT }), z.maximum(max, { error: `expected at most ${max}` }));
const count = z.int({ error: COUNT }).check(z.nonnegative({ error: COUNT }), z.maximum(Number.MAX_SAFE_INTEGER, { error: COUNT }));
const finite = z.number({ error: 'expected a finite number' });
const bound = z.union([finite, z.null()], { error: 'expected a number, or null for unbounded' });

const box = z.strictObject({
  kind: z.literal('box'),
  size: positiveInt(LIMITS.maxSpaceSize),
  low: z.array(bound).check(z.maxLength(LIMITS.maxSpaceSize)),
  high: z.array(bound).check(z.maxLength(LIMITS.maxSpaceSize)),
}).check(z.superRefine((b, ctx) => {
  for (const key of ['low', 'high'] as const) {
    if (b[key].length !== b.size) ctx.addIssue({ code: 'custom', path: [key], message: `expected ${b.size} bounds (size), got ${b[key].length}`, input: b[key] });
  }
}));
const discrete = z.strictObject({ kind: z.literal('discrete'), n: positiveInt(LIMITS.maxChoices) });
const multiDiscrete = z.strictObject({
  kind: z.literal('multiDiscrete'),
  nvec: z.array(positiveInt(LIMITS.maxChoices)).check(z.minLength(1), z.maxLength(LIMITS.maxBranches)),
});
const hybrid = z.strictObject({ kind: z.literal('hybrid'), continuous: box, discrete: multiDiscrete });

/** A space as `spaceToJson` writes it (±Infinity bounds as null). */
export const spaceSchema = z.discriminatedUnion('kind', [box, discrete, multiDiscrete, hybrid], { error: 'expected kind "box", "discrete", "multiDiscrete" or "hybrid"' });
export type SpaceJson = z.infer<typeof spaceSchema>;

/** A config's demonstration reference and settings, by type (resolveConfig checks ranges); strict, so no arbitrary key is copied. */
const demoRefSchema = z.optional(z.union([z.null(), z.strictObject({ source: z.string().check(z.maxLength(4096)), sha256: z.string().check(z.maxLength(64)) })]));
const behavioralCloningSchema = z.strictObject({ strength: finite, steps: z.optional(finite), batchSize: z.optional(finite), demo: demoRefSchema });
const gailSchema = z.strictObject({ strength: finite, encodingSize: z.optional(finite), useActions: z.optional(z.boolean()), learningRate: z.optional(finite), gamma: z.optional(z.nullable(finite)), demo: demoRefSchema });

/**
 * `PPOConfig` by type only, derived from the defaults so a new config field needs no edit here;
 * ranges and cross-field rules stay in `resolveConfig` (one place). Every field is optional
 * (defaults fill in) and unknown fields are refused.
 */
export const configSchema = z.strictObject(Object.fromEntries([...Object.entries(DEFAULT_PPO_CONFIG).map(([key, value]) => [key,
  key === 'hiddenSizes' ? z.optional(z.array(positiveInt(4096)).check(z.minLength(1), z.maxLength(8)))
    // Conv layers' fields and ranges are resolveConfig's to check.
    : key === 'convLayers' ? z.optional(z.array(z.record(z.string(), finite)).check(z.maxLength(8)))
    : key === 'targetKl' ? z.optional(z.union([finite, z.null()], { error: 'expected a number or null' }))
      // Ranges checked by resolveConfig; here only the shape.
      : key === 'selfPlay' ? z.optional(z.nullable(z.record(z.string(), finite)))
      // Demonstration settings: their fields and ranges are resolveConfig's to check.
      : key === 'behavioralCloning' ? z.optional(z.union([z.null(), behavioralCloningSchema], { error: 'expected an object or null' }))
        : key === 'gail' ? z.optional(z.union([z.null(), gailSchema], { error: 'expected an object or null' }))
      : typeof value === 'boolean' ? z.optional(z.boolean({ error: 'expected true or false' }))
        : typeof value === 'string' ? z.optional(z.string({ error: 'expected a string' }))
          : z.optional(finite),
  // Fields of older brains (LegacyConfigFields) that resolveConfig maps onto today's.
]), ['annealLr', z.optional(z.boolean({ error: 'expected true or false' }))]]));

/** Running mean/variance; lengths are checked against the space by the caller. */
const statsSchema = z.strictObject({
  mean: z.array(finite).check(z.maxLength(LIMITS.maxSpaceSize)),
  var: z.array(z.number({ error: 'expected a finite number' }).check(z.nonnegative({ error: 'expected a non-negative variance' }))).check(z.maxLength(LIMITS.maxSpaceSize)),
  count: z.number({ error: 'expected a finite number' }).check(z.positive({ error: 'expected a positive count' })),
});
export type StatsJson = z.infer<typeof statsSchema>;

/** An `Rng.getState()`: four 32-bit words, a has-spare flag and the spare normal. */
const rngSchema = z.array(finite).check(z.length(6, { error: 'expected the 6 numbers of Rng.getState()' }));

/**
 * What exact resume needs besides the weights (format version 2). The Adam moments are not here:
 * they are `training/adam_m` and `training/adam_v` in the weights manifest.
 */
const selfPlayWeightsSchema = {
  params: z.array(finite).check(z.maxLength(2 ** 24)),
  version: count,
  observationStats: z.nullable(statsSchema),
};

/** Self-play's state (`SelfPlayStateJson`); SelfPlay.fromJSON checks it against the network and settings. */
const selfPlaySchema = z.strictObject({
  teams: count, step: count, elo: finite, learningTeam: count, next: count,
  opponent: z.number().check(z.int(), z.gte(-1)),
  opponentWeights: z.strictObject(selfPlayWeightsSchema),
  pool: z.array(z.strictObject({ ...selfPlayWeightsSchema, elo: finite })).check(z.maxLength(1024)),
  rng: rngSchema,
  games: count,
});

export const trainingSchema = z.strictObject({
  /** Adam's step count t (bias corrections). */
  adamT: count,
  /** Learner updates taken (learning-rate and ε schedules). */
  updates: count,
  learnerRng: rngSchema,
  /** The reward scaler's statistics of the discounted return, when rewards are scaled. */
  rewardStats: z.nullable(statsSchema),
  /** The acting RNG (action sampling) of the trainer that wrote the checkpoint, if it has one. */
  actingRng: z.nullable(rngSchema),
  /** Self-play's pool, ratings and draws, when training with self-play. */
  selfPlay: z.optional(selfPlaySchema),
  /**
   * The run's curriculum (environment parameters, each one's lesson and episode window, the
   * sampling RNG), when it has environment parameters; the definitions are checked on resume.
   */
  curriculum: z.optional(z.strictObject({
    parameters: z.record(z.string(), z.unknown()),
    progress: z.record(z.string(), z.strictObject({ lesson: count, episodes: count, recent: z.array(finite), smoothed: z.nullable(finite) })),
    rng: rngSchema,
  })),
  /**
   * With `config.gail` / `config.behavioralCloning`: the discriminator's Adam step count and
   * sampling RNG (its weights and moments are `training/gail/*` tensors), and behaviour cloning's
   * batch position (the RNG before the current pass's shuffle, the next row of it or null).
   */
  demonstrations: z.optional(z.strictObject({
    gail: z.nullable(z.strictObject({ adamT: count, rng: rngSchema })),
    bc: z.nullable(z.strictObject({ rng: rngSchema, cursor: z.nullable(count) })),
  })),
});
export type TrainingJson = z.infer<typeof trainingSchema>;

const weightSpec = z.strictObject({
  name: z.string().check(z.maxLength(LIMITS.maxNameLength)),
  shape: z.array(count).check(z.maxLength(8)),
  dtype: z.literal('float32', { error: 'expected "float32"' }),
});

/** Strict like every object here: an unknown top-level field is refused (a typo, or not a brain). */
export const manifestSchema = z.strictObject({
  format: z.string(),
  formatVersion: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  sdkVersion: z.optional(z.string().check(z.maxLength(LIMITS.maxNameLength))),
  env: z.string({ error: 'expected a string' }).check(z.maxLength(LIMITS.maxNameLength)),
  observationSpace: spaceSchema,
  actionSpace: spaceSchema,
  config: configSchema,
  /** The observation's named inputs (format 3); decodeBrain checks each (observationInputsProblem). */
  observationInputs: z.optional(z.array(z.unknown()).check(z.maxLength(256))),
  normalizer: z.optional(z.strictObject({ observation: z.nullable(statsSchema) })),
  policyVersion: count,
  steps: count,
  training: z.optional(trainingSchema),
  /** Written for tfjs tooling (`phaser-ppo 0.1.0`); not read. */
  generatedBy: z.optional(z.string().check(z.maxLength(LIMITS.maxNameLength))),
  weightsManifest: z.array(z.strictObject({
    paths: z.array(z.string()).check(z.length(1, { error: 'expected one weights file' })),
    // Conv stacks add two tensors per layer, per grid, per net.
    weights: z.array(weightSpec).check(z.maxLength(1024)),
  })).check(z.length(1, { error: 'expected one group (one weights file)' })),
});
export type ManifestJson = z.infer<typeof manifestSchema>;

/**
 * The first problem zod found, as `config.hiddenSizes[1]: expected a positive integer, got -3`
 * (the value read back from the input by its path), plus how many more there are.
 */
export function describeIssues(error: z.core.$ZodError, input: unknown): string {
  const [first, ...rest] = error.issues;
  if (!first) return 'invalid';
  const path = formatPath(first.path);
  let what: string;
  if (first.code === 'unrecognized_keys') {
    what = `${path || 'the manifest'}: unknown field${first.keys.length > 1 ? 's' : ''} ${first.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  } else {
    const found = valueAt(input, first.path);
    what = `${path || 'the manifest'}: ${messageOf(first)}, got ${found.present ? show(found.value) : 'nothing'}`;
  }
  return rest.length > 0 ? `${what} (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : what;
}

/**
 * The issue's own message where a schema set one; zod/mini ships no default wording (its messages
 * are all "Invalid input"), so the common cases are worded here.
 */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.message !== 'Invalid input') return issue.message;
  const items = (origin: string) => (origin === 'array' ? ' items' : origin === 'string' ? ' characters' : '');
  switch (issue.code) {
    case 'invalid_type': return `expected ${issue.expected === 'int' ? 'an integer' : issue.expected === 'array' ? 'an array' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
    case 'invalid_value': return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_big': return `expected at most ${issue.maximum}${items(issue.origin)}`;
    case 'too_small': return `expected at least ${issue.minimum}${items(issue.origin)}`;
    case 'invalid_union': return 'expected one of the allowed forms';
    default: return issue.message;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? String(k) : `${s}.${String(k)}`), '');
}

/** Walks own properties only, so a path through `__proto__` reads nothing inherited. */
function valueAt(input: unknown, path: readonly PropertyKey[]): { present: boolean; value?: unknown } {
  let v = input;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return { present: false };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { present: true, value: v };
}

function show(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    // A manifest handed in as an object (not parsed text) may be cyclic, or hold a BigInt.
    return Array.isArray(v) ? 'an array' : typeof v;
  }
  if (s === undefined) return String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
