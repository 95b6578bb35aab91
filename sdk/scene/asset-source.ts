/**
 * Where a headless copy's files come from (./headless-loader.ts reads through this): what the
 * scene's `preload` queues, by the same URL the page's loader would fetch.
 *
 * - In Node (the CLI, tests): from disk. A relative URL is looked up in `public/` of the nearest
 *   folder with a package.json above the scene's game module (Vite serves `public/` at `/`), then in
 *   that folder itself; `sceneGame({ assets: { root } })` names the one folder instead. `file:` URLs
 *   (what a scene's `import sky from './sky.png'` gives under the CLI) are read as they are.
 * - In a page or the fast-mode worker: a synchronous request to the page's server, relative URLs
 *   resolved against the page's address (the copy's `create` runs in the same call as its
 *   `preload`, so nothing may wait).
 *
 * `data:` URLs are decoded in both. Each file is read once per source, and one source serves all
 * of a game's copies.
 */

/** Where a scene game's copies read the files its scene loads (sceneGame's `assets`). */
export interface AssetOptions {
  /**
   * Node only: the folder relative URLs are read from (a URL `assets/map.json` is
   * `<root>/assets/map.json`). Default: `public/` of the nearest folder with a package.json above
   * the game module the CLI imported (else the working directory), then that folder.
   */
  root?: string;
}

/** Reads a file a scene queued: its bytes, or an error naming the key, the URL and where it looked. */
export interface AssetSource {
  read(url: string, key: string, type: string): Uint8Array;
}

type NodeFs = { existsSync(p: string): boolean; readFileSync(p: string): Uint8Array; statSync(p: string): { isFile(): boolean } };
type NodePath = { join(...p: string[]): string; resolve(...p: string[]): string; dirname(p: string): string };
type NodeUrl = { fileURLToPath(u: string): string };

/**
 * The page's address (`document.baseURI`), where a fast-mode worker's copies resolve relative URLs:
 * the page sends it with each run (FastRun → exposeFastTrainer); a worker cannot know it otherwise.
 */
export const PAGE = { url: undefined as string | undefined };

/** The folder of the game module the CLI imported (set before it imports it): the default root's start. */
export const GAME_MODULE = { dir: undefined as string | undefined };

/** A source for a scene game's copies; see the module comment. */
export function assetSource(options: AssetOptions = {}): AssetSource {
  const builtin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const read = builtin ? nodeReader(options, builtin) : pageReader();
  const cache = new Map<string, Uint8Array>();
  return {
    read(url, key, type) {
      const cached = cache.get(url);
      if (cached) return cached;
      const bytes = url.startsWith('data:') ? dataUrl(url, key, type) : read(url, key, type);
      cache.set(url, bytes);
      return bytes;
    },
  };
}

/** Names a file in errors: its type, key and URL (a long data: URL cut short). */
function fileName(key: string, type: string, url: string): string {
  return `the ${type} file "${key}" (URL ${url.length > 120 ? `${url.slice(0, 117)}...` : url})`;
}

function dataUrl(url: string, key: string, type: string): Uint8Array {
  const comma = url.indexOf(',');
  if (comma < 0) throw new Error(`${fileName(key, type, url)}: a data: URL without a comma`);
  const body = url.slice(comma + 1);
  if (/;base64$/i.test(url.slice(0, comma))) {
    const bin = atob(decodeURIComponent(body));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  return new TextEncoder().encode(decodeURIComponent(body));
}

const NETWORK = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i;

function nodeReader(options: AssetOptions, builtin: (id: string) => unknown): (url: string, key: string, type: string) => Uint8Array {
  const fs = builtin('node:fs') as NodeFs;
  const path = builtin('node:path') as NodePath;
  const urls = builtin('node:url') as NodeUrl;
  let roots: string[] | undefined;
  const rootsNow = (): string[] => (roots ??= options.root !== undefined ? [path.resolve(options.root)] : defaultRoots(fs, path));
  const isFile = (p: string): boolean => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  return (url, key, type) => {
    if (url.startsWith('file:')) {
      const file = urls.fileURLToPath(url);
      if (!isFile(file)) throw new Error(`${fileName(key, type, url)}: no such file ${file}`);
      return fs.readFileSync(file);
    }
    if (NETWORK.test(url)) throw new Error(`${fileName(key, type, url)}: a headless copy in Node reads files from disk, not the network; serve it from public/ and load it by a relative URL`);
    const relative = decodeURIComponent(url.replace(/[?#].*$/, '')).replace(/^\/+/, '');
    const tried = rootsNow().map((root) => path.join(root, relative));
    const found = tried.find(isFile);
    if (!found) {
      throw new Error(`${fileName(key, type, url)}: not found; tried ${tried.join(', ')}. ` +
        'Put it where the page gets it (public/ of the game\'s package), or give sceneGame({ assets: { root } }) the folder it is in');
    }
    return fs.readFileSync(found);
  };
}

/** `public/` of the nearest package.json folder above the game module (else the working directory), then that folder. */
function defaultRoots(fs: NodeFs, path: NodePath): string[] {
  const start = path.resolve(GAME_MODULE.dir ?? '.');
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) {
      dir = start;
      break;
    }
    dir = up;
  }
  return [path.join(dir, 'public'), dir];
}

/**
 * A synchronous GET on the page's server; bytes through a `x-user-defined` charset (a page refuses a
 * sync `arraybuffer`). Relative URLs resolve against the page's address: its own in a page, the one
 * the page sent ({@link PAGE}) in a worker, else the origin's root (where Vite serves `public/`).
 */
export function pageReader(): (url: string, key: string, type: string) => Uint8Array {
  const g = globalThis as { document?: { baseURI?: string }; location?: { origin: string } };
  return (url, key, type) => {
    // Read at each request: the page's address reaches a worker with the run, after its game module made this source.
    const base = g.document?.baseURI ?? PAGE.url ?? `${g.location?.origin ?? 'http://localhost'}/`;
    const absolute = new URL(url, base).href;
    const xhr = new XMLHttpRequest();
    xhr.open('GET', absolute, false);
    xhr.overrideMimeType('text/plain; charset=x-user-defined');
    try {
      xhr.send();
    } catch (err) {
      throw new Error(`${fileName(key, type, url)}: GET ${absolute} failed: ${(err as Error).message}`);
    }
    if (xhr.status !== 200 && !(xhr.status === 0 && absolute.startsWith('file:'))) {
      throw new Error(`${fileName(key, type, url)}: GET ${absolute} answered ${xhr.status}`);
    }
    const text = xhr.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return bytes;
  };
}
