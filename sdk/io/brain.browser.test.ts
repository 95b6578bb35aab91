import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { encodeBrain, MAX_WEIGHT_BYTES, type Brain } from './brain.js';
import {
  deleteSavedBrain, listSavedBrains, loadBrainFromFiles, loadBrainFromUrl, loadBrainFromUrls, saveBrainToUrl, type FetchLike,
} from './brain.browser.js';
import { resolveConfig } from '../rl/config.js';
import { ActorCriticLayout } from '../rl/network.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete } from '../core/spaces.js';
import { BrainError } from '../core/errors.js';

function makeBrain(): Brain {
  const config = resolveConfig({ hiddenSizes: [8, 8] });
  const layout = new ActorCriticLayout(4, config.hiddenSizes, 2, false);
  return {
    env: 'cartpole', observationSpace: Box([-1, -1, -1, -1], [1, 1, 1, 1]), actionSpace: Discrete(2), config,
    observationStats: null, policyVersion: 7, steps: 100, params: layout.initialize(new Rng(3), 0),
  };
}

/** A fake server: URL -> body; anything else is a 404. Records what was asked for. */
function server(files: Record<string, BodyInit>, headers: Record<string, string> = {}): { fetch: FetchLike; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fetch: async (url) => {
      asked.push(url);
      const body = files[url];
      return body === undefined ? new Response('no', { status: 404 }) : new Response(body, { headers });
    },
  };
}

function files(manifestPatch: (m: Record<string, unknown>) => void = () => {}) {
  const brain = makeBrain();
  const { manifest, weights } = encodeBrain(brain, 'weights.bin');
  const m = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
  manifestPatch(m);
  return { brain, json: JSON.stringify(m), weights };
}

describe('brains over HTTP', () => {
  it('loads brain.json and the weights beside it', async () => {
    const { brain, json, weights } = files();
    const s = server({ 'https://x.test/g/brain.json': json, 'https://x.test/g/weights.bin': weights });
    const back = await loadBrainFromUrl('https://x.test/g/brain.json', s.fetch);
    expect(s.asked).toEqual(['https://x.test/g/brain.json', 'https://x.test/g/weights.bin']);
    expect(back.policyVersion).toBe(7);
    expect(Array.from(back.params)).toEqual(Array.from(brain.params));
  });

  it('loads from two independent URLs (bundler-renamed files)', async () => {
    const { brain, json, weights } = files();
    const s = server({ 'https://x.test/assets/brain-abc.json': json, 'https://x.test/assets/weights-def.bin': weights });
    const back = await loadBrainFromUrls('https://x.test/assets/brain-abc.json', 'https://x.test/assets/weights-def.bin', s.fetch);
    expect(Array.from(back.params)).toEqual(Array.from(brain.params));
  });

  it.each([['../secret.bin'], ['/weights.bin'], ['https://evil.test/w.bin'], ['a\\..\\b.bin']])('refuses the weights path %s', async (path) => {
    const { json } = files((m) => { (m.weightsManifest as { paths: string[] }[])[0]!.paths = [path]; });
    const s = server({ 'https://x.test/g/brain.json': json });
    await expect(loadBrainFromUrl('https://x.test/g/brain.json', s.fetch)).rejects.toThrow(/must stay beside the manifest/);
    expect(s.asked).toHaveLength(1);
  });

  it('names the URL when a file is missing, not JSON, or the fetch fails', async () => {
    const { json } = files();
    await expect(loadBrainFromUrl('https://x.test/none.json', server({}).fetch)).rejects.toThrow('https://x.test/none.json: fetching the manifest answered HTTP 404');
    await expect(loadBrainFromUrl('https://x.test/g/brain.json', server({ 'https://x.test/g/brain.json': json }).fetch))
      .rejects.toThrow('https://x.test/g/weights.bin: fetching the weights of https://x.test/g/brain.json answered HTTP 404');
    await expect(loadBrainFromUrl('https://x.test/b.json', server({ 'https://x.test/b.json': '{oops' }).fetch)).rejects.toThrow(/^https:\/\/x\.test\/b\.json: not valid JSON/);
    const offline: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(loadBrainFromUrl('https://x.test/b.json', offline)).rejects.toThrow(BrainError);
    await expect(loadBrainFromUrl('https://x.test/b.json', offline)).rejects.toThrow('https://x.test/b.json: cannot fetch the manifest (Failed to fetch)');
  });

  it('says a file is missing when the server answers it with an HTML page (Vite dev\'s index.html fallback, status 200)', async () => {
    const { json } = files();
    const html = '<!doctype html><html><body>the game</body></html>';
    const fallback: FetchLike = async (url) => url.endsWith('brain.json') ? new Response(json) : new Response(html, { headers: { 'content-type': 'text/html' } });
    // It said "weights are 49 bytes, expected …": true, and no help.
    await expect(loadBrainFromUrl('https://x.test/g/brain.json', fallback))
      .rejects.toThrow('https://x.test/g/weights.bin: the server answered an HTML page, not the weights of https://x.test/g/brain.json: is the file there?');
    const noManifest: FetchLike = async () => new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    await expect(loadBrainFromUrl('https://x.test/g/brain.json', noManifest)).rejects.toThrow('https://x.test/g/brain.json: the server answered an HTML page, not the manifest');
  });

  it('refuses weights over the size cap by their Content-Length, and weights that do not match', async () => {
    const { json, weights } = files();
    const big = server({ 'https://x.test/g/brain.json': json, 'https://x.test/g/weights.bin': weights }, { 'content-length': String(MAX_WEIGHT_BYTES + 1) });
    await expect(loadBrainFromUrl('https://x.test/g/brain.json', big.fetch)).rejects.toThrow(/over the \d+-byte limit/);
    const short = server({ 'https://x.test/g/brain.json': json, 'https://x.test/g/weights.bin': weights.slice(0, 8) });
    await expect(loadBrainFromUrl('https://x.test/g/brain.json', short.fetch)).rejects.toThrow(BrainError);
  });
});

describe('brains in IndexedDB', () => {
  it('saves, lists, loads and deletes by key; a second save replaces the first', async () => {
    const brain = makeBrain();
    await saveBrainToUrl(brain, 'indexeddb://npc-a');
    await saveBrainToUrl({ ...brain, policyVersion: 9, steps: 300 }, 'indexeddb://npc-b');
    await saveBrainToUrl({ ...brain, policyVersion: 11, steps: 500 }, 'indexeddb://npc-b');
    const list = await listSavedBrains();
    // Newest first (saves in the same millisecond may tie).
    expect(list[0]!.savedAt >= list[1]!.savedAt).toBe(true);
    expect(Number.isNaN(Date.parse(list[0]!.savedAt))).toBe(false);
    expect(list.map((b) => [b.key, b.env, b.policyVersion, b.steps]).sort()).toEqual([['npc-a', 'cartpole', 7, 100], ['npc-b', 'cartpole', 11, 500]]);
    const back = await loadBrainFromUrl('indexeddb://npc-a');
    expect(back.policyVersion).toBe(7);
    expect(Array.from(back.params)).toEqual(Array.from(brain.params));
    await deleteSavedBrain('npc-a');
    await deleteSavedBrain('indexeddb://npc-b');
    expect(await listSavedBrains()).toEqual([]);
    await expect(loadBrainFromUrl('indexeddb://npc-a')).rejects.toThrow('indexeddb://npc-a: no brain saved under "npc-a"');
  });

  it('refuses an empty key and a scheme it cannot save to', async () => {
    await expect(saveBrainToUrl(makeBrain(), 'indexeddb://')).rejects.toThrow(/the key is empty/);
    await expect(saveBrainToUrl(makeBrain(), 'https://x.test/brain.json')).rejects.toThrow(/use indexeddb:\/\/<key> or downloads:\/\/<name>/);
  });
});

describe('brains as downloads and picked files', () => {
  async function download(name: string): Promise<File[]> {
    const got: File[] = [];
    await saveBrainToUrl(makeBrain(), `downloads://${name}`, (f) => got.push(f));
    return got;
  }

  it('downloads a manifest and its weights, and loads them back from the picked files', async () => {
    const got = await download('chaser');
    expect(got.map((f) => f.name).sort()).toEqual(['chaser.json', 'chaser.weights.bin']);
    const back = await loadBrainFromFiles(got.reverse());
    expect(Array.from(back.params)).toEqual(Array.from(makeBrain().params));
    expect((await download('')).map((f) => f.name).sort()).toEqual(['brain.json', 'brain.weights.bin']);
  });

  it('takes the one .bin a browser renamed, and says which file is missing', async () => {
    const [weights, manifest] = await download('npc') as [File, File];
    const renamed = new File([await weights.arrayBuffer()], 'npc.weights (1).bin');
    expect((await loadBrainFromFiles([manifest, renamed])).policyVersion).toBe(7);
    await expect(loadBrainFromFiles([manifest])).rejects.toThrow('npc.json: its weights file npc.weights.bin was not among the chosen files (npc.json): choose both files together');
    await expect(loadBrainFromFiles([weights])).rejects.toThrow(/no brain manifest among the chosen files \(npc\.weights\.bin\)/);
    await expect(loadBrainFromFiles([manifest, manifest, weights])).rejects.toThrow(/2 \.json files chosen/);
    await expect(loadBrainFromFiles([new File(['{oops'], 'b.json'), weights])).rejects.toThrow(/^b\.json: not valid JSON/);
  });
});

describe('saved brains and demonstrations keep their IndexedDB layout', () => {
  it('what a page saved before (database, store and field names) loads, and a save writes that layout', async () => {
    const { openDB } = await import('idb');
    const { brain, json, weights } = files();
    // As saveBrainToUrl wrote it: database phaser-ppo-brains, store brains { key, manifest, weights }, store info.
    const db = await openDB('phaser-ppo-brains', 1, { upgrade(d) { d.createObjectStore('brains', { keyPath: 'key' }); d.createObjectStore('info', { keyPath: 'key' }); } });
    await db.put('brains', { key: 'older', manifest: json, weights });
    await db.put('info', { key: 'older', env: 'cartpole', policyVersion: 7, steps: 100, savedAt: '2026-01-01T00:00:00.000Z' });
    db.close();
    expect(Array.from((await loadBrainFromUrl('indexeddb://older')).params)).toEqual(Array.from(brain.params));
    expect((await listSavedBrains()).find((i) => i.key === 'older')).toEqual({ key: 'older', env: 'cartpole', policyVersion: 7, steps: 100, savedAt: '2026-01-01T00:00:00.000Z' });
    await saveBrainToUrl(brain, 'indexeddb://newer');
    const again = await openDB('phaser-ppo-brains', 1);
    const stored = await again.get('brains', 'newer') as { manifest: string; weights: ArrayBuffer };
    again.close();
    expect(JSON.parse(stored.manifest).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(stored.weights.byteLength).toBe(weights.byteLength);
    await deleteSavedBrain('older');
    await deleteSavedBrain('newer');
  });
});
