/** Brains on disk in Node: `DIR/brain.json` with its weights file (`weights.bin`) beside it. */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrainError } from '../core/errors.js';
import { decodeBrain, encodeBrain, MAX_MANIFEST_BYTES, MAX_WEIGHT_BYTES, weightsFileOf, type Brain } from './brain.js';
import { readRegularFile, writeFileDurable } from './files.node.js';

/** The two names a brain's weights take in turn when a directory's brain is replaced. */
const WEIGHT_FILES = ['weights.bin', 'weights.1.bin'] as const;

/**
 * Writes `brain.json` and its weights into `dir` so that a reader, or a process killed at any
 * moment, sees the old brain or the new one, never a mix: the new weights go to a file the current
 * manifest does not name (`weights.bin` and `weights.1.bin` alternate), then the manifest is
 * replaced atomically (write new, fsync, rename, fsync the directory), then the old weights are
 * removed. A failed write (disk full) leaves the old brain whole and throws the fs error. Returns
 * the manifest's path.
 */
export function saveBrain(dir: string, brain: Brain): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'brain.json');
  const current = currentWeightsFile(path);
  const weightsFile = current === WEIGHT_FILES[0] ? WEIGHT_FILES[1] : WEIGHT_FILES[0];
  const { manifest, weights } = encodeBrain(brain, weightsFile);
  // Weights first: a manifest never points at weights that are not there yet.
  writeFileDurable(join(dir, weightsFile), new Uint8Array(weights));
  writeFileDurable(path, JSON.stringify(manifest, null, 2) + '\n');
  if (current !== undefined && current !== weightsFile) rmSync(join(dir, current), { force: true });
  return path;
}

/** The weights file the manifest at `path` names, if it exists and names one we write. */
function currentWeightsFile(path: string): string | undefined {
  try {
    const json: unknown = JSON.parse(readRegularFile(path, MAX_MANIFEST_BYTES, (m) => new BrainError(m)).toString('utf8'));
    const file = weightsFileOf(json, path);
    return (WEIGHT_FILES as readonly string[]).includes(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads and validates a brain from its `brain.json` path (or the directory holding it). Both files
 * must be regular files (not symbolic links, FIFOs, devices or directories) within the size caps,
 * counted while reading; the weights file is a plain name beside the manifest.
 */
export function loadBrain(path: string): Brain {
  if (path.includes('\0')) throw new BrainError(`${JSON.stringify(path)}: the path holds a NUL byte`);
  let manifestPath = path;
  try {
    if (statSync(path).isDirectory()) manifestPath = join(path, 'brain.json');
  } catch {
    throw new BrainError(`${path}: no such file or directory`);
  }
  const manifestBytes = readRegularFile(manifestPath, MAX_MANIFEST_BYTES, (m) => new BrainError(`${manifestPath}: ${m}`));
  let json: unknown;
  try {
    json = JSON.parse(manifestBytes.toString('utf8'));
  } catch (err) {
    throw new BrainError(`${manifestPath}: not valid JSON (${(err as Error).message})`);
  }
  const weightFile = weightsFileOf(json, manifestPath);
  const weightsPath = join(dirname(manifestPath), weightFile);
  const buf = readRegularFile(weightsPath, MAX_WEIGHT_BYTES, (m) => new BrainError(`${manifestPath}: weights file ${weightsPath}: ${m === 'no such file' ? 'is missing' : m}`));
  return decodeBrain(json, new Uint8Array(buf).buffer, manifestPath);
}

/**
 * The brains of a run of several behaviors (`DIR/<behavior>/brain.json`, as `train` writes a game
 * whose behaviors learn against each other), sorted by directory name; null when `dir` is not such
 * a run (it holds a brain.json itself, or no behavior directory).
 */
export function loadRunBrains(dir: string): Brain[] | null {
  if (dir.endsWith('.json') || existsSync(join(dir, 'brain.json'))) return null;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  const dirs = entries.filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'brain.json'))).map((d) => d.name).sort();
  return dirs.length > 0 ? dirs.map((d) => loadBrain(join(dir, d))) : null;
}
