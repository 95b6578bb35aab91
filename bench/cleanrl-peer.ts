/**
 * The CleanRL-style PyTorch peer (../shared/peers/cleanrl-torch) as the benchmarks run it: CartPole
 * to a mean return of 475, one thread, in /usr/bin/python3 (bench/peer.ts, bench/workers.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

const python = '/usr/bin/python3';

/** One run to 475: wall seconds and env steps (to 475 when reached, else the whole capped run). */
export interface Run { seconds: number; steps: number; sps: number; reached: boolean }

/** Why the peer cannot run here, or null when it can. */
export function missingPeer(script: string): string | null {
  if (!existsSync(script)) return `the peer is not at ${script} (give its path with --peer)`;
  if (!existsSync(python)) return `${python} is missing`;
  const probe = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${python} cannot import torch and numpy (apt-get install python3-torch python3-numpy)`;
  return null;
}

/** The peer on `seed`, capped at `cap` seconds; a sentence when it failed. */
export function runPeer(script: string, seed: number, cap: string): Run | string {
  const r = spawnSync(python, [script, '--seed', String(seed), '--threads', '1', '--cap', cap], { encoding: 'utf8', cwd: dirname(script) });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) return `peer exited ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  const j = JSON.parse(line) as { reached475: boolean; stepsTo475: number | null; secondsTo475: number | null; totalSteps: number; totalSeconds: number; sps: number };
  return j.reached475
    ? { seconds: j.secondsTo475!, steps: j.stepsTo475!, sps: j.stepsTo475! / j.secondsTo475!, reached: true }
    : { seconds: j.totalSeconds, steps: j.totalSteps, sps: j.sps, reached: false };
}
