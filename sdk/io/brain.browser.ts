/**
 * Brains in the browser, in the same format as on disk (a manifest plus its weights file):
 * - over HTTP: a `brain.json` URL (its weights file resolved beside it), or the two URLs a bundler
 *   hands out for them, since a bundler renames files and so breaks the relative path;
 * - in IndexedDB (`indexeddb://<key>`), for a page's Save and Load buttons;
 * - as downloads (`downloads://<name>`) and as files the user picks.
 */
import { BrainError } from '../core/errors.js';
import { decodeBrain, encodeBrain, MAX_MANIFEST_BYTES, MAX_WEIGHT_BYTES, weightsFileOf, type Brain } from './brain.js';
import {
  DOWNLOADS, downloadNameOf, downloadPair, fetchCapped, IdbPairStore, idbKeyOf, INDEXEDDB, linkDownload, parseManifestText, pickPair, resolveBeside,
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

/**
 * Where a page keeps its saved brains: one IndexedDB database, apart from tf.io's `tensorflowjs`;
 * a saved brain is exactly its two files' contents, the same bytes a Node `saveBrain` writes.
 */
const savedBrains = new IdbPairStore<SavedBrainInfo>('phaser-ppo-brains', 'brains', 'weights', fail);

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
    await savedBrains.put(JSON.stringify(manifest), weights, { key, env: brain.env, policyVersion: brain.policyVersion, steps: brain.steps, savedAt: new Date().toISOString() });
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
  const all = await savedBrains.list();
  return all.map((i) => ({ key: i.key, env: i.env, policyVersion: i.policyVersion, steps: i.steps, savedAt: i.savedAt }));
}

/** Deletes the brain saved under `key` (the part after `indexeddb://`, which is also accepted); no-op if none. */
export async function deleteSavedBrain(key: string): Promise<void> {
  await savedBrains.delete(key.startsWith(INDEXEDDB) ? idbKey(key) : key);
}

async function loadFromIndexedDB(url: string): Promise<Brain> {
  const key = idbKey(url);
  const stored = await savedBrains.get(key);
  if (!stored) throw new BrainError(`${url}: no brain saved under ${JSON.stringify(key)}`);
  return decodeBrain(parseManifestText(stored.manifest, url, fail), stored.binary, url);
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
