/**
 * Behaviour cloning from demonstrations, on any compute engine (the loss head is
 * imitation-loss.ts; the engine only runs its forward and backward passes):
 *
 * - {@link pretrainBehavioralCloning}: fits a learner's policy to demonstrations before any PPO
 *   update, by negative log-likelihood, with the last episodes held out and reported;
 * - {@link BehavioralCloningTerm}: ML-Agents' `behavioral_cloning` during PPO, an extra loss term
 *   `strength · NLL(demo batch)` in every minibatch step, its strength annealed to 0 over `steps`.
 */
import { PhaserPpoError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { actionSize, spaceToString, spacesEqual, type Space } from '../core/spaces.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import { Adam } from './adam.js';
import type { ActionDistribution } from './distributions.js';
import type { ObservationInput } from './conv.js';
import type { ComputeEngine } from './engine.js';
import { imitationLoss, type ImitationBatch, type ImitationStats } from './imitation-loss.js';
import type { ActorCriticLayout } from './network.js';
import { ObservationNormalizer, RunningMeanStd } from './normalizer.js';

/**
 * Checks that `demo` was recorded for a behavior of these sizes (observation row, action space)
 * and that its arrays hold what they claim; throws naming `where` and the field.
 */
export function checkDemonstrations(demo: DemonstrationData, observationSize: number, space: Space, where: string): void {
  const fail = (msg: string): never => { throw new PhaserPpoError(`${where}: ${msg}`); };
  if (typeof demo !== 'object' || demo === null) fail(`expected a demonstration, got ${demo === null ? 'null' : typeof demo}`);
  if (!Number.isSafeInteger(demo.steps) || demo.steps < 1) fail(`steps must be a positive integer (decisions recorded), got ${String(demo.steps)}`);
  if (demo.observationSize !== observationSize) {
    fail(`observationSize is ${demo.observationSize} but the behavior observes ${observationSize} values; record the demonstrations with this behavior`);
  }
  if (!spacesEqual(demo.actionSpace, space)) fail(`actionSpace is ${spaceToString(demo.actionSpace)} but the behavior acts in ${spaceToString(space)}`);
  const n = demo.steps;
  const maskSize = space.kind === 'discrete' ? space.n : space.kind === 'multiDiscrete' ? space.nvec.reduce((s, x) => s + x, 0)
    : space.kind === 'hybrid' ? space.discrete.nvec.reduce((s, x) => s + x, 0) : 0;
  const arrays: [string, unknown, number, typeof Float32Array | typeof Uint8Array][] = [
    ['observations', demo.observations, n * observationSize, Float32Array], ['actions', demo.actions, n * actionSize(space), Float32Array],
    ['rewards', demo.rewards, n, Float32Array], ['ends', demo.ends, n, Uint8Array],
  ];
  if (demo.masks !== null) arrays.push(['masks', demo.masks, n * maskSize, Uint8Array]);
  for (const [name, arr, len, type] of arrays) {
    if (!(arr instanceof type)) fail(`${name} must be a ${type.name}`);
    if ((arr as Float32Array).length !== len) fail(`${name} holds ${(arr as Float32Array).length} values, expected ${len} (${n} steps)`);
    if (arr instanceof Float32Array) {
      for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i]!)) fail(`${name}[${i}] is ${arr[i]}; demonstrations must be finite`);
    }
  }
  const C = space.kind === 'box' ? space.size : space.kind === 'hybrid' ? space.continuous.size : 0;
  const branches = space.kind === 'discrete' ? [space.n] : space.kind === 'multiDiscrete' ? space.nvec : space.kind === 'hybrid' ? space.discrete.nvec : [];
  const W = C + branches.length;
  for (let i = 0; i < n; i++) {
    if (demo.ends[i]! > 2) fail(`ends[${i}] is ${demo.ends[i]}; expected 0 (continuing), 1 (terminated) or 2 (truncated)`);
    let off = 0;
    for (let b = 0; b < branches.length; b++) {
      const a = demo.actions[i * W + C + b]!;
      if (!Number.isInteger(a) || a < 0 || a >= branches[b]!) fail(`actions of step ${i}, branch ${b}: ${a} is no choice in [0, ${branches[b]})`);
      if (demo.masks && demo.masks[i * maskSize + off + a] === 0) fail(`step ${i}, branch ${b}: the recorded choice ${a} is masked out`);
      off += branches[b]!;
    }
  }
}

/**
 * Observation statistics of the demonstrations: where a policy with `normalizeObs` starts from
 * them. `inputs`: the behavior's observation inputs (its spec's `observationInputs`); grid inputs'
 * dimensions stay at mean 0, variance 1, as the runner's normalizer keeps them (normalizer.ts says why).
 */
export function demonstrationStats(demo: DemonstrationData, inputs: readonly ObservationInput[]): RunningMeanStd {
  // The runner's normalizer decides which dimensions are frozen; the clip plays no part in update.
  const normalizer = new ObservationNormalizer(demo.observationSize, Infinity, undefined, inputs);
  normalizer.update(demo.observations, demo.steps);
  return normalizer.stats;
}

/** Episode boundaries: the row index after each episode's last decision (a trailing unfinished episode counts too). */
export function episodeEnds(demo: DemonstrationData): number[] {
  const ends: number[] = [];
  for (let i = 0; i < demo.steps; i++) if (demo.ends[i] !== 0) ends.push(i + 1);
  if (ends[ends.length - 1] !== demo.steps) ends.push(demo.steps);
  return ends;
}

/**
 * Where shuffled demonstration batches stand: the RNG state before the current pass was shuffled
 * and the next row of it (`cursor` null before the first pass: `rng` is then the state now).
 */
export interface BatchPosition {
  rng: number[];
  cursor: number | null;
}

/**
 * Demonstration rows as the policy sees them (observations normalized with the behavior's
 * statistics as they stand), drawn in shuffled batches.
 */
export class DemonstrationBatches {
  readonly rows: number;
  private readonly obs: Float32Array;
  private readonly perm: Int32Array;
  private cursor: number;
  private readonly obsW: number;
  private readonly actW: number;
  private readonly maskW: number;
  /** The first demo row of this set. */
  private readonly from: number;
  private normalized: Float32Array | null = null;
  /** The RNG's state before the current pass was shuffled; null before the first pass. */
  private passRng: number[] | null = null;
  private batchObs = new Float32Array(0);
  readonly batch: ImitationBatch;

  /** Rows `[from, to)` of `demo` (already checked by {@link checkDemonstrations}). */
  constructor(private readonly demo: DemonstrationData, private readonly dist: ActionDistribution, private readonly rng: Rng, from = 0, to = demo.steps) {
    if (!(to > from)) throw new PhaserPpoError(`demonstrations: rows [${from}, ${to}) are empty`);
    this.rows = to - from;
    this.obsW = demo.observationSize;
    this.actW = dist.actionSize;
    this.maskW = dist.maskSize;
    this.obs = Float32Array.from(demo.observations.subarray(from * this.obsW, to * this.obsW));
    this.perm = Int32Array.from({ length: this.rows }, (_, i) => from + i);
    this.cursor = this.rows;
    this.batch = { size: 0, actorOut: new Float32Array(0), actions: new Float32Array(0), masks: null };
    this.from = from;
  }

  /** Normalizes the observations with `stats` (null: raw), as the behavior's runner does now. */
  normalize(stats: RunningMeanStd | null, clip: number): void {
    if (!stats) { this.normalized = null; return; }
    this.normalized ??= new Float32Array(this.obs.length);
    new ObservationNormalizer(this.obsW, clip, stats).normalize(this.obs, this.rows, this.normalized);
  }

  /** Observations of every row, in order (normalized when {@link normalize} was given statistics). */
  get observations(): Float32Array {
    return this.normalized ?? this.obs;
  }

  /**
   * Gathers the next `size` rows of a shuffled pass (a new pass, reshuffled, when one runs out)
   * into {@link batch} and returns their observations.
   */
  next(size: number): Float32Array {
    const B = Math.min(size, this.rows);
    this.reserve(B);
    for (let k = 0; k < B; k++) {
      if (this.cursor >= this.rows) this.newPass();
      this.copyRow(this.perm[this.cursor++]!, k);
    }
    this.batch.size = B;
    return this.batchObs;
  }

  /**
   * Starts a pass: the rows shuffled from their order, not from the last pass's, so a pass depends
   * only on the RNG state before it (what {@link position} saves), as the learner's shuffle does.
   */
  private newPass(): void {
    this.passRng = this.rng.getState();
    for (let i = 0; i < this.rows; i++) this.perm[i] = this.from + i;
    this.rng.shuffle(this.perm);
    this.cursor = 0;
  }

  /** Where the batches stand, for a checkpoint: the RNG before the current pass's shuffle and the row reached in it. */
  position(): BatchPosition {
    return this.passRng ? { rng: [...this.passRng], cursor: this.cursor } : { rng: this.rng.getState(), cursor: null };
  }

  /** Continues from a {@link position} of batches over the same rows (and the same RNG stream). */
  seek(p: BatchPosition): void {
    if (p.cursor !== null && !(Number.isSafeInteger(p.cursor) && p.cursor >= 0 && p.cursor <= this.rows)) {
      throw new RangeError(`behaviour cloning's saved position ${p.cursor} is outside the demonstrations' ${this.rows} rows (were they changed?)`);
    }
    this.rng.setState(p.rng);
    if (p.cursor === null) {
      this.passRng = null;
      this.cursor = this.rows;
      return;
    }
    this.newPass();
    this.cursor = p.cursor;
  }

  /** Gathers rows `[start, start + size)` of this set, in order (for evaluation). */
  slice(start: number, size: number): Float32Array {
    this.reserve(size);
    for (let k = 0; k < size; k++) this.copyRow(this.from + start + k, k);
    this.batch.size = size;
    return this.batchObs;
  }

  private copyRow(i: number, k: number): void {
    const { obsW, actW, maskW, demo, batch } = this;
    const src = this.observations;
    const r = i - this.from;
    for (let j = 0; j < obsW; j++) this.batchObs[k * obsW + j] = src[r * obsW + j]!;
    for (let j = 0; j < actW; j++) batch.actions[k * actW + j] = demo.actions[i * actW + j]!;
    if (batch.masks) for (let j = 0; j < maskW; j++) batch.masks[k * maskW + j] = demo.masks![i * maskW + j]!;
  }

  private reserve(B: number): void {
    if (this.batchObs.length >= B * this.obsW && this.batch.actions.length >= B * this.actW) return;
    this.batchObs = new Float32Array(B * this.obsW);
    this.batch.actions = new Float32Array(B * this.actW);
    this.batch.masks = this.demo.masks ? new Uint8Array(B * this.maskW) : null;
  }
}

/** The network, its weights and the engine a cloning step works on: a `PPOLearner`'s. */
export interface ClonedPolicy {
  readonly engine: ComputeEngine;
  readonly layout: ActorCriticLayout;
  readonly dist: ActionDistribution;
  /** The flat weights, updated in place. */
  params: Float32Array;
  version: number;
}

/**
 * Runs forward on a gathered demo batch, adds `weight ·` its imitation-loss gradient into
 * `grads` (all parameters, log-std included) using `scratch` for the engine's backward pass.
 */
export function addImitationGradient(p: ClonedPolicy, obs: Float32Array, batch: ImitationBatch, weight: number, fitLogStd: boolean,
  grads: Float32Array, scratch: { dActorOut: Float32Array; dValues: Float32Array; grads: Float32Array; dLogStd: Float32Array | null }): ImitationStats {
  const { engine, layout, dist } = p;
  const B = batch.size;
  const out = engine.forward(obs, B);
  batch.actorOut = out.actorOut;
  scratch.dActorOut.fill(0, 0, B * dist.outputSize);
  // Every value head's gradient is 0: cloning trains the actor only.
  const V = B * layout.valueHeads;
  scratch.dValues.fill(0, 0, V);
  scratch.dLogStd?.fill(0);
  const logStd = layout.logStd >= 0 ? p.params.subarray(layout.logStd, layout.logStd + layout.logStdSize) : null;
  const stats = imitationLoss(dist, logStd, batch, weight, scratch.dActorOut, scratch.dLogStd, fitLogStd);
  engine.backward(scratch.dActorOut.subarray(0, B * dist.outputSize), scratch.dValues.subarray(0, V), scratch.grads);
  for (let i = 0; i < grads.length; i++) {
    if (i >= layout.logStd && i < layout.logStd + layout.logStdSize && layout.logStd >= 0) continue;
    grads[i]! += scratch.grads[i]!;
  }
  if (scratch.dLogStd) for (let d = 0; d < layout.logStdSize; d++) grads[layout.logStd + d]! += scratch.dLogStd[d]!;
  return stats;
}

/** Scratch buffers for {@link addImitationGradient} at batch size `B`. */
export function imitationScratch(layout: ActorCriticLayout, dist: ActionDistribution, B: number): { dActorOut: Float32Array; dValues: Float32Array; grads: Float32Array; dLogStd: Float32Array | null } {
  return {
    dActorOut: new Float32Array(B * dist.outputSize), dValues: new Float32Array(B * layout.valueHeads), grads: new Float32Array(layout.size),
    dLogStd: dist.continuous ? new Float32Array(dist.logStdSize) : null,
  };
}

export interface PretrainOptions {
  /** Passes over the training rows. Default 50. */
  epochs?: number;
  /** Rows per Adam step. Default 64. */
  batchSize?: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate?: number;
  /** Fraction of the episodes (the last ones) held out to measure generalization; 0 for none. Default 0.1 (at least one episode when there are two or more). */
  heldOut?: number;
  /** Fit the Gaussian's log-std too (NLL of the spread). Default false: the spread stays the config's `initLogStd` for PPO to explore with. */
  fitLogStd?: boolean;
  /** Observation statistics the rows are normalized with (a `normalizeObs` behavior's); null for raw. */
  observationStats?: RunningMeanStd | null;
  /** Clip of normalized observations (config `obsClip`). Default 10. */
  obsClip?: number;
  /** Shuffling seed. Default 1. */
  seed?: number;
}

/** What pre-training did and how well the result imitates. */
export interface PretrainReport {
  epochs: number;
  /** Adam steps taken. */
  steps: number;
  trainRows: number;
  heldOutRows: number;
  /** On the training rows after the last epoch. */
  train: ImitationStats;
  /** On the held-out episodes after the last epoch; null without a held-out split. */
  heldOut: ImitationStats | null;
  /** The held-out (or, without one, training) NLL after each epoch. */
  nllHistory: number[];
}

/**
 * Behaviour-cloning pre-training: fits `policy`'s actor to `demo` by negative log-likelihood with
 * its own Adam (the PPO optimizer's state is left alone), then uploads the weights and bumps the
 * version. The critic is not touched. Deterministic for a seed.
 *
 * @example
 * const learner = new PPOLearner({ observationSize, actionSpace, config, engine });
 * const stats = demonstrationStats(demo, spec.observationInputs); // the runner's normalizer starts from these
 * const report = pretrainBehavioralCloning(learner, demo, { epochs: 50, observationStats: stats });
 * console.log(report.heldOut?.nll, report.heldOut?.accuracy);
 */
export function pretrainBehavioralCloning(policy: ClonedPolicy, demo: DemonstrationData, options: PretrainOptions = {}): PretrainReport {
  const { layout, dist } = policy;
  checkDemonstrations(demo, layout.observationSize, spaceOfDist(dist, demo.actionSpace), 'behaviour cloning demonstrations');
  const epochs = options.epochs ?? 50;
  const batchSize = options.batchSize ?? 64;
  const lr = options.learningRate ?? 1e-3;
  const heldOutFraction = options.heldOut ?? 0.1;
  if (!Number.isSafeInteger(epochs) || epochs < 1) throw new PhaserPpoError(`behaviour cloning: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new PhaserPpoError(`behaviour cloning: batchSize must be a positive integer, got ${batchSize}`);
  if (!(lr > 0 && lr < 1)) throw new PhaserPpoError(`behaviour cloning: learningRate must be in (0, 1), got ${lr}`);
  if (!(heldOutFraction >= 0 && heldOutFraction < 1)) throw new PhaserPpoError(`behaviour cloning: heldOut must be a fraction in [0, 1), got ${heldOutFraction}`);

  const ends = episodeEnds(demo);
  const held = heldOutFraction > 0 && ends.length >= 2 ? Math.max(1, Math.round(heldOutFraction * ends.length)) : 0;
  const split = held > 0 ? ends[ends.length - 1 - held]! : demo.steps;
  const rng = new Rng(options.seed ?? 1);
  const train = new DemonstrationBatches(demo, dist, rng, 0, split);
  const test = held > 0 ? new DemonstrationBatches(demo, dist, rng, split, demo.steps) : null;
  const clip = options.obsClip ?? 10;
  train.normalize(options.observationStats ?? null, clip);
  test?.normalize(options.observationStats ?? null, clip);

  const adam = new Adam(layout.size);
  const grads = new Float32Array(layout.size);
  const B = Math.min(batchSize, train.rows);
  const scratch = imitationScratch(layout, dist, Math.max(B, 256));
  const fitLogStd = options.fitLogStd ?? false;
  const stepsPerEpoch = Math.ceil(train.rows / B);
  const nllHistory: number[] = [];
  let steps = 0;
  policy.engine.setParams(policy.params);
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < stepsPerEpoch; s++) {
      grads.fill(0);
      const obs = train.next(B);
      addImitationGradient(policy, obs, train.batch, 1, fitLogStd, grads, scratch);
      // No norm clipping: a supervised fit, not a trust region.
      adam.step(policy.params, grads, lr, Infinity);
      policy.engine.setParams(policy.params);
      steps++;
    }
    nllHistory.push(measure(policy, test ?? train, scratch).nll);
  }
  policy.version++;
  return {
    epochs, steps, trainRows: train.rows, heldOutRows: test?.rows ?? 0,
    train: measure(policy, train, scratch), heldOut: test ? measure(policy, test, scratch) : null, nllHistory,
  };
}

/** Imitation statistics of every row of `set` under the policy's current weights. */
function measure(policy: ClonedPolicy, set: DemonstrationBatches, scratch: ReturnType<typeof imitationScratch>): ImitationStats {
  const chunk = 256;
  let nll = 0; let acc = 0; let err = 0;
  const sink = new Float32Array(policy.layout.size);
  for (let start = 0; start < set.rows; start += chunk) {
    const n = Math.min(chunk, set.rows - start);
    const obs = set.slice(start, n);
    const s = addImitationGradient(policy, obs, set.batch, 0, false, sink, scratch);
    nll += s.nll * n; acc += s.accuracy * n; err += s.meanAbsError * n;
  }
  return { nll: nll / set.rows, accuracy: acc / set.rows, meanAbsError: err / set.rows };
}

/** The learner's own space is not kept; the demo's space is checked against the distribution's sizes instead. */
function spaceOfDist(dist: ActionDistribution, demoSpace: Space): Space {
  const C = dist.numContinuous;
  const sameShape = actionSize(demoSpace) === dist.actionSize
    && (demoSpace.kind === 'box' ? demoSpace.size === C && dist.branches.length === 0
      : demoSpace.kind === 'discrete' ? C === 0 && dist.branches.length === 1 && dist.branches[0] === demoSpace.n
        : demoSpace.kind === 'multiDiscrete' ? C === 0 && demoSpace.nvec.every((n, i) => dist.branches[i] === n) && demoSpace.nvec.length === dist.branches.length
          : demoSpace.continuous.size === C && demoSpace.discrete.nvec.length === dist.branches.length && demoSpace.discrete.nvec.every((n, i) => dist.branches[i] === n));
  if (!sameShape) throw new PhaserPpoError(`behaviour cloning demonstrations: actionSpace is ${spaceToString(demoSpace)}, which the policy's action distribution (${C} continuous, branches [${dist.branches.join(', ')}]) cannot score`);
  return demoSpace;
}

/** ML-Agents' `behavioral_cloning` settings, resolved from `PPOConfig.behavioralCloning`. */
export interface BehavioralCloningSettings {
  strength: number;
  steps: number;
  batchSize: number;
}

/**
 * Behaviour cloning during PPO: in every minibatch step, `strength(t) · NLL` of a batch of
 * demonstration rows is added to the PPO loss (its gradient to the PPO gradient, before norm
 * clipping and the one Adam step). `strength(t) = strength · max(0, 1 − t/steps)` over the
 * transitions trained so far `t` (constant when `steps` is 0), as ML-Agents anneals it.
 */
export class BehavioralCloningTerm {
  private batches: DemonstrationBatches | null = null;
  private scratch: ReturnType<typeof imitationScratch>;
  /** Sums of the current update, for its metrics. */
  private nllSum = 0;
  private count = 0;
  /** A checkpoint's position, kept until the demonstrations arrive. */
  private pending: BatchPosition | null = null;

  constructor(private readonly policy: ClonedPolicy, readonly settings: BehavioralCloningSettings, private readonly rng: Rng) {
    this.scratch = imitationScratch(policy.layout, policy.dist, settings.batchSize);
  }

  /** Whether demonstrations were given ({@link setDemonstrations}); without them the term does nothing. */
  get ready(): boolean {
    return this.batches !== null;
  }

  /** The demonstrations to clone (checked), with the statistics their observations are normalized with. */
  setDemonstrations(demo: DemonstrationData, stats: RunningMeanStd | null, clip: number): void {
    checkDemonstrations(demo, this.policy.layout.observationSize, spaceOfDist(this.policy.dist, demo.actionSpace), 'behavioralCloning demonstrations');
    this.batches = new DemonstrationBatches(demo, this.policy.dist, this.rng);
    this.batches.normalize(stats, clip);
    if (this.pending) this.batches.seek(this.pending);
    this.pending = null;
  }

  /** Re-normalizes the demonstrations with the runner's statistics as they stand now (they move while training). */
  setObservationStats(stats: RunningMeanStd | null, clip: number): void {
    this.batches?.normalize(stats, clip);
  }

  /** Where its demonstration batches stand (a checkpoint's part); before {@link setDemonstrations}, the RNG's state. */
  position(): BatchPosition {
    return this.batches ? this.batches.position() : { rng: this.rng.getState(), cursor: null };
  }

  /** Continues from a {@link position}: now, or when the demonstrations are given. */
  seek(p: BatchPosition): void {
    if (this.batches) this.batches.seek(p);
    else if (p.cursor === null) this.rng.setState(p.rng);
    else this.pending = p;
  }

  /** The strength after `transitions` transitions trained. */
  strengthAt(transitions: number): number {
    const { strength, steps } = this.settings;
    return steps === 0 ? strength : strength * Math.max(0, 1 - transitions / steps);
  }

  /** Starts an update's tally. */
  begin(): void {
    this.nllSum = 0;
    this.count = 0;
  }

  /** Adds the term's gradient at `strength` into `grads` (call after the PPO backward pass, before the Adam step). */
  add(strength: number, grads: Float32Array): void {
    if (!this.batches || strength <= 0) return;
    const obs = this.batches.next(this.settings.batchSize);
    const s = addImitationGradient(this.policy, obs, this.batches.batch, strength, true, grads, this.scratch);
    this.nllSum += s.nll;
    this.count++;
  }

  /** The update's mean demo NLL (NaN when the term did not run). */
  meanNll(): number {
    return this.count > 0 ? this.nllSum / this.count : NaN;
  }
}
