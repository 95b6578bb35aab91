/**
 * Brains in the browser, in the same format as on disk (a manifest plus its weights file):
 * - over HTTP: a `brain.json` URL (its weights file resolved beside it), or the two URLs a bundler
 *   hands out for them, since a bundler renames files and so breaks the relative path;
 * - in IndexedDB (`indexeddb://<key>`), for a page's Save and Load buttons;
 * - as downloads (`downloads://<name>`) and as files the user picks.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BrainError } from '../core/errors.js';
import { decodeBrain, encodeBrain, MAX_MANIFEST_BYTES, MAX_WEIGHT_BYTES, weightsFileOf, type Brain } from './brain.js';

export type FetchLike = (url: string) => Promise<Response>;

/**
 * Loads a brain from `indexeddb://<key>` (saved by {@link saveBrainToUrl}), or from the http(s) or
 * page-relative URL of its `brain.json` and the weights file its manifest names, beside it.
 */
export async function loadBrainFromUrl(manifestUrl: string, fetchImpl: FetchLike = fetch): Promise<Brain> {
  if (manifestUrl.startsWith(INDEXEDDB)) return loadFromIndexedDB(manifestUrl);
  const json = await fetchManifest(manifestUrl, fetchImpl);
  const weightFile = weightsFileOf(json, manifestUrl);
  const weightsUrl = new URL(weightFile, new URL(manifestUrl, baseUrl())).href;
  const weights = await fetchWeights(weightsUrl, manifestUrl, fetchImpl);
  return decodeBrain(json, weights, manifestUrl);
}

/**
 * Loads a brain from its manifest and weights at two independent URLs (e.g. vite's `?url`
 * imports); the manifest's own weights path is then ignored.
 */
export async function loadBrainFromUrls(manifestUrl: string, weightsUrl: string, fetchImpl: FetchLike = fetch): Promise<Brain> {
  const [json, weights] = await Promise.all([fetchManifest(manifestUrl, fetchImpl), fetchWeights(weightsUrl, manifestUrl, fetchImpl)]);
  return decodeBrain(json, weights, manifestUrl);
}

/** Relative URLs resolve against the page; outside one (Node, tests) they must be absolute. */
function baseUrl(): string | undefined {
  return typeof location === 'undefined' ? undefined : location.href;
}

async function get(url: string, what: string, fetchImpl: FetchLike): Promise<Response> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (err) {
    throw new BrainError(`${url}: cannot fetch the ${what} (${(err as Error).message})`);
  }
  if (!res.ok) throw new BrainError(`${url}: fetching the ${what} answered HTTP ${res.status}`);
  return res;
}

/** Refuses by Content-Length before reading when the server states it, and by size after. */
async function readCapped(res: Response, url: string, what: string, max: number): Promise<ArrayBuffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) throw new BrainError(`${url}: the ${what} is ${declared} bytes, over the ${max}-byte limit`);
  const buf = await res.arrayBuffer();
  if (buf.byteLength > max) throw new BrainError(`${url}: the ${what} is ${buf.byteLength} bytes, over the ${max}-byte limit`);
  return buf;
}

async function fetchManifest(url: string, fetchImpl: FetchLike): Promise<unknown> {
  const buf = await readCapped(await get(url, 'manifest', fetchImpl), url, 'manifest', MAX_MANIFEST_BYTES);
  return parseManifest(new TextDecoder().decode(buf), url);
}

async function fetchWeights(url: string, manifestUrl: string, fetchImpl: FetchLike): Promise<ArrayBuffer> {
  const res = await get(url, `weights of ${manifestUrl}`, fetchImpl);
  return readCapped(res, url, 'weights file', MAX_WEIGHT_BYTES);
}

/** Where a page keeps its saved brains: one IndexedDB database, apart from tf.io's `tensorflowjs`. */
const DB_NAME = 'phaser-ppo-brains';
const INDEXEDDB = 'indexeddb://';
const DOWNLOADS = 'downloads://';

/** What {@link listSavedBrains} reports of a brain saved in IndexedDB (read without its weights). */
export interface SavedBrainInfo {
  /** The key after `indexeddb://`. */
  key: string;
  env: string;
  policyVersion: number;
  steps: number;
  /** ISO 8601 time of the save. */
  savedAt: string;
}

/** A saved brain is exactly its two files' contents: the same bytes a Node `saveBrain` writes. */
interface StoredBrain { key: string; manifest: string; weights: ArrayBuffer }

interface BrainDB extends DBSchema {
  brains: { key: string; value: StoredBrain };
  info: { key: string; value: SavedBrainInfo };
}

function openBrains(): Promise<IDBPDatabase<BrainDB>> {
  if (typeof indexedDB === 'undefined') throw new BrainError('indexeddb://: IndexedDB is not available here (a browser page or worker is needed)');
  return openDB<BrainDB>(DB_NAME, 1, {
    upgrade(db) {
      // Info apart from the weights, so listing saved brains reads no weights.
      db.createObjectStore('brains', { keyPath: 'key' });
      db.createObjectStore('info', { keyPath: 'key' });
    },
  });
}

function idbKey(url: string): string {
  const key = url.slice(INDEXEDDB.length);
  if (key === '') throw new BrainError(`${url}: expected indexeddb://<key>, the key is empty`);
  return key;
}

/** Files a download triggers, and how (replaceable in tests). */
export interface DownloadSink { (file: File): void }

/** Clicks a temporary link per file, as tf.io's `browserDownloads` does. */
const browserDownload: DownloadSink = (file) => {
  if (typeof document === 'undefined') throw new BrainError(`downloads://: no document to download ${file.name} from (a browser page is needed)`);
  const href = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = href;
  a.download = file.name;
  a.click();
  // The click has queued the download; the URL may go once the event loop turns.
  setTimeout(() => URL.revokeObjectURL(href), 0);
};

/**
 * Saves a brain (with its training state, when it has one) to
 * - `indexeddb://<key>`: this origin's IndexedDB, replacing any brain under that key in one
 *   transaction (a reader sees the old brain or the new one, never a mix);
 * - `downloads://<name>`: two downloads, `<name>.json` (the manifest, the entry file the CLI and
 *   {@link loadBrainFromFiles} accept) and `<name>.weights.bin` beside it; `<name>` defaults to `brain`.
 *
 * @example
 * await saveBrainToUrl(await behavior.brain(), 'indexeddb://chase-npc');
 * await saveBrainToUrl(await behavior.brain(), 'downloads://chase-npc');
 */
export async function saveBrainToUrl(brain: Brain, url: string, download: DownloadSink = browserDownload): Promise<void> {
  if (url.startsWith(INDEXEDDB)) {
    const key = idbKey(url);
    const { manifest, weights } = encodeBrain(brain, 'weights.bin');
    const db = await openBrains();
    try {
      const tx = db.transaction(['brains', 'info'], 'readwrite');
      await Promise.all([
        tx.objectStore('brains').put({ key, manifest: JSON.stringify(manifest), weights }),
        tx.objectStore('info').put({ key, env: brain.env, policyVersion: brain.policyVersion, steps: brain.steps, savedAt: new Date().toISOString() }),
        tx.done,
      ]);
    } finally {
      db.close();
    }
    return;
  }
  if (url.startsWith(DOWNLOADS)) {
    const name = url.slice(DOWNLOADS.length) || 'brain';
    if (/[\\/]/.test(name)) throw new BrainError(`${url}: the download name must not contain a slash`);
    const weightsName = `${name}.weights.bin`;
    const { manifest, weights } = encodeBrain(brain, weightsName);
    download(new File([weights], weightsName, { type: 'application/octet-stream' }));
    download(new File([JSON.stringify(manifest, null, 2) + '\n'], `${name}.json`, { type: 'application/json' }));
    return;
  }
  throw new BrainError(`${url}: cannot save a brain there; use indexeddb://<key> or downloads://<name> (in Node, saveBrain(dir) from brain.node)`);
}

/** The brains saved in this origin's IndexedDB, newest first. */
export async function listSavedBrains(): Promise<SavedBrainInfo[]> {
  const db = await openBrains();
  try {
    const all = await db.getAll('info');
    return all.map((i) => ({ key: i.key, env: i.env, policyVersion: i.policyVersion, steps: i.steps, savedAt: i.savedAt }))
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.key.localeCompare(b.key));
  } finally {
    db.close();
  }
}

/** Deletes the brain saved under `key` (the part after `indexeddb://`, which is also accepted); no-op if none. */
export async function deleteSavedBrain(key: string): Promise<void> {
  const k = key.startsWith(INDEXEDDB) ? idbKey(key) : key;
  const db = await openBrains();
  try {
    const tx = db.transaction(['brains', 'info'], 'readwrite');
    await Promise.all([tx.objectStore('brains').delete(k), tx.objectStore('info').delete(k), tx.done]);
  } finally {
    db.close();
  }
}

async function loadFromIndexedDB(url: string): Promise<Brain> {
  const key = idbKey(url);
  const db = await openBrains();
  let stored: StoredBrain | undefined;
  try {
    stored = await db.get('brains', key);
  } finally {
    db.close();
  }
  if (!stored) throw new BrainError(`${url}: no brain saved under ${JSON.stringify(key)}`);
  return decodeBrain(parseManifest(stored.manifest, url), stored.weights, url);
}

/**
 * Loads a brain from files the user picked (`<input type=file multiple>`): its manifest (`.json`)
 * and the weights file the manifest names. When a browser renamed the weights on download
 * (`brain.weights (1).bin`) and exactly one `.bin` file was picked, that one is used.
 *
 * @example
 * input.onchange = async () => behavior.load(await loadBrainFromFiles(input.files!));
 */
export async function loadBrainFromFiles(files: Iterable<File>): Promise<Brain> {
  const list = [...files];
  const manifests = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (manifests.length !== 1) {
    throw new BrainError(manifests.length === 0
      ? `no brain manifest among the chosen files (${names(list)}): choose the brain's .json file and its weights file together`
      : `${manifests.length} .json files chosen (${names(manifests)}): choose one brain's .json file and its weights file`);
  }
  const manifestFile = manifests[0]!;
  const where = manifestFile.name;
  if (manifestFile.size > MAX_MANIFEST_BYTES) throw new BrainError(`${where}: ${manifestFile.size} bytes is over the ${MAX_MANIFEST_BYTES}-byte manifest limit`);
  const json = parseManifest(await manifestFile.text(), where);
  const weightName = weightsFileOf(json, where);
  const others = list.filter((f) => f !== manifestFile);
  const bins = others.filter((f) => f.name.toLowerCase().endsWith('.bin'));
  const weightsFile = others.find((f) => f.name === weightName) ?? (bins.length === 1 ? bins[0] : undefined);
  if (!weightsFile) {
    throw new BrainError(`${where}: its weights file ${weightName} was not among the chosen files (${names(list)}): choose both files together`);
  }
  if (weightsFile.size > MAX_WEIGHT_BYTES) throw new BrainError(`${weightsFile.name}: ${weightsFile.size} bytes is over the ${MAX_WEIGHT_BYTES}-byte limit`);
  return decodeBrain(json, await weightsFile.arrayBuffer(), where);
}

function names(files: File[]): string {
  return files.length === 0 ? 'none' : files.map((f) => f.name).join(', ');
}

function parseManifest(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BrainError(`${where}: not valid JSON (${(err as Error).message})`);
  }
}
