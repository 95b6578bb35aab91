/**
 * `node --import phaser-ppo/register my-train.ts` from the installed package: this repo packed as
 * a user gets it (`npm pack`, whose prepare script builds dist/), unpacked into a fresh folder's
 * node_modules beside links to this repo's dependencies (no network, no npm install), with the
 * starter's game (templates/starter/src: a scene that imports `phaser-ppo/phaser`, whose browser
 * backends import tfjs's `.wasm?url`) and a script of the user's own that trains it through the
 * Node API. Plain `node --import tsx` fails on that import; the register entry runs it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

/** The user's script: the starter's headless game, trained for two updates (8 balls × 64 decisions each). */
const TRAIN_SCRIPT = `import { FastTrainer } from 'phaser-ppo';
import { nodeBackends } from 'phaser-ppo/node';
import reachGame from './src/headless.js';

const trainer = new FastTrainer(reachGame, nodeBackends, { seed: 1 });
const steps: number[] = [];
await trainer.run((u) => steps.push(u.step), { maxSteps: 1024 });
trainer.dispose();
console.log(\`trained \${reachGame.name}: \${steps.join(' ')}\`);
`;

/** A game's folder with this repo installed as a package: returns the folder. */
function installedProject(work: string): string {
  const project = join(work, 'game');
  const modules = join(project, 'node_modules');
  mkdirSync(modules, { recursive: true });
  // The prepare script's build prints to stdout too: the tarball is the one file npm writes to `work`.
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: repo, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball to ${work}`);
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked]);
  cpSync(join(unpacked, 'package'), join(modules, 'phaser-ppo'), { recursive: true });
  // Its dependencies (phaser, tfjs, tsx, ...) as this repo installed them.
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name.startsWith('.') || name === 'phaser-ppo') continue;
    symlinkSync(join(repo, 'node_modules', name), join(modules, name));
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'game', private: true, type: 'module' }));
  cpSync(join(repo, 'templates/starter/src'), join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'train.ts'), TRAIN_SCRIPT);
  return project;
}

describe('phaser-ppo/register', () => {
  it("runs a user's own training script on a headless scene game from the installed package; plain --import tsx fails on .wasm?url", () => {
    const work = mkdtempSync(join(tmpdir(), 'phaser-ppo-register-'));
    try {
      const project = installedProject(work);
      const node = (...args: string[]) => spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
      // What a user tried first: tsx alone leaves Vite's ?url imports to Node, which refuses the .wasm.
      const plain = node('--import', 'tsx', 'train.ts');
      expect(plain.status).not.toBe(0);
      expect(plain.stderr).toMatch(/Unknown file extension "\.wasm"/);
      const run = node('--import', 'phaser-ppo/register', 'train.ts');
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('trained reach: 512 1024');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);
});
