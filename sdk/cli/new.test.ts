/** The scaffolder without installing anything: what it writes, which phaser-ppo it points at, what it refuses. */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './args.js';
import { PACKAGE_ROOT, parseNewArgs, scaffold, specFor, STARTER_DIR } from './new.js';

const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'new-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function manifest(dir: string): { name: string; dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
}

describe('phaser-ppo new', () => {
  it('writes the starter (headless module, learning test, .gitignore) with the given phaser-ppo spec', () => {
    const cwd = temp();
    const made = scaffold({ dir: 'My Game', tarball: false, phaserPpo: 'git+https://example.org/phaser-ppo.git#v0.1.0' }, cwd);
    const game = join(cwd, 'My Game');
    for (const f of ['package.json', 'index.html', 'src/main.ts', 'src/reach-scene.ts', 'src/reach-agent.ts', 'src/headless.ts', 'test/learning.test.ts', 'test/page.spec.ts', 'playwright.config.ts', '.gitignore']) {
      expect(existsSync(join(game, f)), f).toBe(true);
    }
    expect(existsSync(join(game, '_gitignore'))).toBe(false);
    expect(manifest(game)).toMatchObject({ name: 'my-game', dependencies: { 'phaser-ppo': 'git+https://example.org/phaser-ppo.git#v0.1.0' } });
    expect(made.source).toBe('--phaser-ppo');
  });

  it('rewrites a local tarball or folder relative to the game', () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'phaser-ppo-0.1.0.tgz'), '');
    scaffold({ dir: 'games/a', tarball: false, phaserPpo: './phaser-ppo-0.1.0.tgz' }, cwd);
    expect(manifest(join(cwd, 'games/a')).dependencies['phaser-ppo']).toBe('file:../../phaser-ppo-0.1.0.tgz');
    expect(specFor('git+file:///srv/phaser-ppo#abc', cwd, join(cwd, 'g'))).toBe('git+file:///srv/phaser-ppo#abc');
    expect(specFor('^0.1.0', cwd, join(cwd, 'g'))).toBe('^0.1.0');
  });

  it('by default reuses the phaser-ppo dependency of the project it runs in', () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'host', dependencies: { 'phaser-ppo': 'git+file:///srv/phaser-ppo.git#0123abc' } }));
    const made = scaffold({ dir: 'g', tarball: false }, cwd);
    expect(made.spec).toBe('git+file:///srv/phaser-ppo.git#0123abc');
    expect(made.source).toContain(join(cwd, 'package.json'));
  });

  it('without a project, points at this git checkout at its commit', () => {
    const cwd = temp();
    const made = scaffold({ dir: 'g', tarball: false }, cwd);
    expect(made.spec).toMatch(new RegExp(`^git\\+file://${PACKAGE_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#[0-9a-f]{40}$`));
  });

  it('refuses a folder that is not empty, naming what is in it, and writes nothing', () => {
    const cwd = temp();
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'notes.txt'), 'mine');
    expect(() => scaffold({ dir: 'taken', tarball: false, phaserPpo: '^0.1.0' }, cwd)).toThrow(/taken is not empty \(notes\.txt\); give a new or empty folder/);
    expect(existsSync(join(cwd, 'taken', 'package.json'))).toBe(false);
    writeFileSync(join(cwd, 'file'), '');
    expect(() => scaffold({ dir: 'file', tarball: false, phaserPpo: '^0.1.0' }, cwd)).toThrow(/file exists and is not a folder/);
  });

  it('accepts an empty existing folder', () => {
    const cwd = temp();
    mkdirSync(join(cwd, 'empty'));
    scaffold({ dir: 'empty', tarball: false, phaserPpo: '^0.1.0' }, cwd);
    expect(manifest(join(cwd, 'empty')).name).toBe('empty');
  });

  it('parses its flags and names the mistake', () => {
    expect(parseNewArgs(['g', '--tarball'])).toEqual({ dir: 'g', tarball: true });
    expect(parseNewArgs(['--help'])).toBeUndefined();
    expect(() => parseNewArgs([])).toThrow(/give the folder to create/);
    expect(() => parseNewArgs(['a', 'b'])).toThrow(/expected one folder, got "a" "b"/);
    expect(() => parseNewArgs(['g', '--tarbal'])).toThrow(CliError);
    expect(() => parseNewArgs(['g', '--tarball', '--phaser-ppo', 'x'])).toThrow(/--tarball: give either/);
    expect(() => parseNewArgs(['g', '--name', 'Bad Name'])).toThrow(/--name: "Bad Name" is not a valid npm package name/);
  });

  it('ships the template the package.json "files" names', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { files: string[]; bin: Record<string, string> };
    expect(pkg.files).toContain('templates/starter/');
    expect(existsSync(join(STARTER_DIR, '_gitignore'))).toBe(true);
    expect(pkg.bin['phaser-ppo']).toBe('dist/sdk/cli/bin.js');
  });
});
