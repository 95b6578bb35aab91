import { defineConfig } from 'vite';
import { phaserPpo } from 'phaser-ppo/vite';

// phaserPpo() is the one line phaser-ppo needs: its learner worker and tfjs's wasm binaries load
// from node_modules in `vite dev` and `vite build` (see the README).
export default defineConfig({
  plugins: [phaserPpo()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
