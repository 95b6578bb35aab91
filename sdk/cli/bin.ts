#!/usr/bin/env node
/**
 * The `phaser-ppo` command (package.json "bin"): `phaser-ppo train|eval|record|new ...`, as
 * `mlagents-learn` is ML-Agents'. `train` and `eval` take the same flags as this repo's
 * `npm run train` / `npm run eval` (which call this file); `new` writes a starter game.
 *
 * A game's own modules are usually TypeScript (`phaser-ppo train src/headless.ts`): Node does not
 * load those by itself, so when the module given is `.ts` the command registers tsx's loader
 * (./typescript-loader.ts).
 */
import { PhaserPpoError } from '../core/errors.js';
import { loadTypeScriptFor } from './typescript-loader.js';

/** Printed for `phaser-ppo --help` and for an unknown command. */
export const BIN_USAGE = `Usage: phaser-ppo <command> [options]

Commands:
  train <env|module> [options]   train a PPO agent headless: a built-in environment, a bundled
                                 game, or your game's headless module (src/headless.ts) or Env
                                 module; writes the brain, checkpoints, metrics and a curve
  eval --brain PATH [options]    play a trained brain and report its returns
  record <game> [options]        record demonstrations of a game's scripted heuristic
                                 (demo.json + demo.bin) for behaviour cloning and GAIL
  new <dir> [options]            write a starter game (Phaser 4 + Matter + a learning NPC) to dir
  serve <game> --port P          serve a game's headless copies over TCP to a Python learner
                                 (Gymnasium/PettingZoo client: python/phaser_ppo_env)

Run phaser-ppo <command> --help for a command's options.
  -v, --version                  print phaser-ppo's version
  -h, --help                     show this help
`;

/** The TypeScript module `train`/`eval` will import, if one is named (as <env> or --env). */
function typeScriptModuleIn(argv: readonly string[]): string | undefined {
  return argv.map((a) => a.replace(/^--env=/, '')).find((a) => /\.[cm]?tsx?$/.test(a));
}

/** Runs `phaser-ppo` with `argv` (the words after it). Sets `process.exitCode`; never throws a usage mistake. */
export async function runBin(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train': {
        await loadTypeScriptFor(typeScriptModuleIn(rest), 'train');
        const { runTrain } = await import('./train.js');
        await runTrain([...rest]);
        return;
      }
      case 'eval': {
        await loadTypeScriptFor(typeScriptModuleIn(rest), 'eval');
        const { runEval } = await import('./eval.js');
        await runEval([...rest]);
        return;
      }
      case 'record': {
        await loadTypeScriptFor(typeScriptModuleIn(rest), 'record');
        const { runRecord } = await import('./record.js');
        await runRecord([...rest]);
        return;
      }
      case 'serve': {
        await loadTypeScriptFor(typeScriptModuleIn(rest), 'serve');
        const { runServe } = await import('./serve.js');
        await runServe([...rest]);
        return;
      }
      case 'new': {
        const { runNew } = await import('./new.js');
        await runNew([...rest]);
        return;
      }
      case '-v':
      case '--version':
        process.stdout.write(`${(await import('./new.js')).packageVersion()}\n`);
        return;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(BIN_USAGE);
        return;
      default:
        process.stderr.write(`phaser-ppo: unknown command "${command}"; the commands are train, eval, record, serve and new\n\n${BIN_USAGE}`);
        process.exitCode = 2;
    }
  } catch (err) {
    if (!(err instanceof PhaserPpoError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
  }
}

await runBin(process.argv.slice(2));
