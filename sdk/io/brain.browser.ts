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
import {
  DOWNLOADS, downloadNameOf, downloadPair, fetchCapped, idbKeyOf, INDEXEDDB, linkDownload, parseManifestText, pickPair, resolveBeside,
  type DownloadSink, type FetchLike,
} from './file-pair.browser.js';

export type { DownloadSink, FetchLike } from './file-pair.browser.js';

const fail = (message: string) => new BrainError(message);

/**
 * Loads a brain from `indexeddb://<key>` (saved by {@link saveBrainToUrl}), or from the http(s) or
 * page-relative URL of its `brain.json` and the weights file its manifest names, beside it.
 */
export async function loadBrainFromUrl(manifestUrl: string, fetchImpl: FetchLike = fetch): Promise<Brain> {
  if (manifestUrl.startsWith(INDEXEDDB)) return loadFromIndexedDB(manifestUrl);
  const json = await fetchManifest(manifestUrl, fetchImpl);
  const weightFile = weightsFileOf(json, manifestUrl);
  const weightsUrl = resolveBeside(weightFile, manifestUrl);
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

async function fetchManifest(url: string, fetchImpl: FetchLike): Promise<unknown> {
  const buf = await fetchCapped(url, 'manifest', MAX_MANIFEST_BYTES, fetchImpl, fail);
  return parseManifestText(new TextDecoder().decode(buf), url, fail);
}

async function fetchWeights(url: string, manifestUrl: string, fetchImpl: FetchLike): Promise<ArrayBuffer> {
  return fetchCapped(url, `weights of ${manifestUrl}`, MAX_WEIGHT_BYTES, fetchImpl, fail);
}

/** Where a page keeps its saved brains: one IndexedDB database, apart from tf.io's `tensorflowjs`. */
const DB_NAME = 'phaser-ppo-brains';

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
  return idbKeyOf(url, fail);
}

const browserDownload: DownloadSink = linkDownload(fail);

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
    const name = downloadNameOf(url, 'brain', fail);
    const weightsName = `${name}.weights.bin`;
    const { manifest, weights } = encodeBrain(brain, weightsName);
    downloadPair(download, name, manifest, weights, weightsName);
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
  return decodeBrain(parseManifestText(stored.manifest, url, fail), stored.weights, url);
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
  const { json, data, where } = await pickPair(files, {
    noun: 'brain', dataNoun: 'weights', maxManifestBytes: MAX_MANIFEST_BYTES, maxDataBytes: MAX_WEIGHT_BYTES, dataFileOf: weightsFileOf, fail,
  });
  return decodeBrain(json, data, where);
}
