import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assetSource, GAME_MODULE, PAGE, pageReader } from './asset-source.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A package: package.json, public/assets/a.json and assets/b.json beside it, and its game module folder src/. */
function gamePackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'asset-source-'));
  for (const [name, contents] of Object.entries({ 'package.json': '{}', 'public/assets/a.json': 'public a', 'assets/a.json': 'package a', 'assets/b.json': 'package b', 'src/game.ts': '' })) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), contents);
  }
  return dir;
}

afterEach(() => {
  GAME_MODULE.dir = undefined;
  PAGE.url = undefined;
  vi.unstubAllGlobals();
});

describe('assetSource (Node)', () => {
  it("reads relative URLs from public/ of the game module's package first, then the package folder (leading / as Vite serves it)", () => {
    const dir = gamePackage();
    GAME_MODULE.dir = join(dir, 'src');
    const source = assetSource();
    expect(text(source.read('assets/a.json', 'a', 'json'))).toBe('public a');
    expect(text(source.read('/assets/b.json', 'b', 'json'))).toBe('package b');
  });

  it('reads from `root` alone when given', () => {
    const dir = gamePackage();
    const source = assetSource({ root: dir });
    expect(text(source.read('assets/a.json', 'a', 'json'))).toBe('package a');
  });

  it('a missing file names key, type, URL and every path tried', () => {
    const dir = gamePackage();
    GAME_MODULE.dir = join(dir, 'src');
    expect(() => assetSource().read('maps/level-3.json', 'level-3', 'tilemapJSON'))
      .toThrow(`the tilemapJSON file "level-3" (URL maps/level-3.json): not found; tried ${join(dir, 'public', 'maps/level-3.json')}, ${join(dir, 'maps/level-3.json')}`);
  });

  it('reads file: URLs as they are and decodes data: URLs; refuses the network', () => {
    const dir = gamePackage();
    const source = assetSource({ root: dir });
    expect(text(source.read(pathToFileURL(join(dir, 'assets', 'b.json')).href, 'b', 'json'))).toBe('package b');
    expect(text(source.read('data:text/plain,hello%20there', 't', 'text'))).toBe('hello there');
    expect(text(source.read(`data:application/json;base64,${btoa('{"x":2}')}`, 'j', 'json'))).toBe('{"x":2}');
    expect(() => source.read('https://cdn.example.com/map.json', 'map', 'json')).toThrow(/the json file "map" \(URL https:\/\/cdn.example.com\/map.json\): a headless copy in Node reads files from disk, not the network/);
  });

  it('reads each file once: copies share what the first read', () => {
    const dir = gamePackage();
    const source = assetSource({ root: dir });
    const first = source.read('assets/b.json', 'b', 'json');
    rmSync(join(dir, 'assets', 'b.json'));
    expect(source.read('assets/b.json', 'b', 'json')).toBe(first);
    // A new source (a new run) reads the disk again.
    expect(() => assetSource({ root: dir }).read('assets/b.json', 'b', 'json')).toThrow(/not found/);
  });
});

/** A server of `files` (absolute URL → bytes) as a synchronous XMLHttpRequest sees it; records the requests. */
function fakeXhr(files: Record<string, Uint8Array>): string[] {
  const requested: string[] = [];
  vi.stubGlobal('XMLHttpRequest', class {
    status = 0;
    responseText = '';
    private url = '';
    private binary = false;
    open(_method: string, url: string, async: boolean) {
      expect(async).toBe(false);
      this.url = url;
    }
    overrideMimeType(mime: string) {
      this.binary = mime.includes('x-user-defined');
    }
    send() {
      requested.push(this.url);
      const body = files[this.url];
      this.status = body ? 200 : 404;
      // x-user-defined maps each byte to one char (bytes 0x80+ to U+F780+); without it the text is decoded.
      if (body) this.responseText = this.binary ? String.fromCharCode(...[...body].map((b) => (b < 0x80 ? b : 0xf700 + b))) : new TextDecoder().decode(body);
    }
  });
  return requested;
}

describe('assetSource (page and worker: synchronous requests)', () => {
  it("reads the file's exact bytes from the page's origin (relative URLs from the root in a worker)", () => {
    vi.stubGlobal('location', { origin: 'http://127.0.0.1:4402' });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x7f]);
    const requested = fakeXhr({ 'http://127.0.0.1:4402/assets/tiles.png': png });
    expect([...pageReader()('assets/tiles.png', 'tiles', 'spritesheet')]).toEqual([...png]);
    expect(requested).toEqual(['http://127.0.0.1:4402/assets/tiles.png']);
  });

  it("in a worker, resolves relative URLs against the page's address the page sent (a game under a sub-path)", () => {
    vi.stubGlobal('location', { origin: 'http://127.0.0.1:4402' });
    const requested = fakeXhr({ 'http://127.0.0.1:4402/my-game/assets/level.json': new TextEncoder().encode('{}') });
    const read = pageReader();
    PAGE.url = 'http://127.0.0.1:4402/my-game/index.html';
    expect(text(read('assets/level.json', 'level', 'json'))).toBe('{}');
    expect(requested).toEqual(['http://127.0.0.1:4402/my-game/assets/level.json']);
  });

  it('a missing file names key, type, URL and the request that failed', () => {
    vi.stubGlobal('location', { origin: 'http://127.0.0.1:4402' });
    fakeXhr({});
    expect(() => pageReader()('/maps/level-3.json', 'level-3', 'tilemapJSON')).toThrow('the tilemapJSON file "level-3" (URL /maps/level-3.json): GET http://127.0.0.1:4402/maps/level-3.json answered 404');
  });
});
