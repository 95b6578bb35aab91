/**
 * The package's browser entry points (`phaser-ppo`, `phaser-ppo/phaser`, `phaser-ppo/rl`, and the
 * learner worker they start) must bundle for a page: no Node built-in (fs, path, worker_threads, ...) and nothing
 * of the CLI may be reachable from them, statically or through a dynamic `import()`. The walk
 * follows this repo's relative imports (`./x.js` is the source `./x.ts`), the graph the library
 * build emits one file per module.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { BROWSER_DEPENDENCIES } from './vite-plugin.js';

const root = resolve(import.meta.dirname, '..');
const BROWSER_ENTRIES = ['sdk/index.ts', 'sdk/phaser/index.ts', 'sdk/rl/index.ts', 'sdk/fast-worker.ts', 'sdk/scene.ts', 'workers/learner.worker.ts'];
/** The worker a browser entry starts by URL, followed like an import. */
const WORKER_URL = /new\s+URL\(\s*'([^']+)'\s*,\s*import\.meta\.url\s*\)/g;
/** `import ... from '...'`, `export ... from '...'`, `import '...'`, `import('...')`; `import type` is erased. */
const IMPORT = /(?:^|[;\n])\s*(import|export)(\s+type)?\b[^'";]*?\bfrom\s*'([^']+)'|(?:^|[;\n])\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT)) {
    if (m[2]) continue; // import type / export type: no runtime edge
    const spec = m[3] ?? m[4] ?? m[5];
    if (spec) out.push(spec);
  }
  for (const m of source.matchAll(WORKER_URL)) out.push(m[1]!);
  return out;
}

/** Every module reachable from `entry`: repo files (relative to the root) and bare specifiers. */
function reachable(entry: string): { files: Set<string>; bare: Map<string, string> } {
  const files = new Set<string>();
  const bare = new Map<string, string>();
  const queue = [resolve(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const rel = relative(root, file);
    if (files.has(rel)) continue;
    files.add(rel);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        if (!bare.has(spec)) bare.set(spec, rel);
        continue;
      }
      const target = resolve(dirname(file), spec.replace(/\?.*$/, '')).replace(/\.js$/, '.ts');
      if (!existsSync(target)) throw new Error(`${rel} imports ${spec}, which resolves to no file (${relative(root, target)})`);
      queue.push(target);
    }
  }
  return { files, bare };
}

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('browser entry points', () => {
  for (const entry of BROWSER_ENTRIES) {
    it(`${entry} reaches no Node built-in and nothing of the CLI`, () => {
      const { files, bare } = reachable(entry);
      const builtins = [...bare].filter(([spec]) => NODE_BUILTINS.has(spec) || spec.startsWith('node:')).map(([spec, from]) => `${spec} (imported by ${from})`);
      expect(builtins).toEqual([]);
      expect([...files].filter((f) => f.startsWith('sdk/cli/') || f.endsWith('.node.ts'))).toEqual([]);
    });
  }

  it('the Vite plugin pre-bundles exactly the modules the browser entry points import', () => {
    // Vite pre-bundles by specifier: `zod` in the list would not cover an import of `zod/mini`.
    const specifiers = new Set<string>();
    for (const entry of BROWSER_ENTRIES) {
      for (const spec of reachable(entry).bare.keys()) {
        if (!spec.includes('?')) specifiers.add(spec); // `?url` imports are assets, not modules
      }
    }
    expect([...BROWSER_DEPENDENCIES].sort()).toEqual([...specifiers].sort());
  });

  it('the walk sees what it must: the plugin reaches the learner worker, and sdk/node.ts reaches fs', () => {
    // Guards the test itself: a regex that missed imports would pass everything above.
    expect(reachable('sdk/phaser/index.ts').files).toContain('workers/learner.worker.ts');
    expect([...reachable('sdk/phaser/index.ts').bare.keys()]).toContain('comlink');
    expect([...reachable('sdk/node.ts').bare.keys()]).toContain('node:fs');
  });
});

/** JSON with comments (tsconfig files): comments and trailing commas dropped. */
function readJsonc(path: string): unknown {
  const text = readFileSync(resolve(root, path), 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[\]}])/g, '$1');
  return JSON.parse(text);
}

describe('package entries', () => {
  it('package.json exports, the library build and the API docs list the same entry modules', () => {
    const pkg = readJsonc('package.json') as { exports: Record<string, string | { default?: string }>; bin: Record<string, string> };
    const fromExports = Object.values(pkg.exports)
      .map((t) => (typeof t === 'string' ? t : t.default ?? ''))
      .filter((f) => f.startsWith('./dist/') && !f.startsWith('./dist/workers/'))
      .map((f) => f.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'))
      .sort();
    // Programs are built too but are no entry modules: the workers (the learner worker, and the
    // actor worker threads that `train --workers` loads by URL), and the `phaser-ppo` bin.
    const programs = Object.values(pkg.bin).map((f) => f.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, '.ts'));
    expect(programs).toEqual(['sdk/cli/bin.ts']);
    const workerThreads = ['sdk/runtime/actor-worker.ts'];
    const build = (readJsonc('tsconfig.build.json') as { include: string[] }).include
      .filter((f) => !f.startsWith('workers/') && !programs.includes(f) && !workerThreads.includes(f)).sort();
    // `phaser-ppo/register` is imported for its effect (`node --import`): an entry with no API to document.
    const hooks = ['sdk/register.ts'];
    const docs = [...(readJsonc('typedoc.json') as { entryPoints: string[] }).entryPoints].sort();
    expect(fromExports).toContain('sdk/rl/index.ts');
    expect(fromExports).toEqual(expect.arrayContaining(hooks));
    expect(build).toEqual(fromExports);
    expect(docs).toEqual(fromExports.filter((f) => !hooks.includes(f)));
  });

  it("keeps the learner's internals in phaser-ppo/rl and what a game touches in phaser-ppo", async () => {
    const root = await import('./index.js');
    const rl = await import('./rl/index.js');
    const internals = [
      'PPOLearner', 'ppoLoss', 'computeAdvantages', 'ActionDistribution', 'ActorCriticLayout', 'Adam', 'TfjsEngine', 'KernelsEngine',
      'preloadKernels', 'LearnerHost', 'inProcessLearner', 'workerLearner', 'ResilientLearner', 'LearnerRestartedError',
      'allocateRollout', 'ObservationNormalizer', 'RewardScaler', 'RunningMeanStd', 'Trainer', 'EpisodeWindow',
    ];
    for (const name of internals) {
      expect(name in rl, `phaser-ppo/rl exports ${name}`).toBe(true);
      expect(name in root, `phaser-ppo does not export ${name}`).toBe(false);
    }
    for (const name of ['Agent', 'ActionSpec', 'BodyStateSensor', 'Box', 'Discrete', 'resolveConfig', 'scheduledSteps', 'DEFAULT_PPO_CONFIG', 'decodeBrain', 'policyFromBrain', 'evaluateGame', 'FastTrainer', 'ConfigError', 'ENVS', 'Rng', 'Curriculum', 'EnvParamsError']) {
      expect(name in root, `phaser-ppo exports ${name}`).toBe(true);
    }
  });
});
