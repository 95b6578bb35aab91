/**
 * The pixel size of an image file read from its header, without decoding it: a headless copy
 * needs a texture of the file's real size (sprite sheets cut frames by it, scenes place things by
 * `texture.getSourceImage().width`) but never its pixels. PNG, JPEG, GIF, WebP, BMP and SVG.
 */

/** An image's size in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Reads the size of the image in `bytes`; `name` (the file or URL) names it in errors. Throws when
 * the bytes are none of the formats above or the header is cut short.
 */
export function imageSize(bytes: Uint8Array, name: string): ImageSize {
  const size = png(bytes) ?? gif(bytes) ?? jpeg(bytes) ?? webp(bytes) ?? bmp(bytes) ?? svg(bytes);
  if (!size) throw new Error(`${name}: not a PNG, JPEG, GIF, WebP, BMP or SVG image (or its header is cut short); a headless copy reads the size of these only`);
  return size;
}

function u16be(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function u16le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8);
}

function u24le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
}

function i32le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function ascii(b: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...b.subarray(start, start + length));
}

/** PNG: the signature, then the IHDR chunk's width and height. */
function png(b: Uint8Array): ImageSize | undefined {
  if (b.length < 24 || b[0] !== 0x89 || ascii(b, 1, 3) !== 'PNG' || ascii(b, 12, 4) !== 'IHDR') return undefined;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

/** GIF: the logical screen size after "GIF87a"/"GIF89a". */
function gif(b: Uint8Array): ImageSize | undefined {
  if (b.length < 10 || ascii(b, 0, 3) !== 'GIF') return undefined;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

/** JPEG: walks the segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC). */
function jpeg(b: Uint8Array): ImageSize | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = u16be(b, i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: u16be(b, i + 7), height: u16be(b, i + 5) };
    }
    i += 2 + length;
  }
  return undefined;
}

/** WebP: a RIFF "WEBP" file whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended). */
function webp(b: Uint8Array): ImageSize | undefined {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return undefined;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return undefined;
}

/** BMP: the DIB header's width and height (negative height: top-down rows). */
function bmp(b: Uint8Array): ImageSize | undefined {
  if (b.length < 26 || ascii(b, 0, 2) !== 'BM') return undefined;
  return { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
}

/** SVG: the root element's width and height (px or unitless), else its viewBox's. */
function svg(b: Uint8Array): ImageSize | undefined {
  const text = new TextDecoder().decode(b.subarray(0, 4096));
  const root = /<svg\b([^>]*)>/i.exec(text);
  if (!root) return undefined;
  const attr = (name: string): string | undefined => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(root[1]!)?.[1];
  const length = (value: string | undefined): number | undefined => {
    const m = value === undefined ? null : /^\s*([\d.]+)\s*(px)?\s*$/.exec(value);
    return m ? Number(m[1]) : undefined;
  };
  const box = attr('viewBox')?.trim().split(/[\s,]+/).map(Number);
  const width = length(attr('width')) ?? box?.[2];
  const height = length(attr('height')) ?? box?.[3];
  if (width === undefined || height === undefined || !Number.isFinite(width) || !Number.isFinite(height)) return undefined;
  return { width: Math.round(width), height: Math.round(height) };
}
