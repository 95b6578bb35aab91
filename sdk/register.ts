/**
 * `phaser-ppo/register`: run your own script against phaser-ppo's Node API the way
 * `phaser-ppo train` runs a game's module.
 *
 *   node --import phaser-ppo/register my-train.ts
 *
 * A game's modules are written for a page and its bundler (TypeScript, Vite's `?url` and asset
 * imports, a page's globals for Phaser), so plain Node (`node --import tsx`) fails on them, e.g.
 * on `phaser-ppo/phaser`'s `import wasmUrl from '...wasm?url'`. Importing this module does, once per
 * process, what the CLI does before it imports a game (./cli/typescript-loader.ts,
 * ./cli/game-imports.ts): registers tsx when it is installed (for the working directory's package
 * or for phaser-ppo), then the Phaser shim and the load hook that answers `?url` and asset imports
 * with the file's URL. Node-only; a page never imports it.
 */
import { prepareGameImports } from './cli/game-imports.js';
import { registerTsx } from './cli/typescript-loader.js';

// tsx first, then the `?url` hook: Node runs the hook registered last first, so `?url` is answered
// before tsx sees it (the CLI registers them in this order too).
await registerTsx();
await prepareGameImports();
