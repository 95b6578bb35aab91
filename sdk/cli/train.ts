/**
 * `npm run train -- <env> [options]`: headless PPO training in Node, the main job.
 * Writes OUT/metrics.jsonl (one line per update), OUT/brain.json + its weights file (a checkpoint:
 * the brain with its training state, refreshed every `--checkpoint-every` updates and at the end,
 * so an interrupted or killed run keeps what it learned and `--resume OUT` continues it) and
 * OUT/learning-curve.svg.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, PhaserPpoError } from '../core/errors.js';
import { actionSize } from '../core/spaces.js';
import { fsCause, readRegularFile, writeFileDurable } from '../io/files.node.js';
import { holdsRun, lockRunDir, moveRunAside, RunDirError } from '../io/run-lock.js';
import { checkLearnerSpec } from '../runtime/spec-check.js';
import { assertBrainFits, weightsFileOf, type Brain } from '../io/brain.js';
import { loadBrain, loadRunBrains, saveBrain } from '../io/brain.node.js';
import { configFields, resolveConfig, scheduledSteps, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { engineDeviceOf } from '../rl/metrics.js';
import { SETTLED_EPISODES } from '../rl/episode-window.js';
import type { ComputeEngine } from '../rl/engine.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import type { UpdateMetrics } from '../rl/metrics.js';
import type { ActorCriticLayout } from '../rl/network.js';
import { Trainer } from '../runtime/trainer.js';
import { probeEnv, resolveSource, type Source } from './env-source.js';
import { FastTrainer } from '../runtime/fast-trainer.js';
import { envGame } from '../runtime/env-game.js';
import { defaultWorkers, ParallelTrainer } from '../runtime/parallel-trainer.js';
import type { HeadlessGame } from '../runtime/game.js';
import { EnvParamsError, resolveEnvironmentParameters, type EnvironmentParameters } from '../runtime/env-params.js';
import { CliError, parseTrainArgs, TRAIN_USAGE, type TrainArgs } from './args.js';
import { writeLearningCurve } from './chart.js';
import { MetricsLog, readMetricsLog } from './metrics-log.js';
import { TrainingProgress, formatRunTotals } from './progress.js';
import { describeDemonstrations, runDemonstrations, type RunDemonstrations } from './demos.js';
import type { PretrainReport } from '../rl/behavioral-cloning.js';

/**
 * A `--config` file: PPOConfig fields, and for a game optionally `environmentParameters` (the same
 * object a game or FastTrainer takes: constants, samplers, curricula), checked when the game is known.
 */
interface ConfigFile {
  ppo: Partial<PPOConfig>;
  environmentParameters: unknown;
}

function readConfigFile(path: string): ConfigFile {
  // A regular file of at most 1 MiB: a FIFO or /dev/zero given by mistake is refused, not waited on.
  const text = readRegularFile(path, 1 << 20, (m) => new CliError(`${path}: ${m}`, '--config'), { followLinks: true }).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`, '--config');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError(`${path} must hold a JSON object of PPOConfig fields`, '--config');
  const { environmentParameters, ...ppo } = json as Record<string, unknown>;
  return { ppo: ppo as Partial<PPOConfig>, environmentParameters };
}

/** The file's `environmentParameters` checked against the game's behaviors, or a CliError naming the file, parameter, lesson and field. */
function checkEnvironmentParameters(path: string, value: unknown, source: Source): EnvironmentParameters | undefined {
  if (value === undefined) return undefined;
  if (source.kind !== 'game') throw new CliError(`${path}: "environmentParameters" needs a game (games/<name>/headless.ts); "${source.name}" is an Env, whose reset takes no parameters`, '--config');
  try {
    resolveEnvironmentParameters(value, source.game.behaviors.map((b) => b.name));
  } catch (err) {
    if (err instanceof EnvParamsError) throw new CliError(`${path}: ${err.message}`, '--config');
    throw err;
  }
  return value as EnvironmentParameters;
}

/**
 * The metrics a checkpoint at `step` had seen, with the log rewritten to hold only them: lines a
 * killed run wrote after its last checkpoint are redone by the resumed run, not kept twice.
 */
function metricsUpTo(path: string, step: number): UpdateMetrics[] {
  const kept = readMetricsLog(path).filter((m) => m.step <= step);
  writeFileDurable(path, kept.map((m) => JSON.stringify(m) + '\n').join(''));
  return kept;
}

/** One update of a session: its metrics, which behavior it trained, and the ELO of each (games of several behaviors). */
export type SessionUpdate = UpdateMetrics & { behavior: string };

/** One training run as the CLI drives it: an Env through the Trainer, or a game through fast mode. */
export interface TrainingSession {
  readonly name: string;
  /** The first behavior's config (the only one's, but in a game of several learning behaviors). */
  readonly config: ResolvedConfig;
  /**
   * The behaviors that learn. One: its brain, metrics and curve go in `--out` itself. Several
   * (a game whose behaviors train against each other): each in `--out/<behavior>/`.
   */
  readonly behaviors: readonly string[];
  readonly done: boolean;
  runUpdate(): SessionUpdate | Promise<SessionUpdate>;
  brain(behavior?: string): Brain;
  /** Continues the ELO of a resumed run (games of several behaviors). */
  restoreElo?(elo: Readonly<Record<string, number>>): void;
  dispose(): void;
  /** A game's curriculum lessons now (`gapWidth wide (4/4)`), empty without one. */
  lessons?(): string;
  /** False while a curriculum is before its last lessons: a score there is not the run's (solved and --target-return wait). */
  readonly finalLessons?: boolean;
  /** What cloning `--demos` achieved before PPO; null when nothing was cloned. */
  readonly pretrain?: PretrainReport | null;
}

/** Loads `--resume DIR` and checks it belongs to the environment named on the command line. */
function loadCheckpoint(path: string, envName: string | undefined): Brain {
  const brain = loadBrain(path);
  if (envName !== undefined && envName !== brain.env) {
    throw new CliError(`${path} holds a brain trained on "${brain.env}", not "${envName}"`, '--resume');
  }
  return brain;
}

/**
 * Loads every checkpoint `--resume` names: `DIR/brain.json` (one behavior), or, when DIR holds no
 * brain.json, `DIR/<behavior>/brain.json` of each behavior of a game trained against itself.
 */
function loadCheckpoints(path: string, envName: string | undefined): Brain[] {
  return loadRunBrains(path) ?? [loadCheckpoint(path, envName)];
}

function envSession(trainer: Trainer): TrainingSession {
  return {
    name: trainer.envName,
    config: trainer.config,
    behaviors: [trainer.envName],
    get done() { return trainer.done; },
    runUpdate: () => ({ ...trainer.runUpdate(), behavior: trainer.envName }),
    brain: () => trainer.brain(),
    dispose: () => trainer.dispose(),
  };
}

/**
 * In a game whose behaviors all learn against each other, `totalSteps` (--steps, or a resumed
 * checkpoint's) counts the first behavior's transitions; every other behavior's schedule scales by
 * its own declared ratio (its checkpoint's, else its tuned config's), so all anneal over the same ticks.
 */
function scaledSteps(game: HeadlessGame, totalSteps: number, resume: readonly Brain[]): Record<string, Partial<PPOConfig>> {
  const declared = (name: string) => resume.find((b) => b.env === name)?.config.totalSteps ?? game.behaviors.find((b) => b.name === name)!.config.totalSteps;
  const first = declared(game.behaviors[0]!.name);
  return Object.fromEntries(game.behaviors.map((b) => {
    const own = declared(b.name);
    return [b.name, { totalSteps: first !== undefined && own !== undefined ? Math.round(totalSteps * own / first) : totalSteps }];
  }));
}

/**
 * The configs a game's run trains with: one behavior, the run's; several, each keeps its own tuned
 * config (or its checkpoint's) and only the run's overrides are shared, with `--steps` scaled per
 * behavior ({@link scaledSteps}). In one thread and on actor workers alike.
 */
function gameConfigs(game: HeadlessGame, config: Partial<PPOConfig>, args: TrainArgs, resume: readonly Brain[]): { config: Partial<PPOConfig>; behaviorConfig?: Record<string, Partial<PPOConfig>> } {
  if (game.behaviors.length === 1) return { config };
  const shared: Partial<PPOConfig> = resume.length ? {} : { ...(args.config ? readConfigFile(args.config).ppo : {}), seed: config.seed ?? args.seed ?? 1 };
  const steps = resume.length || args.steps !== undefined ? config.totalSteps : undefined;
  return { config: shared, ...(steps !== undefined ? { behaviorConfig: scaledSteps(game, steps, resume) } : {}) };
}

/** A bundled game: N headless copies with the same agents as the page, learner in-process. */
async function gameSession(game: HeadlessGame, config: Partial<PPOConfig>, args: TrainArgs, resume: readonly Brain[], environmentParameters: EnvironmentParameters | undefined, demonstrations: RunDemonstrations | undefined): Promise<TrainingSession> {
  const { nodeBackends } = await import('../runtime/backend.node.js');
  const several = game.behaviors.length > 1;
  // --envs counts copies of the game's world (each may hold several agents).
  const trainer = new FastTrainer(game, nodeBackends, {
    ...(args.envs !== undefined ? { copies: args.envs } : {}), seed: config.seed ?? args.seed ?? 1, backend: args.engine === 'kernels' ? 'kernels' : args.backend,
    ...gameConfigs(game, config, args, resume),
    ...(resume.length ? { brains: resume } : {}),
    ...(environmentParameters ? { environmentParameters } : {}),
    ...(demonstrations ? { demonstrations } : {}),
  });
  await trainer.start();
  return {
    name: game.name,
    config: trainer.config,
    behaviors: several ? game.behaviors.map((b) => b.name) : [game.behaviors[0]!.name],
    get done() { return several ? trainer.done : trainer.step >= scheduledSteps(trainer.config); },
    runUpdate: () => {
      const { params: _p, observationStats: _o, backendReason: _r, policyVersion: _v, backend, ...m } = trainer.runUpdate();
      return { ...m, ...engineDeviceOf({ backend }) };
    },
    brain: (name) => trainer.brain(name),
    restoreElo: (elo) => trainer.ratings?.restore(elo),
    dispose: () => undefined,
    lessons: () => trainer.curriculum.describe(),
    get finalLessons() { return trainer.curriculum.finished; },
    pretrain: trainer.pretrainReport,
  };
}

/**
 * `--workers`: the flag, else {@link defaultWorkers} for a fresh run (a resumed run keeps one
 * thread unless asked), capped by the copies; a run actor workers cannot train (demonstrations)
 * is refused when the flag asks for them, and quietly trained in one thread when only the default would.
 */
function chooseWorkers(args: TrainArgs, game: HeadlessGame, copies: number, plan: RunPlan): number {
  const { resumed } = plan;
  const asked = args.workers;
  const n = asked ?? (resumed.length ? 1 : Math.min(defaultWorkers(), copies));
  if (args.lockstep && (asked ?? 1) < 2) throw new CliError('needs --workers 2 or more (one thread is always in lockstep)', '--lockstep');
  if (args.restarts !== undefined && n < 2) throw new CliError('needs --workers 2 or more (one thread has no actor workers to restart)', '--restarts');
  if (n === 1) return 1;
  // Demonstrations (BC, GAIL) learn in the one-thread trainer only.
  const refusal = plan.demonstrations ? 'learning from demonstrations (--demos) trains in one thread: use --workers 1' : null;
  if (refusal) {
    if (asked === undefined) return 1;
    throw new CliError(refusal, '--workers');
  }
  if (n > copies) throw new CliError(`${n} is more than the ${copies} copies of "${game.name}" (each worker plays at least one): give --workers ${copies} or fewer, or more --envs`, '--workers');
  return n;
}

/** N actor workers play the copies; the learner trains in this thread (sdk/runtime/parallel-trainer.ts). */
async function parallelSession(game: HeadlessGame, config: Partial<PPOConfig>, args: TrainArgs, plan: RunPlan, copies: number, workers: number): Promise<TrainingSession> {
  const { nodeBackends } = await import('../runtime/backend.node.js');
  const trainer = new ParallelTrainer(game, nodeBackends, {
    workers, copies, seed: config.seed ?? args.seed ?? 1, backend: args.engine === 'kernels' ? 'kernels' : args.backend, overlap: !args.lockstep,
    ...gameConfigs(game, config, args, plan.resumed),
    // Overlapping, this thread plays worker 1's copies while it waits for the others: N threads in all (less CPU per transition: bench:workers).
    learnerActs: !args.lockstep,
    ...(args.restarts !== undefined ? { maxRestarts: args.restarts } : {}),
    onRestart: (message) => process.stderr.write(`  ${message}\n`),
    // The same name or module this thread loaded, resolved again in each worker.
    source: { ...(args.envModule ? { modulePath: args.envModule } : {}), ...(args.envName ?? plan.resume?.env ? { name: args.envName ?? plan.resume!.env } : {}) },
    // Every behavior's checkpoint (DIR/<behavior>/brain.json of a game of several); the ELO goes on through restoreElo.
    ...(plan.resumed.length ? { brains: plan.resumed } : {}),
    ...(plan.environmentParameters ? { environmentParameters: plan.environmentParameters } : {}),
  });
  try {
    await trainer.start();
  } catch (err) {
    trainer.dispose();
    throw err;
  }
  return {
    name: game.name,
    config: trainer.config,
    // Each learning behavior its own files (OUT/<behavior>/ when several), as in one thread.
    behaviors: trainer.behaviors,
    get done() { return trainer.done; },
    runUpdate: async () => {
      const { params: _p, observationStats: _o, backendReason: _r, policyVersion: _v, backend, ...m } = await trainer.runUpdate();
      return { ...m, ...engineDeviceOf({ backend }) };
    },
    brain: (name) => trainer.brain(name),
    restoreElo: (elo) => trainer.ratings?.restore(elo),
    dispose: () => trainer.dispose(),
    lessons: () => trainer.curriculum?.describe() ?? '',
    get finalLessons() { return trainer.curriculum?.finished ?? true; },
  };
}

async function engineFactory(args: TrainArgs): Promise<{ engine: (layout: ActorCriticLayout) => ComputeEngine; device: string }> {
  if (args.engine === 'kernels') return { engine: (layout) => new KernelsEngine(layout), device: 'kernels (wasm-simd)' };
  const [{ useNodeBackend }, { TfjsEngine }] = await Promise.all([import('../rl/backend.node.js'), import('../rl/tfjs-engine.js')]);
  const backend = await useNodeBackend(args.backend);
  return { engine: (layout) => new TfjsEngine(layout), device: `tfjs-${backend}` };
}

/**
 * Flags that name a checkpoint's own values are fine on `--resume` (re-running the same command
 * with `--resume` added); a different value would not continue the run, and is refused naming it.
 */
function checkResumeFlags(args: TrainArgs, resume: Brain): void {
  const c = resume.config;
  const differs = (flag: string, given: unknown, kept: unknown) => new CliError(`is ${JSON.stringify(given)}, but the checkpoint's is ${JSON.stringify(kept)}: a resumed run continues with the checkpoint's (leave ${flag} out, or give ${JSON.stringify(kept)})`, flag);
  if (args.seed !== undefined && args.seed !== c.seed) throw differs('--seed', args.seed, c.seed);
  if (args.envs !== undefined && args.envs !== c.numEnvs) throw differs('--envs', args.envs, c.numEnvs);
  if (args.config !== undefined) {
    const { ppo: fields, environmentParameters } = readConfigFile(args.config);
    const kept = resume.training?.curriculum?.parameters;
    if (environmentParameters !== undefined && JSON.stringify(environmentParameters) !== JSON.stringify(kept)) {
      throw new CliError(`${args.config}: "environmentParameters" differ from the checkpoint's${kept ? '' : ' (it has none)'}: a resumed run keeps its curriculum and lessons (leave them out)`, '--config');
    }
    for (const [key, value] of Object.entries(fields)) {
      const kept = (c as unknown as Record<string, unknown>)[key];
      if (key !== 'totalSteps' && !sameSetting(value, kept)) {
        throw new CliError(`${args.config}: "${key}" is ${JSON.stringify(value)}, but the checkpoint's is ${JSON.stringify(kept)}: a resumed run keeps its config (use --steps to extend it)`, '--config');
      }
    }
  }
}

/**
 * Whether a `--config` value names the checkpoint's setting: equal, or for an object (e.g.
 * `gail`) the fields it gives equal the checkpoint's (which also holds the defaults filled in and
 * the demonstrations' reference).
 */
function sameSetting(given: unknown, kept: unknown): boolean {
  if (typeof given === 'object' && given !== null && !Array.isArray(given) && typeof kept === 'object' && kept !== null) {
    return Object.entries(given).every(([k, v]) => sameSetting(v, (kept as Record<string, unknown>)[k]));
  }
  return JSON.stringify(given) === JSON.stringify(kept);
}

/**
 * Checks what the run will allocate before it allocates it, naming the field and the limit: the
 * config's ranges (resolveConfig), one rollout against `--steps` (a rollout bigger than the whole
 * budget would silently train past it), and for an Env the spaces and network size (the learner's
 * own caps, as a worker's spec is checked) and the rollout's memory.
 */
function checkRunSize(config: Partial<PPOConfig>, source: Source, envName: string, stepsFlag: boolean, fileFields: readonly string[]): ResolvedConfig {
  let c: ResolvedConfig;
  try {
    c = resolveConfig(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // A field no --config file gave comes from the game's own config: blame it, not a flag the user never typed.
    if (source.kind === 'game' && !fileFields.includes(err.field.split('.')[0]!)) throw new ConfigError(err.field, `${err.message.replace(/^PPOConfig\.[^:]*: /, '')} (in the config of behavior "${source.game.behaviors[0]!.name}" of the game "${source.name}": its addBehavior({ config }) or sceneGame's config)`);
    throw new CliError(err.message, '--config');
  }
  // A game's rollout is its agents × numSteps, known once its copies are built (checkGameRollout).
  if (source.kind !== 'env') return c;
  checkRollout(c, 'numEnvs', stepsFlag);
  const probe = probeEnv(source.create, envName);
  try {
    checkLearnerSpec({ observationSize: probe.observationSpace?.size, actionSpace: probe.actionSpace }, c);
  } catch (err) {
    if (!(err instanceof PhaserPpoError)) throw err;
    throw new CliError(`the environment "${envName}": ${err.message.replace(/^LearnerSpec\./, '')}`, '--env');
  }
  const rowFloats = probe.observationSpace.size + actionSize(probe.actionSpace) + 8;
  if (c.batchSize * rowFloats > MAX_ROLLOUT_FLOATS) {
    throw new CliError(`a rollout of numEnvs ${c.numEnvs} × numSteps ${c.numSteps} transitions of ${rowFloats} values would take ${Math.ceil(c.batchSize * rowFloats * 4 / 2 ** 20).toLocaleString('en-US')} MiB, over the ${MAX_ROLLOUT_FLOATS * 4 / 2 ** 20} MiB limit: lower numSteps or --envs`, '--config');
  }
  return c;
}

/**
 * One rollout (`columns` × numSteps transitions) must fit in the run's steps: a bigger one would
 * silently train past them. `columns` names what numEnvs counts: an Env's copies, a game's agents.
 */
function checkRollout(c: ResolvedConfig, columns: string, stepsFlag: boolean): void {
  if (c.batchSize <= c.totalSteps) return;
  const batch = c.batchSize.toLocaleString('en-US');
  throw new CliError(`${c.totalSteps.toLocaleString('en-US')} steps is less than one rollout of ${columns === 'numEnvs' ? `numEnvs ${c.numEnvs}` : `${c.numEnvs} ${columns}`} × numSteps ${c.numSteps} = ${batch} transitions, `
    + `so training would run ${batch} steps: give --steps ${batch.replaceAll(',', '_')} or more, or a smaller numSteps or --envs`, stepsFlag ? '--steps' : '--config');
}

/** Rollout values (float32) one run may hold: 1 GiB. */
const MAX_ROLLOUT_FLOATS = 2 ** 28;

/** What the training loop tracks to report a failure truthfully. */
interface RunRecord {
  /** Steps of the last completed update (the start's, before any), by behavior: what a failure's brain records. */
  completedSteps: Map<string, number>;
  /** The last brain written to disk and its steps, if any. */
  saved: { path: string; steps: number } | undefined;
}

/** Saves each learning behavior's brain (recording its last completed update's step count) in its directory, and names `--out` in any fs error. */
function saveRun(session: TrainingSession, dirOf: (behavior: string) => string, out: string, run: RunRecord): void {
  try {
    for (const name of session.behaviors) {
      const checkpoint = { ...session.brain(name), steps: run.completedSteps.get(name)! };
      const path = saveBrain(dirOf(name), checkpoint);
      if (name === session.behaviors[0]) run.saved = { path, steps: checkpoint.steps };
    }
  } catch (err) {
    throw new RunDirError(`--out: could not save the brain in ${out}: ${fsCause(err)}. `
      + (run.saved ? `The last good brain is ${run.saved.path} (step ${run.saved.steps.toLocaleString('en-US')}), untouched.` : 'No brain of this run was saved.'));
  }
}

/**
 * The name a brain of this source records as its `env`: an Env's name, or a one-behavior game's
 * behavior (a scene game's behavior, `collector`, need not be its scene key, `CoinsScene`).
 */
function trainedName(source: Source): string {
  return source.kind === 'game' && source.game.behaviors.length === 1 ? source.game.behaviors[0]!.name : source.name;
}

/**
 * What to train: the env or module on the command line, else the one `--resume`'s brain names. A
 * module's brain names its behavior (or the module's file), which no bare name finds: that is
 * refused saying to give the module again.
 */
async function resolveResumedSource(args: TrainArgs, resume: Brain | undefined): Promise<Source> {
  if (args.envModule || args.envName !== undefined || !resume) return resolveSource(args.envModule ? args.envName : args.envName ?? resume?.env, args.envModule);
  try {
    return await resolveSource(resume.env, undefined);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    throw new CliError(`${args.resume} holds a brain of "${resume.env}", which is neither built in nor a bundled game: give the module it was trained from before --resume, as in ${trainCommand()} src/headless.ts --resume ${args.resume}`, '--resume');
  }
}

/** The command that continues the run in `dir`: with the module the user typed, which the brain does not record. */
function resumeCommand(args: TrainArgs, dir: string): string {
  return `${trainCommand()} ${args.envModule ? `${args.envModule} ` : ''}--resume ${dir}`;
}

/** How a message says to continue the run in `dir`: `--resume DIR` for a name the brain records, the whole command for a module. */
function resumeHint(args: TrainArgs, dir: string): string {
  return args.envModule ? resumeCommand(args, dir) : `--resume ${dir}`;
}

/** The weights file `dir/brain.json` names (`weights.bin` or `weights.1.bin`: saves alternate); undefined when it cannot be read. */
function savedWeightsFile(dir: string): string | undefined {
  const path = join(dir, 'brain.json');
  try {
    return weightsFileOf(JSON.parse(readFileSync(path, 'utf8')), path);
  } catch {
    return undefined;
  }
}

/** A signal (Ctrl-C, SIGTERM) asks the loop to stop after the update in progress. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function main(args: TrainArgs): Promise<void> {
  const resumed = args.resume !== undefined ? loadCheckpoints(args.resume, args.envModule ? undefined : args.envName) : [];
  const resume = resumed[0];
  if (resume) checkResumeFlags(args, resume);
  const source = await resolveResumedSource(args, resume);
  if (resumed.length > 1 || (source.kind === 'game' && source.game.behaviors.length > 1 && resumed.length > 0)) {
    // A game trained against itself: one checkpoint per behavior, every one of them.
    const names = source.kind === 'game' ? source.game.behaviors.map((b) => b.name) : [source.name];
    const have = resumed.map((b) => b.env).sort();
    if (JSON.stringify(have) !== JSON.stringify([...names].sort())) {
      throw new CliError(`${args.resume} holds brains of ${have.map((n) => `"${n}"`).join(', ')}, but "${source.name}" trains ${names.map((n) => `"${n}"`).join(', ')}`, '--resume');
    }
  } else if (resume && resume.env !== trainedName(source)) {
    throw new CliError(`${args.resume} holds a brain trained on "${resume.env}", not "${trainedName(source)}"${source.kind === 'game' ? ` (the behavior of "${source.name}")` : ''}`, '--resume');
  }
  const seed = args.seed ?? 1;
  const file = args.config !== undefined && !resume ? readConfigFile(args.config) : undefined;
  const environmentParameters = file ? checkEnvironmentParameters(args.config!, file.environmentParameters, source) : undefined;
  // A resumed run keeps the checkpoint's config (seed and env count included); --steps may extend it.
  const config: Partial<PPOConfig> = resume
    ? { ...configFields(resume.config), ...(args.steps !== undefined ? { totalSteps: args.steps } : {}) }
    : {
      ...source.config,
      ...file?.ppo,
      seed,
      ...(args.steps !== undefined ? { totalSteps: args.steps } : {}),
      ...(args.envs !== undefined ? { numEnvs: args.envs } : {}),
    };
  const envName = source.name;
  checkRunSize(config, source, envName, args.steps !== undefined, Object.keys(file?.ppo ?? {}));
  const demonstrations = await runDemonstrations(args, source, resumed, config);
  const resumeDir = args.resume === undefined ? undefined : (args.resume.endsWith('.json') ? dirname(args.resume) : args.resume);
  const out = args.out ?? resumeDir ?? freshRunDir(join('runs', `${envName}-${seed}`), args);
  const resumingHere = resumeDir !== undefined && resolve(out) === resolve(resumeDir);

  // The directory is this run's from here on: locked, and an old run in it continued or moved aside.
  const lock = lockRunDir(out, '--out', ['train', ...process.argv.slice(2)].join(' '));
  const releaseOnExit = () => lock.release();
  process.on('exit', releaseOnExit);
  try {
    if (lock.replacedStale) process.stderr.write(`  ${out} was locked by pid ${lock.replacedStale.pid}, which is gone: lock taken over\n`);
    if (!resumingHere && holdsRun(out)) {
      if (!args.force) {
        const old = existsSync(join(out, 'brain.json')) ? describeBrainAt(out) : 'a metrics log';
        throw new RunDirError(`--out: ${out} already holds a run (${old}). Continue it with ${resumeHint(args, out)}, give --force to move it aside (kept, not deleted), or choose another --out.`);
      }
      process.stderr.write(`  --force: moved the old run in ${out} to ${moveRunAside(out, '--out')}\n`);
    }
    await train(args, { resume, resumed, source, config, envName, out, resumeDir, resumingHere, environmentParameters, demonstrations });
  } finally {
    lock.release();
    process.off('exit', releaseOnExit);
  }
}

/**
 * The default `--out`: `runs/<env>-<seed>`, or the first of `-2`, `-3`, … that holds no run, so
 * running the same command again trains anew beside the last run instead of refusing (an `--out`
 * given on the command line that holds a run still needs `--resume` or `--force`).
 */
function freshRunDir(base: string, args: TrainArgs): string {
  if (!holdsRun(base)) return base;
  for (let i = 2; ; i++) {
    const dir = `${base}-${i}`;
    if (!holdsRun(dir)) {
      process.stderr.write(`  ${base} holds an earlier run: this one goes to ${dir} (--out to choose, ${resumeHint(args, base)} to continue that one)\n`);
      return dir;
    }
  }
}

/** "a brain of 19,968 steps" for the message that refuses to overwrite it; never throws. */
function describeBrainAt(dir: string): string {
  try {
    const b = loadBrain(dir);
    return `a ${b.env} brain of ${b.steps.toLocaleString('en-US')} steps`;
  } catch {
    return 'a brain.json';
  }
}

interface RunPlan {
  resume: Brain | undefined;
  /** Every checkpoint continued (one per behavior of a game trained against itself). */
  resumed: readonly Brain[];
  source: Source;
  config: Partial<PPOConfig>;
  envName: string;
  out: string;
  resumeDir: string | undefined;
  resumingHere: boolean;
  environmentParameters: EnvironmentParameters | undefined;
  demonstrations: RunDemonstrations | undefined;
}

async function train(args: TrainArgs, plan: RunPlan): Promise<void> {
  const { resume, source, config, envName, out } = plan;
  const { engine, device } = await engineFactory(args);
  if (resume && source.kind === 'env') {
    const probe = probeEnv(source.create, envName);
    assertBrainFits(resume, probe.observationSpace.size, probe.actionSpace, `the environment "${envName}"`);
  }
  const game = source.kind === 'env' ? envGame(envName, source.create, config) : source.game;
  // An Env plays one copy per numEnvs; a game its copies (--envs counts them).
  const copies = source.kind === 'env' ? resolveConfig(config).numEnvs : (args.envs ?? game.copies);
  const workers = chooseWorkers(args, game, copies, plan);
  const session = workers > 1
    ? await parallelSession(game, config, args, plan, copies, workers)
    : source.kind === 'env'
      ? envSession(new Trainer({ env: source.create, envName, config, engine, ...(resume ? { resume } : {}) }))
      : await gameSession(source.game, config, args, plan.resumed, plan.environmentParameters, plan.demonstrations);
  const c = session.config;
  if (source.kind === 'game') {
    try {
      checkRollout(c, 'agents', args.steps !== undefined);
    } catch (err) {
      session.dispose();
      throw err;
    }
  }
  const targetReturn = args.targetReturn;
  process.stderr.write(
    `phaser-ppo: training ${envName} for ${c.totalSteps.toLocaleString('en-US')} steps (seed ${c.seed}, ${c.numEnvs} ${source.kind === 'game' ? 'agents' : 'envs'} × ${c.numSteps} steps, `
    + `${c.updateEpochs} epochs × ${c.numMinibatches} minibatches of ${c.minibatchSize}) on ${device}`
    + `${workers > 1 ? `, ${workers} actor workers (${args.lockstep ? 'lockstep' : `this thread and ${workers - 1} more, acting while learning: policy lag 1`})` : ''}`
    + `${targetReturn !== undefined ? `, stopping at mean return ${targetReturn}` : ''}\n  writing to ${out}/\n`);
  const lessons = session.lessons?.();
  if (lessons) process.stderr.write(`  curriculum: ${lessons}\n`);
  if (plan.demonstrations) process.stderr.write(describeDemonstrations(plan.demonstrations, session.pretrain ?? null));
  if (scheduledSteps(c) !== c.totalSteps) {
    process.stderr.write(`  ${c.totalSteps.toLocaleString('en-US')} steps is not a whole number of rollouts of ${c.batchSize.toLocaleString('en-US')}: training stops at ${scheduledSteps(c).toLocaleString('en-US')}\n`);
  }
  if (resume) {
    process.stderr.write(resume.training
      ? `  resuming ${args.resume} at step ${resume.steps.toLocaleString('en-US')} (update ${resume.training.updates}): weights, optimizer, schedules, normalizers and RNGs restored; episodes in flight restart\n`
      : `  fine-tuning ${args.resume} (no training state in it): its weights and observation statistics, a fresh optimizer and schedule\n`);
    if (session.done) process.stderr.write(`  the checkpoint already finished its ${c.totalSteps.toLocaleString('en-US')} steps: give --steps N to train further\n`);
  }

  // One behavior: its files in --out. Several learning against each other: each in --out/<behavior>/.
  const several = session.behaviors.length > 1;
  const dirOf = (name: string) => (several ? join(out, name) : out);
  const lead = session.behaviors[0]!;
  const resumedSteps = (name: string) => plan.resumed.find((b) => b.env === name)?.steps ?? resume?.steps ?? 0;
  // Resuming into the checkpoint's own directory continues its metrics (and so its curve).
  const tracks = new Map(session.behaviors.map((name) => {
    const dir = dirOf(name);
    const continues = plan.resumingHere && existsSync(join(dir, 'metrics.jsonl'));
    const history: UpdateMetrics[] = continues ? metricsUpTo(join(dir, 'metrics.jsonl'), resumedSteps(name)) : [];
    return [name, { dir, history, log: new MetricsLog(dir, { resume: continues }), timeBefore: history.at(-1)?.time ?? 0 }] as const;
  }));
  // The ELO goes on from the continued log's last line.
  const lastElo = (tracks.get(lead)!.history.at(-1) as { ratings?: Record<string, number> } | undefined)?.ratings;
  if (several && lastElo && typeof lastElo === 'object') session.restoreElo?.(lastElo);
  const progress = new TrainingProgress(c.totalSteps, { enabled: !args.quiet && !process.env.CI });
  const run: RunRecord = { completedSteps: new Map(session.behaviors.map((name) => [name, resumedSteps(name)])), saved: undefined };
  let solvedAt: number | undefined;
  let warnedNoEpisode = false;
  // Updates of this session per behavior: a resumed run's copies start fresh, so its first update may end no episode.
  const updatesHere = new Map<string, number>();
  let lessonsBefore: Record<string, number> | undefined = tracks.get(lead)!.history.at(-1)?.lessons;
  // Ctrl-C or SIGTERM finishes the current update, saves, and exits: nothing learned is lost.
  let interrupted: string | undefined;
  const onSignal = (signal: string) => { interrupted = signal; };
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  // A checkpoint from the start: a run killed during its first updates resumes too (at update 0).
  let failure: unknown;
  try {
    if (!resume) saveRun(session, dirOf, out, run);
    while (!session.done && !interrupted) {
      const { behavior, ratings, ...m } = await session.runUpdate();
      const track = tracks.get(behavior)!;
      run.completedSteps.set(behavior, m.step);
      // A continued log keeps `time` running on from the checkpoint's (steps/s stay this session's).
      m.time += track.timeBefore;
      track.history.push(m);
      try {
        // Several behaviors: each line carries every behavior's ELO at that update.
        track.log.append(ratings && several ? { ...m, ratings } : m);
      } catch (err) {
        throw new RunDirError(`--out: could not write ${track.log.path}: ${fsCause(err)}`);
      }
      if (behavior === lead && m.lessons && JSON.stringify(m.lessons) !== JSON.stringify(lessonsBefore)) {
        if (lessonsBefore !== undefined) progress.note(`lesson: ${session.lessons?.() ?? JSON.stringify(m.lessons)} from step ${m.step.toLocaleString('en-US')}`);
        lessonsBefore = m.lessons;
      }
      // The progress line follows the first behavior (with the ELO of all); faults of any are noted.
      if (behavior === lead) progress.update(ratings ? { ...m, ratings } : m);
      const who = several ? `${behavior}: ` : '';
      const finalLessons = session.finalLessons ?? true;
      // Reported once per run of faults; TrainingFaultError stops the run after maxConsecutiveFaults (the finally saves the last good brain).
      if (m.fault && m.consecutiveFaults === 1) progress.note(`${who}update discarded, weights restored: ${m.fault}`);
      updatesHere.set(behavior, (updatesHere.get(behavior) ?? 0) + 1);
      if (!warnedNoEpisode && m.episodes === 0 && updatesHere.get(behavior)! >= 2) {
        warnedNoEpisode = true;
        // A game's agents end episodes themselves: "terminated or truncated" is an Env's word for it.
        const steps = m.step - resumedSteps(behavior);
        // A game whose episodes are long (a maxSteps of 1,800 ticks) meets this before any could end: it says how far each agent got.
        const ends = source.kind === 'game'
          ? 'does an agent ever end its episode? Call its endEpisode() when a round is over (won, lost), or cap its episodes with super({ maxSteps: N }) in the agent\'s constructor'
            + ` (${Math.floor(steps / c.numEnvs).toLocaleString('en-US')} decisions per agent so far: episodes longer than that have not had the time to end)`
          : 'does the environment ever set terminated or truncated?';
        progress.note(`${who}no episode has ended in ${steps.toLocaleString('en-US')} steps, so the mean return is unknown (NaN): ${ends}`);
      }
      // Only once the window holds episodes of a settled run (the first to end are the quick ones).
      const settled = m.episodes >= SETTLED_EPISODES;
      if (behavior === lead && solvedAt === undefined && settled && finalLessons && source.solvedAt !== undefined && m.returnMean >= source.solvedAt) {
        solvedAt = m.step;
        progress.note(`solved: mean return ${m.returnMean.toFixed(1)} ≥ ${source.solvedAt} (${envName}'s bar) at step ${m.step.toLocaleString('en-US')}, ${m.time.toFixed(1)} s`);
      }
      if (behavior === lead && m.update % args.checkpointEvery === 0) saveRun(session, dirOf, out, run);
      if (behavior === lead && settled && finalLessons && targetReturn !== undefined && m.returnMean >= targetReturn) break;
      // Yield to the event loop so signals and stream writes get through.
      await new Promise((r) => setImmediate(r));
    }
  } catch (err) {
    failure = err;
  } finally {
    progress.stop();
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
    // The final save must not hide the first error: on failure a failed save is only reported.
    try {
      saveRun(session, dirOf, out, run);
    } catch (err) {
      if (failure === undefined) failure = err;
      else process.stderr.write(`train: also: ${(err as Error).message}\n`);
    }
    session.dispose();
  }
  if (failure !== undefined) {
    if (failure instanceof PhaserPpoError && run.saved) {
      failure.message += `\n  the last completed update's brain: ${run.saved.path} (step ${run.saved.steps.toLocaleString('en-US')}); continue with ${resumeHint(args, out)}`;
    }
    throw failure;
  }
  for (const [name, track] of tracks) {
    if (track.history.length === 0) continue;
    await writeLearningCurve(join(track.dir, 'learning-curve.svg'), track.history, { title: `${several ? `${envName}: ${name}` : envName} (seed ${c.seed})`, ...(targetReturn !== undefined && name === lead ? { targetReturn } : {}) });
  }
  const last = tracks.get(lead)!.history.at(-1);
  const reached = targetReturn !== undefined && last !== undefined && last.episodes >= SETTLED_EPISODES && (session.finalLessons ?? true) && last.returnMean >= targetReturn;
  const files = (name: string) => {
    const dir = dirOf(name);
    const label = several ? `  ${name}:\n  ` : '';
    // Shipping a brain takes both files, and which weights file it names alternates between saves.
    const weights = savedWeightsFile(dir);
    return `${label}  brain:   ${join(dir, 'brain.json')}${weights ? ` + ${weights} (ship both)` : ''}\n${label ? '  ' : ''}  metrics: ${join(dir, 'metrics.jsonl')}\n${label ? '  ' : ''}  curve:   ${join(dir, 'learning-curve.svg')}`;
  };
  process.stderr.write([
    interrupted ? `interrupted (${interrupted}): saved the brain${several ? 's' : ''} as ${several ? 'they are' : 'it is'}` : reached ? `reached mean return ${last!.returnMean.toFixed(1)} ≥ ${targetReturn}` : 'done',
    solvedAt !== undefined ? `  solved (mean return ≥ ${source.solvedAt}) at step ${solvedAt.toLocaleString('en-US')}` : '',
    ...session.behaviors.map((name) => {
      const track = tracks.get(name)!;
      const l = track.history.at(-1);
      return l ? `  ${several ? `${name}: ` : ''}${formatRunTotals(l, { steps: resumedSteps(name), time: track.timeBefore })}` : '';
    }),
    ...session.behaviors.map(files),
    `  play it: ${evalCommand()}${args.envModule ? ` ${args.envModule}` : ''} --brain ${join(dirOf(lead), 'brain.json')}`,
    // An interrupted run continues its own schedule; a finished one is extended (--steps stretches the schedule).
    interrupted ? `  continue: ${resumeCommand(args, out)}` : `  train on: ${resumeCommand(args, out)} --steps ${(2 * c.totalSteps).toLocaleString('en-US').replaceAll(',', '_')}`,
    '',
  ].filter((l) => l !== '').join('\n') + '\n');
}

/**
 * How the user runs `eval` from where they ran `train`: this repository's npm script, or the
 * package's bin in a game's own repository (where `npm run eval` is not defined).
 */
export function evalCommand(packageName = process.env.npm_package_name): string {
  return packageName === 'phaser-ppo' ? 'npm run eval --' : 'npx phaser-ppo eval';
}

/** `train`, as {@link evalCommand} runs `eval`. */
function trainCommand(packageName = process.env.npm_package_name): string {
  return packageName === 'phaser-ppo' ? 'npm run train --' : 'npx phaser-ppo train';
}

/** `train` with its command-line arguments (after the command name), as the `phaser-ppo` bin and `npm run train` run it. */
export async function runTrain(argv: string[]): Promise<void> {
  try {
    const args = parseTrainArgs(argv);
    if (args.help) {
      process.stdout.write(TRAIN_USAGE);
    } else {
      await main(args);
    }
  } catch (err) {
    if (err instanceof PhaserPpoError) {
      process.stderr.write(`train: ${err.message}\n${err instanceof CliError ? `\n${TRAIN_USAGE}` : ''}`);
      process.exitCode = 2;
    } else {
      throw err;
    }
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) await runTrain(process.argv.slice(2));
