import { describe, it, expect } from 'vitest';
import Matter from 'matter-js';
import { Rng } from '../core/rng.js';
import { RayCastSensor, type RayCastBody, type RayCastSensorOptions } from './ray-cast-sensor.js';
import { ReferenceRayCastSensor } from './test-ray-cast-reference.js';

const { Bodies, Body } = Matter;

/**
 * A random scene: boxes (some turned), circles, polygons, compound bodies, a few bodies with no
 * bounds, labels and plugin tags drawn from a small set, and sometimes a body around the origin.
 */
function randomScene(rng: Rng): RayCastBody[] {
  const bodies: RayCastBody[] = [];
  const labels = ['wall', 'coin', 'runner', 'other'];
  const n = 1 + rng.int(14);
  const at = () => rng.uniform(-300, 300);
  for (let i = 0; i < n; i++) {
    const label = labels[rng.int(labels.length)]!;
    const kind = rng.int(5);
    let body: Matter.Body;
    if (kind === 0) body = Bodies.rectangle(at(), at(), rng.uniform(2, 200), rng.uniform(2, 200), { label });
    else if (kind === 1) body = Bodies.circle(at(), at(), rng.uniform(3, 40), { label });
    else if (kind === 2) body = Bodies.polygon(at(), at(), 3 + rng.int(6), rng.uniform(5, 60), { label });
    else if (kind === 3) {
      const x = at();
      const y = at();
      body = Body.create({ parts: [Bodies.rectangle(x, y, 60, 10), Bodies.rectangle(x + 25, y + 20, 10, 50)], label });
    } else {
      // An axis-aligned wall through the origin's row or column: rays along the axes meet parallel edges.
      body = Bodies.rectangle(rng.int(2) === 0 ? 0 : at(), rng.int(2) === 0 ? 0 : at(), 40, 40, { label });
    }
    if (rng.int(3) === 0) Body.setAngle(body, rng.uniform(-Math.PI, Math.PI));
    if (rng.int(6) === 0) body.plugin = { tag: labels[rng.int(labels.length)] };
    // No bounds: the caster tests every edge of such a body.
    bodies.push(rng.int(8) === 0 ? { label: body.label, vertices: body.vertices } : body);
  }
  if (rng.int(5) === 0) bodies.push(Bodies.rectangle(rng.uniform(-5, 5), rng.uniform(-5, 5), 30, 30, { label: 'wall' }));
  return bodies;
}

/** Random fan options over `bodies`; the origin turns between casts when `turning`. */
function randomOptions(rng: Rng, bodies: RayCastBody[], frame: { x: number; y: number; angle: number }): RayCastSensorOptions {
  const arcs = [0, Math.PI / 2, Math.PI, 2 * Math.PI, rng.uniform(0, 7)];
  return {
    from: () => frame,
    bodies: () => bodies,
    rays: 1 + rng.int(40),
    arc: arcs[rng.int(arcs.length)]!,
    maxLength: rng.uniform(10, 800),
    tags: rng.int(2) === 0 ? ['wall', 'coin'] : ['runner', 'wall', 'coin'],
    ...(rng.int(4) === 0 ? { onlyTagged: true } : {}),
    ...(rng.int(4) === 0 && bodies.length > 1 ? { ignore: [bodies[0]!] } : {}),
  };
}

describe('RayCastSensor against the frozen reference caster', () => {
  it('writes the same floats and the same rays, bit for bit, on 400 random scenes and casts', () => {
    const rng = new Rng(18);
    let hits = 0;
    let rays = 0;
    for (let scene = 0; scene < 400; scene++) {
      const bodies = randomScene(rng);
      const frame = { x: rng.uniform(-50, 50), y: rng.uniform(-50, 50), angle: rng.int(3) === 0 ? 0 : rng.uniform(-4, 4) };
      const opts = randomOptions(rng, bodies, frame);
      const fast = new RayCastSensor('eyes', opts);
      const reference = new ReferenceRayCastSensor('eyes', opts);
      const a = new Float32Array(fast.size + 3);
      const b = new Float32Array(fast.size + 3);
      // Several casts per sensor: the same heading (cached directions), a turn, a move.
      for (let cast = 0; cast < 3; cast++) {
        if (cast === 1) frame.angle += rng.uniform(-1, 1);
        if (cast === 2) { frame.x += rng.uniform(-20, 20); frame.y += rng.uniform(-20, 20); }
        fast.write(a, 3);
        reference.write(b, 3);
        expect(Array.from(a)).toEqual(Array.from(b));
        expect(fast.lastRays()).toEqual(reference.lastRays());
        for (const r of reference.lastRays()) { rays++; if (r.hit) hits++; }
      }
    }
    // The scenes exercise both outcomes, plenty of each.
    expect(hits).toBeGreaterThan(rays / 10);
    expect(rays - hits).toBeGreaterThan(rays / 10);
  });

  it('chase\'s arena: the same outputs as every chaser moves', async () => {
    const { ChaseArena } = await import('../../games/chase/sim.js');
    const { CHASE_RAYS, CHASE_TAGS } = await import('../../games/chase/agent.js');
    const rng = new Rng(5);
    const arena = new ChaseArena(rng);
    for (let i = 0; i < 4; i++) arena.addChaser();
    arena.beginRound();
    const sensors = arena.chasers.map((c) => {
      const opts: RayCastSensorOptions = { from: c.body, bodies: () => arena.bodies, rays: CHASE_RAYS, arc: 2 * Math.PI, maxLength: 700, tags: [...CHASE_TAGS] };
      return [new RayCastSensor('eyes', opts), new ReferenceRayCastSensor('eyes', opts)] as const;
    });
    const a = new Float32Array(sensors[0]![0].size);
    const b = new Float32Array(a.length);
    for (let tick = 0; tick < 300; tick++) {
      arena.chasers.forEach((_, i) => arena.command(i, rng.int(9), rng.int(20) === 0));
      arena.step();
      if (tick % 6 !== 0) continue;
      for (const [fast, reference] of sensors) {
        fast.write(a, 0);
        reference.write(b, 0);
        expect(Array.from(a)).toEqual(Array.from(b));
      }
    }
  });
});
