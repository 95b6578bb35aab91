/**
 * Writes the platformer's files into public/assets/ (run: `npx tsx test-fixtures/foreign-platformer/make-assets.ts`):
 * a Tiled 1.10 level (40 × 15 tiles of 16 px: a floor, walls, platforms; tiles 1-3 carry
 * `collides: true`; an object layer of spawn points) and the images its scene loads, at the sizes
 * the sheets are cut from (a headless copy reads only the size).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solidPng } from '../foreign-game/png.js';

const T = 16;
const W = 40;
const H = 15;
const out = join(dirname(fileURLToPath(import.meta.url)), 'public', 'assets');
mkdirSync(out, { recursive: true });

writeFileSync(join(out, 'tiles.png'), solidPng(4 * T, T, [130, 90, 50, 255]));
writeFileSync(join(out, 'hero.png'), solidPng(4 * T, T, [70, 120, 230, 255]));
writeFileSync(join(out, 'fox.png'), solidPng(4 * T, T, [240, 140, 40, 255]));
writeFileSync(join(out, 'gem.png'), solidPng(12, 12, [80, 230, 240, 255]));
writeFileSync(join(out, 'slime.png'), solidPng(16, 12, [120, 220, 80, 255]));

const ground = new Array<number>(W * H).fill(0);
const set = (x: number, y: number, tile: number) => { ground[y * W + x] = tile; };
for (let x = 0; x < W; x++) { set(x, H - 2, 1); set(x, H - 1, 2); }
for (let y = 0; y < H; y++) { set(0, y, 3); set(W - 1, y, 3); }
for (const [x0, x1, y] of [[5, 10, 10], [14, 19, 8], [22, 27, 10], [30, 35, 7], [12, 14, 11]] as const) for (let x = x0; x <= x1; x++) set(x, y, 1);
// Clouds (tile 4): drawn, never collided with.
const sky = new Array<number>(W * H).fill(0);
for (const [x, y] of [[4, 2], [11, 3], [20, 2], [28, 4], [34, 2]] as const) sky[y * W + x] = 4;

let id = 1;
const point = (name: string, type: string, tx: number, ty: number) => ({ id: id++, name, type, x: tx * T + 8, y: ty * T + 8, width: 0, height: 0, point: true, rotation: 0, visible: true });
const objects = [
  point('player', 'spawn', 3, 11),
  ...[2, 8, 12, 17, 22, 26, 31, 36].map((x) => point('fox', 'npc', x, 11)),
  ...([[3, 11], [8, 9], [13, 10], [17, 7], [24, 9], [29, 11], [33, 6], [37, 11], [20, 11], [10, 11]] as const).map(([x, y]) => point('gem', 'pickup', x, y)),
  point('slime', 'enemy', 16, 7),
  point('slime', 'enemy', 32, 6),
];
const layer = (lid: number, name: string, data: number[]) => ({ id: lid, name, type: 'tilelayer', width: W, height: H, x: 0, y: 0, opacity: 1, visible: true, data });
writeFileSync(join(out, 'level1.json'), `${JSON.stringify({
  type: 'map', version: '1.10', tiledversion: '1.10.2', orientation: 'orthogonal', renderorder: 'right-down', infinite: false, compressionlevel: -1,
  width: W, height: H, tilewidth: T, tileheight: T, nextlayerid: 4, nextobjectid: id,
  layers: [layer(1, 'sky', sky), layer(2, 'ground', ground), { id: 3, name: 'spawns', type: 'objectgroup', draworder: 'topdown', opacity: 1, visible: true, x: 0, y: 0, objects }],
  tilesets: [{ firstgid: 1, name: 'tiles', image: 'tiles.png', imagewidth: 4 * T, imageheight: T, tilewidth: T, tileheight: T, columns: 4, tilecount: 4, margin: 0, spacing: 0,
    tiles: [0, 1, 2].map((tile) => ({ id: tile, properties: [{ name: 'collides', type: 'bool', value: true }] })) }],
})}\n`);
