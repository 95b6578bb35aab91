/**
 * Command-line parsing for `train` and `eval`. Built on `util.parseArgs` in its lenient mode so
 * that every mistake is reported here, in one format (`--flag: expected ..., got "..."`), rather
 * than in Node's wording, and so that negative numbers (`--target-return -150`) work as values.
 */
import { parseArgs } from 'node:util';
import { PhaserPpoError } from '../core/errors.js';

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

/** `--help` or `-h` was given: print the usage and exit 0. */
export interface HelpRequest {
  help: true;
}

/** Validated options of `train`. Exactly one of `envName` and `envModule` is set. */
export interface TrainArgs {
  help?: false;
  /** A registered environment (`cartpole`, `pendulum`). */
  envName?: string;
  /** Path of a user module that exports an environment factory. */
  envModule?: string;
  seed: number;
  /** Total environment steps; undefined leaves the config's value. */
  steps?: number;
  /** Parallel environment copies; undefined leaves the config's value. */
  envs?: number;
  engine: CliEngine;
  /** The tfjs backend; only used by the tfjs engine. */
  backend: CliBackend;
  /** Output directory for the brain, metrics and chart. */
  out?: string;
  /** JSON file with PPOConfig overrides. */
  config?: string;
  /** Stop once the mean return reaches this; also drawn on the learning curve. */
  targetReturn?: number;
  quiet: boolean;
  /** Checkpoint directory (or its brain.json) to continue from; its config, seed and env count are kept. */
  resume?: string;
  /** Updates between checkpoints (the brain with its training state). */
  checkpointEvery: number;
}

/** Updates between checkpoints unless `--checkpoint-every` says otherwise. */
export const DEFAULT_CHECKPOINT_EVERY = 10;

/** Validated options of `eval`. The environment comes from the brain unless overridden. */
export interface EvalArgs {
  help?: false;
  brain: string;
  episodes: number;
  seed: number;
  json: boolean;
  envName?: string;
  envModule?: string;
}

/** Printed for `train --help`. */
export const TRAIN_USAGE = `Usage: train <env> [options]
       train --env ./path/to/module.ts [options]

Train a PPO agent and write its brain, metrics.jsonl and a learning curve.

  <env>                 a built-in environment, e.g. cartpole or pendulum
  --env PATH            a module exporting your own environment (instead of <env>)
  --seed N              random seed, 0 to 4294967295 (default 1)
  --steps N             total environment steps (default: from the config)
  --envs N              parallel environment copies (default: from the config)
  --engine kernels|tfjs learner compute engine (default kernels: WebAssembly SIMD,
                        ~5x faster than tfjs-wasm for these small nets)
  --backend wasm|cpu    tfjs backend (implies --engine tfjs; default wasm)
  --out DIR             output directory (default: runs/<env>-<seed>)
  --config FILE.json    PPOConfig overrides
  --target-return R     stop when the mean return reaches R
  --checkpoint-every K  save the brain with its training state every K updates (default 10)
  --resume DIR          continue the run checkpointed in DIR (its brain.json): weights,
                        optimizer, schedules, normalizers, RNGs and step count; <env> may be
                        left out; --steps may extend the run; --out defaults to DIR
  -q, --quiet           plain progress lines instead of a progress bar
  -h, --help            show this help
`;

/** Printed for `eval --help`. */
export const EVAL_USAGE = `Usage: eval --brain PATH [<env>] [options]

Run a trained brain greedily for some episodes and report the returns.

  --brain PATH          the brain to load (required)
  <env>, --env PATH     override the brain's environment: a built-in name or a module path
  --episodes N          episodes to run (default 10)
  --seed N              random seed, 0 to 4294967295 (default 1000)
  --json                print the results as JSON
  -h, --help            show this help
`;

/** Parses the arguments after `train`. */
export function parseTrainArgs(argv: string[]): TrainArgs | HelpRequest {
  const scanned = scan(argv, {
    env: { type: 'string' },
    seed: { type: 'string' },
    steps: { type: 'string' },
    envs: { type: 'string' },
    engine: { type: 'string' },
    backend: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    'target-return': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    resume: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (scanned === 'help') return { help: true };
  const { values, flags, positionals } = scanned;

  const env = resolveEnv(positionals, values.get('env'), 'train');
  const resume = values.get('resume');
  if (!env.envName && !env.envModule && resume === undefined) {
    throw new CliError('missing environment: give a built-in name (train cartpole) or a module (train --env ./my-env.ts)');
  }
  if (resume !== undefined) {
    // A resumed run is the checkpoint's run: changing these would not continue it.
    for (const flag of ['seed', 'envs', 'config'] as const) {
      if (values.has(flag)) throw new CliError(`cannot be changed when resuming: the run continues with the checkpoint's ${flag === 'config' ? 'config' : flag}`, `--${flag}`);
    }
  }
  const every = values.get('checkpoint-every');
  const args: TrainArgs = {
    ...env,
    seed: seedOption(values, 1),
    ...engineOptions(values),
    quiet: flags.has('quiet'),
    checkpointEvery: every === undefined ? DEFAULT_CHECKPOINT_EVERY : positiveInt('--checkpoint-every', every),
    ...(resume !== undefined ? { resume: nonEmpty('--resume', resume, 'a checkpoint directory') } : {}),
  };
  const steps = values.get('steps');
  if (steps !== undefined) args.steps = positiveInt('--steps', steps);
  const envs = values.get('envs');
  if (envs !== undefined) args.envs = positiveInt('--envs', envs);
  const out = values.get('out');
  if (out !== undefined) args.out = nonEmpty('--out', out, 'a directory');
  const config = values.get('config');
  if (config !== undefined) args.config = nonEmpty('--config', config, 'a JSON file');
  const target = values.get('target-return');
  if (target !== undefined) args.targetReturn = finiteNumber('--target-return', target);
  return args;
}

/** Parses the arguments after `eval`. */
export function parseEvalArgs(argv: string[]): EvalArgs | HelpRequest {
  const scanned = scan(argv, {
    brain: { type: 'string' },
    env: { type: 'string' },
    episodes: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (scanned === 'help') return { help: true };
  const { values, flags, positionals } = scanned;

  const brain = values.get('brain');
  if (brain === undefined) throw new CliError('expected the path of a brain to evaluate, got nothing', '--brain');
  const episodes = values.get('episodes');
  return {
    ...resolveEnv(positionals, values.get('env'), 'eval'),
    brain: nonEmpty('--brain', brain, 'a brain file'),
    episodes: episodes === undefined ? 10 : positiveInt('--episodes', episodes),
    seed: seedOption(values, 1000),
    json: flags.has('json'),
  };
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string };
type Values = Map<string, string>;

/**
 * Tokenizes with `parseArgs` (lenient, so it never throws) and checks each token against `specs`:
 * unknown flags, values on boolean flags, and string flags that swallowed the next flag as their
 * value (lenient mode does that: `--out --quiet`) all become CliErrors.
 */
function scan(argv: string[], specs: Record<string, OptionSpec>): { values: Values; flags: Set<string>; positionals: string[] } | 'help' {
  const options: Record<string, OptionSpec> = { ...specs, help: { type: 'boolean', short: 'h' } };
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  // Help wins over any other mistake on the line: the usage is what the user needs then.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return 'help';

  const values: Values = new Map();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (!spec) throw unknownOption(token.rawName, Object.keys(specs));
    const flag = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new CliError(`takes no value, got "${token.value}"`, flag);
      flags.add(token.name);
      continue;
    }
    const value = token.value;
    const swallowedFlag = value !== undefined && !token.inlineValue && value.startsWith('-') && !looksNumeric(value);
    if (value === undefined || swallowedFlag) {
      throw new CliError(`expected a value${swallowedFlag ? `, got the flag "${value}"` : ''}`, flag);
    }
    values.set(token.name, value);
  }
  return { values, flags, positionals };
}

/**
 * The environment, from a positional or `--env`, whichever was given. Either spelling takes a
 * built-in name or a module path: a bare word (`cartpole`) is a name, anything with `/` or `.`
 * is a path, so `train ./my-env.ts` and `train --env cartpole` both do what was meant.
 */
function resolveEnv(positionals: string[], flag: string | undefined, command: string): { envName?: string; envModule?: string } {
  if (positionals.length > 1) {
    throw new CliError(`expected at most one environment, got ${positionals.map((p) => `"${p}"`).join(' ')}`);
  }
  const positional = positionals[0];
  if (positional !== undefined && flag !== undefined) {
    throw new CliError(`give the environment once: either "${command} ${positional}" or "${command} --env ${flag}", not both`, '--env');
  }
  if (positional !== undefined) return nameOrPath(nonEmpty('<env>', positional, 'an environment name or module path'));
  if (flag !== undefined) return nameOrPath(nonEmpty('--env', flag, 'a module path or environment name'));
  return {};
}

function nameOrPath(env: string): { envName: string } | { envModule: string } {
  return /^[\w-]+$/.test(env) ? { envName: env } : { envModule: env };
}

function seedOption(values: Values, fallback: number): number {
  const raw = values.get('seed');
  if (raw === undefined) return fallback;
  const n = parseNumber(raw);
  // Rng truncates seeds to 32 bits, so larger ones would silently alias smaller ones.
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new CliError(`expected an integer from 0 to 4294967295, got "${raw}"`, '--seed');
  }
  return n;
}

function engineOptions(values: Values): { engine: CliEngine; backend: CliBackend } {
  const rawEngine = values.get('engine');
  // Naming a tfjs backend without an engine means the tfjs engine on that backend.
  const defaultEngine: CliEngine = values.get('backend') === undefined ? 'kernels' : 'tfjs';
  const engine = rawEngine === undefined ? defaultEngine : ENGINES.find((e) => e === rawEngine);
  if (!engine) throw new CliError(`expected one of ${ENGINES.join(', ')}, got "${rawEngine}"`, '--engine');
  const raw = values.get('backend');
  if (raw === undefined) return { engine, backend: 'wasm' };
  const backend = BACKENDS.find((b) => b === raw);
  if (!backend) throw new CliError(`expected one of ${BACKENDS.join(', ')}, got "${raw}"`, '--backend');
  // Silently ignoring it would leave the user believing they trained on that backend.
  if (engine !== 'tfjs') throw new CliError(`selects a tfjs backend, but --engine is ${engine}: use --engine tfjs, or leave --engine out`, '--backend');
  return { engine, backend };
}

function positiveInt(flag: string, raw: string): number {
  const n = parseNumber(raw);
  if (n === undefined || !Number.isSafeInteger(n) || n <= 0) {
    throw new CliError(`expected a positive integer, got "${raw}"`, flag);
  }
  return n;
}

function finiteNumber(flag: string, raw: string): number {
  const n = parseNumber(raw);
  if (n === undefined || !Number.isFinite(n)) throw new CliError(`expected a number, got "${raw}"`, flag);
  return n;
}

function nonEmpty(flag: string, raw: string, what: string): string {
  if (raw.trim() === '') throw new CliError(`expected ${what}, got "${raw}"`, flag);
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
