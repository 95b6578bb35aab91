/** Brains on disk in Node: `DIR/brain.json` with `DIR/weights.bin` beside it. */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrainError } from '../core/errors.js';
import { decodeBrain, encodeBrain, MAX_MANIFEST_BYTES, MAX_WEIGHT_BYTES, weightsFileOf, type Brain } from './brain.js';

/** Writes `brain.json` and `weights.bin` into `dir`, each atomically (write new, then rename). */
export function saveBrain(dir: string, brain: Brain): string {
  mkdirSync(dir, { recursive: true });
  const { manifest, weights } = encodeBrain(brain, 'weights.bin');
  const atomic = (path: string, data: string | Uint8Array) => {
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
  };
  // Weights first: a manifest never points at weights that are not there yet.
  atomic(join(dir, 'weights.bin'), new Uint8Array(weights));
  const path = join(dir, 'brain.json');
  atomic(path, JSON.stringify(manifest, null, 2) + '\n');
  return path;
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
