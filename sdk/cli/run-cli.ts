/**
 * Tests' way to run a CLI command as a user's `npx phaser-ppo <command>` does: a child process of
 * the command's TypeScript source through tsx, with `npm_package_name` set so hints name
 * `npx phaser-ppo` as they would from an installed package.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `sdk/cli/<command>.ts` with `args` and waits for it. */
export function runCli(command: 'train' | 'eval', ...args: string[]): CliResult {
  const r = spawnSync(tsx, [`sdk/cli/${command}.ts`, ...args], { encoding: 'utf8', env: { ...process.env, npm_package_name: 'phaser-ppo' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
