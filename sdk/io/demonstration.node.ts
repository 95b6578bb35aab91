/** Demonstrations on disk in Node: `DIR/demo.json` with its data file (`demo.bin`) beside it. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { currentPairFile, fsCause, readFilePair, writeFileDurable, type FilePairFormat } from './files.node.js';
import {
  decodeDemonstration, demoDataFileOf, DemonstrationError, encodeDemonstration, MAX_DEMO_DATA_BYTES, MAX_DEMO_MANIFEST_BYTES,
  type DemonstrationData, type DemonstrationInfo,
} from './demonstration.js';

/** `demo.json` and its data; the data take two names in turn when a directory's demonstration is replaced. */
const DEMO_FILES: FilePairFormat = {
  manifest: 'demo.json', binaries: ['demo.bin', 'demo.1.bin'], binaryWord: 'data file',
  maxManifestBytes: MAX_DEMO_MANIFEST_BYTES, maxBinaryBytes: MAX_DEMO_DATA_BYTES, binaryOf: demoDataFileOf, fail: (m) => new DemonstrationError(m),
};

/** Whether `dir` already holds a demonstration (`demo.json`). */
export function demonstrationExists(dir: string): boolean {
  return existsSync(join(dir, 'demo.json'));
}

/**
 * Writes the data, then `demo.json`, into `dir`, each atomically and durably (temporary file,
 * fsync, rename, fsync of the directory). Replacing a demonstration writes the new data under the
 * name the current manifest does not use (`demo.bin` and `demo.1.bin` alternate) before the
 * manifest, so a reader or a crash at any moment sees the old demonstration or the new one, never
 * a mix. Returns the manifest's path.
 *
 * @example
 * saveDemonstration('demos/lander', runner.stopRecording(), { recordedBy: 'heuristic' });
 */
export function saveDemonstration(dir: string, demo: DemonstrationData, info: DemonstrationInfo = {}): string {
  const path = join(dir, DEMO_FILES.manifest);
  const { current, next } = currentPairFile(path, DEMO_FILES);
  const { manifest, data } = encodeDemonstration(demo, info, next);
  try {
    mkdirSync(dir, { recursive: true });
    // Data first: a manifest never names data that is not there yet.
    writeFileDurable(join(dir, manifest.data), new Uint8Array(data));
    writeFileDurable(path, JSON.stringify(manifest, null, 2) + '\n');
  } catch (err) {
    // The old demonstration, if any, is untouched: its manifest still names its own data.
    throw new DemonstrationError(`${dir}: cannot write the demonstration there: ${fsCause(err)}`);
  }
  if (current !== undefined && current !== manifest.data) rmSync(join(dir, current), { force: true });
  return path;
}

/**
 * Reads and checks a demonstration from its `demo.json` path (or the directory holding it). Both
 * files must be regular files within the size caps (counted while reading); the data file is a
 * plain name beside the manifest. Errors are {@link DemonstrationError}s naming the file.
 *
 * @example
 * const demo = loadDemonstration('demos/lander'); // demo.steps, demo.observations, ...
 */
export function loadDemonstration(path: string): DemonstrationData {
  const { json, binary, manifestPath } = readFilePair(path, DEMO_FILES, { followLinks: true });
  return decodeDemonstration(json, binary, manifestPath);
}
