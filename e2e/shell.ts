/** Running commands from the install test: failures carry the output a reader needs. */
import { execFileSync } from 'node:child_process';

/**
 * Runs `cmd` in `cwd` and returns its stdout; when it fails, throws with the command, its folder
 * and the end of its output. npm's update notice is off (it would reach for the network). `env`
 * adds variables; a nested Playwright run gets none of this run's own (`TEST_*`, `PW_*`).
 */
export function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEST_') && !k.startsWith('PW_')));
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...inherited, ...env, npm_config_update_notifier: 'false' } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`.slice(-6000));
  }
}
