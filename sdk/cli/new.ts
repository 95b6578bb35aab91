/**
 * `phaser-ppo new <dir>` (and `npm run new-game -- <dir>` in this repo): writes the starter game
 * (templates/starter: Phaser 4, Matter, a ball that learns to reach its flag, its headless copies
 * and a learning test) into an empty folder, with a phaser-ppo dependency that installs there.
 *
 * Where that dependency comes from, first match wins:
 * 1. `--phaser-ppo SPEC`: any npm spec (`git+https://...`, `git+file:///...`, a tarball path, a
 *    version range once published); a local path is rewritten relative to the new game;
 * 2. `--tarball`: this phaser-ppo packed into `<dir>/vendor/`, so the game needs nothing else;
 * 3. the phaser-ppo spec in the current folder's package.json (you installed phaser-ppo there,
 *    from git or a tarball, and ran `npx phaser-ppo new`): the same source;
 * 4. this phaser-ppo's git checkout at its current commit (`git+file://...#<commit>`), when it
 *    runs from one (this repo's `npm run new-game`);
 * 5. the registry range `^<version>`, with a warning (not published yet).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError } from './args.js';

/** The package root: this file is sdk/cli/new.ts in the repo and dist/sdk/cli/new.js when installed. */
export const PACKAGE_ROOT = resolve(import.meta.dirname, import.meta.url.endsWith('.ts') ? '../..' : '../../..');
/** The starter the scaffolder copies (shipped in the package: package.json "files"). */
export const STARTER_DIR = join(PACKAGE_ROOT, 'templates', 'starter');

/** phaser-ppo's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Printed for `phaser-ppo new --help`. */
export const NEW_USAGE = `Usage: phaser-ppo new <dir> [options]

Write a starter game to <dir> (which must be empty or not exist): Phaser 4 with Matter physics,
balls that learn to roll onto their flags, their headless copies for \`phaser-ppo train\`, and a
learning test. Then: cd <dir> && npm install && npm run dev (or npm test, npm run train).

  --phaser-ppo SPEC     the phaser-ppo dependency to write: a git URL (git+https://...,
                        git+file:///...), a tarball path, or a version range once published
                        (default: the phaser-ppo spec in ./package.json if there is one, else
                        this checkout as git+file://...#<commit>, else ^${'<version>'})
  --tarball             pack this phaser-ppo into <dir>/vendor/ and depend on that file
  --name NAME           the game's package name (default: <dir>'s name)
  -h, --help            show this help
`;

/** Options of `new`. */
export interface NewOptions {
  dir: string;
  /** An npm spec for phaser-ppo, written as given (local paths made relative to `dir`). */
  phaserPpo?: string;
  tarball: boolean;
  name?: string;
}

/** Parses the arguments after `new`; undefined for `--help`. */
export function parseNewArgs(argv: string[]): NewOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { 'phaser-ppo': { type: 'string' }, tarball: { type: 'boolean' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message.replace(/\. To specify.*$/s, '')}; the options are --phaser-ppo SPEC, --tarball, --name NAME`);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw new CliError(positionals.length === 0 ? 'give the folder to create: phaser-ppo new my-game' : `expected one folder, got ${positionals.map((p) => `"${p}"`).join(' ')}`);
  }
  if (values.tarball && values['phaser-ppo'] !== undefined) throw new CliError('give either --tarball or --phaser-ppo SPEC, not both', '--tarball');
  if (values['phaser-ppo'] === '') throw new CliError('expected an npm spec (a git URL, a tarball path or a version range), got ""', '--phaser-ppo');
  const name = values.name;
  if (name !== undefined && !/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) {
    throw new CliError(`"${name}" is not a valid npm package name (lowercase letters, digits, - . _ ~, optionally @scope/)`, '--name');
  }
  return {
    dir: positionals[0]!, tarball: values.tarball ?? false,
    ...(values['phaser-ppo'] !== undefined ? { phaserPpo: values['phaser-ppo'] } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/** True for a spec that names a local file or folder (rewritten relative to the game). */
function isLocalPath(spec: string): boolean {
  return spec.startsWith('file:') || spec.startsWith('.') || isAbsolute(spec) || (/\.t(ar\.)?gz$/.test(spec) && !/^[a-z+]+:/.test(spec));
}

/** `spec` as the game at `dir` must write it: a local path relative to `dir` (from `base`), anything else as is. */
export function specFor(spec: string, base: string, dir: string): string {
  if (!isLocalPath(spec)) return spec;
  const path = resolve(base, spec.replace(/^file:/, ''));
  return `file:${relative(dir, path) || '.'}`;
}

/** The phaser-ppo spec of the package.json in `cwd`, if it depends on phaser-ppo. */
function specInProject(cwd: string): string | undefined {
  const file = join(cwd, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    if (pkg.name === 'phaser-ppo') return undefined;
    return pkg.dependencies?.['phaser-ppo'] ?? pkg.devDependencies?.['phaser-ppo'];
  } catch {
    return undefined;
  }
}

/** `git+file://ROOT#<commit>` when phaser-ppo runs from a git checkout, with a note if it has uncommitted changes. */
function gitCheckoutSpec(): { spec: string; note?: string } | undefined {
  if (!existsSync(join(PACKAGE_ROOT, '.git'))) return undefined;
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return {
      spec: `git+file://${PACKAGE_ROOT}#${commit}`,
      ...(dirty ? { note: `${PACKAGE_ROOT} has uncommitted changes: the game gets commit ${commit.slice(0, 10)} without them` } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Packs this phaser-ppo into `vendor` and returns the tarball's file name. */
function packInto(vendor: string): string {
  mkdirSync(vendor, { recursive: true });
  // Running from source, `npm pack` builds dist/ (the prepare script); an installed copy ships
  // dist/ already and lacks the build's devDependencies, so its scripts are skipped.
  const fromSource = import.meta.url.endsWith('.ts');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', vendor, ...(fromSource ? [] : ['--ignore-scripts'])], {
    cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Build output may precede the JSON: it is the last top-level array.
  const json = out.slice(out.lastIndexOf('\n[') + 1);
  return (JSON.parse(json) as { filename: string }[])[0]!.filename;
}

/** What `scaffold` wrote, for the summary. */
export interface Scaffolded {
  dir: string;
  name: string;
  /** The phaser-ppo spec written into the game's package.json. */
  spec: string;
  /** How the spec was chosen, in words. */
  source: string;
  notes: string[];
}

/** Writes the starter into `options.dir` (resolved from `cwd`); refuses a folder that is not empty. */
export function scaffold(options: NewOptions, cwd = process.cwd()): Scaffolded {
  const dir = resolve(cwd, options.dir);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`${options.dir} exists and is not a folder; give a new or empty folder`);
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
      throw new CliError(`${options.dir} is not empty (${shown}); give a new or empty folder, so nothing of yours is overwritten`);
    }
  }
  const name = options.name ?? (basename(dir).toLowerCase().replace(/[^a-z0-9-._~]+/g, '-').replace(/^[-._]+/, '') || 'my-game');
  const notes: string[] = [];
  let spec: string;
  let source: string;
  if (options.phaserPpo !== undefined) {
    spec = specFor(options.phaserPpo, cwd, dir);
    source = '--phaser-ppo';
  } else if (options.tarball) {
    mkdirSync(dir, { recursive: true });
    spec = `file:vendor/${packInto(join(dir, 'vendor'))}`;
    source = '--tarball: this phaser-ppo, packed';
  } else {
    const inProject = specInProject(cwd);
    const checkout = inProject === undefined ? gitCheckoutSpec() : undefined;
    if (inProject !== undefined) {
      spec = specFor(inProject, cwd, dir);
      source = `the phaser-ppo dependency of ${join(cwd, 'package.json')}`;
    } else if (checkout) {
      spec = checkout.spec;
      source = 'this git checkout of phaser-ppo';
      if (checkout.note) notes.push(checkout.note);
    } else {
      spec = `^${packageVersion()}`;
      source = 'the npm registry';
      notes.push('phaser-ppo is not on the npm registry yet: give --phaser-ppo <git URL or tarball> or --tarball unless it is published');
    }
  }

  cpSync(STARTER_DIR, dir, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|runs|vendor|_gitignore)$/.test(src) });
  const pkgFile = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name: string; dependencies: Record<string, string> };
  pkg.name = name;
  pkg.dependencies['phaser-ppo'] = spec;
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  // npm leaves every .gitignore out of a package, so the template keeps it as _gitignore.
  cpSync(join(STARTER_DIR, '_gitignore'), join(dir, '.gitignore'));
  return { dir, name, spec, source, notes };
}

/** `new` with its command-line arguments (after the command name). */
export async function runNew(argv: string[]): Promise<void> {
  let options: NewOptions | undefined;
  try {
    options = parseNewArgs(argv);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`new: ${err.message}\n\n${NEW_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    process.stdout.write(NEW_USAGE);
    return;
  }
  try {
    const made = scaffold(options);
    const shown = relative(process.cwd(), made.dir) || '.';
    process.stdout.write([
      `phaser-ppo: wrote the starter game "${made.name}" to ${made.dir}`,
      `  phaser-ppo: ${made.spec} (from ${made.source})`,
      ...made.notes.map((n) => `  note: ${n}`),
      '',
      'Next:',
      `  cd ${shown}`,
      '  npm install',
      '  npm run dev      # the game in your browser; the balls learn while you watch',
      '  npm run train    # train headless copies: runs/reach-1/brain.json',
      '  npm test         # typecheck and the learning test',
      '',
    ].join('\n'));
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`new: ${err.message}\n`);
    process.exitCode = 2;
  }
}
