import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { encodeDemonstration, DemonstrationError, type DemonstrationData } from './demonstration.js';
import {
  deleteSavedDemonstration, listSavedDemonstrations, loadDemonstrationFromFiles, loadDemonstrationFromUrl, saveDemonstrationToUrl,
} from './demonstration.browser.js';
import { discreteTestDemo, hybridTestDemo } from './test-demo.js';

const arrays = (d: DemonstrationData) => [d.observations, d.actions, d.rewards, d.ends, d.masks].map((a) => (a ? Array.from(a) : null));

describe('demonstrations in the browser', () => {
  it('round-trip through IndexedDB, are listed with their counts, and deleted', async () => {
    await saveDemonstrationToUrl(discreteTestDemo(), 'indexeddb://walker', { recordedBy: 'keyboard' });
    await saveDemonstrationToUrl(hybridTestDemo(), 'indexeddb://lander');
    const back = await loadDemonstrationFromUrl('indexeddb://walker');
    expect(arrays(back)).toEqual(arrays(discreteTestDemo()));
    const list = await listSavedDemonstrations();
    expect(list.find((i) => i.key === 'walker')).toMatchObject({ behavior: 'walker', episodes: 2, steps: 5, meanReturn: 2.875 });
    await deleteSavedDemonstration('indexeddb://walker');
    await expect(loadDemonstrationFromUrl('indexeddb://walker')).rejects.toThrow('indexeddb://walker: no demonstration saved under "walker"');
    expect((await listSavedDemonstrations()).map((i) => i.key)).toEqual(['lander']);
  });

  it('downloads two files that load back as picked files, and over HTTP', async () => {
    const got: File[] = [];
    await saveDemonstrationToUrl(hybridTestDemo(), 'downloads://my-demo', {}, (f) => got.push(f));
    expect(got.map((f) => f.name)).toEqual(['my-demo.demo.bin', 'my-demo.json']);
    expect(arrays(await loadDemonstrationFromFiles(got))).toEqual(arrays(hybridTestDemo()));
    // A browser that renamed the data file on download: the only .bin is taken.
    const renamed = [got[1]!, new File([await got[0]!.arrayBuffer()], 'my-demo.demo (1).bin')];
    expect((await loadDemonstrationFromFiles(renamed)).steps).toBe(3);
    await expect(loadDemonstrationFromFiles([got[0]!])).rejects.toThrow(/no demonstration manifest among the chosen files \(my-demo.demo.bin\)/);

    const { manifest, data } = encodeDemonstration(hybridTestDemo());
    const served: Record<string, BodyInit> = { 'https://x.org/d/demo.json': JSON.stringify(manifest), 'https://x.org/d/demo.bin': data };
    const fetchImpl = async (url: string) => (served[url] === undefined ? new Response('no', { status: 404 }) : new Response(served[url]));
    expect((await loadDemonstrationFromUrl('https://x.org/d/demo.json', fetchImpl)).steps).toBe(3);
    await expect(loadDemonstrationFromUrl('https://x.org/e/demo.json', fetchImpl)).rejects.toThrow('https://x.org/e/demo.json: fetching the manifest answered HTTP 404');
  });

  it('refuses other places with a clear error', async () => {
    await expect(saveDemonstrationToUrl(discreteTestDemo(), 'file:///tmp/x')).rejects.toThrow(DemonstrationError);
    await expect(saveDemonstrationToUrl(discreteTestDemo(), 'indexeddb://')).rejects.toThrow('indexeddb://: expected indexeddb://<key>, the key is empty');
  });
});

describe('saved demonstrations keep their IndexedDB layout', () => {
  it('a save writes database phaser-ppo-demonstrations, store demos { key, manifest, data }, as pages saved before', async () => {
    const { openDB } = await import('idb');
    await saveDemonstrationToUrl(discreteTestDemo(), 'indexeddb://layout');
    const db = await openDB('phaser-ppo-demonstrations', 1);
    const stored = await db.get('demos', 'layout') as { key: string; manifest: string; data: ArrayBuffer };
    db.close();
    const { manifest, data } = encodeDemonstration(discreteTestDemo(), {});
    expect(stored.key).toBe('layout');
    expect(JSON.parse(stored.manifest).steps).toBe(manifest.steps);
    expect(new Uint8Array(stored.data)).toEqual(new Uint8Array(data));
    await deleteSavedDemonstration('layout');
  });
});
