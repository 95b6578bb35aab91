/**
 * Demonstrations in the browser, in the same format as on disk (`demo.json` plus its data file):
 * - in IndexedDB (`indexeddb://<key>`), so a recording survives a reload;
 * - over HTTP (the URL of a `demo.json`, its data file resolved beside it);
 * - as downloads (`downloads://<name>`) and as files the user picks.
 * As brain.browser.ts does for brains, in a database of its own.
 */
import {
  decodeDemonstration, demoDataFileOf, DemonstrationError, encodeDemonstration, MAX_DEMO_DATA_BYTES, MAX_DEMO_MANIFEST_BYTES,
  type DemonstrationData, type DemonstrationInfo,
} from './demonstration.js';
import {
  DOWNLOADS, downloadNameOf, downloadPair, fetchCapped, IdbPairStore, idbKeyOf, INDEXEDDB, linkDownload, parseManifestText, pickPair, resolveBeside,
  type DownloadSink, type FetchLike,
} from './file-pair.browser.js';

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

/** Saved demonstrations: exactly their two files' contents, the bytes a Node `saveDemonstration` writes. */
const savedDemos = new IdbPairStore<SavedDemonstrationInfo>('phaser-ppo-demonstrations', 'demos', 'data', fail);

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
    await savedDemos.put(JSON.stringify(manifest), data, {
      key, behavior: demo.behavior, episodes: manifest.episodes, steps: manifest.steps, meanReturn: manifest.meanReturn, savedAt: new Date().toISOString(),
    });
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
    const stored = await savedDemos.get(key);
    if (!stored) throw new DemonstrationError(`${url}: no demonstration saved under ${JSON.stringify(key)}`);
    return decodeDemonstration(parseManifestText(stored.manifest, url, fail), stored.binary, url);
  }
  const manifest = await fetchCapped(url, 'manifest', MAX_DEMO_MANIFEST_BYTES, fetchImpl, fail);
  const json = parseManifestText(new TextDecoder().decode(manifest), url, fail);
  const dataUrl = resolveBeside(demoDataFileOf(json, url), url);
  return decodeDemonstration(json, await fetchCapped(dataUrl, `data of ${url}`, MAX_DEMO_DATA_BYTES, fetchImpl, fail), url);
}

/** The demonstrations saved in this origin's IndexedDB, newest first. */
export async function listSavedDemonstrations(): Promise<SavedDemonstrationInfo[]> {
  return savedDemos.list();
}

/** Deletes the demonstration saved under `key` (with or without `indexeddb://`); no-op if none. */
export async function deleteSavedDemonstration(key: string): Promise<void> {
  await savedDemos.delete(key.startsWith(INDEXEDDB) ? idbKey(key) : key);
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
