/**
 * phaserPpo()'s config for Vitest: a game's unit test that imports its headless module (scene →
 * `phaser-ppo/phaser` → tfjs's `.wasm?url`) needs phaser-ppo run through Vite. Left to Node's
 * loader (Vitest's default for node_modules) it failed: `Unknown file extension ".wasm"` (tried
 * in a game installed from the tarball: vitest run on a test importing src/headless.ts).
 */
import { describe, expect, it } from 'vitest';
import { phaserPpo } from './vite-plugin.js';

describe('phaserPpo() for Vitest', () => {
  it('inlines phaser-ppo, so its ?url imports resolve as Vite resolves them', () => {
    const config = (phaserPpo().config as () => { test?: { server?: { deps?: { inline?: unknown } } }; optimizeDeps?: { exclude?: string[] } })();
    expect(config.test?.server?.deps?.inline).toEqual(['phaser-ppo']);
    // The page's settings stay as they were.
    expect(config.optimizeDeps?.exclude).toEqual(['phaser-ppo']);
  });
});
