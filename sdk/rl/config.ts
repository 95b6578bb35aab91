/**
 * One config for the PPO learner. Defaults are CleanRL's `ppo.py` (CartPole), see
 * ../shared/PPO.md "Defaults to start from"; per-environment configs override a few fields.
 */
import { ConfigError } from '../core/errors.js';
import { convStackProblem, describeInput, type ConvLayerConfig, type ObservationInput } from './conv.js';

export interface PPOConfig {
  /** Parallel environment copies stepped in lockstep. */
  numEnvs: number;
  /** Steps per environment per rollout; a rollout holds numEnvs × numSteps transitions. */
  numSteps: number;
  /** Transitions of the whole run; an `'anneal'` schedule spans it. */
  totalSteps: number;
  /** Adam learning rate at the start of training (all of it with the `'constant'` schedule). */
  learningRate: number;
  /**
   * How the learning rate (and ε with `annealClip`) evolve. `'anneal'` (default; CleanRL's
   * `anneal_lr`): linearly to 0 over `totalSteps`, after which updates change nothing and
   * `UpdateStats.scheduleDone` is true. `'constant'`: `learningRate` for ever, for open-ended
   * training (live behaviors in a scene default to it, so an NPC never silently stops learning).
   * Replaces `annealLr` (true = `'anneal'`, false = `'constant'`), which configs may still hold.
   */
  schedule: LearningSchedule;
  /** Discount factor γ. */
  gamma: number;
  /** GAE λ. */
  gaeLambda: number;
  /** Minibatches per epoch; minibatch size = numEnvs × numSteps / numMinibatches. */
  numMinibatches: number;
  /** Passes over each rollout. */
  updateEpochs: number;
  /** Normalize advantages per minibatch (mean 0, sample std 1). */
  normAdv: boolean;
  /** Surrogate clipping ε. */
  clipCoef: number;
  /** Anneal ε linearly to 0 over `totalSteps` too (PPO paper, Atari); only with the `'anneal'` schedule. */
  annealClip: boolean;
  /** Use the clipped value loss (clipped around the acting critic's value by `valueClipCoef`). */
  clipVloss: boolean;
  /** Clip range ε̂ of the value loss; CleanRL uses ε itself. */
  valueClipCoef: number;
  /** Entropy bonus coefficient c_ent. */
  entCoef: number;
  /** Value loss coefficient c_v. */
  vfCoef: number;
  /** Clip the global gradient norm (actor and critic together) to this. */
  maxGradNorm: number;
  /** Stop an update early once approximate KL passes this (see `targetKlCheck`); null disables. */
  targetKl: number | null;
  /**
   * When `targetKl` is checked. `'minibatch'` (default), as Stable-Baselines3's `PPO.train`: before
   * each Adam step, on that minibatch's KL against 1.5 × targetKl; the step is skipped and the
   * update ends (fires even with `updateEpochs: 1`). `'epoch'`, as CleanRL's `ppo.py`: after each
   * epoch, on its last minibatch's KL against targetKl (never cuts the last epoch short).
   */
  targetKlCheck: TargetKlCheck;
  /**
   * How an update treats rows that older weights acted (policy lag > 0: a live scene's rows acted
   * before new weights arrived, overlapping `--workers N`, the page's fast mode on several workers).
   * `'ppo'` (default): PPO's own objective, the ratio and its clip taken against the policy that
   * acted (its recorded log-probs) and plain GAE, as Sample Factory's APPO without V-trace.
   * `'decoupled'`: the clip centred on the learner's weights at the start of the update (π_prox),
   * a truncated behaviour weight min(1, π_prox/μ), Retrace traces and V-trace targets (PPO.md,
   * "Beyond the lecture"). At policy lag 1 with balance's and lander's learning rate (1e-3),
   * 'decoupled' reached about half the return of lag-0 training and 'ppo' 88–90% of it (README,
   * "Stale rollouts"). Rows that acted with the current weights train the same either way.
   */
  staleRollouts: StaleRollouts;
  /** Hidden layer widths of both the actor and the critic MLPs (tanh). */
  hiddenSizes: number[];
  /**
   * The conv encoder of grid inputs (grid sensors): layers run on each grid, in the actor and in
   * the critic, before the MLP ('valid' padding, ReLU). Default two 3×3 layers of 16 and 32
   * filters; `[]` flattens grids into the MLP input like any other values. Unused without grids.
   */
  convLayers: ConvLayerConfig[];
  /** Initial log standard deviation of the Gaussian policy (continuous actions). */
  initLogStd: number;
  /** Running mean/std normalization of observations. */
  normalizeObs: boolean;
  /** Normalized observations are clipped to ±obsClip. */
  obsClip: number;
  /** Scale rewards by the running std of the discounted return. */
  normalizeReward: boolean;
  /** Scaled rewards are clipped to ±rewardClip. */
  rewardClip: number;
  /** Adam ε (1e-5 as CleanRL, not PyTorch's 1e-8). */
  adamEps: number;
  /** Seed of every random choice: init, sampling, shuffling, environment resets. */
  seed: number;
  /**
   * Updates in a row that may go non-finite (and be discarded, weights and optimizer restored)
   * before training stops with a TrainingFaultError.
   */
  maxConsecutiveFaults: number;
  /**
   * Self-play (ML-Agents' `self_play` section): the behavior's agents are split by `Agent.team`;
   * one team learns while the others act with a frozen snapshot from a pool of the learner's past
   * weights. null (default): every agent learns. Fields left out take ML-Agents' defaults
   * ({@link DEFAULT_SELF_PLAY}); see {@link SelfPlayConfig}.
   */
  selfPlay: Partial<SelfPlayConfig> | null;
  /**
   * Behaviour cloning during PPO, as ML-Agents' `behavioral_cloning`: each minibatch step adds
   * `strength · NLL` of a batch of demonstration decisions to the PPO loss. Null (default): none.
   * The demonstrations are given to the trainer (`FastTrainerOptions.demonstrations`), not stored
   * in the brain; `demo` records which ones (path or key, and hash) so a resumed run can find them.
   */
  behavioralCloning: BehavioralCloningConfig | null;
  /**
   * GAIL, as ML-Agents' `gail` reward signal: a discriminator learns to tell the demonstrations
   * from the policy's decisions, and `strength · −log(1 − D)` is added to every reward. Null
   * (default): none. Demonstrations as for {@link behavioralCloning}.
   */
  gail: GailConfig | null;
}

/** Which demonstrations a run learned from: a path (Node) or an IndexedDB key (page), and the SHA-256 of their data. */
export interface DemonstrationRef {
  source: string;
  /** 64 lowercase hex digits. */
  sha256: string;
}

/** See {@link PPOConfig.behavioralCloning}; `resolveConfig` fills the optional fields. */
export interface BehavioralCloningConfig {
  /** Weight of the cloning loss against the PPO loss at the start, > 0 (ML-Agents' typical 0.1 – 1). */
  strength: number;
  /** Transitions over which the strength anneals linearly to 0; 0 (default) keeps it constant. */
  steps?: number;
  /** Demonstration decisions per minibatch step. Default: the PPO minibatch size. */
  batchSize?: number;
  demo?: DemonstrationRef | null;
}

/** See {@link PPOConfig.gail}; `resolveConfig` fills the optional fields. */
export interface GailConfig {
  /** Scale of the GAIL reward added to the (scaled) extrinsic reward, > 0 (ML-Agents: 0.01 – 1). */
  strength: number;
  /** Hidden width of the discriminator's two layers. Default 64. */
  encodingSize?: number;
  /** Discriminate observation-action pairs (true) or observations alone (false, default). */
  useActions?: boolean;
  /** Discriminator Adam learning rate. Default 3e-4. */
  learningRate?: number;
  /**
   * GAIL's own discount, in (0, 1): the critic gets a second output (a value head per reward
   * signal, as ML-Agents) whose returns use this γ; the policy's advantage is the sum of both
   * signals'. Default 0.99 (ML-Agents'). Null: GAIL's reward is added to the extrinsic one and
   * shares its critic and `gamma` (how brains saved before this field load).
   */
  gamma?: number | null;
  demo?: DemonstrationRef | null;
}

/**
 * The critic's outputs a config asks for: one per reward signal with a value head of its own
 * (the extrinsic reward, and GAIL unless its `gamma` is null).
 */
export function valueHeadsOf(config: Pick<PPOConfig, 'gail'>): number {
  return config.gail && config.gail.gamma !== null ? 2 : 1;
}

/**
 * Self-play settings, as ML-Agents names them (camelCase). Every count is in the learning team's
 * transitions trained on (the trainer's `step`).
 */
export interface SelfPlayConfig {
  /** Transitions between two snapshots of the learning policy joining the pool (`save_steps`, 20,000). */
  saveSteps: number;
  /** Snapshots the pool keeps; a new one replaces the oldest (`window`, 10). */
  window: number;
  /** Transitions between two draws of the opponent snapshot (`swap_steps`, 2,000). */
  swapSteps: number;
  /**
   * Transitions before the learning team changes to the next team (`team_change`, 5 × saveSteps
   * = 100,000). In a symmetric game with egocentric observations it only matters when the teams'
   * places differ (a left and a right side).
   */
  teamChange: number;
  /**
   * Chance that a draw picks the current (latest) weights rather than a pool snapshot
   * (`play_against_latest_model_ratio`, 0.5).
   */
  playAgainstLatestModelRatio: number;
  /** ELO the learning policy starts at (`initial_elo`, 1200). */
  initialElo: number;
}

/** ML-Agents' self-play defaults (`mlagents/trainers/settings.py` `SelfPlaySettings`). */
export const DEFAULT_SELF_PLAY: Readonly<SelfPlayConfig> = Object.freeze({
  saveSteps: 20_000,
  window: 10,
  swapSteps: 2_000,
  teamChange: 100_000,
  playAgainstLatestModelRatio: 0.5,
  initialElo: 1200,
});

/** See {@link PPOConfig.schedule}. */
export type LearningSchedule = 'anneal' | 'constant';
/** See {@link PPOConfig.targetKlCheck}. */
export type TargetKlCheck = 'minibatch' | 'epoch';
/** See {@link PPOConfig.staleRollouts}. */
export type StaleRollouts = 'ppo' | 'decoupled';

/** Fields older configs (and brains) may hold, mapped onto today's on resolve. */
export interface LegacyConfigFields {
  /** @deprecated Use `schedule`: true is `'anneal'`, false is `'constant'`. */
  annealLr?: boolean;
}

export const DEFAULT_PPO_CONFIG: Readonly<PPOConfig> = Object.freeze({
  numEnvs: 4,
  numSteps: 128,
  totalSteps: 500_000,
  learningRate: 2.5e-4,
  schedule: 'anneal',
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  annealClip: false,
  clipVloss: true,
  valueClipCoef: 0.2,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null,
  targetKlCheck: 'minibatch',
  staleRollouts: 'ppo',
  hiddenSizes: [64, 64],
  convLayers: [{ filters: 16, kernel: 3, stride: 1 }, { filters: 32, kernel: 3, stride: 1 }],
  initLogStd: 0,
  normalizeObs: false,
  obsClip: 10,
  normalizeReward: false,
  rewardClip: 10,
  adamEps: 1e-5,
  seed: 1,
  maxConsecutiveFaults: 5,
  selfPlay: null,
  behavioralCloning: null,
  gail: null,
});

/** A validated config with the sizes derived from it. */
export interface ResolvedConfig extends Omit<PPOConfig, 'selfPlay'> {
  /** Self-play settings with every field filled in, or null without self-play. */
  selfPlay: SelfPlayConfig | null;
  /** numEnvs × numSteps. */
  batchSize: number;
  /** batchSize / numMinibatches. */
  minibatchSize: number;
  /** totalSteps / batchSize, rounded down (at least 1). */
  numUpdates: number;
}

const KEYS = new Set(Object.keys(DEFAULT_PPO_CONFIG));
const LEGACY_KEYS = new Set<string>(['annealLr'] satisfies (keyof LegacyConfigFields)[]);

/**
 * Caps on the sizes a config allocates by, checked before anything is allocated: past them a
 * typo (`numSteps: 1e9`) would end in a RangeError or an out-of-memory crash, not a message.
 */
export const CONFIG_LIMITS = {
  /** Environment copies (each a live env in memory). */
  numEnvs: 4096,
  /** Transitions per rollout, numEnvs × numSteps (each row holds the observation and more). */
  batchSize: 2 ** 24,
  /** Conv layers, and each one's filters and kernel side. */
  convLayers: 8,
  convFilters: 1024,
  convKernel: 32,
  /** Parameters of a whole actor-critic network with conv stacks (a grid with too little striding explodes the first MLP layer). */
  parameters: 4_000_000,
} as const;

/**
 * Merges `overrides` over the defaults, checks every field and derives batch sizes.
 * Throws {@link ConfigError} naming the field, the value and what is allowed.
 */
export function resolveConfig(overrides: Partial<PPOConfig> & LegacyConfigFields = {}): ResolvedConfig {
  // Configs come from JSON files, brains and worker messages too: check the shape before reading it.
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new ConfigError('(config)', `expected an object of PPOConfig fields, got ${show(overrides)}`);
  }
  for (const key of Object.keys(overrides)) {
    if (!KEYS.has(key) && !LEGACY_KEYS.has(key)) {
      throw new ConfigError(key, `unknown field; known fields are ${[...KEYS].join(', ')}`);
    }
  }
  const { annealLr, ...fields } = overrides;
  const c: PPOConfig = { ...DEFAULT_PPO_CONFIG, ...fields, ...scheduleOf(annealLr, fields.schedule), hiddenSizes: fields.hiddenSizes ?? [...DEFAULT_PPO_CONFIG.hiddenSizes],
    convLayers: fields.convLayers ?? DEFAULT_PPO_CONFIG.convLayers };

  positiveInt(c, 'numEnvs');
  positiveInt(c, 'numSteps');
  positiveInt(c, 'totalSteps');
  positiveInt(c, 'numMinibatches');
  positiveInt(c, 'updateEpochs');
  positiveInt(c, 'maxConsecutiveFaults');
  inRange(c, 'learningRate', 0, 1, false);
  inRange(c, 'gamma', 0, 1, true);
  inRange(c, 'gaeLambda', 0, 1, true);
  inRange(c, 'clipCoef', 0, 10, false);
  inRange(c, 'valueClipCoef', 0, Infinity, false);
  nonNegative(c, 'entCoef');
  nonNegative(c, 'vfCoef');
  inRange(c, 'maxGradNorm', 0, Infinity, false);
  inRange(c, 'obsClip', 0, Infinity, false);
  inRange(c, 'rewardClip', 0, Infinity, false);
  inRange(c, 'adamEps', 0, 1, false);
  oneOf(c, 'schedule', ['anneal', 'constant']);
  oneOf(c, 'targetKlCheck', ['minibatch', 'epoch']);
  oneOf(c, 'staleRollouts', ['ppo', 'decoupled']);
  for (const key of ['normAdv', 'annealClip', 'clipVloss', 'normalizeObs', 'normalizeReward'] as const) {
    if (typeof c[key] !== 'boolean') throw new ConfigError(key, `expected true or false, got ${show(c[key])}`);
  }
  if (c.targetKl !== null && !(typeof c.targetKl === 'number' && c.targetKl > 0 && Number.isFinite(c.targetKl))) {
    throw new ConfigError('targetKl', `expected a positive number or null, got ${show(c.targetKl)}`);
  }
  if (typeof c.initLogStd !== 'number' || !Number.isFinite(c.initLogStd) || Math.abs(c.initLogStd) > 5) {
    throw new ConfigError('initLogStd', `expected a finite number in [-5, 5], got ${show(c.initLogStd)}`);
  }
  if (!Number.isSafeInteger(c.seed)) throw new ConfigError('seed', `expected an integer, got ${show(c.seed)}`);
  if (!Array.isArray(c.hiddenSizes) || c.hiddenSizes.length === 0 || c.hiddenSizes.length > 8
    || !c.hiddenSizes.every((h) => Number.isInteger(h) && h >= 1 && h <= 4096)) {
    throw new ConfigError('hiddenSizes', `expected 1 to 8 layer widths, each an integer in [1, 4096], got ${show(c.hiddenSizes)}`);
  }
  // A copy, so the caller's array cannot change the resolved config afterwards.
  c.hiddenSizes = [...c.hiddenSizes];
  c.convLayers = resolveConvLayers(c.convLayers);
  const selfPlay = resolveSelfPlay(c.selfPlay);
  c.behavioralCloning = resolveBehavioralCloning(c.behavioralCloning);
  c.gail = resolveGail(c.gail);

  if (c.numEnvs > CONFIG_LIMITS.numEnvs) throw new ConfigError('numEnvs', `expected at most ${CONFIG_LIMITS.numEnvs}, got ${show(c.numEnvs)}`);
  const batchSize = c.numEnvs * c.numSteps;
  if (batchSize > CONFIG_LIMITS.batchSize) {
    throw new ConfigError('numSteps', `numEnvs ${c.numEnvs} × numSteps ${c.numSteps} = ${batchSize} transitions per rollout, over the ${CONFIG_LIMITS.batchSize} limit`);
  }
  if (batchSize % c.numMinibatches !== 0) {
    throw new ConfigError('numMinibatches', `must divide numEnvs × numSteps = ${batchSize}; got ${c.numMinibatches}`);
  }
  const minibatchSize = batchSize / c.numMinibatches;
  if (minibatchSize < 2) {
    throw new ConfigError('numMinibatches', `leaves minibatches of ${minibatchSize} sample; advantage normalization needs at least 2`);
  }
  if (c.behavioralCloning) c.behavioralCloning.batchSize ??= minibatchSize;
  return { ...c, selfPlay, batchSize, minibatchSize, numUpdates: Math.max(1, Math.floor(c.totalSteps / batchSize)) };
}

const SELF_PLAY_KEYS = Object.keys(DEFAULT_SELF_PLAY) as (keyof SelfPlayConfig)[];

/** `selfPlay` merged over {@link DEFAULT_SELF_PLAY} and checked, or null (no self-play). */
function resolveSelfPlay(v: unknown): SelfPlayConfig | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError('selfPlay', `expected null or an object of ${SELF_PLAY_KEYS.join(', ')}, got ${show(v)}`);
  for (const key of Object.keys(v)) {
    if (!(SELF_PLAY_KEYS as string[]).includes(key)) throw new ConfigError(fieldPath('selfPlay', key), `unknown field; known fields are ${SELF_PLAY_KEYS.join(', ')}`);
  }
  const given = v as Partial<SelfPlayConfig>;
  // teamChange follows saveSteps when only saveSteps is given, as ML-Agents' default does.
  const s: SelfPlayConfig = { ...DEFAULT_SELF_PLAY, ...(given.saveSteps !== undefined && given.teamChange === undefined ? { teamChange: 5 * given.saveSteps } : {}), ...given };
  for (const key of ['saveSteps', 'window', 'swapSteps', 'teamChange'] as const) {
    const x: unknown = s[key];
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 1) throw new ConfigError(`selfPlay.${key}`, `expected a positive integer (transitions${key === 'window' ? ', or snapshots for window' : ''}), got ${show(x)}`);
  }
  const r: unknown = s.playAgainstLatestModelRatio;
  if (typeof r !== 'number' || !(r >= 0 && r <= 1)) throw new ConfigError('selfPlay.playAgainstLatestModelRatio', `expected a number in [0, 1], got ${show(r)}`);
  const e: unknown = s.initialElo;
  if (typeof e !== 'number' || !Number.isFinite(e)) throw new ConfigError('selfPlay.initialElo', `expected a finite number, got ${show(e)}`);
  return { ...s };
}

const CONV_KEYS = ['filters', 'kernel', 'stride'] as const;

/** Checks `convLayers`' own shape (the grid sizes are checked with the behavior's inputs: {@link checkNetwork}); returns a copy. */
function resolveConvLayers(v: unknown): ConvLayerConfig[] {
  if (!Array.isArray(v) || v.length > CONFIG_LIMITS.convLayers) {
    throw new ConfigError('convLayers', `expected an array of 0 to ${CONFIG_LIMITS.convLayers} layers { filters, kernel, stride? } ([] flattens grids into the MLP), got ${show(v)}`);
  }
  return v.map((layer: unknown, l) => {
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) throw new ConfigError(`convLayers[${l}]`, `expected an object { filters, kernel, stride }, got ${show(layer)}`);
    const o = subFields(layer, `convLayers[${l}]`, CONV_KEYS);
    const int = (key: typeof CONV_KEYS[number], max: number) => {
      const x = key === 'stride' && o.stride === undefined ? 1 : o[key];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > max) {
        throw new ConfigError(`convLayers[${l}].${key}`, `expected an integer in [1, ${max}], got ${show(x)}`);
      }
      return x;
    };
    return { filters: int('filters', CONFIG_LIMITS.convFilters), kernel: int('kernel', CONFIG_LIMITS.convKernel), stride: int('stride', CONFIG_LIMITS.convKernel) };
  });
}

/**
 * Checks the network a config builds over a behavior's inputs: every conv kernel fits the grid
 * (or the layer below's output), no output collapses to 0, and the parameter count stays under
 * {@link CONFIG_LIMITS.parameters}. Throws {@link ConfigError} naming `convLayers[i]` or the sizes.
 */
export function checkNetwork(config: Pick<PPOConfig, 'convLayers' | 'hiddenSizes'>, inputs: readonly ObservationInput[], parameters: () => number): void {
  if (config.convLayers.length > 0) {
    for (const input of inputs) {
      if (input.kind !== 'grid') continue;
      const problem = convStackProblem(input.shape, config.convLayers, 'convLayers');
      if (problem) throw new ConfigError('convLayers', `${problem} of ${describeInput(input)}; use smaller kernels or strides, fewer layers, or convLayers: [] to flatten the grid`);
    }
  }
  const n = parameters();
  // Only conv nets: there a grid with too little striding silently multiplies the first MLP layer
  // (plain MLPs keep the learner's own larger cap, MAX_PARAMETERS in spec-check.ts).
  const conv = config.convLayers.length > 0 && inputs.some((i) => i.kind === 'grid');
  if (conv && n > CONFIG_LIMITS.parameters) {
    throw new ConfigError('convLayers',
      `the network over ${inputs.map(describeInput).join(', ')} would have ${n} parameters, over the ${CONFIG_LIMITS.parameters} limit for conv networks; `
      + 'use strides > 1 or fewer filters in convLayers, coarser grids, or smaller hiddenSizes');
  }
}

/** `field.key`, or `field["odd key"]` (whitespace escaped) for a key that is not a plain word, so a message names one field path without blanks. */
function fieldPath(field: string, key: string): string {
  return /^\w+$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key).replace(/\s/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}]`;
}

/** Fields of an object-valued config field: an object with only `allowed` keys, else a ConfigError naming `field`. */
function subFields(v: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(field, `expected an object or null, got ${show(v)}`);
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) throw new ConfigError(fieldPath(field, key), `unknown field; known fields are ${allowed.join(', ')}`);
  }
  return v as Record<string, unknown>;
}

function subNumber(o: Record<string, unknown>, field: string, key: string, fallback: number | undefined, ok: (x: number) => boolean, allowed: string): number {
  const v = o[key] === undefined ? fallback : o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ConfigError(`${field}.${key}`, `expected ${allowed}, got ${show(v)}`);
  return v;
}

function demoRef(v: unknown, field: string): DemonstrationRef | null {
  if (v === undefined || v === null) return null;
  const o = subFields(v, `${field}.demo`, ['source', 'sha256']);
  if (typeof o.source !== 'string' || o.source.length === 0 || o.source.length > 4096) {
    throw new ConfigError(`${field}.demo.source`, `expected the demonstrations' path or key (1 to 4096 characters), got ${show(o.source)}`);
  }
  if (typeof o.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.sha256)) {
    throw new ConfigError(`${field}.demo.sha256`, `expected the SHA-256 of the demonstrations as 64 lowercase hex digits, got ${show(o.sha256)}`);
  }
  return { source: o.source, sha256: o.sha256 };
}

function resolveBehavioralCloning(v: unknown): BehavioralCloningConfig | null {
  if (v === null || v === undefined) return null;
  const f = 'behavioralCloning';
  const o = subFields(v, f, ['strength', 'steps', 'batchSize', 'demo']);
  const strength = subNumber(o, f, 'strength', undefined, (x) => x > 0 && x <= 100, 'a number in (0, 100]');
  const steps = subNumber(o, f, 'steps', 0, (x) => Number.isSafeInteger(x) && x >= 0, 'a whole number of transitions ≥ 0 (0: no annealing)');
  const out: BehavioralCloningConfig = { strength, steps, demo: demoRef(o.demo, f) };
  if (o.batchSize !== undefined) out.batchSize = subNumber(o, f, 'batchSize', undefined, (x) => Number.isInteger(x) && x >= 1 && x <= 65_536, 'an integer in [1, 65536]');
  return out;
}

function resolveGail(v: unknown): GailConfig | null {
  if (v === null || v === undefined) return null;
  const f = 'gail';
  const o = subFields(v, f, ['strength', 'encodingSize', 'useActions', 'learningRate', 'gamma', 'demo']);
  const strength = subNumber(o, f, 'strength', undefined, (x) => x > 0 && x <= 100, 'a number in (0, 100]');
  const encodingSize = subNumber(o, f, 'encodingSize', 64, (x) => Number.isInteger(x) && x >= 1 && x <= 1024, 'an integer in [1, 1024]');
  const learningRate = subNumber(o, f, 'learningRate', 3e-4, (x) => x > 0 && x < 1, 'a number in (0, 1)');
  const useActions = o.useActions ?? false;
  if (typeof useActions !== 'boolean') throw new ConfigError(`${f}.useActions`, `expected true or false, got ${show(useActions)}`);
  const gamma = o.gamma === null ? null : subNumber(o, f, 'gamma', 0.99, (x) => x > 0 && x < 1, 'a number in (0, 1), or null to share the extrinsic critic and gamma');
  return { strength, encodingSize, useActions, learningRate, gamma, demo: demoRef(o.demo, f) };
}

/** The schedule an old config's `annealLr` names; both given, they must agree. */
function scheduleOf(annealLr: unknown, schedule: unknown): { schedule?: LearningSchedule } {
  if (annealLr === undefined) return {};
  if (typeof annealLr !== 'boolean') throw new ConfigError('annealLr', `expected true or false (or, better, schedule: 'anneal' | 'constant'), got ${show(annealLr)}`);
  const mapped: LearningSchedule = annealLr ? 'anneal' : 'constant';
  if (schedule !== undefined && schedule !== mapped) {
    throw new ConfigError('annealLr', `is the old name of schedule (true = 'anneal', false = 'constant'); got annealLr ${annealLr} with schedule ${show(schedule)}: keep only schedule`);
  }
  return { schedule: mapped };
}

function oneOf<K extends 'schedule' | 'targetKlCheck' | 'staleRollouts'>(c: PPOConfig, key: K, allowed: readonly PPOConfig[K][]): void {
  if (!allowed.includes(c[key])) throw new ConfigError(key, `expected ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${show(c[key])}`);
}

type NumberKey = { [K in keyof PPOConfig]: PPOConfig[K] extends number ? K : never }[keyof PPOConfig];

function show(v: unknown): string {
  // Never throws: values may be bigints, symbols, cyclic or prototype-less objects.
  try {
    const text = typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? String(v));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return typeof v === 'bigint' ? `${v}n` : `a ${typeof v}`;
  }
}

function positiveInt(c: PPOConfig, key: NumberKey): void {
  const v: unknown = c[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new ConfigError(key, `expected a positive integer, got ${show(v)}`);
  }
}

function nonNegative(c: PPOConfig, key: NumberKey): void {
  const v: unknown = c[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ConfigError(key, `expected a finite number ≥ 0, got ${show(v)}`);
  }
}

function inRange(c: PPOConfig, key: NumberKey, low: number, high: number, highInclusive: boolean): void {
  const v: unknown = c[key];
  const ok = typeof v === 'number' && Number.isFinite(v) && v > low && (highInclusive ? v <= high : v < high);
  if (!ok) {
    const range = `(${low}, ${high}${highInclusive ? ']' : ')'}`.replace('Infinity)', '∞)');
    throw new ConfigError(key, `expected a number in ${range}, got ${show(v)}`);
  }
}

/**
 * The transitions a run trains on: `numUpdates` whole rollouts. A `totalSteps` that is not a
 * whole number of rollouts stops one rollout short of it rather than past it: the learning rate
 * anneals to 0 at `numUpdates`, so one more rollout would be collected and trained at rate 0.
 * Every trainer (Env, game, actor workers, the page's fast worker) stops here.
 */
export function scheduledSteps(c: Pick<ResolvedConfig, 'numUpdates' | 'batchSize'>): number {
  return c.numUpdates * c.batchSize;
}

/** The PPOConfig fields of a resolved config, without the derived sizes (to store, or to resolve again). */
export function configFields(c: ResolvedConfig): PPOConfig & { selfPlay: SelfPlayConfig | null } {
  const { batchSize: _b, minibatchSize: _m, numUpdates: _n, ...fields } = c;
  return fields;
}
