import { describe, it, expect } from 'vitest';
import Matter from 'matter-js';
import { BodyStateSensor, type BodyStateSource } from './body-state-sensor.js';

const { Bodies, Body } = Matter;
const read = (s: BodyStateSensor) => { const out = new Float32Array(s.size); s.write(out, 0); return Array.from(out); };
const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => expect(actual[i], `value ${i}`).toBeCloseTo(e, 5));
};

describe('BodyStateSensor', () => {
  it('in the world frame: position, velocity, (cos, sin) of the angle, angular velocity', () => {
    const body = Bodies.rectangle(30, 40, 10, 10);
    Body.setVelocity(body, { x: 2, y: -1 });
    Body.setAngle(body, 0.5);
    Body.setAngularVelocity(body, 0.1);
    const s = new BodyStateSensor('box', body);
    expect(s.size).toBe(7);
    close(read(s), [30, 40, 2, -1, Math.cos(0.5), Math.sin(0.5), 0.1]);
  });

  it('in a rotated reference frame: x along the reference heading, y 90° clockwise from it', () => {
    const body: BodyStateSource = { position: { x: 10, y: 30 }, velocity: { x: 0, y: 2 }, angle: Math.PI / 2 + 0.3, angularVelocity: 0 };
    // The frame at (10, 20) faces +y (angle π/2): the body, 10 below it, is 10 straight ahead.
    const s = new BodyStateSensor('target', body, { reference: { x: 10, y: 20, angle: Math.PI / 2 } });
    close(read(s), [10, 0, 2, 0, Math.cos(0.3), Math.sin(0.3), 0]);
    // A point to the right of a frame facing +x (down on screen is +y) reads (0, +d).
    const side = new BodyStateSensor('s', { ...body, position: { x: 5, y: 7 } }, { reference: { x: 5, y: 2, angle: 0 }, fields: ['position'] });
    close(read(side), [0, 5]);
  });

  it('relative to a moving reference body: velocity and spin are subtracted, angle wraps through cos/sin', () => {
    const me = Bodies.circle(100, 100, 5);
    const ball = Bodies.circle(100, 60, 5);
    Body.setAngle(me, -Math.PI / 2); // facing up the screen
    Body.setVelocity(me, { x: 0, y: -3 });
    Body.setVelocity(ball, { x: 1, y: -3 });
    Body.setAngularVelocity(me, 0.05);
    Body.setAngle(ball, Math.PI - 0.1); // relative angle 3π/2 − 0.1 ≡ −π/2 − 0.1
    const s = new BodyStateSensor('ball', ball, { reference: me, scale: { position: 1 / 40, velocity: 1 / 2, angularVelocity: 10 } });
    // Ball 40 px above = 40 ahead → (1, 0); relative velocity (1, 0) world, facing up → (0, 1) → ×½.
    close(read(s), [1, 0, 0, 0.5, Math.cos(-Math.PI / 2 - 0.1), Math.sin(-Math.PI / 2 - 0.1), -0.5]);
  });

  it('a reference function is read at each write', () => {
    const body: BodyStateSource = { position: { x: 1, y: 0 }, velocity: { x: 0, y: 0 }, angle: 0, angularVelocity: 0 };
    let frame = { x: 0, y: 0, angle: 0 };
    const s = new BodyStateSensor('b', body, { reference: () => frame, fields: ['position'] });
    close(read(s), [1, 0]);
    frame = { x: 1, y: 1, angle: 0 };
    close(read(s), [0, -1]);
  });

  it('writes the chosen fields in the chosen order, and rejects unknown or repeated ones', () => {
    const body = Bodies.rectangle(3, 4, 10, 10);
    Body.setAngularVelocity(body, 0.2);
    const s = new BodyStateSensor('b', body, { fields: ['angularVelocity', 'position'] });
    expect(s.size).toBe(3);
    close(read(s), [0.2, 3, 4]);
    expect(() => new BodyStateSensor('b', body, { fields: ['spin' as never] })).toThrow("BodyStateSensor('b'): unknown field 'spin'");
    expect(() => new BodyStateSensor('b', body, { fields: ['angle', 'angle'] })).toThrow(/listed twice/);
    expect(() => new BodyStateSensor('b', body, { fields: [] })).toThrow(/fields is empty/);
  });
});
