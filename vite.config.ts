import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer, and so wasm threads, possible.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
  worker: { format: 'es' },
  build: {
    // The site (gallery, games, bench pages); `dist/` is left to the library build. The e2e run
    // builds into its own folder per port, so two runs side by side do not clobber each other.
    outDir: process.env.SITE_OUT_DIR ?? 'build/site',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        // The gallery; the per-game pages only forward to it (old links keep working).
        main: resolve(import.meta.dirname, 'index.html'),
        balance: resolve(import.meta.dirname, 'games/balance/index.html'),
        lander: resolve(import.meta.dirname, 'games/lander/index.html'),
        chase: resolve(import.meta.dirname, 'games/chase/index.html'),
        maze: resolve(import.meta.dirname, 'games/maze/index.html'),
        learnerBench: resolve(import.meta.dirname, 'bench/learner.html'),
        // The scene plugin's harness for e2e/scene-restart.spec.ts (restarts, faults, settings).
        pluginHarness: resolve(import.meta.dirname, 'e2e/pages/plugin.html'),
        // An Arcade Physics scene trained live, for e2e/arcade.spec.ts.
        arcadeHarness: resolve(import.meta.dirname, 'e2e/pages/arcade.html'),
        // A game whose scene loads files in preload, trained in fast mode: e2e/foreign-assets.spec.ts.
        foreignAssets: resolve(import.meta.dirname, 'e2e/pages/foreign.html'),
        // A title scene that starts an Arcade platformer level, trained in fast mode: e2e/platformer.spec.ts.
        platformer: resolve(import.meta.dirname, 'e2e/pages/platformer.html'),
        // A top-down Arcade arena that restarts on game over, trained in fast mode across restarts: e2e/arena.spec.ts.
        arena: resolve(import.meta.dirname, 'e2e/pages/arena.html'),
      },
    },
  },
});
