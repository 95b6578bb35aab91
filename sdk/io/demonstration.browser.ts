/**
 * Demonstrations in the browser, in the same format as on disk (`demo.json` plus its data file):
 * - in IndexedDB (`indexeddb://<key>`), so a recording survives a reload;
 * - over HTTP (the URL of a `demo.json`, its data file resolved beside it);
 * - as downloads (`downloads://<name>`) and as files the user picks.
 * As brain.browser.ts does for brains, in a database of its own.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import {
  decodeDemonstration, demoDataFileOf, DemonstrationError, encodeDemonstration, MAX_DEMO_DATA_BYTES, MAX_DEMO_MANIFEST_BYTES,
  type DemonstrationData, type DemonstrationInfo,
} from './demonstration.js';
import type { DownloadSink, FetchLike } from './brain.browser.js';

const DB_NAME = 'phaser-ppo-demonstrations';
const INDEXEDDB = 'indexeddb://';
const DOWNLOADS = 'downloads://';

/** What {@link listSavedDemonstrations} reports of a demonstration saved in IndexedDB (read without its data). */
export interface SavedDemonstrationInfo {
  /** The key after `indexeddb://`. */
  key: string;
  behavior: string;
  episodes: number;
  steps: number;
  meanReturn: number;
  /** ISO 8601 time of the save. */
  savedAt: string;
}

/** A saved demonstration is exactly its two files' contents: the bytes a Node `saveDemonstration` writes. */
interface StoredDemo { key: string; manifest: string; data: ArrayBuffer }

interface DemoDB extends DBSchema {
  demos: { key: string; value: StoredDemo };
  info: { key: string; value: SavedDemonstrationInfo };
}

function openDemos(): Promise<IDBPDatabase<DemoDB>> {
  if (typeof indexedDB === 'undefined') throw new DemonstrationError('indexeddb://: IndexedDB is not available here (a browser page or worker is needed)');
  return openDB<DemoDB>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('demos', { keyPath: 'key' });
      db.createObjectStore('info', { keyPath: 'key' });
    },
  });
}

function idbKey(url: string): string {
  const key = url.slice(INDEXEDDB.length);
  if (key === '') throw new DemonstrationError(`${url}: expected indexeddb://<key>, the key is empty`);
  return key;
}

const browserDownload: DownloadSink = (file) => {
  if (typeof document === 'undefined') throw new DemonstrationError(`downloads://: no document to download ${file.name} from (a browser page is needed)`);
  const href = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = href;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 0);
};

/**
 * Saves a demonstration to
 * - `indexeddb://<key>`: this origin's IndexedDB, replacing any under that key in one transaction;
 * - `downloads://<name>`: two downloads, `<name>.json` (the manifest) and `<name>.demo.bin`.
 *
 * @example
 * await saveDemonstrationToUrl(behavior.stopRecording(), 'indexeddb://lander', { recordedBy: 'keyboard' });
 */
export async function saveDemonstrationToUrl(demo: DemonstrationData, url: string, info: DemonstrationInfo = {}, download: DownloadSink = browserDownload): Promise<void> {
  if (url.startsWith(INDEXEDDB)) {
    const key = idbKey(url);
    const { manifest, data } = encodeDemonstration(demo, info);
    const db = await openDemos();
    try {
      const tx = db.transaction(['demos', 'info'], 'readwrite');
      await Promise.all([
        tx.objectStore('demos').put({ key, manifest: JSON.stringify(manifest), data }),
        tx.objectStore('info').put({ key, behavior: demo.behavior, episodes: manifest.episodes, steps: manifest.steps, meanReturn: manifest.meanReturn, savedAt: new Date().toISOString() }),
        tx.done,
      ]);
    } finally {
      db.close();
    }
    return;
  }
  if (url.startsWith(DOWNLOADS)) {
    const name = url.slice(DOWNLOADS.length) || 'demo';
    if (/[\\/]/.test(name)) throw new DemonstrationError(`${url}: the download name must not contain a slash`);
    const dataName = `${name}.demo.bin`;
    const { manifest, data } = encodeDemonstration(demo, info, dataName);
    download(new File([data], dataName, { type: 'application/octet-stream' }));
    download(new File([JSON.stringify(manifest, null, 2) + '\n'], `${name}.json`, { type: 'application/json' }));
    return;
  }
  throw new DemonstrationError(`${url}: cannot save a demonstration there; use indexeddb://<key> or downloads://<name> (in Node, saveDemonstration(dir))`);
}

/**
 * Loads a demonstration from `indexeddb://<key>`, or from the URL of its `demo.json` and the data
 * file its manifest names, beside it.
 *
 * @example
 * const demo = await loadDemonstrationFromUrl('indexeddb://lander');
 */
export async function loadDemonstrationFromUrl(url: string, fetchImpl: FetchLike = fetch): Promise<DemonstrationData> {
  if (url.startsWith(INDEXEDDB)) {
    const key = idbKey(url);
    const db = await openDemos();
    let stored: StoredDemo | undefined;
    try {
      stored = await db.get('demos', key);
    } finally {
      db.close();
    }
    if (!stored) throw new DemonstrationError(`${url}: no demonstration saved under ${JSON.stringify(key)}`);
    return decodeDemonstration(parseManifest(stored.manifest, url), stored.data, url);
  }
  const manifest = await fetchCapped(url, 'manifest', MAX_DEMO_MANIFEST_BYTES, fetchImpl);
  const json = parseManifest(new TextDecoder().decode(manifest), url);
  const dataUrl = new URL(demoDataFileOf(json, url), new URL(url, typeof location === 'undefined' ? undefined : location.href)).href;
  return decodeDemonstration(json, await fetchCapped(dataUrl, `data of ${url}`, MAX_DEMO_DATA_BYTES, fetchImpl), url);
}

/** The demonstrations saved in this origin's IndexedDB, newest first. */
export async function listSavedDemonstrations(): Promise<SavedDemonstrationInfo[]> {
  const db = await openDemos();
  try {
    return (await db.getAll('info')).sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.key.localeCompare(b.key));
  } finally {
    db.close();
  }
}

/** Deletes the demonstration saved under `key` (with or without `indexeddb://`); no-op if none. */
export async function deleteSavedDemonstration(key: string): Promise<void> {
  const k = key.startsWith(INDEXEDDB) ? idbKey(key) : key;
  const db = await openDemos();
  try {
    const tx = db.transaction(['demos', 'info'], 'readwrite');
    await Promise.all([tx.objectStore('demos').delete(k), tx.objectStore('info').delete(k), tx.done]);
  } finally {
    db.close();
  }
}

/**
 * Loads a demonstration from files the user picked: its manifest (`.json`) and the data file the
 * manifest names (or the only `.bin` picked, when the browser renamed it on download).
 *
 * @example
 * input.onchange = async () => { demo = await loadDemonstrationFromFiles(input.files!); };
 */
export async function loadDemonstrationFromFiles(files: Iterable<File>): Promise<DemonstrationData> {
  const list = [...files];
  const manifests = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (manifests.length !== 1) {
    throw new DemonstrationError(manifests.length === 0
      ? `no demonstration manifest among the chosen files (${names(list)}): choose the .json file and its data file together`
      : `${manifests.length} .json files chosen (${names(manifests)}): choose one demonstration's .json file and its data file`);
  }
  const manifestFile = manifests[0]!;
  const where = manifestFile.name;
  if (manifestFile.size > MAX_DEMO_MANIFEST_BYTES) throw new DemonstrationError(`${where}: ${manifestFile.size} bytes is over the ${MAX_DEMO_MANIFEST_BYTES}-byte manifest limit`);
  const json = parseManifest(await manifestFile.text(), where);
  const dataName = demoDataFileOf(json, where);
  const others = list.filter((f) => f !== manifestFile);
  const bins = others.filter((f) => f.name.toLowerCase().endsWith('.bin'));
  const dataFile = others.find((f) => f.name === dataName) ?? (bins.length === 1 ? bins[0] : undefined);
  if (!dataFile) throw new DemonstrationError(`${where}: its data file ${dataName} was not among the chosen files (${names(list)}): choose both files together`);
  if (dataFile.size > MAX_DEMO_DATA_BYTES) throw new DemonstrationError(`${dataFile.name}: ${dataFile.size} bytes is over the ${MAX_DEMO_DATA_BYTES}-byte limit`);
  return decodeDemonstration(json, await dataFile.arrayBuffer(), where);
}

async function fetchCapped(url: string, what: string, max: number, fetchImpl: FetchLike): Promise<ArrayBuffer> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (err) {
    throw new DemonstrationError(`${url}: cannot fetch the ${what} (${(err as Error).message})`);
  }
  if (!res.ok) throw new DemonstrationError(`${url}: fetching the ${what} answered HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) throw new DemonstrationError(`${url}: the ${what} is ${declared} bytes, over the ${max}-byte limit`);
  const buf = await res.arrayBuffer();
  if (buf.byteLength > max) throw new DemonstrationError(`${url}: the ${what} is ${buf.byteLength} bytes, over the ${max}-byte limit`);
  return buf;
}

function names(files: File[]): string {
  return files.length === 0 ? 'none' : files.map((f) => f.name).join(', ');
}

function parseManifest(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DemonstrationError(`${where}: not valid JSON (${(err as Error).message})`);
  }
}
