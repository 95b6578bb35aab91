/**
 * Writes the fixture game's files into public/assets/ (run: `npx tsx test-fixtures/foreign-game/make-assets.ts`):
 * what its scene preloads, with sizes the tests check (a 64×32 tile sheet of 16×16 tiles, a 48×24 atlas).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solidPng } from './png.js';

const out = join(dirname(fileURLToPath(import.meta.url)), 'public', 'assets');
mkdirSync(out, { recursive: true });

const json = (name: string, value: unknown): void => writeFileSync(join(out, name), `${JSON.stringify(value, null, 2)}\n`);

// Tiles: 4 columns × 2 rows of 16×16.
writeFileSync(join(out, 'tiles.png'), solidPng(64, 32, [90, 140, 60, 255]));
// A Tiled map 8×4 tiles: a floor row of tile 2 (gid 3), walls (gid 5) at both ends.
const ground = Array.from({ length: 32 }, (_, i) => (i >= 24 ? 3 : i % 8 === 0 || i % 8 === 7 ? 5 : 0));
json('map.json', {
  type: 'map', version: '1.10', tiledversion: '1.10.2', orientation: 'orthogonal', renderorder: 'right-down', infinite: false,
  width: 8, height: 4, tilewidth: 16, tileheight: 16, nextlayerid: 2, nextobjectid: 1,
  layers: [{ id: 1, name: 'ground', type: 'tilelayer', x: 0, y: 0, width: 8, height: 4, opacity: 1, visible: true, data: ground }],
  tilesets: [{ firstgid: 1, name: 'tiles', image: 'tiles.png', imagewidth: 64, imageheight: 32, tilewidth: 16, tileheight: 16, tilecount: 8, columns: 4, margin: 0, spacing: 0 }],
});
// A TexturePacker (JSON hash) atlas of two frames.
writeFileSync(join(out, 'ui.png'), solidPng(48, 24, [200, 200, 220, 255]));
json('ui.json', {
  frames: {
    button: { frame: { x: 0, y: 0, w: 32, h: 24 }, rotated: false, trimmed: false, spriteSourceSize: { x: 0, y: 0, w: 32, h: 24 }, sourceSize: { w: 32, h: 24 } },
    icon: { frame: { x: 32, y: 0, w: 16, h: 16 }, rotated: false, trimmed: false, spriteSourceSize: { x: 0, y: 0, w: 16, h: 16 }, sourceSize: { w: 16, h: 16 } },
  },
  meta: { image: 'ui.png', size: { w: 48, h: 24 }, scale: '1' },
});
// The level: where the walker starts and its goal, in tiles.
json('level-1.json', { name: 'first steps', start: 2, goal: 5 });
// A sound: an MP3 frame header and silence (copies never play it).
writeFileSync(join(out, 'jump.mp3'), Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]));
// An image the scene imports as a module (Vite gives its URL; the CLI a file: URL).
writeFileSync(join(out, '..', '..', 'src', 'badge.png'), solidPng(12, 6, [250, 200, 0, 255]));
console.log(`wrote ${out}`);
