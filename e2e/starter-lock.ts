/**
 * A package-lock.json for the package test's copy of the starter, cut from this repo's lockfile, so
 * `npm ci --offline` installs exactly the versions this repo's `npm ci` put in the npm cache.
 * Resolving the starter's ranges instead (`npm install --offline`) picks the newest version in the
 * cached registry metadata, whose tarball the cache need not hold: the test would then depend on
 * when the cache was warmed, not on this repo.
 *
 * phaser-ppo itself comes from the tarball under test; every other package is the repo's entry,
 * found the way Node resolves it (nearest `node_modules` up the tree) from whoever depends on it.
 */

/** The fields of a lockfile v3 entry this cut reads or writes. */
export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [field: string]: unknown;
}

export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, LockEntry>;
}

export interface StarterManifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * The starter's lockfile. `repoLock` is this repo's package-lock.json (the repo is phaser-ppo, so
 * its root entry's dependencies are phaser-ppo's); `tarball` is where the starter's package.json
 * points phaser-ppo (`file:...`), with the `integrity` npm pack reported, or a git URL
 * (`git+file://...#<commit>`, no integrity: npm clones it and runs its prepare build).
 */
export function starterLock(repoLock: Lockfile, starter: StarterManifest, tarball: { spec: string; integrity?: string }): Lockfile {
  const src = repoLock.packages;
  const repoRoot = src[''];
  if (!repoRoot) throw new Error('starterLock: the repo lockfile has no root entry');
  const out: Record<string, LockEntry> = {
    '': { name: starter.name, version: starter.version, dependencies: starter.dependencies, ...(starter.devDependencies ? { devDependencies: starter.devDependencies } : {}) },
    'node_modules/phaser-ppo': {
      version: repoRoot.version!,
      resolved: tarball.spec,
      ...(tarball.integrity !== undefined ? { integrity: tarball.integrity } : {}),
      // `bin`: npm ci links node_modules/.bin/phaser-ppo from the lockfile's entry.
      ...pick(repoRoot, ['license', 'bin', 'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'engines']),
    },
  };

  /** Where `name` resolves from the package at `from` ('' = the root), in the repo's tree. */
  const locate = (from: string, name: string): string | null => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (src[candidate]) return candidate;
      if (!base) return null;
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };

  // [path of the dependent in the repo's tree, dependency name, whether it may be missing]
  const queue: [string, string, boolean][] = [];
  const enqueue = (from: string, entry: LockEntry) => {
    for (const name of Object.keys(entry.dependencies ?? {})) queue.push([from, name, false]);
    for (const name of Object.keys(entry.optionalDependencies ?? {})) queue.push([from, name, true]);
    for (const name of Object.keys(entry.peerDependencies ?? {})) queue.push([from, name, entry.peerDependenciesMeta?.[name]?.optional === true]);
  };
  // phaser-ppo's dependencies resolve as the repo root's do; the starter's own from the root too.
  enqueue('', { dependencies: repoRoot.dependencies ?? {}, peerDependencies: repoRoot.peerDependencies ?? {}, peerDependenciesMeta: repoRoot.peerDependenciesMeta ?? {} });
  for (const name of [...Object.keys(starter.dependencies), ...Object.keys(starter.devDependencies ?? {})]) {
    if (name !== 'phaser-ppo') queue.push(['', name, false]);
  }
  while (queue.length > 0) {
    const [from, name, mayBeMissing] = queue.pop()!;
    const path = locate(from, name);
    if (!path) {
      if (mayBeMissing) continue;
      throw new Error(`starterLock: ${from || 'the root'} needs ${name}, which this repo's package-lock.json does not hold`);
    }
    if (out[path]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = src[path]!;
    // This repo's lockfile omits `resolved`; with the registry URL written in, npm ci fetches each
    // tarball by URL and integrity (from the cache, offline) and needs no registry metadata at all.
    out[path] = { ...entry, resolved: entry.resolved ?? registryTarball(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version!) };
    enqueue(path, entry);
  }
  return { name: starter.name, version: starter.version, lockfileVersion: 3, requires: true, packages: out };
}

/** The npm registry's tarball URL of `name@version` (`@scope/name/-/name-1.0.0.tgz`). */
function registryTarball(name: string, version: string): string {
  return `https://registry.npmjs.org/${name}/-/${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`;
}

function pick(entry: LockEntry, fields: string[]): Partial<LockEntry> {
  return Object.fromEntries(fields.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
}
