/**
 * `npm run train -- <env> [options]`: headless PPO training in Node, the main job.
 * Writes OUT/metrics.jsonl (one line per update), OUT/brain.json + its weights file (a checkpoint:
 * the brain with its training state, refreshed every `--checkpoint-every` updates and at the end,
 * so an interrupted or killed run keeps what it learned and `--resume OUT` continues it) and
 * OUT/learning-curve.svg.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PhaserPpoError } from '../core/errors.js';
import { assertBrainFits, type Brain } from '../io/brain.js';
import { loadBrain, saveBrain } from '../io/brain.node.js';
import { configFields, type PPOConfig, type ResolvedConfig } from '../rl/config.js';
import { engineDeviceOf } from '../rl/metrics.js';
import type { ComputeEngine } from '../rl/engine.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import type { UpdateMetrics } from '../rl/metrics.js';
import type { ActorCriticLayout } from '../rl/network.js';
import { Trainer } from '../runtime/trainer.js';
import { resolveSource } from './env-source.js';
import { FastTrainer } from '../runtime/fast-trainer.js';
import type { HeadlessGame } from '../runtime/game.js';
import { CliError, parseTrainArgs, TRAIN_USAGE, type TrainArgs } from './args.js';
import { writeLearningCurve } from './chart.js';
import { MetricsLog, readMetricsLog } from './metrics-log.js';
import { TrainingProgress } from './progress.js';

function readConfigFile(path: string): Partial<PPOConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`cannot read ${path}`, '--config');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`, '--config');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError(`${path} must hold a JSON object of PPOConfig fields`, '--config');
  return json as Partial<PPOConfig>;
}

/**
 * The metrics a checkpoint at `step` had seen, with the log rewritten to hold only them: lines a
 * killed run wrote after its last checkpoint are redone by the resumed run, not kept twice.
 */
function metricsUpTo(path: string, step: number): UpdateMetrics[] {
  const kept = readMetricsLog(path).filter((m) => m.step <= step);
  writeFileSync(`${path}.tmp`, kept.map((m) => JSON.stringify(m) + '\n').join(''));
  renameSync(`${path}.tmp`, path);
  return kept;
}

/** One training run as the CLI drives it: an Env through the Trainer, or a game through fast mode. */
export interface TrainingSession {
  readonly name: string;
  readonly config: ResolvedConfig;
  readonly done: boolean;
  runUpdate(): UpdateMetrics;
  brain(): Brain;
  dispose(): void;
}

/** Loads `--resume DIR` and checks it belongs to the environment named on the command line. */
function loadCheckpoint(path: string, envName: string | undefined): Brain {
  const brain = loadBrain(path);
  if (envName !== undefined && envName !== brain.env) {
    throw new CliError(`${path} holds a brain trained on "${brain.env}", not "${envName}"`, '--resume');
  }
  return brain;
}

function envSession(trainer: Trainer): TrainingSession {
  return {
    name: trainer.envName,
    config: trainer.config,
    get done() { return trainer.done; },
    runUpdate: () => trainer.runUpdate(),
    brain: () => trainer.brain(),
    dispose: () => trainer.dispose(),
  };
}

/** A bundled game: N headless copies with the same agents as the page, learner in-process. */
async function gameSession(game: HeadlessGame, config: Partial<PPOConfig>, args: TrainArgs, resume: Brain | undefined): Promise<TrainingSession> {
  const { nodeBackends } = await import('../runtime/backend.node.js');
  // --envs counts copies of the game's world (each may hold several agents).
  const trainer = new FastTrainer(game, nodeBackends, {
    ...(args.envs !== undefined ? { copies: args.envs } : {}), seed: config.seed ?? args.seed, config, backend: args.engine === 'kernels' ? 'kernels' : args.backend,
    ...(resume ? { brain: resume } : {}),
  });
  await trainer.start();
  return {
    name: game.name,
    config: trainer.config,
    get done() { return trainer.step >= trainer.config.totalSteps; },
    runUpdate: () => {
      const { params: _p, observationStats: _o, backendReason: _r, policyVersion: _v, behavior: _b, backend, ...m } = trainer.runUpdate();
      return { ...m, ...engineDeviceOf({ backend }) };
    },
    brain: () => trainer.brain(),
    dispose: () => undefined,
  };
}

async function engineFactory(args: TrainArgs): Promise<{ engine: (layout: ActorCriticLayout) => ComputeEngine; device: string }> {
  if (args.engine === 'kernels') return { engine: (layout) => new KernelsEngine(layout), device: 'kernels (wasm-simd)' };
  const [{ useNodeBackend }, { TfjsEngine }] = await Promise.all([import('../rl/backend.node.js'), import('../rl/tfjs-engine.js')]);
  const backend = await useNodeBackend(args.backend);
  return { engine: (layout) => new TfjsEngine(layout), device: `tfjs-${backend}` };
}

async function main(args: TrainArgs): Promise<void> {
  const resume = args.resume !== undefined ? loadCheckpoint(args.resume, args.envModule ? undefined : args.envName) : undefined;
  const source = await resolveSource(args.envModule ? args.envName : (args.envName ?? resume?.env), args.envModule);
  if (resume && resume.env !== source.name) throw new CliError(`${args.resume} holds a brain trained on "${resume.env}", not "${source.name}"`, '--resume');
  // A resumed run keeps the checkpoint's config (seed and env count included); --steps may extend it.
  const config: Partial<PPOConfig> = resume
    ? { ...configFields(resume.config), ...(args.steps !== undefined ? { totalSteps: args.steps } : {}) }
    : {
      ...source.config,
      ...(args.config ? readConfigFile(args.config) : {}),
      seed: args.seed,
      ...(args.steps !== undefined ? { totalSteps: args.steps } : {}),
      ...(args.envs !== undefined ? { numEnvs: args.envs } : {}),
    };
  const envName = source.name;
  const resumeDir = args.resume === undefined ? undefined : (args.resume.endsWith('.json') ? dirname(args.resume) : args.resume);
  const out = args.out ?? resumeDir ?? join('runs', `${envName}-${args.seed}`);

  const { engine, device } = await engineFactory(args);
  if (resume && source.kind === 'env') {
    const probe = source.create(0);
    assertBrainFits(resume, probe.observationSpace.size, probe.actionSpace, `the environment "${envName}"`);
  }
  const session = source.kind === 'env'
    ? envSession(new Trainer({ env: source.create, envName, config, engine, ...(resume ? { resume } : {}) }))
    : await gameSession(source.game, config, args, resume);
  const c = session.config;
  const targetReturn = args.targetReturn;
  process.stderr.write(
    `phaser-ppo: training ${envName} for ${c.totalSteps.toLocaleString('en-US')} steps (seed ${c.seed}, ${c.numEnvs} ${source.kind === 'game' ? 'agents' : 'envs'} × ${c.numSteps} steps, `
    + `${c.updateEpochs} epochs × ${c.numMinibatches} minibatches of ${c.minibatchSize}) on ${device}`
    + `${targetReturn !== undefined ? `, stopping at mean return ${targetReturn}` : ''}\n  writing to ${out}/\n`);
  if (resume) {
    process.stderr.write(resume.training
      ? `  resuming ${args.resume} at step ${resume.steps.toLocaleString('en-US')} (update ${resume.training.updates}): weights, optimizer, schedules, normalizers and RNGs restored; episodes in flight restart\n`
      : `  fine-tuning ${args.resume} (no training state in it): its weights and observation statistics, a fresh optimizer and schedule\n`);
    if (session.done) process.stderr.write(`  the checkpoint already finished its ${c.totalSteps.toLocaleString('en-US')} steps: give --steps N to train further\n`);
  }

  // Resuming into the checkpoint's own directory continues its metrics (and so its curve).
  const continues = resumeDir !== undefined && resolve(out) === resolve(resumeDir) && existsSync(join(out, 'metrics.jsonl'));
  const history: UpdateMetrics[] = continues ? metricsUpTo(join(out, 'metrics.jsonl'), resume!.steps) : [];
  const log = new MetricsLog(out, { resume: continues });
  const timeBefore = history.at(-1)?.time ?? 0;
  const progress = new TrainingProgress(c.totalSteps, { enabled: !args.quiet && !process.env.CI });
  let solvedAt: number | undefined;
  // Ctrl-C finishes the current update, saves, and exits: nothing learned is lost.
  let interrupted = false;
  const onSigint = () => { interrupted = true; };
  process.on('SIGINT', onSigint);
  // A checkpoint from the start: a run killed during its first updates resumes too (at update 0).
  if (!resume) saveBrain(out, session.brain());
  try {
    while (!session.done && !interrupted) {
      const m = session.runUpdate();
      // A continued log keeps `time` running on from the checkpoint's (steps/s stay this session's).
      m.time += timeBefore;
      history.push(m);
      log.append(m);
      progress.update(m);
      // Reported once per run of faults; TrainingFaultError stops the run after maxConsecutiveFaults (the finally saves the last good brain).
      if (m.fault && m.consecutiveFaults === 1) progress.note(`update discarded, weights restored: ${m.fault}`);
      if (solvedAt === undefined && source.solvedAt !== undefined && m.returnMean >= source.solvedAt) {
        solvedAt = m.step;
        progress.note(`solved: mean return ${m.returnMean.toFixed(1)} ≥ ${source.solvedAt} (${envName}'s bar) at step ${m.step.toLocaleString('en-US')}, ${m.time.toFixed(1)} s`);
      }
      if (m.update % args.checkpointEvery === 0) saveBrain(out, session.brain());
      if (targetReturn !== undefined && m.returnMean >= targetReturn) break;
      // Yield to the event loop so SIGINT and stream writes get through.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    saveBrain(out, session.brain());
    session.dispose();
  }
  const last = history[history.length - 1];
  if (last) {
    await writeLearningCurve(join(out, 'learning-curve.svg'), history, { title: `${envName} (seed ${c.seed})`, ...(targetReturn !== undefined ? { targetReturn } : {}) });
  }
  const reached = targetReturn !== undefined && last !== undefined && last.returnMean >= targetReturn;
  process.stderr.write([
    interrupted ? 'interrupted: saved the brain as it is' : reached ? `reached mean return ${last!.returnMean.toFixed(1)} ≥ ${targetReturn}` : 'done',
    solvedAt !== undefined ? `  solved (mean return ≥ ${source.solvedAt}) at step ${solvedAt.toLocaleString('en-US')}` : '',
    last ? `  ${last.step.toLocaleString('en-US')} steps in ${last.time.toFixed(1)} s (${last.sps.toFixed(0)} steps/s on ${last.engine}, ${last.device}), mean return ${last.returnMean.toFixed(1)} over the last 20 episodes` : '',
    `  brain:   ${join(out, 'brain.json')}`,
    `  metrics: ${join(out, 'metrics.jsonl')}`,
    `  curve:   ${join(out, 'learning-curve.svg')}`,
    `  play it: npm run eval -- --brain ${join(out, 'brain.json')}`,
    '',
  ].filter((l) => l !== '').join('\n') + '\n');
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  try {
    const args = parseTrainArgs(process.argv.slice(2));
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
