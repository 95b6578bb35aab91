/**
 * What brains and demonstrations share in the browser: both are a pair of files (a JSON manifest
 * and a binary data file it names), fetched over HTTP with size caps, downloaded as two files,
 * picked by the user as two files, and kept in IndexedDB under `indexeddb://<key>`. Each caller
 * passes `fail`, which makes its own error (BrainError, DemonstrationError) from a message.
 */

import { openDB, type IDBPDatabase } from 'idb';

/** The `indexeddb://<key>` and `downloads://<name>` URL schemes. */
export const INDEXEDDB = 'indexeddb://';
export const DOWNLOADS = 'downloads://';

export type FetchLike = (url: string) => Promise<Response>;

/** Files a download triggers, and how (replaceable in tests). */
export interface DownloadSink { (file: File): void }

/** Makes the caller's error from a message. */
export type Fail = (message: string) => Error;

/** The key of an `indexeddb://<key>` URL. */
export function idbKeyOf(url: string, fail: Fail): string {
  const key = url.slice(INDEXEDDB.length);
  if (key === '') throw fail(`${url}: expected indexeddb://<key>, the key is empty`);
  return key;
}

/** The name of a `downloads://<name>` URL (`fallback` when empty). */
export function downloadNameOf(url: string, fallback: string, fail: Fail): string {
  const name = url.slice(DOWNLOADS.length) || fallback;
  if (/[\\/]/.test(name)) throw fail(`${url}: the download name must not contain a slash`);
  return name;
}

/** Clicks a temporary link per file, as tf.io's `browserDownloads` does. */
export function linkDownload(fail: Fail): DownloadSink {
  return (file) => {
    if (typeof document === 'undefined') throw fail(`downloads://: no document to download ${file.name} from (a browser page is needed)`);
    const href = URL.createObjectURL(file);
    const a = document.createElement('a');
    a.href = href;
    a.download = file.name;
    a.click();
    // The click has queued the download; the URL may go once the event loop turns.
    setTimeout(() => URL.revokeObjectURL(href), 0);
  };
}

/** Downloads a pair: the data file first, then `<name>.json` (the manifest, the entry file loaders accept). */
export function downloadPair(download: DownloadSink, name: string, manifest: unknown, data: ArrayBuffer, dataName: string): void {
  download(new File([data], dataName, { type: 'application/octet-stream' }));
  download(new File([JSON.stringify(manifest, null, 2) + '\n'], `${name}.json`, { type: 'application/json' }));
}

/**
 * Fetches `url` (`what` names it in errors) and reads at most `max` bytes: refused by
 * Content-Length before reading when the server states it, and by size after.
 */
export async function fetchCapped(url: string, what: string, max: number, fetchImpl: FetchLike, fail: Fail): Promise<ArrayBuffer> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (err) {
    throw fail(`${url}: cannot fetch the ${what} (${(err as Error).message})`);
  }
  if (!res.ok) throw fail(`${url}: fetching the ${what} answered HTTP ${res.status}`);
  // Vite's dev server (and many hosts) answer a missing file with index.html and status 200: say
  // that, not "not valid JSON" or a weights size that does not match.
  if (/^text\/html\b/i.test(res.headers.get('content-type') ?? '')) {
    throw fail(`${url}: the server answered an HTML page, not the ${what}: is the file there? (a dev server such as Vite's answers a missing file with index.html; copy the file where this URL points)`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) throw fail(`${url}: the ${what} is ${declared} bytes, over the ${max}-byte limit`);
  const buf = await res.arrayBuffer();
  if (buf.byteLength > max) throw fail(`${url}: the ${what} is ${buf.byteLength} bytes, over the ${max}-byte limit`);
  return buf;
}

/** Relative URLs resolve against the page; outside one (Node, tests) they must be absolute. */
export function resolveBeside(file: string, manifestUrl: string): string {
  return new URL(file, new URL(manifestUrl, typeof location === 'undefined' ? undefined : location.href)).href;
}

/** The manifest's JSON, or the caller's error naming `where`. */
export function parseManifestText(text: string, where: string, fail: Fail): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(`${where}: not valid JSON (${(err as Error).message})`);
  }
}

/** What {@link pickPair} picks (its words in messages) and its limits. */
export interface PairKind {
  /** `brain`, `demonstration`. */
  noun: string;
  /** `weights`, `data`. */
  dataNoun: string;
  maxManifestBytes: number;
  maxDataBytes: number;
  /** The data file the manifest names (checked by the format's own reader). */
  dataFileOf(json: unknown, where: string): string;
  fail: Fail;
}

/**
 * The manifest and data file among files the user picked (`<input type=file multiple>`): the one
 * `.json`, and the file its manifest names, or the only `.bin` picked when a browser renamed it on
 * download (`brain.weights (1).bin`).
 */
export async function pickPair(files: Iterable<File>, kind: PairKind): Promise<{ json: unknown; data: ArrayBuffer; where: string }> {
  const { fail, noun, dataNoun } = kind;
  const list = [...files];
  const manifests = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (manifests.length !== 1) {
    throw fail(manifests.length === 0
      ? `no ${noun} manifest among the chosen files (${names(list)}): choose the ${noun}'s .json file and its ${dataNoun} file together`
      : `${manifests.length} .json files chosen (${names(manifests)}): choose one ${noun}'s .json file and its ${dataNoun} file`);
  }
  const manifestFile = manifests[0]!;
  const where = manifestFile.name;
  if (manifestFile.size > kind.maxManifestBytes) throw fail(`${where}: ${manifestFile.size} bytes is over the ${kind.maxManifestBytes}-byte manifest limit`);
  const json = parseManifestText(await manifestFile.text(), where, fail);
  const dataName = kind.dataFileOf(json, where);
  const others = list.filter((f) => f !== manifestFile);
  const bins = others.filter((f) => f.name.toLowerCase().endsWith('.bin'));
  const dataFile = others.find((f) => f.name === dataName) ?? (bins.length === 1 ? bins[0] : undefined);
  if (!dataFile) throw fail(`${where}: its ${kind.dataNoun} file ${dataName} was not among the chosen files (${names(list)}): choose both files together`);
  if (dataFile.size > kind.maxDataBytes) throw fail(`${dataFile.name}: ${dataFile.size} bytes is over the ${kind.maxDataBytes}-byte limit`);
  return { json, data: await dataFile.arrayBuffer(), where };
}

function names(files: File[]): string {
  return files.length === 0 ? 'none' : files.map((f) => f.name).join(', ');
}

/**
 * Pairs saved in one IndexedDB database: a store of their two files' contents (`{ key, manifest,
 * <binary field>: ArrayBuffer }`, the bytes the Node writer puts on disk) and an `info` store of
 * what a list shows, so listing reads no binary. Brains and demonstrations each keep their own
 * database, store and field names (what pages already saved stays readable).
 */
export class IdbPairStore<Info extends { key: string; savedAt: string }> {
  /** `pairs`: the store of the files' contents; `binary`: its field holding the binary file. */
  constructor(private readonly dbName: string, private readonly pairs: string, private readonly binary: string, private readonly fail: Fail) {}

  /** Replaces the pair and its info under `info.key` in one transaction (a reader sees the old pair or the new one). */
  async put(manifest: string, binary: ArrayBuffer, info: Info): Promise<void> {
    const db = await this.open();
    try {
      const tx = db.transaction([this.pairs, 'info'], 'readwrite');
      await Promise.all([tx.objectStore(this.pairs).put({ key: info.key, manifest, [this.binary]: binary }), tx.objectStore('info').put(info), tx.done]);
    } finally {
      db.close();
    }
  }

  /** The pair saved under `key`, or undefined. */
  async get(key: string): Promise<{ manifest: string; binary: ArrayBuffer } | undefined> {
    const db = await this.open();
    try {
      const stored = (await db.get(this.pairs, key)) as Record<string, unknown> | undefined;
      return stored ? { manifest: stored.manifest as string, binary: stored[this.binary] as ArrayBuffer } : undefined;
    } finally {
      db.close();
    }
  }

  /** Every saved pair's info, newest first (then by key). */
  async list(): Promise<Info[]> {
    const db = await this.open();
    try {
      return ((await db.getAll('info')) as Info[]).sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.key.localeCompare(b.key));
    } finally {
      db.close();
    }
  }

  /** Deletes the pair under `key`; no-op if none. */
  async delete(key: string): Promise<void> {
    const db = await this.open();
    try {
      const tx = db.transaction([this.pairs, 'info'], 'readwrite');
      await Promise.all([tx.objectStore(this.pairs).delete(key), tx.objectStore('info').delete(key), tx.done]);
    } finally {
      db.close();
    }
  }

  private open(): Promise<IDBPDatabase> {
    if (typeof indexedDB === 'undefined') throw this.fail('indexeddb://: IndexedDB is not available here (a browser page or worker is needed)');
    const { pairs } = this;
    return openDB(this.dbName, 1, {
      upgrade(db) {
        db.createObjectStore(pairs, { keyPath: 'key' });
        db.createObjectStore('info', { keyPath: 'key' });
      },
    });
  }
}
