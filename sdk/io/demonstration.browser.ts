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
import {
  DOWNLOADS, downloadNameOf, downloadPair, fetchCapped, idbKeyOf, INDEXEDDB, linkDownload, parseManifestText, pickPair, resolveBeside,
  type DownloadSink, type FetchLike,
} from './file-pair.browser.js';

const DB_NAME = 'phaser-ppo-demonstrations';
const fail = (message: string) => new DemonstrationError(message);

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
  return idbKeyOf(url, fail);
}

const browserDownload: DownloadSink = linkDownload(fail);

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
    const name = downloadNameOf(url, 'demo', fail);
    const dataName = `${name}.demo.bin`;
    const { manifest, data } = encodeDemonstration(demo, info, dataName);
    downloadPair(download, name, manifest, data, dataName);
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
    return decodeDemonstration(parseManifestText(stored.manifest, url, fail), stored.data, url);
  }
  const manifest = await fetchCapped(url, 'manifest', MAX_DEMO_MANIFEST_BYTES, fetchImpl, fail);
  const json = parseManifestText(new TextDecoder().decode(manifest), url, fail);
  const dataUrl = resolveBeside(demoDataFileOf(json, url), url);
  return decodeDemonstration(json, await fetchCapped(dataUrl, `data of ${url}`, MAX_DEMO_DATA_BYTES, fetchImpl, fail), url);
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
  const { json, data, where } = await pickPair(files, {
    noun: 'demonstration', dataNoun: 'data', maxManifestBytes: MAX_DEMO_MANIFEST_BYTES, maxDataBytes: MAX_DEMO_DATA_BYTES, dataFileOf: demoDataFileOf, fail,
  });
  return decodeDemonstration(json, data, where);
}
