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
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        balance: resolve(import.meta.dirname, 'games/balance/index.html'),
        lander: resolve(import.meta.dirname, 'games/lander/index.html'),
        chase: resolve(import.meta.dirname, 'games/chase/index.html'),
        learnerBench: resolve(import.meta.dirname, 'bench/learner.html'),
      },
    },
  },
});
