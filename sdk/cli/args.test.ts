import { describe, it, expect } from 'vitest';
import { CliError, EVAL_FLAGS, EVAL_USAGE, SERVE_USAGE, TRAIN_FLAGS, TRAIN_USAGE, parseEvalArgs, parseServeArgs, parseTrainArgs, type EvalArgs, type TrainArgs } from './args.js';

/** The CliError message `fn` throws (fails the test if it throws anything else or nothing). */
function cliMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return (e as CliError).message;
  }
  throw new Error('expected a CliError, nothing was thrown');
}

describe('parseTrainArgs', () => {
  it('fills defaults for a bare env name', () => {
    // The seed is left undefined (default 1 in train.ts) so that --resume can tell a given seed from the default.
    expect(parseTrainArgs(['cartpole'])).toEqual({ envName: 'cartpole', engine: 'kernels', backend: 'wasm', quiet: false, force: false, lockstep: false, checkpointEvery: 10 });
  });

  it('reads every option', () => {
    const args = parseTrainArgs([
      'pendulum', '--seed', '7', '--steps=300000', '--envs', '8', '--engine', 'tfjs', '--backend', 'cpu', '--out', 'runs/p',
      '--config', 'ppo.json', '--target-return', '-150.5', '-q', '--checkpoint-every', '5', '--workers', '3', '--lockstep',
    ]);
    expect(args).toEqual({
      envName: 'pendulum', seed: 7, steps: 300000, envs: 8, engine: 'tfjs', backend: 'cpu', out: 'runs/p',
      config: 'ppo.json', targetReturn: -150.5, quiet: true, force: false, checkpointEvery: 5, workers: 3, lockstep: true,
    });
    expect(() => parseTrainArgs(['cartpole', '--workers', '0'])).toThrow(/--workers/);
    expect(parseTrainArgs(['cartpole', '--force'])).toMatchObject({ force: true });
    expect(parseTrainArgs(['lander', '--demos', 'demos/lander', '--pretrain-epochs', '0'])).toMatchObject({ demos: 'demos/lander', pretrainEpochs: 0 });
    expect(() => parseTrainArgs(['lander', '--demos', 'd', '--pretrain-epochs', '-1'])).toThrow('--pretrain-epochs: expected an integer from 0 to 10,000, got "-1"');
    expect(() => parseTrainArgs(['lander', '--demos', ''])).toThrow('--demos: expected a demonstration directory, got ""');
  });

  it('resumes from a checkpoint directory, with or without the env; --seed, --envs, --config are compared with the checkpoint later (train.ts)', () => {
    expect(parseTrainArgs(['--resume', 'runs/cp'])).toMatchObject({ resume: 'runs/cp' });
    expect(parseTrainArgs(['cartpole', '--resume', 'runs/cp', '--steps', '2e5'])).toMatchObject({ envName: 'cartpole', resume: 'runs/cp', steps: 200_000 });
    expect(parseTrainArgs(['--resume', 'runs/cp', '--seed', '3', '--envs', '4'])).toMatchObject({ resume: 'runs/cp', seed: 3, envs: 4 });
    expect(cliMessage(() => parseTrainArgs(['cartpole', '--checkpoint-every', '0']))).toBe('--checkpoint-every: expected a positive integer, got "0"');
  });

  it('takes the engine: kernels by default, tfjs with its backend', () => {
    expect(parseTrainArgs(['cartpole', '--engine', 'kernels'])).toMatchObject({ engine: 'kernels' });
    expect(parseTrainArgs(['cartpole', '--engine=tfjs'])).toMatchObject({ engine: 'tfjs', backend: 'wasm' });
    expect(parseTrainArgs(['cartpole', '--backend', 'cpu'])).toMatchObject({ engine: 'tfjs', backend: 'cpu' });
    expect(TRAIN_USAGE).toMatch(/--engine kernels\|tfjs .*\(default kernels/);
  });

  it('accepts 1e6 and 1_000_000 for step counts', () => {
    expect(parseTrainArgs(['cartpole', '--steps', '1e6'])).toMatchObject({ steps: 1_000_000 });
    expect(parseTrainArgs(['cartpole', '--steps', '1_000_000'])).toMatchObject({ steps: 1_000_000 });
  });

  it('takes a user module with --env, or a path given positionally', () => {
    expect(parseTrainArgs(['--env', './games/tag/env.ts'])).toMatchObject({ envModule: './games/tag/env.ts' });
    expect(parseTrainArgs(['./my-env.ts'])).toMatchObject({ envModule: './my-env.ts' });
    expect(parseTrainArgs(['--env', 'cartpole'])).toMatchObject({ envName: 'cartpole' });
  });

  it('returns a help request for --help and -h, even beside mistakes', () => {
    expect(parseTrainArgs(['--help'])).toEqual({ help: true });
    expect(parseTrainArgs(['-h', '--bogus'])).toEqual({ help: true });
    expect(TRAIN_USAGE).toContain('--target-return');
  });

  it.each([
    [['cartpole', '--steps', 'abc'], '--steps: expected a positive integer, got "abc"'],
    [['cartpole', '--steps', '-5'], '--steps: expected a positive integer, got "-5"'],
    [['cartpole', '--steps', '0'], '--steps: expected a positive integer, got "0"'],
    [['cartpole', '--envs', '2.5'], '--envs: expected a positive integer, got "2.5"'],
    [['cartpole', '--seed', '1.5'], '--seed: expected an integer from 0 to 4294967295, got "1.5"'],
    [['cartpole', '--seed', 'x'], '--seed: expected an integer from 0 to 4294967295, got "x"'],
    [['cartpole', '--seed', '-1'], '--seed: expected an integer from 0 to 4294967295, got "-1"'],
    [['cartpole', '--target-return', 'NaN'], '--target-return: expected a number, got "NaN"'],
    [['cartpole', '--engine', 'tfjs', '--backend', 'webgl'], '--backend: expected one of wasm, cpu, got "webgl"'],
    [['cartpole', '--engine', 'gpu'], '--engine: expected one of kernels, tfjs, got "gpu"'],
    [['cartpole', '--engine', 'kernels', '--backend', 'cpu'], '--backend: selects a tfjs backend, but --engine is kernels: use --engine tfjs, or leave --engine out'],
    [['cartpole', '--seed'], '--seed: expected a value'],
    [['cartpole', '--out', '--quiet'], '--out: expected a value, got the flag "--quiet"'],
    [['cartpole', '--quiet=yes'], '--quiet: takes no value, got "yes"'],
    [['cartpole', '--envs', '1000000'], '--envs: expected at most 4,096, got "1000000"'],
    [['cartpole', '--steps', '1e12'], '--steps: expected at most 100,000,000,000, got "1e12"'],
    [['cartpole', '--out', 'a\0b'], '--out: expected a directory, got a value with a NUL byte'],
  ])('rejects %j', (argv, message) => {
    expect(cliMessage(() => parseTrainArgs(argv))).toBe(message);
  });

  it('names unknown flags, suggests the closest and lists the allowed ones', () => {
    const message = cliMessage(() => parseTrainArgs(['cartpole', '--step', '10']));
    expect(message).toContain('unknown option "--step"');
    expect(message).toContain('Did you mean --steps?');
    expect(message).toContain('--target-return');
  });

  it('requires exactly one environment', () => {
    expect(cliMessage(() => parseTrainArgs([]))).toMatch(/missing environment/);
    expect(cliMessage(() => parseTrainArgs(['--seed', '3']))).toMatch(/missing environment/);
    expect(cliMessage(() => parseTrainArgs(['cartpole', '--env', './x.ts']))).toMatch(/^--env: give the environment once/);
    expect(cliMessage(() => parseTrainArgs(['cartpole', 'pendulum']))).toMatch(/at most one environment/);
  });
});

describe('parseEvalArgs', () => {
  it('fills defaults', () => {
    expect(parseEvalArgs(['--brain', 'runs/cp/brain.json'])).toEqual({
      brain: 'runs/cp/brain.json', episodes: 10, seed: 1000, json: false, sample: false, maxEpisodeSteps: 10_000, team: 0,
    });
  });

  it('reads every option and an env override', () => {
    expect(parseEvalArgs(['cartpole', '--brain', 'b.json', '--episodes', '3', '--seed', '0', '--json', '--sample'])).toEqual({
      envName: 'cartpole', brain: 'b.json', episodes: 3, seed: 0, json: true, sample: true, maxEpisodeSteps: 10_000, team: 0,
    });
    expect(parseEvalArgs(['--brain', 'b.json', '--opponent', 'early/brain.json', '--team', '1'])).toMatchObject({ opponent: 'early/brain.json', team: 1 });
    expect(parseEvalArgs(['--brain', 'b.json', '--max-episode-steps', '500'])).toMatchObject({ maxEpisodeSteps: 500 });
    expect(parseEvalArgs(['--brain', 'b.json', '--env', './env.ts'])).toMatchObject({ envModule: './env.ts' });
  });

  it('returns a help request', () => {
    expect(parseEvalArgs(['-h'])).toEqual({ help: true });
    expect(EVAL_USAGE).toContain('--brain');
  });

  it('rejects bad input with the flag named', () => {
    expect(cliMessage(() => parseEvalArgs([]))).toBe('--brain: expected the path of a brain to evaluate, got nothing');
    expect(cliMessage(() => parseEvalArgs(['--brain', 'b.json', '--episodes', 'ten']))).toBe('--episodes: expected a positive integer, got "ten"');
    expect(cliMessage(() => parseEvalArgs(['--brain', 'b.json', '--steps', '5']))).toMatch(/^unknown option "--steps"/);
    expect(cliMessage(() => parseEvalArgs(['--brain', 'b.json', '--opponent', 'o.json', '--team', '-1']))).toBe('--team: expected a team number, an integer from 0 to 1024, got "-1"');
    // Acting is plain JS: eval has no backend to choose.
    expect(cliMessage(() => parseEvalArgs(['--brain', 'b.json', '--backend', 'cpu']))).toMatch(/^unknown option "--backend"/);
  });
});

describe('one table per command (issue 12): parsing, help and types come from it', () => {
  it.each([['train', TRAIN_FLAGS, TRAIN_USAGE], ['eval', EVAL_FLAGS, EVAL_USAGE]] as const)('%s: every flag in the table is in the help with its own help line, and nothing else is', (_cmd, table, usage) => {
    const listed = [...usage.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
    expect(listed).toEqual([...Object.keys(table), 'help']);
    for (const flag of Object.values(table)) expect(usage).toContain(flag.help.split('\n')[0]);
  });

  it('every train flag parses into its camelCase field, typed by the table', () => {
    const args = parseTrainArgs(['cartpole', '--target-return', '3', '--checkpoint-every', '2']) as TrainArgs;
    // Compile-time: these fields exist with these types because the table declares them.
    const target: number | undefined = args.targetReturn;
    const every: number = args.checkpointEvery;
    expect([target, every]).toEqual([3, 2]);
    const e = parseEvalArgs(['--brain', 'b', '--max-episode-steps', '7']) as EvalArgs;
    const cap: number = e.maxEpisodeSteps;
    expect(cap).toBe(7);
  });
});

describe('parseServeArgs', () => {
  it('serves on 127.0.0.1 with seed 1 unless told; the copies default to the game\'s', () => {
    expect(parseServeArgs(['balance', '--port', '5005'])).toEqual({ envName: 'balance', port: 5005, host: '127.0.0.1', seed: 1 });
    expect(parseServeArgs(['--env', './src/headless.ts', '--port=0', '--host', '0.0.0.0', '--copies', '4', '--seed', '9'])).toEqual({
      envModule: './src/headless.ts', port: 0, host: '0.0.0.0', copies: 4, seed: 9,
    });
    expect(parseServeArgs(['--help'])).toEqual({ help: true });
    expect(SERVE_USAGE).toMatch(/--host ADDR\s+address to bind \(default 127\.0\.0\.1: this machine only/);
  });

  it('names the flag and what is allowed', () => {
    expect(cliMessage(() => parseServeArgs(['balance']))).toBe('--port: expected the port to listen on (0 picks a free one)');
    expect(cliMessage(() => parseServeArgs(['balance', '--port', '70000']))).toBe('--port: expected a port from 0 to 65535, got "70000"');
    expect(cliMessage(() => parseServeArgs(['balance', '--port', '-1']))).toBe('--port: expected a port from 0 to 65535, got "-1"');
    expect(cliMessage(() => parseServeArgs(['--port', '5005']))).toMatch(/^missing game: give a bundled game/);
    expect(cliMessage(() => parseServeArgs(['balance', '--port', '1', '--copies', '0']))).toBe('--copies: expected a positive integer, got "0"');
    expect(cliMessage(() => parseServeArgs(['balance', '--port', '1', '--steps', '5']))).toMatch(/^unknown option "--steps"/);
  });
});
