/**
 * Where the CLI finds what to train: a built-in environment (sdk/envs), a bundled game
 * (games/<name>/headless.ts, whose default export is a HeadlessGame: agents, not an Env), or a
 * user module given with --env or as a path: an Env factory, or a game's own HeadlessGame.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Env, EnvFactory } from '../core/env.js';
import { ENVS, getEnv } from '../envs/index.js';
import type { PPOConfig } from '../rl/config.js';
import type { HeadlessGame } from '../runtime/game.js';
import { CliError } from './args.js';
import { GAME_MODULE } from '../scene/asset-source.js';
import { prepareGameImports } from './game-imports.js';

/** What a `--env` module exports: the factory, and optionally its tuned config. */
export interface EnvModule {
  create: EnvFactory;
  config: Partial<PPOConfig>;
}

/**
 * Loads a user module whose default export builds an `Env` (a factory `(index) => Env`); a named
 * export `config` (Partial<PPOConfig>) is used as the env's shipped config.
 */
export async function loadEnvModule(path: string): Promise<EnvModule> {
  assertModuleFile(path);
  const url = pathToFileURL(resolve(path)).href;
  let mod: { default?: unknown; config?: unknown };
  try {
    mod = await import(url) as { default?: unknown; config?: unknown };
  } catch (err) {
    throw new CliError(`could not import ${path}: ${(err as Error).message}`, '--env');
  }
  if (typeof mod.default !== 'function') {
    if (mod.default instanceof Promise) throw new CliError(`${path}: the default export is a Promise; export the factory itself, (index) => Env`, '--env');
    throw new CliError(`${path} must have a default export that is a function (index) => Env; got ${typeof mod.default}`, '--env');
  }
  const config = mod.config === undefined ? {} : mod.config;
  if (typeof config !== 'object' || config === null) throw new CliError(`${path}: the "config" export must be an object of PPOConfig fields`, '--env');
  return { create: mod.default as EnvFactory, config: config as Partial<PPOConfig> };
}

/** import() of a FIFO or a device would wait forever: a `--env` module must be a regular file (links followed). */
function assertModuleFile(path: string): void {
  let kind: string;
  try {
    const st = statSync(path);
    kind = st.isFile() ? 'file' : st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO (named pipe)' : 'a special file';
  } catch {
    throw new CliError(`${path}: no such file`, '--env');
  }
  if (kind !== 'file') throw new CliError(`${path} is ${kind}, not a module file`, '--env');
}

/** A bare name that is not built in may be a bundled game: games/<name>/headless.ts. */
export function gamePath(name: string): string | undefined {
  const path = join('games', name, 'headless.ts');
  return !Object.hasOwn(ENVS, name) && existsSync(path) ? path : undefined;
}

/** The bundled games: every games/<name>/ with a headless.ts. */
export function bundledGames(): string[] {
  try {
    return readdirSync('games', { withFileTypes: true }).filter((d) => d.isDirectory() && gamePath(d.name) !== undefined).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

/** Loads a bundled game's HeadlessGame (the default export of its headless.ts). */
export async function loadGame(path: string): Promise<HeadlessGame> {
  await prepareGameImports();
  // A scene game's copies read the files its scene loads from the game's package (its public/ first).
  GAME_MODULE.dir = dirname(resolve(path));
  const mod = await import(pathToFileURL(resolve(path)).href) as { default?: Partial<HeadlessGame> };
  const game = mod.default;
  if (!game || typeof game.createCopy !== 'function' || !Array.isArray(game.behaviors) || game.behaviors.length === 0) {
    throw new CliError(`${path} must default-export a HeadlessGame ({ name, behaviors: [{ name, observationSize, actionSpec, config, solvedAt }], copies, createCopy })`);
  }
  return game as HeadlessGame;
}

/** The HeadlessGame a module default-exports (an object with `createCopy`), or undefined when it exports something else. */
async function loadGameModule(path: string): Promise<HeadlessGame | undefined> {
  assertModuleFile(path);
  await prepareGameImports();
  GAME_MODULE.dir = dirname(resolve(path));
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(resolve(path)).href) as { default?: unknown };
  } catch (err) {
    throw new CliError(`could not import ${path}: ${(err as Error).message}`, '--env');
  }
  const game = mod.default;
  if (typeof game !== 'object' || game === null || !('createCopy' in game)) return undefined;
  return loadGame(path);
}

/** What to train: a gym-style environment, or a game of agents. */
export type Source =
  | ({ kind: 'env'; name: string; solvedAt?: number } & EnvModule)
  | { kind: 'game'; name: string; game: HeadlessGame; config: Partial<PPOConfig>; solvedAt: number };

/** Resolves `name` (built-in env or bundled game) or `modulePath` (a user Env module). */
export async function resolveSource(name: string | undefined, modulePath: string | undefined): Promise<Source> {
  if (modulePath) {
    // A game's own headless module (default export: a HeadlessGame) trains like a bundled game.
    const game = await loadGameModule(modulePath);
    if (game) return gameSource(game.name, game);
    return { kind: 'env', ...(await loadEnvModule(modulePath)), name: name ?? basename(modulePath).replace(/\.[cm]?[jt]s$/, '') };
  }
  const game = gamePath(name!);
  if (game) {
    return gameSource(name!, await loadGame(game));
  }
  if (!Object.hasOwn(ENVS, name!)) {
    const games = bundledGames();
    throw new CliError(`Unknown environment "${name}". Known: ${Object.keys(ENVS).join(', ')}${games.length ? ` (built in); ${games.join(', ')} (bundled games)` : ''}; or give a module with --env ./my-env.ts`);
  }
  const registered = getEnv(name!);
  return { kind: 'env', create: registered.create, config: registered.config, name: name!, solvedAt: registered.solvedAt };
}

/** The CLI trains every behavior of a game and reports its first (its only one, in a one-behavior game). */
function gameSource(name: string, game: HeadlessGame): Source {
  const first = game.behaviors[0]!;
  return { kind: 'game', name, game, config: first.config, solvedAt: first.solvedAt ?? Infinity };
}

/**
 * Builds copy 0 of an Env source to read its spaces, with errors that say what the module got
 * wrong (an async factory would otherwise surface as "observationSpace must be a Box, got undefined").
 */
export function probeEnv(create: EnvFactory, envName: string): Env {
  const env: unknown = create(0);
  if (env instanceof Promise || typeof (env as { then?: unknown } | null)?.then === 'function') {
    throw new CliError(`the factory of "${envName}" returned a Promise: it must build the Env synchronously, (index) => Env (await what it needs at module top level instead)`, '--env');
  }
  if (typeof env !== 'object' || env === null) throw new CliError(`the factory of "${envName}" returned ${env === null ? 'null' : typeof env}, expected an Env object`, '--env');
  return env as Env;
}
