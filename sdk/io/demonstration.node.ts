/** Demonstrations on disk in Node: `DIR/demo.json` with its data file (`demo.bin`) beside it. */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsCause, readRegularFile, writeFileDurable } from './files.node.js';
import {
  decodeDemonstration, demoDataFileOf, DemonstrationError, encodeDemonstration, MAX_DEMO_DATA_BYTES, MAX_DEMO_MANIFEST_BYTES,
  type DemonstrationData, type DemonstrationInfo,
} from './demonstration.js';

/** The two names the data file takes in turn when a directory's demonstration is replaced. */
const DATA_FILES = ['demo.bin', 'demo.1.bin'] as const;

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
  const path = join(dir, 'demo.json');
  const current = currentDataFile(path);
  const { manifest, data } = encodeDemonstration(demo, info, current === DATA_FILES[0] ? DATA_FILES[1] : DATA_FILES[0]);
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

/** The data file the manifest at `path` names, if it exists and names one we write. */
function currentDataFile(path: string): string | undefined {
  try {
    const json: unknown = JSON.parse(readRegularFile(path, MAX_DEMO_MANIFEST_BYTES, (m) => new DemonstrationError(m)).toString('utf8'));
    const file = demoDataFileOf(json, path);
    return (DATA_FILES as readonly string[]).includes(file) ? file : undefined;
  } catch {
    return undefined;
  }
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
  if (path.includes('\0')) throw new DemonstrationError(`${JSON.stringify(path)}: the path holds a NUL byte`);
  let manifestPath = path;
  try {
    if (statSync(path).isDirectory()) manifestPath = join(path, 'demo.json');
  } catch {
    throw new DemonstrationError(`${path}: no such file or directory`);
  }
  const bytes = readRegularFile(manifestPath, MAX_DEMO_MANIFEST_BYTES, (m) => new DemonstrationError(`${manifestPath}: ${m}`), { followLinks: true });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new DemonstrationError(`${manifestPath}: not valid JSON (${(err as Error).message})`);
  }
  const dataPath = join(dirname(manifestPath), demoDataFileOf(json, manifestPath));
  const buf = readRegularFile(dataPath, MAX_DEMO_DATA_BYTES, (m) => new DemonstrationError(`${manifestPath}: data file ${dataPath}: ${m === 'no such file' ? 'is missing' : m}`));
  return decodeDemonstration(json, new Uint8Array(buf).buffer, manifestPath);
}
