/**
 * `npm run eval -- --brain DIR/brain.json [--episodes N] [--json]`: plays a trained brain with
 * deterministic actions (the distribution's mode) and reports the returns. Acting needs no tfjs:
 * the policy is the plain-JS forward pass a game ships.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Env } from '../core/env.js';
import { PhaserPpoError } from '../core/errors.js';
import { actionSize, clipActions } from '../core/spaces.js';
import { VecEnv } from '../core/vec-env.js';
import { assertBrainFits, policyFromBrain, type Brain } from '../io/brain.js';
import { loadBrain } from '../io/brain.node.js';
import { CliError, EVAL_USAGE, parseEvalArgs, type EvalArgs } from './args.js';
import { probeEnv, resolveSource } from './env-source.js';
import { evaluateGame } from '../runtime/evaluate.js';

export interface EvalResult {
  env: string;
  episodes: number;
  returnMean: number;
  returnStd: number;
  returnMin: number;
  returnMax: number;
  lengthMean: number;
}

/** Plays `episodes` episodes of `brain` in `makeEnv()` greedily; episode i is reset with seed + i. */
export function evaluateBrain(brain: Brain, makeEnv: () => Env, episodes: number, seed: number): EvalResult {
  const vec = new VecEnv(makeEnv, 1, brain.env);
  if (vec.observationSize !== brain.observationSpace.size) {
    throw new PhaserPpoError(`the brain expects ${brain.observationSpace.size} observations, env ${brain.env} gives ${vec.observationSize}`);
  }
  if (actionSize(vec.actionSpace) !== actionSize(brain.actionSpace) || vec.actionSpace.kind !== brain.actionSpace.kind) {
    throw new PhaserPpoError(`the brain's action space (${brain.actionSpace.kind}) does not match env ${brain.env}'s (${vec.actionSpace.kind})`);
  }
  const { policy, normalizer } = policyFromBrain(brain, 1);
  const obs = new Float32Array(vec.observationSize);
  const action = new Float32Array(actionSize(brain.actionSpace));
  const space = vec.actionSpace;
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    obs.set(vec.reset(seed + ep));
    for (;;) {
      normalizer?.normalize(obs, 1, obs);
      policy.act(obs, 1, null, null, action, null, null);
      clipActions(space, action, 1, action);
      const res = vec.step(action);
      obs.set(res.observations);
      const [finished] = vec.drainEpisodes();
      if (finished) {
        returns.push(finished.return);
        lengths.push(finished.length);
        break;
      }
    }
  }
  return summarize(brain.env, returns, lengths);
}

function summarize(env: string, returns: number[], lengths: number[]): EvalResult {
  const episodes = returns.length;
  const mean = returns.reduce((s, r) => s + r, 0) / episodes;
  return {
    env,
    episodes,
    returnMean: mean,
    returnStd: Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / episodes),
    returnMin: Math.min(...returns),
    returnMax: Math.max(...returns),
    lengthMean: lengths.reduce((s, l) => s + l, 0) / episodes,
  };
}

/**
 * Gymnasium's TimeLimit: `env` with its episodes truncated after `maxSteps` steps; `onCut` is
 * called for each episode it cut (one the env itself did not end), so eval can say so.
 */
export function withStepCap(env: Env, maxSteps: number, onCut: () => void): Env {
  let steps = 0;
  return {
    observationSpace: env.observationSpace,
    actionSpace: env.actionSpace,
    reset: (seed) => {
      steps = 0;
      return env.reset(seed);
    },
    step: (action) => {
      const r = env.step(action);
      if (++steps < maxSteps || r === null || typeof r !== 'object' || r.terminated || r.truncated) return r;
      onCut();
      return { ...r, truncated: true };
    },
  };
}

/** A signal (Ctrl-C, SIGTERM) stops eval after the episode in progress; the results so far are printed. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function main(args: EvalArgs): Promise<void> {
  const brain = loadBrain(args.brain);
  let source;
  try {
    source = await resolveSource(args.envModule ? undefined : args.envName ?? brain.env, args.envModule);
  } catch (err) {
    if (args.envModule || args.envName) throw err;
    throw new CliError(`the brain was trained on "${brain.env}", which is neither built in nor a bundled game; pass --env ./path/to/module.ts (${(err as Error).message})`);
  }
  // Results and errors name the environment played, which --env may have changed from the brain's.
  const label = source.name;
  let interrupted: string | undefined;
  const onSignal = (signal: string) => { interrupted = signal; };
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  let result: EvalResult & { cutEpisodes: number; requested: number };
  try {
    const returns: number[] = [];
    const lengths: number[] = [];
    let cut = 0;
    if (source.kind === 'env') {
      const create = source.create;
      const probe = probeEnv(create, label);
      assertBrainFits(brain, probe.observationSpace?.size, probe.actionSpace, `the environment "${label}"`);
      const make = () => withStepCap(create(0), args.maxEpisodeSteps, () => { cut++; });
      // One episode per call, yielding between them: a synchronous loop would not see a signal.
      for (let ep = 0; ep < args.episodes && !interrupted; ep++) {
        const one = evaluateBrain(brain, make, 1, args.seed + ep);
        returns.push(one.returnMean);
        lengths.push(one.lengthMean);
        await new Promise((r) => setImmediate(r));
      }
    } else {
      // A game caps its own episodes (evaluateGame: 1,000,000 ticks per episode asked for), so
      // --max-episode-steps does not apply; a shortfall is still said.
      const played = evaluateGame(source.game, brain, args.episodes, args.seed);
      returns.push(...played.returns);
      lengths.push(...played.lengths);
      if (played.returns.length < args.episodes) {
        process.stderr.write(`eval: only ${played.returns.length} of ${args.episodes} episodes of ${label} ended within the game's tick cap\n`);
      }
    }
    if (returns.length === 0) throw new PhaserPpoError(`${label}: ${interrupted ? `interrupted (${interrupted}) before the first episode ended` : 'no episode ended'}`);
    result = { ...summarize(label, returns, lengths), cutEpisodes: cut, requested: args.episodes };
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
  }
  if (result.cutEpisodes > 0) {
    process.stderr.write(`eval: ${result.cutEpisodes} of ${result.episodes} episodes did not end by themselves and were cut at --max-episode-steps ${args.maxEpisodeSteps.toLocaleString('en-US')}\n`);
  }
  if (interrupted) {
    process.stderr.write(`eval: interrupted (${interrupted}) after ${result.episodes} of ${args.episodes} episodes\n`);
    process.exitCode = 130;
  }
  if (args.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    process.stdout.write(`${result.env}: mean return ${result.returnMean.toFixed(1)} ± ${result.returnStd.toFixed(1)} over ${result.episodes} episodes `
      + `(min ${result.returnMin.toFixed(1)}, max ${result.returnMax.toFixed(1)}, mean length ${result.lengthMean.toFixed(0)}), deterministic actions\n`);
  }
}

/** `eval` with its command-line arguments (after the command name), as the `phaser-ppo` bin and `npm run eval` run it. */
export async function runEval(argv: string[]): Promise<void> {
  try {
    const args = parseEvalArgs(argv);
    if (args.help) process.stdout.write(EVAL_USAGE);
    else await main(args);
  } catch (err) {
    if (err instanceof PhaserPpoError) {
      process.stderr.write(`eval: ${err.message}\n${err instanceof CliError ? `\n${EVAL_USAGE}` : ''}`);
      process.exitCode = 2;
    } else {
      throw err;
    }
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) await runEval(process.argv.slice(2));
