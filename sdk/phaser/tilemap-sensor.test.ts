import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import Matter from 'matter-js';
import { TilemapGridSensor, arrayTileSource, type TileLike, type TilemapGridSensorOptions, type TileSource } from './tilemap-sensor.js';

const { Bodies } = Matter;

// 6×6 tiles of 10 px: 1 = wall, 2 = lava, -1 = empty.
const GROUND = [
  [1, 1, 1, 1, 1, 1],
  [1, -1, -1, 2, -1, 1],
  [1, -1, 1, -1, -1, 1],
  [1, -1, -1, -1, 2, 1],
  [1, -1, -1, -1, -1, 1],
  [1, 1, 1, 1, 1, 1],
];

function read(opts: Partial<TilemapGridSensorOptions> = {}) {
  const sensor = new TilemapGridSensor('view', {
    from: { left: 0, top: 0 }, rows: 6, cols: 6, cellSize: 10,
    tiles: arrayTileSource({ ground: GROUND }), layers: ['ground'], tileWidth: 10, tileHeight: 10,
    channels: ['wall', 'lava'], tileChannel: { 1: 'wall', 2: 'lava' }, ...opts,
  });
  const out = new Float32Array(sensor.size);
  sensor.write(out, 0);
  const { rows, cols } = sensor.opts;
  const pic = (ch: number) => Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => (out[(r * cols + c) * sensor.perCell + ch] === 1 ? '1' : '.')).join(''));
  return { sensor, out, pic };
}

describe('TilemapGridSensor', () => {
  it('a fixed tile-aligned grid reads each tile into its channel by index', () => {
    const { pic, sensor } = read();
    expect(sensor.size).toBe(6 * 6 * 2);
    expect(pic(0)).toEqual(['111111', '1....1', '1.1..1', '1....1', '1....1', '111111']);
    expect(pic(1)).toEqual(['......', '...1..', '......', '....1.', '......', '......']);
  });

  it('agent-centred and turned 90°: the tile ahead is in the last column; off the map reads empty', () => {
    // Agent in tile (2, 3) (centre 25, 35) facing up (−π/2): ahead is −y. A 3×3 grid: ahead is
    // tile (2, 2), a wall; behind, tile (2, 4), empty; its right (+x when facing up) is tile (3, 3).
    const { pic } = read({ from: () => ({ x: 25, y: 35, angle: -Math.PI / 2 }), rows: 3, cols: 3 });
    expect(pic(0)).toEqual(['...', '..1', '...']);
    // Rows run to the agent's right: row 0 is its left (tile x 1), row 2 its right (tile x 3).
    const { pic: lava } = read({ from: () => ({ x: 35, y: 25, angle: -Math.PI / 2 }), rows: 3, cols: 3 });
    // Tile (3, 1) is lava, ahead of tile (3, 2); tile (4, 3) is lava too, behind and to the right.
    expect(lava(1)).toEqual(['...', '..1', '1..']);
    const { pic: edge } = read({ from: () => ({ x: 5, y: 5, angle: 0 }), rows: 3, cols: 3 });
    expect(edge(0)).toEqual(['...', '.11', '.1.']);
  });

  it('by tile property, over two layers, with an origin offset', () => {
    const tile = (index: number, kind?: string): TileLike => ({ index, properties: kind ? { kind } : {} });
    const layers: Record<string, (TileLike | null)[][]> = {
      floor: [[tile(7, 'lava'), tile(8)], [null, tile(9, 'wall')]],
      deco: [[null, tile(3, 'wall')], [null, null]],
    };
    const tiles: TileSource = { getTileAt: (x, y, layer) => layers[layer]?.[y]?.[x] ?? null };
    const { pic } = read({ tiles, layers: ['floor', 'deco'], tileChannel: undefined, property: 'kind', origin: { x: 100, y: 50 }, from: { left: 100, top: 50 }, rows: 2, cols: 2 });
    expect(pic(0)).toEqual(['.1', '.1']);
    expect(pic(1)).toEqual(['1.', '..']);
  });

  it('bodies on top: the body channels follow the tile channels in each cell', () => {
    const coin = Bodies.rectangle(15, 45, 4, 4, { label: 'coin' });
    const { pic, sensor } = read({ bodies: { bodies: () => [coin], tags: ['coin'], count: true } });
    expect(sensor.perCell).toBe(4);
    expect(pic(2)).toEqual(['......', '......', '......', '......', '.1....', '......']);
    expect(pic(0)[4]).toBe('1....1');
  });

  it('refuses bad specs naming the field', () => {
    expect(() => read({ tileChannel: { 3: 'water' } })).toThrow(/tileChannel\[3\] is 'water', not one of channels \(wall, lava\)/);
    expect(() => read({ property: 'kind' })).toThrow(/exactly one of tileChannel/);
    expect(() => read({ tileWidth: 0 })).toThrow(/tileWidth must be a positive finite number, got 0/);
    expect(() => read({ layers: [] })).toThrow(/layers is empty/);
    expect(() => read({ rows: 0 })).toThrow(/TilemapGridSensor\('view'\): rows must be a positive integer/);
    expect(() => read({ rows: 200, cols: 200 })).toThrow(/200 × 200 × 2 = 80000 values, over the limit of 65536/);
    expect(() => read({ channels: ['wall', 'wall'] })).toThrow(/channels has duplicates/);
  });
});

describe('TilemapGridSensor in headless copies', () => {
  it('imports Phaser for types only, so Node copies load it from phaser-ppo without Phaser', () => {
    const source = readFileSync(new URL('./tilemap-sensor.ts', import.meta.url), 'utf8');
    const phaserImports = source.split('\n').filter((line) => /^import .*from 'phaser'/.test(line));
    expect(phaserImports).toEqual(["import type Phaser from 'phaser';"]);
  });
});
