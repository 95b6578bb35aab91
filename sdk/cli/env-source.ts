/**
 * Where the CLI finds what to train: a built-in environment (sdk/envs), a bundled game
 * (games/<name>/headless.ts, whose default export is a HeadlessGame: agents, not an Env), or a
 * user module given with --env (an Env factory).
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EnvFactory } from '../core/env.js';
import { ENVS, getEnv } from '../envs/index.js';
import type { PPOConfig } from '../rl/config.js';
import type { HeadlessGame } from '../runtime/game.js';
import { CliError } from './args.js';

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
  const url = pathToFileURL(resolve(path)).href;
  let mod: { default?: unknown; config?: unknown };
  try {
    mod = await import(url) as { default?: unknown; config?: unknown };
  } catch (err) {
    throw new CliError(`could not import ${path}: ${(err as Error).message}`, '--env');
  }
  if (typeof mod.default !== 'function') {
    throw new CliError(`${path} must have a default export that is a function (index) => Env; got ${typeof mod.default}`, '--env');
  }
  const config = mod.config === undefined ? {} : mod.config;
  if (typeof config !== 'object' || config === null) throw new CliError(`${path}: the "config" export must be an object of PPOConfig fields`, '--env');
  return { create: mod.default as EnvFactory, config: config as Partial<PPOConfig> };
}

/** A bare name that is not built in may be a bundled game: games/<name>/headless.ts. */
export function gamePath(name: string): string | undefined {
  const path = join('games', name, 'headless.ts');
  return !Object.hasOwn(ENVS, name) && existsSync(path) ? path : undefined;
}

/** Loads a bundled game's HeadlessGame (the default export of its headless.ts). */
export async function loadGame(path: string): Promise<HeadlessGame> {
  const mod = await import(pathToFileURL(resolve(path)).href) as { default?: Partial<HeadlessGame> };
  const game = mod.default;
  if (!game || typeof game.createCopy !== 'function' || !Array.isArray(game.behaviors) || game.behaviors.length === 0) {
    throw new CliError(`${path} must default-export a HeadlessGame ({ name, behaviors: [{ name, observationSize, actionSpec, config, solvedAt }], copies, createCopy })`);
  }
  return game as HeadlessGame;
}

/** What to train: a gym-style environment, or a game of agents. */
export type Source =
  | ({ kind: 'env'; name: string; solvedAt?: number } & EnvModule)
  | { kind: 'game'; name: string; game: HeadlessGame; config: Partial<PPOConfig>; solvedAt: number };

/** Resolves `name` (built-in env or bundled game) or `modulePath` (a user Env module). */
export async function resolveSource(name: string | undefined, modulePath: string | undefined): Promise<Source> {
  if (modulePath) return { kind: 'env', ...(await loadEnvModule(modulePath)), name: name ?? basename(modulePath).replace(/\.[cm]?[jt]s$/, '') };
  const game = gamePath(name!);
  if (game) {
    const loaded = await loadGame(game);
    // The CLI trains and reports the game's first behavior (its only one, in a one-behavior game).
    const first = loaded.behaviors[0]!;
    return { kind: 'game', name: name!, game: loaded, config: first.config, solvedAt: first.solvedAt ?? Infinity };
  }
  const registered = getEnv(name!);
  return { kind: 'env', create: registered.create, config: registered.config, name: name!, solvedAt: registered.solvedAt };
}
