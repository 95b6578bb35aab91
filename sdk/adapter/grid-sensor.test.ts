import { describe, it, expect } from 'vitest';
import Matter from 'matter-js';
import { GridSensor, MAX_GRID_VALUES, type GridSensorOptions } from './grid-sensor.js';

const { Bodies, Body } = Matter;

/** Writes the grid and returns, per channel, the rows as strings of digits ('.' for 0) for readable asserts. */
function read(bodies: Matter.Body[], opts: Partial<GridSensorOptions> = {}) {
  const sensor = new GridSensor('grid', { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: () => bodies, rows: 4, cols: 4, cellSize: 10, tags: ['wall', 'coin'], ...opts });
  const out = new Float32Array(sensor.size + 2);
  sensor.write(out, 2);
  const { rows, cols } = sensor.opts;
  const channel = (ch: number) => Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => out[2 + (r * cols + c) * sensor.channels + ch]!));
  const pic = (ch: number) => channel(ch).map((row) => row.map((v) => (v === 0 ? '.' : v === 1 ? '1' : 'x')).join(''));
  return { sensor, out, channel, pic };
}

describe('GridSensor occupancy', () => {
  it('world-aligned: a box covers exactly the cells it overlaps; channels-last, row-major', () => {
    // Grid spans −20..20 both ways, cells of 10. The box spans x 1..9, y −19..−11: row 0, col 2.
    const box = Bodies.rectangle(5, -15, 8, 8, { label: 'wall' });
    const { pic, out, sensor } = read([box]);
    expect(sensor.size).toBe(4 * 4 * 2);
    expect(pic(0)).toEqual(['..1.', '....', '....', '....']);
    expect(pic(1)).toEqual(['....', '....', '....', '....']);
    expect(out[2 + (0 * 4 + 2) * 2 + 0]).toBe(1);
    expect(out[0]).toBe(0); // nothing written before the offset
  });

  it('partial overlaps: a box straddling cell lines marks every cell it overlaps; touching an edge does not', () => {
    // x −5..15 (cols 1, 2, 3), y 0..10 exactly one row (row 2): its edges on y = 0 and 10 only touch rows 1 and 3.
    const box = Bodies.rectangle(5, 5, 20, 10, { label: 'coin' });
    const { pic } = read([box]);
    expect(pic(1)).toEqual(['....', '....', '.111', '....']);
    // Partly outside the grid: x 15..35 still marks the last column.
    const { pic: pic2 } = read([Bodies.rectangle(25, -15, 20, 4, { label: 'wall' })]);
    expect(pic2(0)).toEqual(['...1', '....', '....', '....']);
  });

  it('polygon test, not bounds: a diamond does not mark the cells its bounds corner into', () => {
    // A square turned 45° centred on (0, 0), tips at ±14 on the axes (|x| + |y| < 14): its bounds
    // cover all 16 cells, but the corner cells (nearest point |x| + |y| = 20) are outside it.
    const diamond = Bodies.rectangle(0, 0, 14 * Math.SQRT2, 14 * Math.SQRT2, { label: 'wall' });
    Body.setAngle(diamond, Math.PI / 4);
    const { pic } = read([diamond]);
    expect(pic(0)).toEqual(['.11.', '1111', '1111', '.11.']);
  });

  it('heading-aligned: a body ahead of an agent turned 90° lands in the last column', () => {
    // Agent at (100, 100) facing +y (down). A coin 15 below it is 15 ahead: local x = +15 → col 3,
    // local y = 0 → the line between rows 1 and 2, so a 4×4 coin covers both.
    const agent = Bodies.circle(100, 100, 5, { label: 'wall' });
    Body.setAngle(agent, Math.PI / 2);
    const coin = Bodies.rectangle(100, 115, 4, 4, { label: 'coin' });
    // A wall to the agent's right (facing down, right is −x on a y-down screen): local y = +15 → row 3.
    const wall = Bodies.rectangle(85, 100, 4, 4, { label: 'wall' });
    const { pic } = read([agent, coin, wall], { from: agent });
    expect(pic(1)).toEqual(['....', '...1', '...1', '....']);
    expect(pic(0)).toEqual(['....', '....', '....', '.11.']); // the agent itself is ignored
    const { pic: world } = read([agent, coin, wall], { from: agent, rotate: false });
    expect(world(1)).toEqual(['....', '....', '....', '.11.']);
    expect(world(0)).toEqual(['....', '1...', '1...', '....']); // the wall at x − 15 → col 0
  });

  it('fixed world rectangle, tagOf, plugin.tag and untracked tags', () => {
    const a = Bodies.rectangle(15, 5, 4, 4, { label: 'x' });
    const b = Bodies.rectangle(35, 35, 4, 4, { label: 'coin' });
    (b as { plugin: unknown }).plugin = { tag: 'wall' };
    const c = Bodies.rectangle(5, 35, 4, 4, { label: 'enemy' });
    const { pic } = read([a, b, c], { from: { left: 0, top: 0 } });
    expect(pic(0)).toEqual(['....', '....', '....', '...1']);
    expect(pic(1)).toEqual(['....', '....', '....', '....']); // 'x' and 'enemy' are not tracked
    const { pic: custom } = read([a, b, c], { from: { left: 0, top: 0 }, tagOf: (body) => (body.label === 'x' ? 'coin' : undefined) });
    expect(custom(1)).toEqual(['.1..', '....', '....', '....']);
    expect(custom(0)).toEqual(['....', '....', '....', '....']);
  });

  it('compound bodies: each convex part occupies its own cells and the body counts once', () => {
    const left = Bodies.rectangle(-15, -15, 8, 8);
    const right = Bodies.rectangle(-5, -15, 8, 8);
    const body = Body.create({ parts: [left, right], label: 'wall' });
    const { pic, channel } = read([body], { count: true, countCap: 2 });
    expect(pic(0)).toEqual(['11..', '....', '....', '....']);
    expect(channel(2)[0]).toEqual([0.5, 0.5, 0, 0]);
  });
});

describe('GridSensor count and nearest channels', () => {
  it('count saturates at countCap; nearest is the closest body’s distance / half-diagonal, 1 when empty', () => {
    const near = Bodies.rectangle(5, 5, 2, 2, { label: 'coin' });
    const far = Bodies.rectangle(8, 8, 2, 2, { label: 'wall' });
    const third = Bodies.rectangle(6, 6, 2, 2, { label: 'coin' });
    const { channel, sensor } = read([near, far, third], { count: true, nearest: true, countCap: 2 });
    expect(sensor.channels).toBe(4);
    expect(channel(2)[2]).toEqual([0, 0, 1, 0]); // three bodies, cap 2 → 1
    const halfDiagonal = Math.hypot(20, 20);
    expect(channel(3)[2]![2]).toBeCloseTo(Math.hypot(5, 5) / halfDiagonal, 6);
    expect(channel(3)[0]).toEqual([1, 1, 1, 1]);
    const { channel: one } = read([near], { count: true, countCap: 4 });
    expect(one(2)[2]![2]).toBe(0.25);
  });

  it('write has no side effects on the values: writing twice gives the same grid', () => {
    const box = Bodies.rectangle(5, 5, 12, 12, { label: 'wall' });
    const sensor = new GridSensor('g', { from: () => ({ x: 0, y: 0, angle: 0.3 }), bodies: () => [box], rows: 5, cols: 5, cellSize: 8, tags: ['wall'], count: true, nearest: true });
    const a = new Float32Array(sensor.size);
    const b = new Float32Array(sensor.size);
    sensor.write(a, 0);
    sensor.write(b, 0);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a.some((v) => v > 0)).toBe(true);
  });

  it('does not allocate typed arrays per write (counting hack on their constructors)', () => {
    const bodies = [Bodies.rectangle(5, 5, 12, 12, { label: 'wall' }), Bodies.circle(-10, 3, 6, { label: 'coin' })];
    const frame = { x: 0, y: 0, angle: 0.7 };
    const sensor = new GridSensor('g', { from: () => frame, bodies: () => bodies, rows: 6, cols: 6, cellSize: 8, tags: ['wall', 'coin'], count: true, nearest: true });
    const out = new Float32Array(sensor.size);
    sensor.write(out, 0); // warm-up: scratch grows to the largest part once
    let created = 0;
    const RealF64 = globalThis.Float64Array;
    const RealF32 = globalThis.Float32Array;
    const RealI32 = globalThis.Int32Array;
    const spy = <T extends abstract new (...args: never[]) => unknown>(Real: T): T => new Proxy(Real, { construct(t, args, nt) { created++; return Reflect.construct(t, args, nt) as object; } });
    globalThis.Float64Array = spy(RealF64);
    globalThis.Float32Array = spy(RealF32);
    globalThis.Int32Array = spy(RealI32);
    try {
      for (let i = 0; i < 10; i++) sensor.write(out, 0);
    } finally {
      globalThis.Float64Array = RealF64;
      globalThis.Float32Array = RealF32;
      globalThis.Int32Array = RealI32;
    }
    expect(created).toBe(0);
  });
});

describe('GridSensor bad specs', () => {
  const base = { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: () => [], rows: 4, cols: 4, cellSize: 10, tags: ['wall'] };
  it.each([
    [{ rows: 0 }, /rows must be a positive integer, got 0/],
    [{ cols: -3 }, /cols must be a positive integer, got -3/],
    [{ rows: 2.5 }, /rows must be a positive integer, got 2.5/],
    [{ cellSize: 0 }, /cellSize must be a positive finite number, got 0/],
    [{ cellSize: Infinity }, /cellSize must be a positive finite number/],
    [{ tags: [] }, /no channels/],
    [{ tags: ['a', 'a'] }, /tags has duplicates/],
    [{ count: true, countCap: 0 }, /countCap must be a positive integer/],
    [{ rows: 256, cols: 256, tags: ['a', 'b'] }, /256 × 256 × 2 = 131072 values, over the limit of 65536/],
  ])('%o is refused', (bad, message) => {
    expect(() => new GridSensor('g', { ...base, ...bad })).toThrow(message);
  });

  it('the cap itself is allowed', () => {
    expect(new GridSensor('g', { ...base, rows: 256, cols: 256 }).size).toBe(MAX_GRID_VALUES);
  });
});
