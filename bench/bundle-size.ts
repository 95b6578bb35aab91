/**
 * `npm run bench:size` (part of `npm run bench`): what phaser-ppo adds to a game's bundle. Each
 * browser entry point is bundled and minified on its own with tfjs and Phaser left out (a game
 * pays for those once, whatever it uses of ours); comlink and our own code are counted. The
 * learner worker is a separate chunk a game's bundler emits beside the page's.
 * Prints figures, asserts nothing.
 */
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { rolldown } from 'rolldown';

const root = resolve(import.meta.dirname, '..');

const ENTRIES = [
  { name: 'phaser-ppo (core API), every export', file: 'sdk/index.ts' },
  { name: 'phaser-ppo/phaser (plugin, browser brains), every export', file: 'sdk/phaser/index.ts' },
  { name: 'learner worker (its own chunk)', file: 'workers/learner.worker.ts' },
  // What a game really pays on its page: the starter's code, tree-shaken against our sources.
  { name: 'templates/starter game code + what it uses', file: 'templates/starter/src/main.ts' },
];

/** The package's names, pointed at the sources (the library build emits them one to one). */
const ALIAS = {
  'phaser-ppo/phaser': resolve(root, 'sdk/phaser/index.ts'),
  'phaser-ppo': resolve(root, 'sdk/index.ts'),
};

/** Left out of the figures: the libraries a game already carries (and tfjs's wasm binaries). */
const EXTERNAL = [/^@tensorflow\//, /^phaser$/, /\?url$/];

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

console.log('Browser entry points, bundled alone and minified (tfjs and Phaser excluded):\n');
console.log('| entry | minified | gzip |');
console.log('|---|---|---|');
for (const entry of ENTRIES) {
  const bundle = await rolldown({ input: resolve(root, entry.file), external: EXTERNAL, resolve: { alias: ALIAS }, logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'es', minify: true, codeSplitting: false });
  await bundle.close();
  const code = output.filter((o) => o.type === 'chunk').map((o) => o.code).join('\n');
  console.log(`| ${entry.name} | ${kb(Buffer.byteLength(code))} | ${kb(gzipSync(code).length)} |`);
}
