/** The run-directory lock in-process: who holds it, when it is stale, what --force moves. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdsRun, LOCK_FILE, lockRunDir, moveRunAside, RunDirError } from './run-lock.js';

const root = mkdtempSync(join(tmpdir(), 'run-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lockRunDir', () => {
  it('a held lock refuses a second locker, naming the holder; release frees it', () => {
    const dir = join(root, 'held');
    const lock = lockRunDir(dir, '--out', 'train cartpole');
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), command: 'train cartpole' });
    expect(() => lockRunDir(dir, '--out', 'train pendulum')).toThrow(RunDirError);
    expect(() => lockRunDir(dir, '--out', 'train pendulum')).toThrow(`--out: ${dir} is in use by another run: pid ${process.pid}`);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lockRunDir(dir, '--out', 'again').release();
  });

  it('a lock of this pid written before this process started is stale (a restarted container reuses pids)', () => {
    const dir = join(root, 'reused-pid');
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: '2020-01-01T00:00:00Z', command: 'old' }));
    const lock = lockRunDir(dir, '--out', 'new');
    expect(lock.replacedStale).toMatchObject({ pid: process.pid, command: 'old' });
    lock.release();
  });

  it('release leaves a lock that is no longer this process\'s', () => {
    const dir = join(root, 'taken');
    const lock = lockRunDir(dir, '--out', 'mine');
    writeFileSync(lock.path, JSON.stringify({ pid: 2 ** 30, host: hostname(), started: new Date().toISOString(), command: 'theirs' }));
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
  });
});

describe('moveRunAside', () => {
  it('moves every entry but the lock to DIR.old-<time>, deleting nothing', () => {
    const dir = join(root, 'run');
    const lock = lockRunDir(dir, '--out', 'train');
    writeFileSync(join(dir, 'brain.json'), '{}');
    writeFileSync(join(dir, 'metrics.jsonl'), '');
    mkdirSync(join(dir, 'extra'));
    expect(holdsRun(dir)).toBe(true);
    const aside = moveRunAside(dir, '--out');
    expect(aside).toMatch(/run\.old-\d{4}-\d\d-\d\dT/);
    expect(readdirSync(aside).sort()).toEqual(['brain.json', 'extra', 'metrics.jsonl']);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(holdsRun(dir)).toBe(false);
    lock.release();
  });
});
