/**
 * A headless copy loads no files (no network, no decoding, and it must start at once): what a
 * scene's `preload` queues becomes a placeholder instead, so a scene that loads its art boots
 * headless unchanged. Images, sprite sheets and atlases become 1-frame placeholder textures
 * (frames the scene names that the placeholder lacks fall back to its whole texture, as Phaser
 * does for a missing frame); audio and audio sprites become silent entries. Files that carry game
 * data (JSON, tilemaps, text, XML, scripts, …) are refused with their key: placeholders would
 * change the game.
 */
import Phaser from 'phaser';
import { EnvError } from '../core/errors.js';
import { ShimImage } from './phaser-shim.js';

/** The file types a copy stands in for: a texture or a silent sound, never data the game reads. */
const TEXTURES = new Set(['image', 'svg', 'spritesheet', 'atlasjson', 'atlasxml', 'unityatlas', 'multiatlas', 'texture']);
const SOUNDS = new Set(['audio', 'audiosprite']);

type LoaderFile = Phaser.Loader.File & { multiFile?: { type: string; key: string } };

/** A blank source for a placeholder texture: big enough for one frame of a sprite sheet. */
function blank(width = 1, height = 1): HTMLImageElement {
  const img = new ShimImage();
  img.width = img.naturalWidth = Math.max(1, width);
  img.height = img.naturalHeight = Math.max(1, height);
  return img as unknown as HTMLImageElement;
}

/**
 * Makes `loader.start()` put placeholders in the caches for what is queued and complete at once
 * (the scene's `create` then runs in the same call, as a copy needs). `label` names the copy in errors.
 */
export function stubLoader(loader: Phaser.Loader.LoaderPlugin, label: string): void {
  loader.start = function start(this: Phaser.Loader.LoaderPlugin) {
    const files = [...(this.list as unknown as Iterable<LoaderFile>)];
    this.list.clear();
    // A multi-file (an atlas: image + JSON) counts once, by its own type and key.
    const seen = new Set<unknown>();
    for (const file of files) {
      const entry = file.multiFile ?? file;
      if (seen.has(entry)) continue;
      seen.add(entry);
      placeholder(this, entry.type, entry.key, file, label);
    }
    this.emit(Phaser.Loader.Events.COMPLETE, this, files.length, 0);
    return this;
  };
}

function placeholder(loader: Phaser.Loader.LoaderPlugin, type: string, key: string, file: LoaderFile, label: string): void {
  if (TEXTURES.has(type)) {
    const textures = loader.textureManager;
    if (textures.exists(key)) return;
    if (type === 'spritesheet') {
      const config = (file as unknown as { config?: Phaser.Types.Textures.SpriteSheetConfig }).config ?? { frameWidth: 1 };
      textures.addSpriteSheet(key, blank(config.frameWidth, config.frameHeight ?? config.frameWidth), { ...config, endFrame: 0 });
    } else {
      textures.addImage(key, blank());
    }
    return;
  }
  if (SOUNDS.has(type)) {
    const cache = loader.cacheManager;
    if (!cache.audio.exists(key)) cache.audio.add(key, null);
    // An audio sprite's markers are read from the JSON cache: none, so playing one is silent.
    if (type === 'audiosprite' && !cache.json.exists(key)) cache.json.add(key, { spritemap: {} });
    return;
  }
  throw new EnvError(`${label}: preload queued the ${type} file "${key}"; a headless copy loads no files and stands in only for images, sprite sheets, atlases and audio (placeholders). ` +
    'Game data must not wait for a file headless: build it in code, import it as a module, or pass it with sceneGame\'s `data`.');
}
