/**
 * A headless copy loads the files its scene's `preload` queues, for real and at once: the copy's
 * `create` runs in the same call as its `preload` (a copy must be started when sceneGame returns
 * it). Each file is read through an {@link AssetSource} (disk in Node, a synchronous request in a
 * page or worker) and then goes through Phaser's own file processing and caches, so what the
 * scene reads in `create` is what the page gets: JSON, tilemaps (Tiled JSON, CSV, Impact), text,
 * XML (./mini-xml.ts stands in for DOMParser), binary, shaders, pack files, atlases' and bitmap
 * fonts' data. Images are never decoded (no renderer draws them): a texture of the file's real
 * size stands in for each (./image-size.ts reads it from the header), so sprite sheets cut the
 * frames the page does. Audio never reaches the loader (copies run with `noAudio`: Phaser skips
 * it and sounds are silent). Files a copy cannot stand in for (scripts, CSS, video, fonts,
 * compressed or HTML textures) are refused with their key and type.
 */
import Phaser from 'phaser';
import { EnvError } from '../core/errors.js';
import type { AssetSource } from './asset-source.js';
import { imageSize } from './image-size.js';
import { ShimImage } from './phaser-shim.js';

/** File types read for their contents (Phaser's own onProcess parses them). */
const DATA = new Set(['json', 'animationJSON', 'packfile', 'tilemapJSON', 'tilemapCSV', 'text', 'xml', 'binary', 'glsl', 'pct']);
/** File types whose texture is sized from the image's header instead of decoded. */
const IMAGES = new Set(['image', 'normalMap', 'spritesheet', 'svg']);

const STATE = Phaser.Loader;

type LoaderFile = Phaser.Loader.File & {
  multiFile?: { type: string; key: string };
  src: string;
  config: { width?: number; height?: number; scale?: number } | undefined;
};

/** The bytes of a file as Phaser's file types read an XHR: `responseText` and `response`. */
function response(bytes: Uint8Array): { status: number; readyState: number; responseText: string; response: ArrayBuffer } {
  return {
    status: 200,
    readyState: 4,
    get responseText() {
      return new TextDecoder().decode(bytes);
    },
    get response() {
      return new Uint8Array(bytes).buffer;
    },
  };
}

/** A source image of `width` × `height` that nothing decodes (a headless game never draws). */
function sizedImage(width: number, height: number): HTMLImageElement {
  const img = new ShimImage();
  img.width = img.naturalWidth = Math.max(1, width);
  img.height = img.naturalHeight = Math.max(1, height);
  img.complete = true;
  return img as unknown as HTMLImageElement;
}

/** What a file is, for errors: its own key and type, or its atlas's / font's (a multi-file counts as one). */
function describe(file: LoaderFile): string {
  const entry = file.multiFile ?? file;
  return `the ${entry.type} file "${entry.key}"`;
}

/**
 * Makes `loader` read what is queued through `source` at once (see the module comment). `label`
 * names the copy in errors.
 */
export function headlessLoader(loader: Phaser.Loader.LoaderPlugin, label: string, source: AssetSource): void {
  const addFile = loader.addFile;
  loader.addFile = function headlessAddFile(this: Phaser.Loader.LoaderPlugin, file: Phaser.Loader.File | Phaser.Loader.File[]) {
    for (const f of Array.isArray(file) ? file : [file]) readAtOnce(f as LoaderFile, label, source);
    addFile.call(this, file);
  };
  const start = loader.start;
  loader.start = function headlessStart(this: Phaser.Loader.LoaderPlugin) {
    start.call(this);
    // Everything completed inside start, after which Phaser still listens for frames to load more.
    if (this.state === Phaser.Loader.LOADER_COMPLETE) this.systems.events.off(Phaser.Scenes.Events.UPDATE, this.update, this);
    return this;
  };
}

/** Gives one queued file a `load` that reads it through `source` and processes it before returning. */
function readAtOnce(file: LoaderFile, label: string, source: AssetSource): void {
  const image = IMAGES.has(file.type);
  if (!image && !DATA.has(file.type)) {
    throw new EnvError(`${label}: preload queued ${describe(file)} (a ${file.type} file); a headless copy loads images, sprite sheets, atlases, ` +
      'bitmap fonts, JSON, tilemaps, text, XML and binary files, and cannot stand in for this type: load it only in the page (skip it when `!this.game.renderer`)');
  }
  file.load = function headlessLoad(this: LoaderFile) {
    if (this.state === STATE.FILE_POPULATED) {
      // Data given inline (a JSON object, not a URL): Phaser's own load handles it at once.
      this.loader.nextFile(this, true);
      return;
    }
    this.state = STATE.FILE_LOADING;
    this.src = Phaser.Loader.GetURL(this, this.loader.baseURL) as string;
    let bytes: Uint8Array;
    try {
      bytes = source.read(this.src, (this.multiFile ?? this).key, (this.multiFile ?? this).type);
    } catch (err) {
      throw new EnvError(`${label}: preload queued ${(err as Error).message}`, { cause: err });
    }
    this.xhrLoader = response(bytes) as unknown as XMLHttpRequest;
    this.state = STATE.FILE_LOADED;
    this.loader.nextFile(this, true);
  };
  file.onProcessError = function headlessProcessError(this: LoaderFile) {
    throw new EnvError(`${label}: ${describe(this)} at ${this.src} is not a valid ${this.type} file (Phaser could not parse it)`);
  };
  if (image) {
    file.onProcess = function headlessImage(this: LoaderFile) {
      this.state = STATE.FILE_PROCESSING;
      const bytes = new Uint8Array(this.xhrLoader!.response as ArrayBuffer);
      let size: { width: number; height: number };
      try {
        size = imageSize(bytes, this.src);
      } catch (err) {
        throw new EnvError(`${label}: ${describe(this)}: ${(err as Error).message}`, { cause: err });
      }
      // An SVG is drawn at the size the scene asks for (width and height, or a scale of its own).
      const { width, height, scale } = this.type === 'svg' ? this.config ?? {} : {};
      if (width && height) size = { width, height };
      else if (scale) size = { width: Math.round(size.width * scale), height: Math.round(size.height * scale) };
      this.data = sizedImage(size.width, size.height);
      this.onProcessComplete();
    };
  }
}
