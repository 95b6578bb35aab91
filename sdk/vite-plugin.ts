/**
 * The Vite plugin a game adds to its `vite.config.ts` (`phaser-ppo/vite`): everything phaser-ppo
 * needs from the game's bundler, in one line.
 *
 * - The learner worker is started with `new Worker(new URL('../../workers/learner.worker.js',
 *   import.meta.url), { type: 'module' })` from inside `node_modules/phaser-ppo`. Vite's dependency
 *   pre-bundling would copy that module into `node_modules/.vite/deps`, where the relative URL
 *   points nowhere, so phaser-ppo is excluded from pre-bundling; its own dependencies (tfjs, comlink,
 *   Phaser) are still pre-bundled, named through phaser-ppo so Vite finds them up front.
 * - The worker imports tfjs and is code-split, which needs ES-module workers (`worker.format`).
 * - tfjs's `.wasm` binaries are `?url` imports: Vite serves them in dev and emits them as assets in
 *   a build with no extra setting.
 * - The dev and preview servers send COOP/COEP headers (cross-origin isolation), as the gallery
 *   does, unless `crossOriginIsolation: false`.
 * - Vitest (which reads this config) runs phaser-ppo through Vite, not Node's loader: a game's test
 *   that imports its headless module (its scene imports `phaser-ppo/phaser`, whose backends import
 *   tfjs's `.wasm?url`) failed with Node's "Unknown file extension .wasm".
 *
 * This module runs in Node, inside Vite; it is not part of the game's bundle.
 *
 * @example
 * // vite.config.ts
 * import { defineConfig } from 'vite';
 * import { phaserPpo } from 'phaser-ppo/vite';
 *
 * export default defineConfig({ plugins: [phaserPpo()] });
 */
import type { Plugin, UserConfig } from 'vite';

/** Options of {@link phaserPpo}. */
export interface PhaserPpoViteOptions {
  /**
   * Send `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`
   * from the dev and preview servers. Default `true`. Isolation makes `SharedArrayBuffer` available;
   * turn it off if the game loads cross-origin assets that do not send CORP/CORS headers. (Your
   * production host needs the same headers to be isolated; phaser-ppo works without them.)
   */
  crossOriginIsolation?: boolean;
}

/** The package's name as a game's bundler sees it. */
const PACKAGE = 'phaser-ppo';

/**
 * Every package phaser-ppo's browser modules import (the page's and the learner worker's), pre-bundled
 * for the game as its own imports are. One missing here is discovered only while a page loads (Vite
 * then re-runs the optimizer, and reloads the page if the import came late, e.g. behind a dynamic
 * `import()`, as the WebGPU backend is, only where the page has an adapter); `sdk/entry-points.test.ts`
 * keeps this list complete. Pre-bundling adds nothing to a production bundle.
 */
export const BROWSER_DEPENDENCIES: readonly string[] = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'comlink', 'idb', 'phaser', 'zod/mini'];

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * Configures Vite for phaser-ppo: the learner worker and tfjs's wasm binaries load in `vite dev`,
 * `vite build` and `vite preview`.
 */
export function phaserPpo(options: PhaserPpoViteOptions = {}): Plugin {
  const isolate = options.crossOriginIsolation ?? true;
  return {
    name: 'phaser-ppo',
    config(): UserConfig {
      return {
        worker: { format: 'es' },
        // Vitest's own field (not in Vite's UserConfig type): inlined, phaser-ppo's `?url` imports resolve as in Vite.
        ...({ test: { server: { deps: { inline: [PACKAGE] } } } } as UserConfig),
        optimizeDeps: {
          exclude: [PACKAGE],
          include: BROWSER_DEPENDENCIES.map((dep) => `${PACKAGE} > ${dep}`),
        },
        ...(isolate ? { server: { headers: { ...ISOLATION_HEADERS } }, preview: { headers: { ...ISOLATION_HEADERS } } } : {}),
      };
    },
  };
}
