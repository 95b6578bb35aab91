/**
 * A training run's directory, owned by one process at a time: `OUT/run.lock` holds the writer's
 * pid, host, start time and command line. A second run on the same directory is refused with a
 * message naming the holder; a lock whose process is gone (killed, crashed) is stale and taken
 * over, and said so. A directory that already holds a run is only continued (`--resume`) or
 * moved aside (`--force`), never overwritten and never deleted.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync, type Dirent } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PhaserPpoError } from '../core/errors.js';
import { fsCause, fsyncDir, readRegularFile } from './files.node.js';

/** The lock file's name inside a run directory. */
export const LOCK_FILE = 'run.lock';
/** Files whose presence means a directory holds a run. */
const RUN_FILES = ['brain.json', 'metrics.jsonl'] as const;

/** A run directory cannot be used: the message names the flag, the directory and why. */
export class RunDirError extends PhaserPpoError {
  override name = 'RunDirError';
}

/** What `run.lock` records. */
export interface LockInfo {
  pid: number;
  host: string;
  /** ISO time the run started. */
  started: string;
  command: string;
}

/** A held lock; `release()` removes it (only if it is still this process's). */
export interface RunLock {
  readonly path: string;
  /** A stale lock that was taken over, if any (its holder is gone). */
  readonly replacedStale: LockInfo | undefined;
  release(): void;
}

/** Whether the process that wrote `info` is still running (on this host; another host's lock is assumed held). */
export function holderAlive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true;
  if (info.pid === process.pid) {
    // This process's own, unless written before it started: a dead process that had the same pid
    // (a restarted container reuses low pids).
    const startedAt = Date.parse(info.started);
    return !(startedAt < Date.now() - process.uptime() * 1000 - 1000);
  }
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user; ESRCH: gone.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    // A regular file of at most 64 KiB: a FIFO planted as the lock must not block the reader.
    const j = JSON.parse(readRegularFile(path, 65_536, (m) => new RunDirError(m)).toString('utf8')) as Partial<LockInfo>;
    if (typeof j.pid === 'number' && Number.isSafeInteger(j.pid) && j.pid > 0) {
      return { pid: j.pid, host: String(j.host ?? hostname()), started: String(j.started ?? '?'), command: String(j.command ?? '?') };
    }
  } catch {
    // Unreadable or half-written: treated below as a lock of unknown holder.
  }
  return undefined;
}

/** Creates `path` only if it does not exist; false if it does. */
function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Creates `dir` if needed and locks it for this process. Throws {@link RunDirError} naming `flag`
 * when the directory cannot be made (a file in the way, read-only, disk full) or another live run
 * holds it. `command` is recorded for whoever is refused.
 */
export function lockRunDir(dir: string, flag: string, command: string): RunLock {
  ensureDir(dir, flag);
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  const text = JSON.stringify(mine) + '\n';
  let replacedStale: LockInfo | undefined;
  // Twice at most: once, and once more after taking over a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    let created: boolean;
    try {
      created = createExclusive(path, text);
    } catch (err) {
      throw new RunDirError(`${flag}: cannot lock ${dir}: ${fsCause(err)}`);
    }
    if (created) {
      fsyncDir(dir);
      return {
        path, replacedStale,
        release: () => {
          // Only our own: a lock taken over after we were presumed dead is not ours to remove.
          if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    }
    const holder = readLock(path);
    if (holder && holderAlive(holder)) {
      throw new RunDirError(`${flag}: ${dir} is in use by another run: pid ${holder.pid} on ${holder.host}, started ${holder.started} (${holder.command}). `
        + `Wait for it to finish, stop it, or choose another ${flag}.`);
    }
    if (!holder && Date.now() - mtimeOf(path) < 5_000) {
      // A lock being written this instant (empty or partial): its writer is alive.
      throw new RunDirError(`${flag}: ${dir} is being locked by another run right now (${path}); choose another ${flag} or try again.`);
    }
    // Stale: its process is gone. Take it over by renaming it away (only one taker's rename succeeds).
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // someone else took it over first: try to create ours, or meet theirs
    }
    const moved = readLock(aside);
    rmSync(aside, { force: true });
    if (moved && holderAlive(moved)) {
      // We moved a live lock created after our read (a race): refuse rather than share the directory.
      throw new RunDirError(`${flag}: ${dir} was just locked by another run (pid ${moved.pid}); choose another ${flag}.`);
    }
    replacedStale = holder;
  }
  throw new RunDirError(`${flag}: could not lock ${dir}: other runs keep locking it; choose another ${flag}.`);
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Creates `dir` (and its parents), turning the fs error into one naming `flag` and the cause. */
export function ensureDir(dir: string, flag: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new RunDirError(`${flag}: cannot create the directory ${dir}: ${fsCause(realMkdirError(dir, err))}`);
  }
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    throw new RunDirError(`${flag}: cannot use ${dir}: ${fsCause(err)}`);
  }
  if (!isDir) throw new RunDirError(`${flag}: ${dir} exists as a file, not a directory`);
}

/**
 * The real cause of a failed recursive mkdir: Node reports ENOENT for a read-only parent, so the
 * first missing component is made again, alone, to get the file system's own answer (EROFS).
 */
function realMkdirError(dir: string, err: unknown): unknown {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return err;
  let missing = resolve(dir);
  while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
  try {
    mkdirSync(missing);
  } catch (inner) {
    return inner;
  }
  return err;
}

/**
 * Whether `dir` holds a run: a brain or a metrics log, in it or in a subdirectory of it (a game
 * whose behaviors train against each other keeps each behavior's in `dir/<behavior>/`).
 */
export function holdsRun(dir: string): boolean {
  if (RUN_FILES.some((f) => existsSync(join(dir, f)))) return true;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((e) => e.isDirectory() && RUN_FILES.some((f) => existsSync(join(dir, e.name, f))));
}

/**
 * Moves every entry of `dir` but the lock into a new sibling `DIR.old-<time>` and returns its
 * path: `--force` keeps the old run, out of the way. Never deletes anything.
 */
export function moveRunAside(dir: string, flag: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = `${dir.replace(/[/\\]+$/, '')}.old-${stamp}`;
  try {
    mkdirSync(aside);
    for (const entry of readdirSync(dir)) {
      if (entry === LOCK_FILE) continue;
      renameSync(join(dir, entry), join(aside, entry));
    }
    fsyncDir(aside);
    fsyncDir(dir);
  } catch (err) {
    throw new RunDirError(`${flag}: could not move the old run in ${dir} aside to ${aside}: ${fsCause(err)} (nothing was deleted)`);
  }
  return aside;
}
