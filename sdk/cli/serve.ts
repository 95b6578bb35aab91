/**
 * `phaser-ppo serve <game> --port P`: a game's headless copies over TCP for a Python learner
 * (sdk/bridge; client in python/phaser_ppo_env). Prints one line when listening,
 * `phaser-ppo serve: <game> (N copies, seed S) listening on HOST:PORT`, which scripts read for the
 * port when given `--port 0`; runs until SIGINT or SIGTERM.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PhaserPpoError } from '../core/errors.js';
import { startBridgeServer } from '../bridge/server.js';
import { envGame } from '../runtime/env-game.js';
import { CliError, parseServeArgs, SERVE_USAGE, type ServeArgs } from './args.js';
import { resolveSource } from './env-source.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function main(args: ServeArgs): Promise<void> {
  const source = await resolveSource(args.envName, args.envModule);
  const game = source.kind === 'env' ? envGame(source.name, source.create, source.config, source.solvedAt) : source.game;
  const copies = args.copies ?? game.copies;
  const server = await startBridgeServer({ game, copies, seed: args.seed, port: args.port, host: args.host });
  if (!LOOPBACK.has(args.host)) {
    process.stderr.write(`serve: listening on ${args.host}, not only this machine: anyone who can reach port ${server.port} can drive the game (the protocol has no authentication)\n`);
  }
  process.stdout.write(`phaser-ppo serve: ${game.name} (${copies} copies, seed ${args.seed}) listening on ${server.host}:${server.port}\n`);
  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      process.stderr.write(`serve: ${signal}, closing\n`);
      void server.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** `serve` with its command-line arguments (after the command name), as the `phaser-ppo` bin runs it. */
export async function runServe(argv: string[]): Promise<void> {
  try {
    const args = parseServeArgs(argv);
    if (args.help) process.stdout.write(SERVE_USAGE);
    else await main(args);
  } catch (err) {
    if (err instanceof PhaserPpoError) {
      process.stderr.write(`serve: ${err.message}\n${err instanceof CliError ? `\n${SERVE_USAGE}` : ''}`);
      process.exitCode = 2;
    } else {
      throw err;
    }
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) await runServe(process.argv.slice(2));
