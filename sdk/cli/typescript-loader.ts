/**
 * Lets Node import a game's TypeScript module (`phaser-ppo train src/headless.ts`) through tsx,
 * found from the game's folder (an optional peer dependency; the starter lists it). The command
 * registers it on the main thread, and each actor worker (`--workers N`) on its own: a worker
 * thread does not inherit the main thread's loader hooks, so a worker of the installed (compiled)
 * command failed with `Unknown file extension ".ts"`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PhaserPpoError } from '../core/errors.js';

/** Whether this thread has registered tsx's loader already. */
const registered = { done: false };

/**
 * The file URL of tsx's ES-module API (`tsx/esm/api`) as installed for the package.json `from`.
 * `require.resolve` finds the package but picks its CommonJS entry, whose `register()` fails under
 * `import()` on Node 20; the ESM entry is read from the same package's exports map.
 */
function tsxApiFrom(from: string): string | undefined {
  let path: string;
  try {
    path = createRequire(from).resolve('tsx/esm/api');
  } catch {
    return undefined;
  }
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; exports?: Record<string, { import?: string | { default?: string } }> };
    if (pkg.name !== 'tsx') continue;
    const entry = pkg.exports?.['./esm/api']?.import;
    const file = typeof entry === 'string' ? entry : entry?.default;
    return file ? pathToFileURL(join(dir, file)).href : undefined;
  }
  return undefined;
}

/**
 * Registers tsx's loader on this thread, found from the game's folder (the working directory's
 * package) or from phaser-ppo's; true when it is registered (now or before, or this code itself
 * runs under tsx), false when no tsx is installed. `phaser-ppo/register` (../register.ts) calls it
 * as it is, for a user's own script; the commands through {@link loadTypeScriptFor}.
 */
export async function registerTsx(): Promise<boolean> {
  if (import.meta.url.endsWith('.ts') || registered.done) return true;
  const api = tsxApiFrom(join(process.cwd(), 'package.json')) ?? tsxApiFrom(import.meta.filename);
  if (api === undefined) return false;
  const { register } = await import(api) as { register: () => unknown };
  register();
  registered.done = true;
  return true;
}

/**
 * Lets Node import the TypeScript module `path` names, through tsx found from the game's folder
 * (or from phaser-ppo's). Nothing to do for JavaScript, or when already running under tsx.
 */
export async function loadTypeScriptFor(path: string | undefined, command: string): Promise<void> {
  if (path === undefined || !/\.[cm]?tsx?$/.test(path)) return;
  if (!(await registerTsx())) {
    throw new PhaserPpoError(`${command}: ${path} is TypeScript, and Node needs tsx to load it: run \`npm install --save-dev tsx\` in your game's folder (the starter lists it), or give a compiled .js module`);
  }
}
