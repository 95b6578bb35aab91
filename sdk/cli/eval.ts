/**
 * `npm run eval -- --brain DIR/brain.json [--episodes N] [--sample] [--json]`: plays a trained brain
 * with deterministic actions (the distribution's mode; `--sample`: sampled, seeded) and reports the returns. Acting needs no tfjs:
 * the policy is the plain-JS forward pass a game ships.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PhaserPpoError } from '../core/errors.js';
import { loadBrain, loadRunBrains } from '../io/brain.node.js';
import type { Brain } from '../io/brain.js';
import { CliError, EVAL_USAGE, parseEvalArgs, type EvalArgs } from './args.js';
import { resolveSource } from './env-source.js';
import { evaluateGameAsync, type Evaluation } from '../runtime/evaluate.js';
import { envGame } from '../runtime/env-game.js';

/** What `eval --json` prints: the evaluation (lengths in ticks and in decisions), the brain's env, and how actions were picked. */
export interface EvalResult extends Evaluation {
  env: string;
  /** `mode`: the most likely action (default); `sample`: sampled from the policy (`--sample`). */
  actions: 'mode' | 'sample';
}

/** Signals that stop eval: the episodes that ended so far are printed, exit code 130. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The brain to evaluate and the other behaviors' brains: `--brain` is a brain, or a run directory
 * of several behaviors (`DIR/<behavior>/brain.json`) whose `--behavior` is evaluated against the
 * others' brains; `--others` names the others' brains, or `heuristic` for their scripts.
 */
function brainsOf(args: EvalArgs): { brain: Brain; others: Brain[]; siblings: Brain[] } {
  const run = loadRunBrains(args.brain);
  let brain: Brain;
  let others: Brain[] = [];
  if (run) {
    const found = args.behavior === undefined ? run[0]! : run.find((b) => b.env === args.behavior);
    if (!found) throw new CliError(`${args.brain} holds brains of ${run.map((b) => `"${b.env}"`).join(', ')}, none of "${args.behavior}"`, '--behavior');
    brain = found;
    others = run.filter((b) => b !== found);
  } else {
    brain = loadBrain(args.brain);
  }
  if (args.others === 'heuristic') others = [];
  else if (args.others !== undefined) others = args.others.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => loadBrain(p));
  return { brain, others, siblings: run ?? [] };
}

async function main(args: EvalArgs): Promise<void> {
  const { brain, others, siblings } = brainsOf(args);
  const opponent = args.opponent !== undefined ? loadBrain(args.opponent) : undefined;
  if (args.opponent === undefined && args.team !== 0) throw new CliError('picks the side --brain plays against --opponent; give --opponent too', '--team');
  let source;
  try {
    source = await resolveSource(args.envModule ? undefined : args.envName ?? brain.env, args.envModule);
  } catch (err) {
    if (args.envModule || args.envName) throw err;
    // A behavior of a game of several is named for itself, not its game: the others' brains may name the game.
    for (const o of [...others, ...siblings]) source ??= await resolveSource(o.env, undefined).catch(() => undefined);
    if (!source) throw new CliError(`the brain was trained on "${brain.env}", which is neither built in nor a bundled game; name the game (eval <game> --brain …) or pass --env ./path/to/module.ts (${(err as Error).message})`);
  }
  // An Env plays as a one-agent game: the same evaluation as a bundled game's.
  const game = source.kind === 'env' ? envGame(source.name, source.create, source.config) : source.game;
  // A --env module is named after its file, which need not be the name the brain was trained under.
  const behavior = args.behavior ?? (game.behaviors.some((b) => b.name === brain.env) ? brain.env : game.behaviors[0]!.name);
  if (!game.behaviors.some((b) => b.name === behavior)) {
    throw new CliError(`"${source.name}" has no behavior "${behavior}"; its behaviors: ${game.behaviors.map((b) => `"${b.name}"`).join(', ')}`, '--behavior');
  }
  // Results and errors name the environment played, which --env may have changed from the brain's.
  const label = source.name;
  // A signal (Ctrl-C, SIGTERM) stops eval at once; the episodes that ended so far are reported.
  const abort = new AbortController();
  let interrupted: string | undefined;
  const onSignal = (signal: string) => { interrupted = signal; abort.abort(); };
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  let played: Evaluation;
  const actions = args.sample ? 'sample' : 'mode';
  try {
    played = await evaluateGameAsync(game, brain, {
      behavior, ...(others.length ? { others } : {}), episodes: args.episodes, seed: args.seed, maxEpisodeTicks: args.maxEpisodeSteps, signal: abort.signal, action: actions,
      ...(opponent ? { opponent, team: args.team } : {}),
    });
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
  }
  if (played.episodes === 0) {
    // Stopped at once (the evaluation yields every 1,000 ticks): nothing to report, but not a failure.
    process.stderr.write(`eval: interrupted (${interrupted}) before the first of ${args.episodes} episodes of ${label} ended\n`);
    process.exitCode = 130;
    return;
  }
  const result: EvalResult = { ...played, env: label, actions };
  if (result.cut > 0) {
    process.stderr.write(`eval: ${result.cut} of ${result.episodes} episodes did not end by themselves and were cut at --max-episode-steps ${args.maxEpisodeSteps.toLocaleString('en-US')}\n`);
  }
  if (interrupted) {
    process.stderr.write(`eval: interrupted (${interrupted}) after ${result.episodes} of ${args.episodes} episodes\n`);
    process.exitCode = 130;
  }
  if (args.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    const several = game.behaviors.length > 1;
    const against = several ? ` against ${game.behaviors.filter((b) => b.name !== behavior).map((b) => `${b.name} (${others.some((o) => o.env === b.name) ? 'brain' : 'heuristic'})`).join(', ')}` : '';
    const tally = result.wins + result.losses + result.draws > 0 ? `, won ${result.wins}, lost ${result.losses}${result.draws ? `, drawn ${result.draws}` : ''}` : '';
    process.stdout.write(`${result.env}${several ? ` ${behavior}${against}` : ''}${tally ? ` (${tally.slice(2)})` : ''}: mean return ${result.returnMean.toFixed(1)} ± ${result.returnStd.toFixed(1)} over ${result.episodes} episodes `
      + `(min ${result.returnMin.toFixed(1)}, max ${result.returnMax.toFixed(1)}, mean length ${result.lengthTicksMean.toFixed(0)} ticks${result.cut ? `, ${result.cut} cut at the tick cap` : ''}), ${actions === 'sample' ? `sampled actions (seed ${args.seed})` : 'deterministic actions'}\n`);
    if (opponent) process.stdout.write(`  against ${args.opponent} (team ${args.team} vs the others): ${result.wins} wins, ${result.losses} losses, ${result.draws} draws\n`);
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
