/**
 * `npm run train -- <env> [options]`: headless PPO training in Node, the main job.
 * Writes OUT/metrics.jsonl (one line per update), OUT/brain.json + weights.bin (refreshed every
 * few updates and at the end, so an interrupted run keeps what it learned) and OUT/learning-curve.svg.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PhaserPpoError } from '../core/errors.js';
import type { Brain } from '../io/brain.js';
import { saveBrain } from '../io/brain.node.js';
import type { PPOConfig, ResolvedConfig } from '../rl/config.js';
import type { ComputeEngine } from '../rl/engine.js';
import { KernelsEngine } from '../rl/kernels-engine.js';
import type { UpdateMetrics } from '../rl/metrics.js';
import type { ActorCriticLayout } from '../rl/network.js';
import { Trainer } from '../rl/trainer.js';
import { resolveSource } from './env-source.js';
import { FastTrainer, type HeadlessGame } from '../runtime/fast-trainer.js';
import { CliError, parseTrainArgs, TRAIN_USAGE, type TrainArgs } from './args.js';
import { writeLearningCurve } from './chart.js';
import { MetricsLog } from './metrics-log.js';
import { TrainingProgress } from './progress.js';

/** Updates between brain checkpoints during a run. */
const CHECKPOINT_EVERY = 10;

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

/** One training run as the CLI drives it: an Env through the Trainer, or a game through fast mode. */
export interface TrainingSession {
  readonly name: string;
  readonly config: ResolvedConfig;
  readonly done: boolean;
  runUpdate(): UpdateMetrics;
  brain(): Brain;
  dispose(): void;
}

export function brainOf(trainer: Trainer): Brain {
  return {
    env: trainer.envName,
    observationSpace: trainer.vec.observationSpace,
    actionSpace: trainer.vec.actionSpace,
    config: trainer.config,
    observationStats: trainer.obsNormalizer?.stats ?? null,
    policyVersion: trainer.learner.version,
    steps: trainer.step,
    params: trainer.learner.params,
  };
}

function envSession(trainer: Trainer): TrainingSession {
  return {
    name: trainer.envName,
    config: trainer.config,
    get done() { return trainer.done; },
    runUpdate: () => trainer.runUpdate(),
    brain: () => brainOf(trainer),
    dispose: () => trainer.dispose(),
  };
}

/** A bundled game: N headless copies with the same agents as the page, learner in-process. */
async function gameSession(game: HeadlessGame, config: Partial<PPOConfig>, args: TrainArgs): Promise<TrainingSession> {
  const [{ LearnerHost }, { nodeBackends }] = await Promise.all([import('../runtime/learner-host.js'), import('../runtime/backend.node.js')]);
  const copies = config.numEnvs ?? game.config.numEnvs ?? 8;
  const trainer = new FastTrainer(game, new LearnerHost(nodeBackends), {
    copies, seed: args.seed, config, backend: args.engine === 'kernels' ? 'kernels' : args.backend,
  });
  await trainer.start();
  const engine = args.engine;
  return {
    name: game.name,
    config: trainer.config,
    get done() { return trainer.step >= trainer.config.totalSteps; },
    runUpdate: () => {
      const { params: _p, observationStats: _o, backendReason: _r, policyVersion: _v, backend, ...m } = trainer.runUpdate();
      return { ...m, engine, backend: backend === 'kernels' ? 'wasm-simd' : backend };
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
  const source = await resolveSource(args.envName, args.envModule);
  const config: Partial<PPOConfig> = {
    ...source.config,
    ...(args.config ? readConfigFile(args.config) : {}),
    seed: args.seed,
    ...(args.steps !== undefined ? { totalSteps: args.steps } : {}),
    ...(args.envs !== undefined ? { numEnvs: args.envs } : {}),
  };
  const envName = source.name;
  const out = args.out ?? join('runs', `${envName}-${args.seed}`);

  const { engine, device } = await engineFactory(args);
  const session = source.kind === 'env'
    ? envSession(new Trainer({ env: source.create, envName, config, engine }))
    : await gameSession(source.game, config, args);
  const c = session.config;
  const targetReturn = args.targetReturn;
  process.stderr.write(
    `phaser-ppo: training ${envName} for ${c.totalSteps.toLocaleString('en-US')} steps (seed ${c.seed}, ${c.numEnvs} ${source.kind === 'game' ? 'game copies' : 'envs'} × ${c.numSteps} steps, `
    + `${c.updateEpochs} epochs × ${c.numMinibatches} minibatches of ${c.minibatchSize}) on ${device}`
    + `${targetReturn !== undefined ? `, stopping at mean return ${targetReturn}` : ''}\n  writing to ${out}/\n`);

  const log = new MetricsLog(out);
  const progress = new TrainingProgress(c.totalSteps, { enabled: !args.quiet && !process.env.CI });
  const history: UpdateMetrics[] = [];
  let solvedAt: number | undefined;
  // Ctrl-C finishes the current update, saves, and exits: nothing learned is lost.
  let interrupted = false;
  const onSigint = () => { interrupted = true; };
  process.on('SIGINT', onSigint);
  try {
    while (!session.done && !interrupted) {
      const m = session.runUpdate();
      history.push(m);
      log.append(m);
      progress.update(m);
      // Reported once per run of faults; TrainingFaultError stops the run after maxConsecutiveFaults (the finally saves the last good brain).
      if (m.fault && m.consecutiveFaults === 1) progress.note(`update discarded, weights restored: ${m.fault}`);
      if (solvedAt === undefined && source.solvedAt !== undefined && m.returnMean >= source.solvedAt) {
        solvedAt = m.step;
        progress.note(`solved: mean return ${m.returnMean.toFixed(1)} ≥ ${source.solvedAt} (${envName}'s bar) at step ${m.step.toLocaleString('en-US')}, ${m.time.toFixed(1)} s`);
      }
      if (m.update % CHECKPOINT_EVERY === 0) saveBrain(out, session.brain());
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
    last ? `  ${last.step.toLocaleString('en-US')} steps in ${last.time.toFixed(1)} s (${last.sps.toFixed(0)} steps/s on ${last.engine}, ${last.backend}), mean return ${last.returnMean.toFixed(1)} over the last 20 episodes` : '',
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
