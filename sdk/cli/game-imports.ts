/**
 * What Node needs before it imports a game's own modules, which are written for a page and its
 * bundler: a headless scene (phaser-ppo/scene's sceneGame) imports the scene, the scene imports
 * Phaser and often `phaser-ppo/phaser`, and those expect
 * - a page's globals as Phaser loads: the shim (../scene/phaser-shim.ts) goes in first, whatever the
 *   module's own import order;
 * - Vite's `?url` imports (the browser learner backends import tfjs's `.wasm` files so): Node would
 *   refuse the `.wasm` file; a load hook answers with the file's URL, as Vite does. Nothing in
 *   Node fetches it: the CLI trains on its own Node backends.
 * - Vite's asset imports (`import sky from './sky.png'`: images, audio, video, fonts): the same
 *   hook answers with the file's `file:` URL, which a headless copy's loader reads from disk
 *   (../scene/asset-source.ts) when the scene passes it to `this.load.image('sky', sky)`.
 */
import { register } from 'node:module';

/** The files Vite imports as their URL (its default asset types that a game loads). */
const ASSET_EXTENSIONS = ['png', 'jpe?g', 'jfif', 'pjp(?:eg)?', 'gif', 'svg', 'ico', 'webp', 'avif', 'bmp', 'mp4', 'webm', 'ogg', 'mp3', 'wav', 'flac', 'aac', 'opus', 'm4a', 'mov', 'woff2?', 'eot', 'ttf', 'otf'];

/** The load hook, as a data: module (hooks run on their own thread, where tsx may not be). */
const URL_IMPORT_HOOKS = `
const ASSET = /\\.(?:${ASSET_EXTENSIONS.join('|')})$/i;
export async function load(url, context, nextLoad) {
  if (url.endsWith('?url')) return { format: 'module', source: 'export default ' + JSON.stringify(url.slice(0, -4)) + ';', shortCircuit: true };
  if (url.startsWith('file:') && ASSET.test(url)) return { format: 'module', source: 'export default ' + JSON.stringify(url) + ';', shortCircuit: true };
  return nextLoad(url, context);
}`;

const state = { ready: false };

/** Installs the Phaser shim and the `?url` hook, once per process. */
export async function prepareGameImports(): Promise<void> {
  if (state.ready) return;
  state.ready = true;
  await import('../scene/phaser-shim.js');
  register(`data:text/javascript,${encodeURIComponent(URL_IMPORT_HOOKS)}`);
}
