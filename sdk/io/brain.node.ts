/** Brains on disk in Node: `DIR/brain.json` with its weights file (`weights.bin`) beside it. */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrainError } from '../core/errors.js';
import { decodeBrain, encodeBrain, MAX_MANIFEST_BYTES, MAX_WEIGHT_BYTES, weightsFileOf, type Brain } from './brain.js';

/** The two names a brain's weights take in turn when a directory's brain is replaced. */
const WEIGHT_FILES = ['weights.bin', 'weights.1.bin'] as const;

/**
 * Writes `brain.json` and its weights into `dir` so that a reader, or a process killed at any
 * moment, sees the old brain or the new one, never a mix: the new weights go to a file the current
 * manifest does not name (`weights.bin` and `weights.1.bin` alternate), then the manifest is
 * replaced atomically (write new, then rename), then the old weights are removed. Returns the
 * manifest's path.
 */
export function saveBrain(dir: string, brain: Brain): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'brain.json');
  const current = currentWeightsFile(path);
  const weightsFile = current === WEIGHT_FILES[0] ? WEIGHT_FILES[1] : WEIGHT_FILES[0];
  const { manifest, weights } = encodeBrain(brain, weightsFile);
  const atomic = (target: string, data: string | Uint8Array) => {
    writeFileSync(`${target}.tmp`, data);
    renameSync(`${target}.tmp`, target);
  };
  // Weights first: a manifest never points at weights that are not there yet.
  atomic(join(dir, weightsFile), new Uint8Array(weights));
  atomic(path, JSON.stringify(manifest, null, 2) + '\n');
  if (current !== undefined && current !== weightsFile) rmSync(join(dir, current), { force: true });
  return path;
}

/** The weights file the manifest at `path` names, if it exists and names one we write. */
function currentWeightsFile(path: string): string | undefined {
  try {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const file = weightsFileOf(json, path);
    return (WEIGHT_FILES as readonly string[]).includes(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and validates a brain from its `brain.json` path (or the directory holding it). */
export function loadBrain(path: string): Brain {
  let manifestPath = path;
  try {
    if (statSync(path).isDirectory()) manifestPath = join(path, 'brain.json');
  } catch {
    throw new BrainError(`${path}: no such file or directory`);
  }
  const size = statSync(manifestPath, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new BrainError(`${manifestPath}: no such file`);
  if (size > MAX_MANIFEST_BYTES) throw new BrainError(`${manifestPath}: ${size} bytes is over the ${MAX_MANIFEST_BYTES}-byte manifest limit`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new BrainError(`${manifestPath}: not valid JSON (${(err as Error).message})`);
  }
  const weightFile = weightsFileOf(json, manifestPath);
  const weightsPath = join(dirname(manifestPath), weightFile);
  const wsize = statSync(weightsPath, { throwIfNoEntry: false })?.size;
  if (wsize === undefined) throw new BrainError(`${manifestPath}: weights file ${weightsPath} is missing`);
  if (wsize > MAX_WEIGHT_BYTES) throw new BrainError(`${weightsPath}: ${wsize} bytes is over the ${MAX_WEIGHT_BYTES}-byte limit`);
  const buf = readFileSync(weightsPath);
  return decodeBrain(json, buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), manifestPath);
}
