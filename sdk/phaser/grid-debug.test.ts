import { describe, it, expect } from 'vitest';
import type Phaser from 'phaser';
import Matter from 'matter-js';
import { GridSensor } from '../adapter/grid-sensor.js';
import { GridDebug } from './grid-debug.js';

/** A Graphics stand-in that records filled triangles and lines. */
function fakeScene() {
  const triangles: number[][] = [];
  const fills: number[] = [];
  let lines = 0;
  const graphics = {
    setDepth: () => graphics,
    clear: () => { triangles.length = 0; fills.length = 0; lines = 0; return graphics; },
    fillStyle: (color: number) => { fills.push(color); return graphics; },
    lineStyle: () => graphics,
    fillTriangle: (...xy: number[]) => { triangles.push(xy); return graphics; },
    lineBetween: () => { lines++; return graphics; },
    destroy: () => undefined,
  };
  const scene = { add: { graphics: () => graphics } } as unknown as Phaser.Scene;
  return { scene, triangles, fills, lines: () => lines };
}

describe('GridDebug', () => {
  it('fills the occupied cells where the sensor put them, turned with the heading', () => {
    // Agent at (100, 100) facing down; a 2×2 grid of 10 px cells. A coin 5 ahead and 5 to the
    // agent's left (facing down, left is +x) is in row 0, col 1, whose world square is x 100..110, y 100..110.
    const coin = Matter.Bodies.rectangle(105, 105, 2, 2, { label: 'coin' });
    const sensor = new GridSensor('g', { from: () => ({ x: 100, y: 100, angle: Math.PI / 2 }), bodies: () => [coin], rows: 2, cols: 2, cellSize: 10, tags: ['wall', 'coin'] });
    sensor.write(new Float32Array(sensor.size), 0);
    expect(Array.from(sensor.lastCells())).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    const { scene, triangles, fills, lines } = fakeScene();
    new GridDebug(scene, [sensor], { channelColors: { 1: 0x00ff00 } }).draw();
    expect(fills).toEqual([0x00ff00]);
    expect(triangles).toHaveLength(2);
    const xs = triangles.flatMap((t) => [t[0]!, t[2]!, t[4]!]);
    const ys = triangles.flatMap((t) => [t[1]!, t[3]!, t[5]!]);
    expect(Math.min(...xs)).toBeCloseTo(100, 6);
    expect(Math.max(...xs)).toBeCloseTo(110, 6);
    expect(Math.min(...ys)).toBeCloseTo(100, 6);
    expect(Math.max(...ys)).toBeCloseTo(110, 6);
    expect(lines()).toBe(4); // the outline only
  });
});
