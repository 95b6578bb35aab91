/**
 * Brains over HTTP, for pages: a `brain.json` URL (its weights file resolved beside it), or the two
 * URLs a bundler hands out for them, since a bundler renames files and so breaks the relative path.
 */
import { BrainError } from '../core/errors.js';
import { decodeBrain, MAX_MANIFEST_BYTES, MAX_WEIGHT_BYTES, weightsFileOf, type Brain } from './brain.js';

export type FetchLike = (url: string) => Promise<Response>;

/** Loads `brain.json` from `manifestUrl` and the weights file its manifest names, beside it. */
export async function loadBrainFromUrl(manifestUrl: string, fetchImpl: FetchLike = fetch): Promise<Brain> {
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
  try {
    return JSON.parse(new TextDecoder().decode(buf));
  } catch (err) {
    throw new BrainError(`${url}: not valid JSON (${(err as Error).message})`);
  }
}

async function fetchWeights(url: string, manifestUrl: string, fetchImpl: FetchLike): Promise<ArrayBuffer> {
  const res = await get(url, `weights of ${manifestUrl}`, fetchImpl);
  return readCapped(res, url, 'weights file', MAX_WEIGHT_BYTES);
}
