/**
 * `npm run build`: the library a game installs. `tsc -p tsconfig.build.json` emits dist/ (ES
 * modules, .d.ts, source maps), one file per module, so the game's bundler meets the learner
 * worker's `new URL(..., import.meta.url)` as written and emits the worker and tfjs's wasm itself.
 *
 * tsc leaves the string inside `new URL('...worker.ts', ...)` alone (it is not an import), so the
 * one step after it points that URL at the emitted `.js`. `.ts` and `.js` have the same length,
 * so the source map's columns stay right.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

/** Emitted modules that start a worker by URL, and the worker each must point at. */
const WORKER_URLS = [{ module: 'sdk/phaser/learner-worker.js', worker: '../../workers/learner.worker' }];

rmSync(dist, { recursive: true, force: true });
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

for (const { module, worker } of WORKER_URLS) {
  const file = join(dist, module);
  const text = readFileSync(file, 'utf8');
  const from = `'${worker}.ts'`;
  if (!text.includes(from)) throw new Error(`build-lib: ${module} no longer contains new URL(${from}, ...); update WORKER_URLS in scripts/build-lib.ts`);
  writeFileSync(file, text.replaceAll(from, `'${worker}.js'`));
  const target = join(dirname(file), `${worker}.js`);
  if (!existsSync(target)) throw new Error(`build-lib: ${module} points at ${worker}.js, which the build did not emit (${target})`);
}
// The actor worker is started by a URL built at run time (sdk/runtime/parallel-trainer.ts), beside it.
if (!existsSync(join(dist, 'sdk/runtime/actor-worker.js'))) throw new Error('build-lib: dist/sdk/runtime/actor-worker.js was not emitted; keep sdk/runtime/actor-worker.ts in "include" in tsconfig.build.json');
// Every entry of package.json "exports" must have been emitted: an entry missing from
// tsconfig.build.json's "include" would otherwise ship as a dangling path.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
for (const [entry, target] of Object.entries(pkg.exports)) {
  for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
    if (!file.startsWith('./dist/')) continue;
    if (!existsSync(join(root, file))) throw new Error(`build-lib: package.json exports["${entry}"] points at ${file}, which the build did not emit; add its source to "include" in tsconfig.build.json`);
  }
}
console.log(`build-lib: dist/ ready`);
