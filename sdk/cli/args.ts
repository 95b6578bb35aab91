/**
 * Command-line parsing for `train`, `eval` and `record`. Each command's flags are declared once, in a table
 * ({@link TRAIN_FLAGS}, {@link EVAL_FLAGS}, {@link RECORD_FLAGS}) whose entries carry the help line, the parser and the
 * default: the parsing, the `--help` text and the TypeScript types of the parsed options all come
 * from it (as CleanRL declares its args once, with their help strings).
 *
 * Built on `util.parseArgs` in its lenient mode so that every mistake is reported here, in one
 * format (`--flag: expected ..., got "..."`), rather than in Node's wording, and so that negative
 * numbers (`--target-return -150`) work as values.
 */
import { parseArgs } from 'node:util';
import { PhaserPpoError } from '../core/errors.js';
import { CONFIG_LIMITS } from '../rl/config.js';

/** The command line was wrong; the message names the flag, what was given and what is allowed. */
export class CliError extends PhaserPpoError {
  override name = 'CliError';
  /** The flag at fault (`--steps`), or undefined for a problem with positional arguments. */
  readonly flag: string | undefined;
  constructor(message: string, flag?: string) {
    super(flag === undefined ? message : `${flag}: ${message}`);
    this.flag = flag;
  }
}

/** The tfjs backends the CLI offers. */
export type CliBackend = 'wasm' | 'cpu';
const BACKENDS: readonly CliBackend[] = ['wasm', 'cpu'];

/**
 * The learner's compute engines. `kernels` (WebAssembly SIMD) is the default: on CartPole's
 * 4-64-64 nets it measured ~5× faster per minibatch than tfjs-wasm (bench/cartpole.ts).
 */
export type CliEngine = 'kernels' | 'tfjs';
const ENGINES: readonly CliEngine[] = ['kernels', 'tfjs'];

/** Largest `--envs`: the config's cap (each copy is a live environment in memory). */
export const MAX_ENVS = CONFIG_LIMITS.numEnvs;
/** Largest `--steps`: 10¹¹ environment steps is years of CPU; more is a typo. */
export const MAX_STEPS = 1e11;
/** Default per-episode step cap of `eval` (`--max-episode-steps`). */
export const DEFAULT_MAX_EPISODE_STEPS = 10_000;
/** Behaviour-cloning passes over `--demos` before PPO unless `--pretrain-epochs` says otherwise (PretrainOptions' default). */
export const DEFAULT_PRETRAIN_EPOCHS = 50;
/** Updates between checkpoints unless `--checkpoint-every` says otherwise. */
export const DEFAULT_CHECKPOINT_EVERY = 10;

/**
 * One flag: its help line and how its value is read. `parse` gets the raw text and the flag's
 * name (for the error); a flag with `default` is always present in the parsed options.
 */
export interface Flag<T> {
  /** Placeholder shown in the help (`N`, `DIR`); absent for a switch (a boolean flag). */
  readonly value?: string;
  readonly short?: string;
  /** Help text; further lines are indented under the first. */
  readonly help: string;
  readonly parse: (raw: string, flag: string) => T;
  readonly default?: T;
}

/** A flag that takes a value; optional in the parsed options unless given a default. */
function option<T>(value: string, help: string, parse: (raw: string, flag: string) => T): Flag<T>;
function option<T>(value: string, help: string, parse: (raw: string, flag: string) => T, fallback: T): Flag<T> & { default: T };
function option<T>(value: string, help: string, parse: (raw: string, flag: string) => T, fallback?: T): Flag<T> {
  return fallback === undefined ? { value, help, parse } : { value, help, parse, default: fallback };
}

/** A switch: false unless given. */
function toggle(help: string, short?: string): Flag<boolean> & { default: boolean } {
  return { help, parse: () => true, default: false, ...(short ? { short } : {}) };
}

type FlagTable = Record<string, Flag<unknown>>;
type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
type ParsedOf<F> = F extends Flag<infer T> ? T : never;
/** The parsed options a flag table yields: camelCase keys, required where the flag has a default. */
export type FlagValues<T extends FlagTable> =
  { -readonly [K in keyof T as T[K] extends { default: unknown } ? Camel<K & string> : never]: ParsedOf<T[K]> }
  & { -readonly [K in keyof T as T[K] extends { default: unknown } ? never : Camel<K & string>]?: ParsedOf<T[K]> };

/** `train`'s flags, in the order `--help` lists them. */
export const TRAIN_FLAGS = {
  env: option('PATH', 'your game\'s headless module (default export: sceneGame(...) or\nanother HeadlessGame) or an Env factory module (instead of <env>)', (raw, flag) => nonEmpty(flag, raw, 'a module path or environment name')),
  seed: option('N', 'random seed, 0 to 4294967295 (default 1)', seedValue),
  steps: option('N', `total environment steps, at most 1e11 (default: from the config);\ntraining stops at the last whole rollout (numEnvs × numSteps) within N`, (raw, flag) => positiveInt(flag, raw, MAX_STEPS)),
  envs: option('N', `parallel environment copies, at most ${MAX_ENVS} (default: from the config)`, (raw, flag) => positiveInt(flag, raw, MAX_ENVS)),
  workers: option('N', 'actor threads stepping the copies, at most 64 (default: half the cores,\nat most 8; 1 below 4 cores). 1: one thread, as before. N > 1: the\ncopies are split among N workers, one learner per behavior: several\nbehaviors, self-play and curricula train (and --resume) on them;\nonly --demos trains in one thread', (raw, flag) => positiveInt(flag, raw, 64)),
  restarts: option('N', 'with --workers N > 1: an actor worker that dies is restarted on its\ncopies from the newest weights, up to N times in a row without an\nupdate between (default 3; 0: the first death stops the run, saving\nthe checkpoint)', (raw, flag) => countValue(flag, raw, 1000)),
  lockstep: toggle('with --workers N > 1: workers wait for each update\'s weights\n(policy lag 0) instead of acting the next rollout meanwhile (lag 1)'),
  engine: option('kernels|tfjs', 'learner compute engine (default kernels: WebAssembly SIMD,\n~5x faster than tfjs-wasm for these small nets)', (raw, flag) => oneOf(flag, raw, ENGINES)),
  backend: option('wasm|cpu', 'tfjs backend (implies --engine tfjs; default wasm)', (raw, flag) => oneOf(flag, raw, BACKENDS)),
  out: option('DIR', 'output directory (default: runs/<env>-<seed>); a directory that\nholds a run needs --resume or --force; a game of several behaviors\nwrites each in OUT/<behavior>/', (raw, flag) => nonEmpty(flag, raw, 'a directory')),
  config: option('FILE.json', 'PPOConfig overrides; for a game also "environmentParameters"\n(constants, samplers, curricula: README "Curriculum")', (raw, flag) => nonEmpty(flag, raw, 'a JSON file')),
  demos: option('DIR', 'a game\'s demonstrations (demo.json + demo.bin, from `record`): a\nfresh run first clones them (behaviour cloning), then trains PPO;\n"behavioralCloning" / "gail" in --config also learn from them during\nPPO. With --resume: default the checkpoint\'s, checked by SHA-256', (raw, flag) => nonEmpty(flag, raw, 'a demonstration directory')),
  'pretrain-epochs': option('N', `with --demos: behaviour-cloning passes over them before PPO\n(default ${DEFAULT_PRETRAIN_EPOCHS}; 0: none)`, (raw, flag) => countValue(flag, raw, 10_000)),
  'target-return': option('R', 'stop when the mean return of the last 20 episodes reaches R (counted once 100 episodes have ended)', finiteNumber),
  'checkpoint-every': option('K', `save the brain with its training state every K updates (default ${DEFAULT_CHECKPOINT_EVERY})`, (raw, flag) => positiveInt(flag, raw), DEFAULT_CHECKPOINT_EVERY),
  resume: option('DIR', 'continue the run checkpointed in DIR (its brain.json, or each\nDIR/<behavior>/brain.json of a game of several behaviors): weights,\noptimizer, schedules, normalizers, RNGs and step count; <env> may be\nleft out; --steps may extend the run; --out defaults to DIR; --seed,\n--envs and --config may be given if they equal the checkpoint\'s', (raw, flag) => nonEmpty(flag, raw, 'a checkpoint directory')),
  force: toggle('train into an --out that holds another run: the old run is moved\naside to OUT.old-<time>, never deleted'),
  quiet: toggle('plain progress lines instead of a progress bar', 'q'),
} as const satisfies FlagTable;

/** `eval`'s flags, in the order `--help` lists them. */
export const EVAL_FLAGS = {
  brain: option('PATH', 'the brain to load (required)', (raw, flag) => nonEmpty(flag, raw, 'a brain file')),
  env: option('PATH', 'override the brain\'s environment: a built-in name or a module path\n(or give it as <env>)', (raw, flag) => nonEmpty(flag, raw, 'a module path or environment name')),
  episodes: option('N', 'episodes to run (default 10)', (raw, flag) => positiveInt(flag, raw, 1e6), 10),
  seed: option('N', 'random seed, 0 to 4294967295 (default 1000)', seedValue, 1000),
  'max-episode-steps': option('N', `cut an env's episode after N steps and say so (default ${DEFAULT_MAX_EPISODE_STEPS.toLocaleString('en-US')});\na bundled game caps its own episodes`, (raw, flag) => positiveInt(flag, raw, 1e9), DEFAULT_MAX_EPISODE_STEPS),
  opponent: option('PATH', 'self-play games: a brain of the same behavior (e.g. an early\ncheckpoint) that the agents of the other teams play; reports\nwins, losses and draws', (raw, flag) => nonEmpty(flag, raw, 'a brain file')),
  team: option('N', 'with --opponent: the team --brain plays for (default 0)', (raw, flag) => teamNumber(flag, raw), 0),
  behavior: option('NAME', 'the behavior of a game of several to evaluate (default: the one the\nbrain was trained as; with a run directory of several, its first)', (raw, flag) => nonEmpty(flag, raw, 'a behavior name')),
  others: option('LIST', 'what the game\'s other behaviors play: brain paths separated by commas,\nor "heuristic" (their scripts); default: the brains beside --brain\nin a run directory of several behaviors, else heuristics', (raw, flag) => nonEmpty(flag, raw, 'brain paths or "heuristic"')),
  sample: toggle('sample each action from the policy (seeded by --seed), as a training run\nacts, instead of the most likely action (the default, as a shipped\nbrain plays with inferenceAction \'mode\')'),
  json: toggle('print the results as JSON'),
} as const satisfies FlagTable;

/** Largest `record --episodes`. */
export const MAX_RECORD_EPISODES = 100_000;

/** `record`'s flags, in the order `--help` lists them. */
export const RECORD_FLAGS = {
  episodes: option('N', `whole episodes to record, at most ${MAX_RECORD_EPISODES.toLocaleString('en-US')} (default 10)`, (raw, flag) => positiveInt(flag, raw, MAX_RECORD_EPISODES), 10),
  out: option('DIR', 'output directory for demo.json + demo.bin (default demos/<game>);\none that holds a demonstration needs --force', (raw, flag) => nonEmpty(flag, raw, 'a directory')),
  seed: option('N', 'random seed, 0 to 4294967295 (default 1)', seedValue, 1),
  behavior: option('NAME', 'the behavior to record (default: the game\'s first)', (raw, flag) => nonEmpty(flag, raw, 'a behavior name')),
  env: option('PATH', 'your game\'s headless module (instead of <game>)', (raw, flag) => nonEmpty(flag, raw, 'a module path or game name')),
  force: toggle('replace the demonstration already in --out'),
  quiet: toggle('no line per episode, only the summary', 'q'),
} as const satisfies FlagTable;

/** `serve`'s flags, in the order `--help` lists them. */
export const SERVE_FLAGS = {
  env: option('PATH', 'a module exporting your own game or environment (instead of <game>)', (raw, flag) => nonEmpty(flag, raw, 'a module path or environment name')),
  port: option('P', 'TCP port to listen on, 0 to 65535 (0: a free one, printed)', (raw, flag) => portValue(raw, flag)),
  host: option('ADDR', 'address to bind (default 127.0.0.1: this machine only; give\n0.0.0.0 to let other machines connect, with no authentication)', (raw, flag) => nonEmpty(flag, raw, 'an address'), '127.0.0.1'),
  copies: option('N', `copies of the game each client drives, at most ${MAX_ENVS} (default: the game's)`, (raw, flag) => positiveInt(flag, raw, MAX_ENVS)),
  seed: option('N', 'random seed of the copies until a client resets with its own\n(default 1)', seedValue, 1),
} as const satisfies FlagTable;

/** `--help` or `-h` was given: print the usage and exit 0. */
export interface HelpRequest {
  help: true;
}

/** The environment to run: a registered name or a module path; at most one is set. */
export interface EnvChoice {
  /** A registered environment (`cartpole`, `pendulum`) or a bundled game. */
  envName?: string;
  /** Path of a user module that exports an environment factory. */
  envModule?: string;
}

/**
 * Validated options of `train` (from {@link TRAIN_FLAGS}). Exactly one of `envName` and
 * `envModule` is set unless resuming. `seed`, `steps`, `envs` and `config` are undefined when not
 * given (the config's or the checkpoint's values stand).
 */
export type TrainArgs = Omit<FlagValues<typeof TRAIN_FLAGS>, 'env' | 'engine' | 'backend'> & EnvChoice & {
  help?: false;
  engine: CliEngine;
  /** The tfjs backend; only used by the tfjs engine. */
  backend: CliBackend;
};

/** Validated options of `eval` (from {@link EVAL_FLAGS}). The environment comes from the brain unless overridden. */
export type EvalArgs = Omit<FlagValues<typeof EVAL_FLAGS>, 'env' | 'brain'> & EnvChoice & { help?: false; brain: string };

/** Validated options of `record` (from {@link RECORD_FLAGS}); exactly one of `envName` and `envModule` is set. */
export type RecordArgs = Omit<FlagValues<typeof RECORD_FLAGS>, 'env'> & EnvChoice & { help?: false };
/** Validated options of `serve` (from {@link SERVE_FLAGS}). */
export type ServeArgs = Omit<FlagValues<typeof SERVE_FLAGS>, 'env' | 'port'> & EnvChoice & { help?: false; port: number };

/** The help text of a flag table. */
export function usageOf(table: FlagTable): string {
  const lines: string[] = [];
  for (const [name, flag] of Object.entries(table)) {
    const head = `  ${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.value ? ` ${flag.value}` : ''}`;
    const [first, ...more] = flag.help.split('\n');
    lines.push(`${head.padEnd(23)} ${first}`, ...more.map((l) => `${' '.repeat(24)}${l}`));
  }
  lines.push(`${'  -h, --help'.padEnd(23)} show this help`);
  return lines.join('\n') + '\n';
}

/** Printed for `train --help`. */
export const TRAIN_USAGE = `Usage: train <env> [options]
       train ./path/to/module.ts [options]      (or --env ./path/to/module.ts)

Train a PPO agent and write its brain, metrics.jsonl and a learning curve.

  <env>                 a built-in environment (cartpole, pendulum), a bundled game, or a
                        path to your game's module (resume and eval take the module too)
${usageOf(TRAIN_FLAGS)}`;

/** Printed for `eval --help`. */
export const EVAL_USAGE = `Usage: eval --brain PATH [<env>] [options]

Run a trained brain greedily (or with --sample) for some episodes and report the returns.

${usageOf(EVAL_FLAGS)}`;

/** Printed for `record --help`. */
export const RECORD_USAGE = `Usage: record <game> [options]
       record --env ./src/headless.ts [options]

Record demonstrations of a game's scripted heuristic, headless: the decisions (observations,
actions, rewards, episode ends) behaviour cloning and GAIL learn from, as demo.json + demo.bin.

  <game>                a bundled game whose behavior has a scripted heuristic (lander, chase)
${usageOf(RECORD_FLAGS)}`;

/** Parses the arguments after `record`. */
export function parseRecordArgs(argv: string[]): RecordArgs | HelpRequest {
  const scanned = scan(argv, RECORD_FLAGS);
  if (scanned === 'help') return { help: true };
  const { options, positionals } = scanned;
  const { env: envFlag, ...rest } = options;
  const env = resolveEnv(positionals, envFlag, 'record');
  if (!env.envName && !env.envModule) throw new CliError('missing game: give a bundled game (record lander) or your game\'s headless module (record --env ./src/headless.ts)');
  return { ...env, ...rest };
}

/** Printed for `serve --help`. */
export const SERVE_USAGE = `Usage: serve <game> --port P [options]
       serve --env ./path/to/module.ts --port P [options]

Serve a game's headless copies (every behavior, all their agents) over TCP for a Python learner
(Gymnasium / PettingZoo client in python/phaser_ppo_env; protocol in the README).

  <game>                a bundled game or a built-in environment
${usageOf(SERVE_FLAGS)}`;

/** Parses the arguments after `serve`. */
export function parseServeArgs(argv: string[]): ServeArgs | HelpRequest {
  const scanned = scan(argv, SERVE_FLAGS);
  if (scanned === 'help') return { help: true };
  const { options, positionals } = scanned;
  const { env: envFlag, port, ...rest } = options;
  const env = resolveEnv(positionals, envFlag, 'serve');
  if (!env.envName && !env.envModule) throw new CliError('missing game: give a bundled game (serve balance --port 5005) or a module (serve --env ./src/headless.ts --port 5005)');
  if (port === undefined) throw new CliError('expected the port to listen on (0 picks a free one)', '--port');
  return { ...env, ...rest, port };
}

/** Parses the arguments after `train`. */
export function parseTrainArgs(argv: string[]): TrainArgs | HelpRequest {
  const scanned = scan(argv, TRAIN_FLAGS);
  if (scanned === 'help') return { help: true };
  const { options, positionals } = scanned;
  const { env: envFlag, engine: _e, backend: _b, ...rest } = options;
  const env = resolveEnv(positionals, envFlag, 'train');
  if (!env.envName && !env.envModule && rest.resume === undefined) {
    throw new CliError('missing environment: give a built-in name (train cartpole) or a module (train --env ./my-env.ts)');
  }
  if (rest.pretrainEpochs !== undefined && rest.demos === undefined) {
    throw new CliError('clones demonstrations, but no --demos DIR was given', '--pretrain-epochs');
  }
  return { ...env, ...rest, ...engineOptions(options.engine, options.backend) };
}

/** Parses the arguments after `eval`. */
export function parseEvalArgs(argv: string[]): EvalArgs | HelpRequest {
  const scanned = scan(argv, EVAL_FLAGS);
  if (scanned === 'help') return { help: true };
  const { options, positionals } = scanned;
  const { env: envFlag, brain, ...rest } = options;
  if (brain === undefined) throw new CliError('expected the path of a brain to evaluate, got nothing', '--brain');
  return { ...resolveEnv(positionals, envFlag, 'eval'), brain, ...rest };
}

/**
 * Tokenizes with `parseArgs` (lenient, so it never throws) and checks each token against `table`:
 * unknown flags, values on switches, and flags that swallowed the next flag as their value
 * (lenient mode does that: `--out --quiet`) all become CliErrors; each value goes through its
 * flag's parser, and defaults fill in what was not given.
 */
function scan<T extends FlagTable>(argv: string[], table: T): { options: FlagValues<T>; positionals: string[] } | 'help' {
  const specs: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(table)) specs[name] = { type: flag.value ? 'string' : 'boolean', ...(flag.short ? { short: flag.short } : {}) };
  const { tokens } = parseArgs({ args: argv, options: specs, allowPositionals: true, strict: false, tokens: true });
  // Help wins over any other mistake on the line: the usage is what the user needs then.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return 'help';

  const options: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const flag = Object.hasOwn(table, token.name) ? table[token.name] : undefined;
    if (!flag) throw unknownOption(token.rawName, Object.keys(table));
    const name = `--${token.name}`;
    const key = camel(token.name);
    if (!flag.value) {
      if (token.value !== undefined) throw new CliError(`takes no value, got "${token.value}"`, name);
      options[key] = true;
      continue;
    }
    const value = token.value;
    const swallowedFlag = value !== undefined && !token.inlineValue && value.startsWith('-') && !looksNumeric(value);
    if (value === undefined || swallowedFlag) {
      throw new CliError(`expected a value${swallowedFlag ? `, got the flag "${value}"` : ''}`, name);
    }
    options[key] = flag.parse(value, name);
  }
  for (const [name, flag] of Object.entries(table)) {
    const key = camel(name);
    if (options[key] === undefined && flag.default !== undefined) options[key] = flag.default;
  }
  // The loop above built exactly FlagValues<T>: one parsed value per given flag, defaults filled.
  return { options: options as FlagValues<T>, positionals };
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The environment, from a positional or `--env`, whichever was given. Either spelling takes a
 * built-in name or a module path: a bare word (`cartpole`) is a name, anything with `/` or `.`
 * is a path, so `train ./my-env.ts` and `train --env cartpole` both do what was meant.
 */
function resolveEnv(positionals: string[], flag: string | undefined, command: string): EnvChoice {
  if (positionals.length > 1) {
    throw new CliError(`expected at most one environment, got ${positionals.map((p) => `"${p}"`).join(' ')}`);
  }
  const positional = positionals[0];
  if (positional !== undefined && flag !== undefined) {
    throw new CliError(`give the environment once: either "${command} ${positional}" or "${command} --env ${flag}", not both`, '--env');
  }
  if (positional !== undefined) return nameOrPath(nonEmpty('<env>', positional, 'an environment name or module path'));
  if (flag !== undefined) return nameOrPath(flag);
  return {};
}

function nameOrPath(env: string): { envName: string } | { envModule: string } {
  return /^[\w-]+$/.test(env) ? { envName: env } : { envModule: env };
}

function seedValue(raw: string, flag: string): number {
  const n = parseNumber(raw);
  // Rng truncates seeds to 32 bits, so larger ones would silently alias smaller ones.
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new CliError(`expected an integer from 0 to 4294967295, got "${raw}"`, flag);
  }
  return n;
}

function portValue(raw: string, flag: string): number {
  const n = parseNumber(raw);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`expected a port from 0 to 65535, got "${raw}"`, flag);
  return n;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === raw);
  if (!found) throw new CliError(`expected one of ${allowed.join(', ')}, got "${raw}"`, flag);
  return found;
}

function engineOptions(rawEngine: CliEngine | undefined, backend: CliBackend | undefined): { engine: CliEngine; backend: CliBackend } {
  // Naming a tfjs backend without an engine means the tfjs engine on that backend.
  const engine = rawEngine ?? (backend === undefined ? 'kernels' : 'tfjs');
  if (backend === undefined) return { engine, backend: 'wasm' };
  // Silently ignoring it would leave the user believing they trained on that backend.
  if (engine !== 'tfjs') throw new CliError(`selects a tfjs backend, but --engine is ${engine}: use --engine tfjs, or leave --engine out`, '--backend');
  return { engine, backend };
}

function positiveInt(flag: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = parseNumber(raw);
  if (n === undefined || !Number.isSafeInteger(n) || n <= 0) {
    throw new CliError(`expected a positive integer, got "${raw}"`, flag);
  }
  if (n > max) throw new CliError(`expected at most ${max.toLocaleString('en-US')}, got "${raw}"`, flag);
  return n;
}

function countValue(flag: string, raw: string, max: number): number {
  const n = parseNumber(raw);
  if (n === undefined || !Number.isSafeInteger(n) || n < 0 || n > max) throw new CliError(`expected an integer from 0 to ${max.toLocaleString('en-US')}, got "${raw}"`, flag);
  return n;
}

function teamNumber(flag: string, raw: string): number {
  const n = parseNumber(raw);
  if (n === undefined || !Number.isSafeInteger(n) || n < 0 || n > 1024) throw new CliError(`expected a team number, an integer from 0 to 1024, got "${raw}"`, flag);
  return n;
}

function finiteNumber(raw: string, flag: string): number {
  const n = parseNumber(raw);
  if (n === undefined || !Number.isFinite(n)) throw new CliError(`expected a number, got "${raw}"`, flag);
  return n;
}

function nonEmpty(flag: string, raw: string, what: string): string {
  if (raw.trim() === '') throw new CliError(`expected ${what}, got "${raw}"`, flag);
  // A NUL byte cannot be in a path: Node would throw its own ERR_INVALID_ARG_VALUE deep inside fs.
  if (raw.includes('\0')) throw new CliError(`expected ${what}, got a value with a NUL byte`, flag);
  return raw;
}

/** Decimal or exponent notation with optional `_` separators (`1e6`, `300_000`); not hex, not "". */
function parseNumber(raw: string): number | undefined {
  const s = raw.trim().replaceAll('_', '');
  return looksNumeric(s) ? Number(s) : undefined;
}

function looksNumeric(s: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s);
}

function unknownOption(rawName: string, known: string[]): CliError {
  const flags = [...known, 'help'].map((k) => `--${k}`);
  const typed = rawName.split('=')[0] ?? rawName;
  const asLong = typed.startsWith('--') ? typed : `--${typed.replace(/^-/, '')}`;
  let close: string | undefined;
  let best = 3; // more than two edits away is a different word, not a typo
  for (const f of flags) {
    const d = editDistance(f, asLong);
    if (d < best) [close, best] = [f, d];
  }
  const hint = close ? ` Did you mean ${close}?` : '';
  return new CliError(`unknown option "${rawName}".${hint} Allowed: ${flags.join(', ')}`);
}

/** Levenshtein distance, for "did you mean" on mistyped flags. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
