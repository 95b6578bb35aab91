/**
 * Test helpers for attacking the CLI and the loaders as a careless or hostile user would: real
 * processes (`train`, `eval`, a loader in a child), each with a time limit so that a hang fails
 * the case instead of the suite. `CLI_ROOT` points them at another checkout (to check a case
 * fails on old code: `CLI_ROOT=/path/to/old/checkout npx vitest run sdk/fuzz/fs-process.fuzz.test.ts`).
 * Test-only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The checkout whose CLI is attacked. */
export const ROOT = process.env.CLI_ROOT ?? process.cwd();

/**
 * Per-process limit. Generous on purpose (a loaded 2-core CI machine starts tsx slowly); it only
 * turns a hang into a failure, no case is expected to come near it. `CLI_HANG_MS` lowers it for
 * runs against old code, where some cases do hang (and `/dev/zero` grows memory while it does).
 */
export const HANG_LIMIT_MS = Number(process.env.CLI_HANG_MS ?? 60_000);

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  /** True when the process had to be killed at the limit: it hung. */
  hung: boolean;
}

/** Runs `sdk/cli/<command>.ts` with `args` to completion (or the limit). */
export function cli(command: 'train' | 'eval', args: string[], limitMs = HANG_LIMIT_MS): Ran {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'sdk/cli', `${command}.ts`), ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: limitMs, killSignal: 'SIGKILL', env: { ...process.env, CI: '1' }, maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', hung: r.signal === 'SIGKILL' };
}

/** Starts `sdk/cli/<command>.ts` in the background. */
export function startCli(command: 'train' | 'eval', args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'sdk/cli', `${command}.ts`), ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' },
  });
}

/** Collects a background process's output and exit. */
export function finished(child: ChildProcess): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ status: code, stdout, stderr, hung: false })));
}

/** Resolves once the child's stderr has matched `pattern` (an event, not a time). */
export function whenStderr(child: ChildProcess, pattern: RegExp): Promise<void> {
  let seen = '';
  return new Promise((resolve) => {
    const on = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) { child.stderr?.off('data', on); resolve(); }
    };
    child.stderr?.on('data', on);
  });
}

/** `loadBrain(path)` of ROOT in a child process: `LOADED <env> <steps>` or `ERR <name>: <message>`. */
export function loadInChild(path: string, limitMs = HANG_LIMIT_MS): Ran {
  const script = `const m = await import(${JSON.stringify(join(ROOT, 'sdk/io/brain.node.ts'))});
    try { const b = m.loadBrain(${JSON.stringify(path)}); console.log('LOADED ' + b.env + ' ' + b.steps); }
    catch (e) { console.log('ERR ' + e.name + ': ' + e.message); }`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT, encoding: 'utf8', timeout: limitMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: (r.stdout ?? '').trim(), stderr: r.stderr ?? '', hung: r.signal === 'SIGKILL' };
}

/**
 * Writes a user env module into `dir`: `body` is the object literal's members after the spaces
 * (`reset`, `step`), `spaces` defaults to `Box(-1, 1, 1)` and `Discrete(2)`. Returns its path.
 */
export function envModule(dir: string, name: string, body: string, spaces = 'observationSpace: Box(-1, 1, 1), actionSpace: Discrete(2),', prelude = ''): string {
  const path = join(dir, `${name}.ts`);
  writeFileSync(path, `import { Box, Discrete } from ${JSON.stringify(join(ROOT, 'sdk/core/spaces.ts'))};
${prelude}
export default () => ({ ${spaces} ${body} });
`);
  return path;
}
