/**
 * Where the CLI finds an environment: a built-in name (sdk/envs), a bundled game
 * (games/<name>/env.ts), or a user module given with --env.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EnvFactory } from '../core/env.js';
import { ENVS, getEnv } from '../envs/index.js';
import type { PPOConfig } from '../rl/config.js';
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

/** A bare name that is not built in may be a bundled game: games/<name>/env.ts. */
export function gameEnvPath(name: string): string | undefined {
  const path = join('games', name, 'env.ts');
  return !Object.hasOwn(ENVS, name) && existsSync(path) ? path : undefined;
}

/** Resolves `name` (built-in or bundled game) or `modulePath` to a factory, its config and a display name. */
export async function resolveEnvSource(name: string | undefined, modulePath: string | undefined): Promise<EnvModule & { name: string }> {
  const path = modulePath ?? (name ? gameEnvPath(name) : undefined);
  if (path) return { ...(await loadEnvModule(path)), name: name ?? basename(path).replace(/\.[cm]?[jt]s$/, '') };
  const registered = getEnv(name!);
  return { create: registered.create, config: registered.config, name: name! };
}
