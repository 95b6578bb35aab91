/**
 * The least a page has that Phaser needs to import and boot `Phaser.HEADLESS` where there is no
 * page: Node (the CLI, tests) and a module worker (fast mode). Importing this module installs it;
 * import it before `phaser` (the `phaser-ppo/scene` entry, `phaser-ppo/fast-worker` and the CLI do).
 *
 * What Phaser touches, and why each stand-in is enough for a HEADLESS game that never draws:
 * - at import, `navigator` (Device: OS/Browser sniffing), `window.URL` (Features),
 *   `document.createElement('audio' | 'video' | 'canvas')` (feature probes; a 2d context that
 *   answers every call and reads back zeros is enough for CanvasFeatures and Text measuring);
 * - at boot, `document.readyState` (DOMContentLoaded), `window`/`document` listeners (scale,
 *   visibility, keyboard), `screen`, and `Image` for the three base64 default textures: their
 *   `onload` fires at once, so the game boots synchronously, inside `new Phaser.Game`;
 * - when a copy loads XML (xml, atlasXML, bitmap fonts), `DOMParser` (./mini-xml.ts).
 *
 * Only what is missing is defined: in a page nothing changes; in a worker `navigator`, `location`,
 * `setTimeout` stay the worker's own. `window` is a view of the global scope without `document`, so
 * tfjs still sees Node as Node (`isBrowser()` reads `window.document`) and a worker as a worker.
 */

import { MiniDOMParser } from './mini-xml.js';

/** A listener method that ignores its arguments: nothing outside the game sends it events. */
function noop(): void {}

/** A 2d context that accepts every drawing call and reads back transparent pixels. */
function fakeContext2d(canvas: object): object {
  const known: Record<string | symbol, unknown> = {
    canvas,
    getImageData: (_x: number, _y: number, w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(Math.max(0, w * h * 4)) }),
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(Math.max(0, w * h * 4)) }),
    measureText: () => ({ width: 0, actualBoundingBoxAscent: 0, actualBoundingBoxDescent: 0, actualBoundingBoxLeft: 0, actualBoundingBoxRight: 0 }),
  };
  return new Proxy(known, {
    get: (target, key) => (key in target ? target[key] : noop),
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  });
}

/** A DOM element as far as Phaser's HEADLESS boot uses one (canvas, audio and video probes, parents). */
function fakeElement(tag: string): object {
  const el = {
    tagName: String(tag).toUpperCase(),
    style: {},
    dataset: {},
    width: 1,
    height: 1,
    childNodes: [] as object[],
    parentNode: null,
    addEventListener: noop,
    removeEventListener: noop,
    appendChild(child: object) {
      el.childNodes.push(child);
      return child;
    },
    removeChild(child: object) {
      el.childNodes = el.childNodes.filter((c) => c !== child);
      return child;
    },
    contains: () => false,
    setAttribute: noop,
    removeAttribute: noop,
    getAttribute: () => null,
    focus: noop,
    blur: noop,
    canPlayType: () => '',
    getBoundingClientRect: () => ({ left: 0, top: 0, right: 0, bottom: 0, x: 0, y: 0, width: 0, height: 0 }),
    getContext: (type: string) => (type === '2d' ? fakeContext2d(el) : null),
  };
  return el;
}

/**
 * An `Image` whose `onload` fires as soon as it gets a `src`: Phaser's three default textures then
 * load inside `new Phaser.Game`, so a HEADLESS copy boots synchronously (sceneGame also lends it to
 * a page's boot of a copy, where the real Image would load them a task later).
 */
export class ShimImage {
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  width = 1;
  height = 1;
  naturalWidth = 1;
  naturalHeight = 1;
  complete = false;
  private source = '';
  get src(): string {
    return this.source;
  }
  set src(value: string) {
    this.source = value;
    this.complete = true;
    this.onload?.();
  }
  addEventListener(): void {}
  removeEventListener(): void {}
}

/**
 * Installs the stand-ins that are missing; safe to call again (it returns at once the second time)
 * and a no-op in a page. Returns whether this scope had no DOM (so the stand-ins are in use).
 *
 * @example
 * import { installPhaserShim } from 'phaser-ppo/scene';
 * installPhaserShim();
 * const { default: Phaser } = await import('phaser');
 */
export function installPhaserShim(): boolean {
  const g = globalThis as Record<string, unknown>;
  if (typeof g['document'] !== 'undefined' && !g['__phaserPpoShim']) return false;
  if (g['__phaserPpoShim']) return true;
  g['__phaserPpoShim'] = true;
  if (typeof g['addEventListener'] !== 'function') {
    g['addEventListener'] = noop;
    g['removeEventListener'] = noop;
  }
  if (typeof g['navigator'] === 'undefined') g['navigator'] = { userAgent: 'phaser-ppo-headless', appVersion: '', maxTouchPoints: 0, language: 'en' };
  if (typeof g['screen'] === 'undefined') g['screen'] = { width: 1024, height: 768, availWidth: 1024, availHeight: 768 };
  if (typeof g['innerWidth'] === 'undefined') {
    g['innerWidth'] = 1024;
    g['innerHeight'] = 768;
  }
  if (typeof g['location'] === 'undefined') g['location'] = { href: 'http://localhost/', search: '', hash: '', protocol: 'http:', host: 'localhost', hostname: 'localhost', pathname: '/', origin: 'http://localhost' };
  if (typeof g['Image'] === 'undefined') g['Image'] = ShimImage;
  if (typeof g['DOMParser'] === 'undefined') g['DOMParser'] = MiniDOMParser;
  if (typeof g['HTMLCanvasElement'] === 'undefined') g['HTMLCanvasElement'] = class HTMLCanvasElement {};
  if (typeof g['HTMLVideoElement'] === 'undefined') g['HTMLVideoElement'] = class HTMLVideoElement {};
  const documentElement = fakeElement('html');
  g['document'] = {
    documentElement,
    body: fakeElement('body'),
    head: fakeElement('head'),
    readyState: 'complete',
    hidden: false,
    visibilityState: 'visible',
    createElement: fakeElement,
    createElementNS: (_ns: string, tag: string) => fakeElement(tag),
    addEventListener: noop,
    removeEventListener: noop,
    getElementById: () => null,
    querySelector: () => null,
  };
  if (typeof g['window'] === 'undefined') {
    // The global scope minus `document`: see the module comment (tfjs tells Node from a page by it).
    // A worker's own functions refuse a `this` that is not the worker scope: bound once here.
    const direct = new Map<string | symbol, unknown>();
    for (const name of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'requestAnimationFrame', 'cancelAnimationFrame', 'addEventListener', 'removeEventListener', 'focus']) {
      const f = g[name];
      if (typeof f === 'function') direct.set(name, (f as (...args: unknown[]) => unknown).bind(globalThis));
    }
    // Read every tick: matter-js's clock reads `window.performance` three times a step. The global
    // scope's getter behind it cost ~5% of a page's fast-mode worker (balance); the object never changes.
    if (typeof g['performance'] === 'object' && g['performance'] !== null) direct.set('performance', g['performance']);
    g['window'] = new Proxy(globalThis, {
      get: (target, key) => {
        const value = direct.get(key);
        return value !== undefined ? value : key === 'document' ? undefined : Reflect.get(target, key);
      },
      has: (target, key) => key !== 'document' && Reflect.has(target, key),
    });
  }
  return true;
}

installPhaserShim();
