/**
 * The brain loader against random file-system shapes: `brain.json` and its weights file are each
 * a regular file, a symbolic link (to a valid file elsewhere, to /etc/passwd, to /dev/zero), a
 * FIFO, a directory, or missing. It loads exactly when both are regular files, and otherwise throws
 * a BrainError naming the file, without blocking (a FIFO is refused by its kind, not read).
 */
import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrainError } from '../core/errors.js';
import { loadBrain, saveBrain } from '../io/brain.node.js';
import { readRegularFile } from '../io/files.node.js';
import { cartpoleTestBrain } from '../io/test-brain.js';
import { fuzz } from './fuzz-count.js';

const KINDS = ['regular', 'link-valid', 'link-passwd', 'link-zero', 'fifo', 'directory', 'missing'] as const;
type Kind = typeof KINDS[number];

const root = mkdtempSync(join(tmpdir(), 'loader-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const good = join(root, 'good');
saveBrain(good, cartpoleTestBrain());

function place(path: string, kind: Kind, valid: string): void {
  switch (kind) {
    case 'regular': copyFileSync(valid, path); break;
    case 'link-valid': symlinkSync(valid, path); break;
    case 'link-passwd': symlinkSync('/etc/passwd', path); break;
    case 'link-zero': symlinkSync('/dev/zero', path); break;
    case 'fifo': execFileSync('mkfifo', [path]); break;
    case 'directory': mkdirSync(path); break;
    case 'missing': break;
  }
}

describe('brain loader against file kinds', () => {
  it('loads only two regular files; anything else is a BrainError naming the file, at once', () => {
    let n = 0;
    fuzz('loader file kinds', 60, fc.property(fc.constantFrom(...KINDS), fc.constantFrom(...KINDS), (manifestKind, weightsKind) => {
      const dir = join(root, `case-${n++}`);
      mkdirSync(dir);
      place(join(dir, 'brain.json'), manifestKind, join(good, 'brain.json'));
      place(join(dir, 'weights.bin'), weightsKind, join(good, 'weights.bin'));
      let error: unknown;
      try {
        expect(loadBrain(dir).steps).toBe(6144);
      } catch (err) {
        error = err;
      }
      if (manifestKind === 'regular' && weightsKind === 'regular') {
        expect(error).toBeUndefined();
        return;
      }
      expect(error).toBeInstanceOf(BrainError);
      const broken = manifestKind !== 'regular' ? 'brain.json' : 'weights.bin';
      expect((error as Error).message).toContain(join(dir, broken));
      expect((error as Error).message).not.toMatch(/root:|\d+ bytes/);
    }));
  }, 60_000);

  it('reads stop at the cap while reading, whatever stat says', () => {
    const path = join(root, 'big.bin');
    writeFileSync(path, Buffer.alloc(5000));
    expect(() => readRegularFile(path, 4096, (m) => new BrainError(m))).toThrow('is over the 4096-byte limit');
    expect(readRegularFile(path, 5000, (m) => new BrainError(m))).toHaveLength(5000);
  });
});
