import { describe, it, expect } from 'vitest';
import Matter from 'matter-js';
import { RayCastSensor, type RayCastSensorOptions } from './ray-cast-sensor.js';

const { Bodies, Body } = Matter;
const L = 200;

/** Casts and returns the output rows, one array per ray: [hit, one-hot..., distance]. */
function cast(bodies: Matter.Body[], opts: Partial<RayCastSensorOptions> = {}) {
  const sensor = new RayCastSensor('eyes', { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: () => bodies, rays: 1, arc: 0, maxLength: L, tags: ['wall', 'coin'], ...opts });
  const out = new Float32Array(sensor.size);
  sensor.write(out, 0);
  const per = 2 + (opts.tags ?? ['wall', 'coin']).length;
  return { sensor, rows: Array.from({ length: sensor.size / per }, (_, r) => Array.from(out.subarray(r * per, (r + 1) * per))) };
}

describe('RayCastSensor geometry', () => {
  it('a box straight ahead: hit, its tag, distance to its near face / maxLength', () => {
    const wall = Bodies.rectangle(100, 0, 20, 20, { label: 'wall' });
    const { rows, sensor } = cast([wall]);
    expect(sensor.size).toBe(4);
    expect(rows[0]![0]).toBe(1);
    expect(rows[0]!.slice(1, 3)).toEqual([1, 0]);
    expect(rows[0]![3]).toBeCloseTo(90 / L, 6);
  });

  it('a box at an angle, seen by the right ray of a fan', () => {
    // Rays at −π/4, 0, +π/4. The box spans x 80..120, y 70..110: only the +π/4 ray (y = x, down-right
    // on a y-down screen) meets it, entering through its left face x = 80 at t = 80·√2.
    const box = Bodies.rectangle(100, 90, 40, 40, { label: 'wall' });
    const { rows, sensor } = cast([box], { rays: 3, arc: Math.PI / 2 });
    expect(rows.map((r) => r[0])).toEqual([0, 0, 1]);
    expect(rows[2]![3]).toBeCloseTo((80 * Math.SQRT2) / L, 5);
    expect(rows[0]).toEqual([0, 0, 0, 1]);
    const rays = sensor.lastRays();
    expect(rays[2]!.x2).toBeCloseTo(80, 4);
    expect(rays[2]!.y2).toBeCloseTo(80, 4);
    expect(rays[0]!.x2).toBeCloseTo(L * Math.cos(-Math.PI / 4), 4);
    expect(rays[0]!.hit).toBe(false);
  });

  it('follows the origin heading: a box below, seen by a ray heading +π/2', () => {
    const box = Bodies.rectangle(0, 100, 20, 20, { label: 'wall' });
    const { rows } = cast([box], { from: () => ({ x: 0, y: 0, angle: Math.PI / 2 }) });
    expect(rows[0]![3]).toBeCloseTo(90 / L, 5);
  });

  it('a circle is hit on the face of Matter\'s polygon: r·cos(π/sides) from its centre', () => {
    // Bodies.circle(r = 20) has 20 sides with vertices at angles (i + ½)·2π/20, so the face toward
    // the origin is vertical at x = 100 − 20·cos(π/20) (within 0.25 px of the true circle).
    const ball = Bodies.circle(100, 0, 20, { label: 'coin' });
    expect(ball.vertices).toHaveLength(20);
    const { rows } = cast([ball]);
    expect(rows[0]!.slice(0, 3)).toEqual([1, 0, 1]);
    expect(rows[0]![3]! * L).toBeCloseTo(100 - 20 * Math.cos(Math.PI / 20), 3);
    expect(Math.abs(rows[0]![3]! * L - 80)).toBeLessThan(0.25);
  });

  it('nothing within maxLength: hit 0, zeros, distance 1', () => {
    const far = Bodies.rectangle(300, 0, 20, 20, { label: 'wall' });
    const aside = Bodies.rectangle(100, 50, 20, 20, { label: 'wall' });
    expect(cast([far, aside]).rows[0]).toEqual([0, 0, 0, 1]);
    expect(cast([]).rows[0]).toEqual([0, 0, 0, 1]);
  });

  it('the nearest of two bodies wins, whatever their order in the list', () => {
    const far = Bodies.rectangle(150, 0, 20, 20, { label: 'wall' });
    const near = Bodies.rectangle(100, 0, 20, 20, { label: 'coin' });
    for (const list of [[far, near], [near, far]]) {
      const { rows } = cast(list);
      expect(rows[0]!.slice(0, 3)).toEqual([1, 0, 1]);
      expect(rows[0]![3]).toBeCloseTo(90 / L, 6);
    }
  });

  it('matches plugin.tag before the label; ignored bodies are transparent; untagged ones block unless onlyTagged', () => {
    const coin = Bodies.rectangle(150, 0, 20, 20, { label: 'Rectangle Body', plugin: { tag: 'coin' } });
    const glass = Bodies.rectangle(100, 0, 20, 20, { label: 'wall' });
    const crate = Bodies.rectangle(60, 0, 20, 20, { label: 'crate' });
    // The crate is untagged: a hit with an all-zero one-hot, at 50.
    expect(cast([coin, glass, crate]).rows[0]).toEqual([1, 0, 0, 50 / L]);
    // Ignoring the crate, the wall is next, at 90.
    expect(cast([coin, glass, crate], { ignore: [crate] }).rows[0]!.slice(0, 3)).toEqual([1, 1, 0]);
    // Ignoring both, the coin (tagged through plugin.tag) at 140.
    const { rows } = cast([coin, glass, crate], { ignore: [crate, glass] });
    expect(rows[0]!.slice(0, 3)).toEqual([1, 0, 1]);
    expect(rows[0]![3]).toBeCloseTo(140 / L, 6);
    // onlyTagged: the crate is transparent, the wall is seen.
    expect(cast([coin, glass, crate], { onlyTagged: true }).rows[0]![3]).toBeCloseTo(90 / L, 6);
  });

  it('never sees the body it casts from; an origin inside another body reads distance 0', () => {
    const self = Bodies.circle(0, 0, 10, { label: 'wall' });
    const wall = Bodies.rectangle(100, 0, 20, 20, { label: 'wall' });
    expect(cast([self, wall], { from: self }).rows[0]![3]).toBeCloseTo(90 / L, 6);
    const around = Bodies.rectangle(0, 0, 50, 50, { label: 'coin' });
    expect(cast([around, wall]).rows[0]).toEqual([1, 0, 1, 0]);
  });

  it('uses a compound body\'s parts, not its hull', () => {
    // Parts at (100, −50) and (150, 0): the hull would cover (100, 0), the parts do not.
    const a = Bodies.rectangle(100, -50, 20, 20);
    const b = Bodies.rectangle(150, 0, 20, 20);
    const compound = Body.create({ parts: [a, b], label: 'wall' });
    const { rows } = cast([compound]);
    expect(rows[0]![3]).toBeCloseTo(140 / L, 5);
  });

  it('follows a body origin as it moves and turns', () => {
    const eye = Bodies.circle(0, 0, 5);
    const wall = Bodies.rectangle(0, -100, 20, 20, { label: 'wall' });
    const sensor = new RayCastSensor('eyes', { from: eye, bodies: () => [eye, wall], rays: 1, arc: 0, maxLength: L, tags: ['wall'] });
    const out = new Float32Array(3);
    sensor.write(out, 0);
    expect(out[0]).toBe(0);
    Body.setAngle(eye, -Math.PI / 2); // facing up the screen
    Body.setPosition(eye, { x: 0, y: 20 });
    sensor.write(out, 0);
    expect(out[0]).toBe(1);
    expect(out[2]).toBeCloseTo(110 / L, 5);
  });

  it('spreads a full circle without repeating a direction', () => {
    const { sensor } = cast([], { rays: 4, arc: 2 * Math.PI });
    const angles = sensor.lastRays().map((r) => Math.round((Math.atan2(r.y2 - r.y1, r.x2 - r.x1) * 180) / Math.PI));
    expect(angles).toEqual([0, 90, 180, -90]);
  });

  it('rejects bad options', () => {
    const base: RayCastSensorOptions = { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: () => [], rays: 3, arc: 1, maxLength: 10, tags: [] };
    expect(() => new RayCastSensor('r', { ...base, rays: 0 })).toThrow("RayCastSensor('r'): rays must be a positive integer, got 0");
    expect(() => new RayCastSensor('r', { ...base, maxLength: 0 })).toThrow(/maxLength must be a positive finite number/);
    expect(() => new RayCastSensor('r', { ...base, tags: ['a', 'a'] })).toThrow(/duplicates/);
  });
});

describe('RayCastSensor culling', () => {
  it('reads exactly what testing every body reads, on 60 random scenes of 32-ray fans', () => {
    // Park–Miller: a fixed scene stream without pulling the SDK's Rng into a geometry test.
    let seed = 12345;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let differing = 0;
    let hits = 0;
    for (let scene = 0; scene < 60; scene++) {
      const bodies: Matter.Body[] = [];
      for (let i = 0; i < 14; i++) {
        const x = (rand() - 0.5) * 600;
        const y = (rand() - 0.5) * 600;
        const label = ['wall', 'coin', 'rock'][Math.floor(rand() * 3)]!;
        const body = rand() < 0.5
          ? Bodies.circle(x, y, 5 + rand() * 30, { label })
          : Bodies.rectangle(x, y, 5 + rand() * 80, 5 + rand() * 80, { label, angle: rand() * Math.PI });
        bodies.push(body);
      }
      // A compound body too, and an origin that may sit inside a body.
      bodies.push(Body.create({ parts: [Bodies.rectangle(50, 50, 40, 10), Bodies.rectangle(50, 70, 10, 40)], label: 'wall' }));
      const origin = { x: (rand() - 0.5) * 200, y: (rand() - 0.5) * 200, angle: rand() * 6 };
      const opts = { from: () => origin, rays: 32, arc: 2 * Math.PI, maxLength: 500, tags: ['wall', 'coin'] };
      const culled = new RayCastSensor('eyes', { ...opts, bodies: () => bodies });
      // Without `bounds` the sensor tests every body's every edge: the reference.
      const bare = bodies.map((b) => ({ label: b.label, plugin: b.plugin, vertices: b.vertices, parts: b.parts }));
      const every = new RayCastSensor('eyes', { ...opts, bodies: () => bare });
      const a = new Float32Array(culled.size);
      const b = new Float32Array(every.size);
      culled.write(a, 0);
      every.write(b, 0);
      if (!a.every((v, i) => v === b[i])) differing++;
      for (let r = 0; r < 32; r++) hits += b[r * 4]!;
    }
    expect(differing).toBe(0);
    // The scenes are not empty: most rays hit something.
    expect(hits).toBeGreaterThan(60 * 32 * 0.5);
  });
});
