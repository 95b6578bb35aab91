/**
 * Node file access for what a user or a hostile file can point the SDK at: brains, configs, run
 * directories. Reads open regular files only (no FIFO, device, socket or directory: those can
 * block forever or never end), never through a symbolic link, and stop at a byte cap while
 * reading (a `stat` size says nothing for special files). Writes are durable: data and directory
 * are fsynced before and after the rename that publishes them. Errors name the cause in words.
 */
import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';

/** An error the caller words for its context (a brain, a flag): a message without the path's role. */
export type FailWith = (message: string) => Error;

/** Words for a special file's kind, from its stats. */
export function fileKind(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** The cause of a failed file-system call in words (`the disk is full (ENOSPC)`), for messages. */
export function fsCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const words: Record<string, string> = {
    ENOENT: 'it does not exist',
    EEXIST: 'it exists as a file, not a directory',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EISDIR: 'it is a directory',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    ENAMETOOLONG: 'the name is too long',
    ELOOP: 'it is a symbolic link (not followed)',
    EMFILE: 'too many open files',
    EIO: 'an input/output error',
  };
  if (code && Object.hasOwn(words, code)) return `${words[code]} (${code})`;
  return code ? `${(err as Error).message.split(',')[0]} (${code})` : String((err as Error)?.message ?? err);
}

/**
 * Reads `path` whole, if it is a regular file of at most `maxBytes`: opened without following a
 * symbolic link and without blocking (a FIFO opens at once, then is refused by its kind), and
 * read in chunks that stop one byte past the cap. Throws `fail(...)` naming what is wrong.
 * `followLinks` allows a symbolic link as the path itself (a user's own file given on the
 * command line); what it points to must still be a regular file.
 */
export function readRegularFile(path: string, maxBytes: number, fail: FailWith, opts: { followLinks?: boolean } = {}): Buffer {
  if (path.includes('\0')) throw fail('the path holds a NUL byte');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (opts.followLinks ? 0 : constants.O_NOFOLLOW));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : code === 'ELOOP' ? 'is a symbolic link; links are not followed (give the file itself)' : `cannot open it: ${fsCause(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fail(`is ${fileKind(st)}, not a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1));
    for (;;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, maxBytes + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
      if (total > maxBytes) throw fail(`is over the ${maxBytes}-byte limit`);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== undefined) throw fail(`cannot read it: ${fsCause(err)}`);
    throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` to `path` so that a crash at any moment leaves the old file or the new one: to
 * `path.tmp`, fsynced, renamed over `path`, then the directory fsynced (the rename itself is
 * durable only then). A failed write removes the temporary file and throws the fs error.
 */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp`;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(tmp, 'w');
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dirname(path));
}

/** Makes a directory's entries (a rename, a new file) durable. Some file systems refuse: ignored there. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // EINVAL/EISDIR on file systems without directory fsync: the data itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A pair of files in Node: a JSON manifest and the binary file beside it that it names, brains
 * (`brain.json` + `weights.bin`) and demonstrations (`demo.json` + `demo.bin`) alike.
 */
export interface FilePairFormat {
  /** The manifest's name in a directory (`brain.json`). */
  readonly manifest: string;
  /** The two names the binary file takes in turn when a directory's pair is replaced. */
  readonly binaries: readonly [string, string];
  /** What messages call the binary file (`weights file`). */
  readonly binaryWord: string;
  readonly maxManifestBytes: number;
  readonly maxBinaryBytes: number;
  /** The binary file's name from the parsed manifest; throws naming `where` when it names none or an unsafe one. */
  binaryOf(json: unknown, where: string): string;
  /** The error its messages are thrown as (BrainError, DemonstrationError). */
  readonly fail: FailWith;
}

/**
 * Where a replacement of the pair whose manifest is at `path` writes: `current`, the binary the
 * manifest names now (if it is readable and names one of the two the writer alternates), which
 * must stay whole until the new manifest is in place; `next`, the other name, for the new binary.
 */
export function currentPairFile(path: string, format: FilePairFormat): { current: string | undefined; next: string } {
  const [first, second] = format.binaries;
  let current: string | undefined;
  try {
    const json: unknown = JSON.parse(readRegularFile(path, format.maxManifestBytes, format.fail).toString('utf8'));
    const file = format.binaryOf(json, path);
    if (file === first || file === second) current = file;
  } catch {
    // No readable manifest: nothing to keep.
  }
  return { current, next: current === first ? second : first };
}

/**
 * Reads a pair from its manifest's path (or the directory holding it): both regular files within
 * their size caps (counted while reading), the binary a plain name beside the manifest. Errors name
 * the manifest. `followLinks` allows the manifest path itself to be a symbolic link.
 */
export function readFilePair(path: string, format: FilePairFormat, opts: { followLinks?: boolean } = {}): { manifestPath: string; json: unknown; binary: ArrayBuffer } {
  const { fail } = format;
  if (path.includes('\0')) throw fail(`${JSON.stringify(path)}: the path holds a NUL byte`);
  let manifestPath = path;
  try {
    if (statSync(path).isDirectory()) manifestPath = join(path, format.manifest);
  } catch {
    throw fail(`${path}: no such file or directory`);
  }
  const bytes = readRegularFile(manifestPath, format.maxManifestBytes, (m) => fail(`${manifestPath}: ${m}`), opts);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw fail(`${manifestPath}: not valid JSON (${(err as Error).message})`);
  }
  const binaryPath = join(dirname(manifestPath), format.binaryOf(json, manifestPath));
  const buf = readRegularFile(binaryPath, format.maxBinaryBytes, (m) => fail(`${manifestPath}: ${format.binaryWord} ${binaryPath}: ${m === 'no such file' ? 'is missing' : m}`));
  return { manifestPath, json, binary: new Uint8Array(buf).buffer };
}
