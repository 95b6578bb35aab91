import { describe, expect, it } from 'vitest';
import { solidPng } from '../../test-fixtures/foreign-game/png.js';
import { imageSize } from './image-size.js';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('imageSize', () => {
  it('reads a PNG\'s IHDR size', () => {
    expect(imageSize(solidPng(96, 40), 'sheet.png')).toEqual({ width: 96, height: 40 });
  });

  it('reads a GIF\'s logical screen size', () => {
    expect(imageSize(bytes('GIF89a', [0x2c, 0x01, 0x10, 0x00]), 'a.gif')).toEqual({ width: 300, height: 16 });
  });

  it('reads a JPEG\'s start-of-frame size after other segments', () => {
    const app0 = [0xff, 0xe0, 0x00, 0x04, 0x00, 0x00];
    const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x30, 0x01, 0x40, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(imageSize(bytes([0xff, 0xd8], app0, sof0), 'a.jpg')).toEqual({ width: 320, height: 48 });
  });

  it('reads a WebP (VP8X) size', () => {
    const b = bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8X', [10, 0, 0, 0, 0, 0, 0, 0], [99, 0, 0], [49, 0, 0]);
    expect(imageSize(b, 'a.webp')).toEqual({ width: 100, height: 50 });
  });

  it('reads an SVG\'s width and height, else its viewBox', () => {
    expect(imageSize(bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64px" height="32">'), 'a.svg')).toEqual({ width: 64, height: 32 });
    expect(imageSize(bytes('<svg viewBox="0 0 120 80"></svg>'), 'b.svg')).toEqual({ width: 120, height: 80 });
  });

  it('refuses bytes of no known format, naming the file', () => {
    expect(() => imageSize(bytes('hello world, not an image at all'), 'assets/readme.png')).toThrow(/assets\/readme.png: not a PNG, JPEG, GIF/);
    expect(() => imageSize(bytes([0x89], 'PNG'), 'short.png')).toThrow(/short.png/);
  });
});
