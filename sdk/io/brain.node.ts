/** Brains on disk in Node: `DIR/brain.json` with its weights file (`weights.bin`) beside it. */
import { existsSync, mkdirSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { BrainError } from '../core/errors.js';
import { decodeBrain, encodeBrain, MAX_MANIFEST_BYTES, MAX_WEIGHT_BYTES, weightsFileOf, type Brain } from './brain.js';
import { currentPairFile, readFilePair, writeFileDurable, type FilePairFormat } from './files.node.js';

/** `brain.json` and its weights; the weights take two names in turn when a directory's brain is replaced. */
const BRAIN_FILES: FilePairFormat = {
  manifest: 'brain.json', binaries: ['weights.bin', 'weights.1.bin'], binaryWord: 'weights file',
  maxManifestBytes: MAX_MANIFEST_BYTES, maxBinaryBytes: MAX_WEIGHT_BYTES, binaryOf: weightsFileOf, fail: (m) => new BrainError(m),
};

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
  const path = join(dir, BRAIN_FILES.manifest);
  const { current, next: weightsFile } = currentPairFile(path, BRAIN_FILES);
  const { manifest, weights } = encodeBrain(brain, weightsFile);
  // Weights first: a manifest never points at weights that are not there yet.
  writeFileDurable(join(dir, weightsFile), new Uint8Array(weights));
  writeFileDurable(path, JSON.stringify(manifest, null, 2) + '\n');
  if (current !== undefined && current !== weightsFile) rmSync(join(dir, current), { force: true });
  return path;
}

/**
 * Reads and validates a brain from its `brain.json` path (or the directory holding it). Both files
 * must be regular files (not symbolic links, FIFOs, devices or directories) within the size caps,
 * counted while reading; the weights file is a plain name beside the manifest.
 */
export function loadBrain(path: string): Brain {
  const { json, binary, manifestPath } = readFilePair(path, BRAIN_FILES);
  return decodeBrain(json, binary, manifestPath);
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
