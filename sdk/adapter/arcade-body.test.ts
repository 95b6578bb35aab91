/**
 * arcadeBody and arcadeRayTargets over hand-built Arcade bodies: plain objects with the fields
 * Phaser's Arcade Body and StaticBody have (top-left position, centre, size, halfWidth, degrees).
 */
import { describe, expect, it } from 'vitest';
import { arcadeBody, arcadeRayTargets, type ArcadeBodyLike } from './arcade-body.js';
import { BodyStateSensor } from './body-state-sensor.js';
import { RayCastSensor, type RayCastSensorOptions } from './ray-cast-sensor.js';

const L = 200;

interface TestBody extends ArcadeBodyLike {
  position: { x: number; y: number };
  center: { x: number; y: number };
  velocity: { x: number; y: number };
  enable: boolean;
}

/** An axis-aligned box body with its top-left corner at (x, y). */
function box(x: number, y: number, w: number, h: number, name = '', extra: Partial<TestBody> = {}): TestBody {
  return {
    position: { x, y }, center: { x: x + w / 2, y: y + h / 2 }, velocity: { x: 0, y: 0 }, width: w, height: h,
    halfWidth: w / 2, isCircle: false, enable: true, gameObject: { name }, ...extra,
  };
}

/** A circle body of radius r centred on (cx, cy), as Arcade's setCircle leaves it. */
function circle(cx: number, cy: number, r: number, name = ''): TestBody {
  return { ...box(cx - r, cy - r, 2 * r, 2 * r, name), isCircle: true };
}

/** One cast; rows of [hit, one-hot(wall, coin), distance]. */
function cast(bodies: ArcadeBodyLike[], opts: Partial<RayCastSensorOptions> = {}): number[][] {
  const sensor = new RayCastSensor('eyes', { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: arcadeRayTargets(() => bodies), rays: 1, arc: 0, maxLength: L, tags: ['wall', 'coin'], ...opts });
  const out = new Float32Array(sensor.size);
  sensor.write(out, 0);
  return Array.from({ length: sensor.size / 4 }, (_, r) => Array.from(out.subarray(r * 4, r * 4 + 4)));
}

describe('arcadeBody: an Arcade body as a body-state source', () => {
  it('reads the centre (not the top-left corner), velocity in px/s, and degrees as radians', () => {
    const body = box(10, 20, 30, 40, '', { velocity: { x: 120, y: -60 }, rotation: 90, angularVelocity: 180 });
    const sensor = new BodyStateSensor('me', arcadeBody(body));
    const out = new Float32Array(sensor.size);
    sensor.write(out, 0);
    expect(Array.from(out.subarray(0, 4))).toEqual([25, 40, 120, -60]);
    expect(out[4]).toBeCloseTo(0, 6); // cos 90°
    expect(out[5]).toBeCloseTo(1, 6); // sin 90°
    expect(out[6]).toBeCloseTo(Math.PI, 6);
  });

  it('follows the body as Arcade moves it, and a static body (no rotation fields) reads angle 0', () => {
    const body = box(0, 0, 10, 10);
    const view = arcadeBody(body);
    body.center.x = 77;
    body.velocity.y = 5;
    expect([view.position.x, view.velocity.y, view.angle, view.angularVelocity]).toEqual([77, 5, 0, 0]);
  });

  it('as a reference: the ball relative to the square, scaled', () => {
    const square = box(90, 90, 20, 20, '', { velocity: { x: 100, y: 0 } });
    const ball = circle(200, 60, 12);
    const sensor = new BodyStateSensor('ball', arcadeBody(ball), { reference: arcadeBody(square), fields: ['position', 'velocity'], scale: { position: 1 / 100, velocity: 1 / 100 } });
    const out = new Float32Array(sensor.size);
    sensor.write(out, 0);
    expect(Array.from(out)).toEqual([1, -0.4, -1, 0].map(Math.fround));
  });

  it('gives one object per body', () => {
    const body = box(0, 0, 1, 1);
    expect(arcadeBody(body)).toBe(arcadeBody(body));
    expect(arcadeBody(body)).not.toBe(arcadeBody(box(0, 0, 1, 1)));
  });
});

describe('arcadeRayTargets: rays over Arcade boxes and circles', () => {
  it("a box ahead: hit, the tag from its game object's name, distance to its near face", () => {
    expect(cast([box(100, -10, 20, 20, 'wall')])[0]).toEqual([1, 1, 0, 100 / L].map(Math.fround));
  });

  it('a circle is hit on the true circle: exactly r short of its centre head-on', () => {
    expect(cast([circle(100, 0, 20, 'coin')])[0]).toEqual([1, 0, 1, 80 / L].map(Math.fround));
  });

  it('a circle off the ray\'s line is entered where the circle is, not its box', () => {
    // Centre 10 px off the ray: the ray enters at x = 100 − √(20² − 10²).
    expect(cast([circle(100, 10, 20, 'coin')])[0]![3]! * L).toBeCloseTo(100 - Math.sqrt(300), 3);
  });

  it("a ray through a circle's box but beside the circle misses it (the same box as a rectangle is hit)", () => {
    // The 45° ray y = x crosses the box x 80..120, y 45..85 but passes 35/√2 ≈ 24.7 px from the centre.
    const diagonal = { from: () => ({ x: 0, y: 0, angle: Math.PI / 4 }) };
    expect(cast([circle(100, 65, 20, 'coin')], diagonal)[0]).toEqual([0, 0, 0, 1]);
    expect(cast([box(80, 45, 40, 40, 'coin')], diagonal)[0]![0]).toBe(1);
  });

  it('an origin inside a circle reads a hit at distance 0; an untagged body blocks with an all-zero one-hot', () => {
    expect(cast([circle(5, 0, 20, 'coin')])[0]).toEqual([1, 0, 1, 0]);
    expect(cast([box(50, -5, 10, 10), box(100, -5, 10, 10, 'coin')])[0]).toEqual([1, 0, 0, 50 / L].map(Math.fround));
  });

  it('a disabled body is not hit (Arcade does not collide it)', () => {
    expect(cast([box(50, -5, 10, 10, 'wall', { enable: false }), circle(100, 0, 10, 'coin')])[0]).toEqual([1, 0, 1, 90 / L].map(Math.fround));
  });

  it("from a world's dynamic and static bodies; a fan from arcadeBody(me) never hits me", () => {
    const me = box(-10, -10, 20, 20, 'wall');
    const wall = box(100, -50, 10, 100, 'wall');
    const coin = circle(0, 60, 10, 'coin');
    const world = { bodies: new Set<ArcadeBodyLike>([me, coin]), staticBodies: new Set<ArcadeBodyLike>([wall]) };
    const full = new RayCastSensor('ring', { from: arcadeBody(me), bodies: arcadeRayTargets(world), rays: 4, arc: 2 * Math.PI, maxLength: L, tags: ['wall', 'coin'] });
    const ring = new Float32Array(full.size);
    full.write(ring, 0);
    expect(Array.from(ring.subarray(0, 4))).toEqual([1, 1, 0, 100 / L].map(Math.fround));
    expect(Array.from(ring.subarray(4, 8))).toEqual([1, 0, 1, 50 / L].map(Math.fround));
    expect(Array.from(ring.subarray(8, 16))).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('moves with the bodies between casts (the targets are read live)', () => {
    const coin = circle(100, 0, 10, 'coin');
    const targets = arcadeRayTargets(() => [coin]);
    const sensor = new RayCastSensor('eyes', { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: targets, rays: 1, arc: 0, maxLength: L, tags: ['coin'] });
    const out = new Float32Array(sensor.size);
    sensor.write(out, 0);
    expect(out[2]! * L).toBeCloseTo(90, 4);
    coin.center.x = 150;
    coin.position.x = 140;
    sensor.write(out, 0);
    expect(out[2]! * L).toBeCloseTo(140, 4);
  });
});
