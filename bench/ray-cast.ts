/**
 * `npm run bench:ray-cast`: rays cast per second by the ray-cast sensor against the frozen caster it
 * replaced (sdk/adapter/test-ray-cast-reference.ts), in chase's arena (4 chasers, 32-ray full
 * fans: the sensor chase trains with) as the chasers move. Both casters read the same positions;
 * their outputs are compared once per round (ray-cast-equivalence.test.ts compares them in full),
 * and they alternate in slices within a round so the load on a shared machine falls on both.
 * Prints figures, asserts nothing; the load average is printed beside them (the machine is shared).
 *
 * Options: --casts 20000 (per caster and round)  --rounds 5
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Rng } from '../sdk/core/rng.js';
import { RayCastSensor, type RayCastSensorOptions } from '../sdk/adapter/ray-cast-sensor.js';
import { ReferenceRayCastSensor } from '../sdk/adapter/test-ray-cast-reference.js';
import { ChaseArena } from '../games/chase/sim.js';
import { CHASE_RAYS, CHASE_TAGS } from '../games/chase/agent.js';

const { values } = parseArgs({ options: { casts: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '5' } } });
const casts = Number(values.casts);
const rounds = Number(values.rounds);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const rng = new Rng(1);
const arena = new ChaseArena(rng);
for (let i = 0; i < 4; i++) arena.addChaser();
arena.beginRound();
const optionsOf = (body: { position: { x: number; y: number }; angle: number }): RayCastSensorOptions =>
  ({ from: body, bodies: () => arena.bodies, rays: CHASE_RAYS, arc: 2 * Math.PI, maxLength: 700, tags: [...CHASE_TAGS] });
const fast = arena.chasers.map((c) => new RayCastSensor('eyes', optionsOf(c.body)));
const reference = arena.chasers.map((c) => new ReferenceRayCastSensor('eyes', optionsOf(c.body)));
const out = new Float32Array(fast[0]!.size);
const check = new Float32Array(out.length);

/** Casts `casts` times with `sensors` in turn; adds the wall and CPU (user + system) seconds it took to `into`. */
function time(sensors: readonly { write(out: Float32Array, offset: number): void }[], casts: number, into: { wall: number; cpu: number }): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < casts; i++) sensors[i % sensors.length]!.write(out, 0);
  into.wall += (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  into.cpu += (c.user + c.system) / 1e6;
}

console.log(`ray-cast bench: chase arena, 4 chasers, ${CHASE_RAYS}-ray fans, ${casts} casts per caster and round, node ${process.version}`);
console.log(`load average at start: ${load()}`);
console.log('The two casters alternate in 10 slices per round (so load spikes hit both); rays per wall second and per CPU second of this process.');
console.log('| round | reference rays/s (wall / CPU) | sensor rays/s (wall / CPU) | speed-up (wall / CPU) | load average |');
console.log('|---|---|---|---|---|');
const ratios: number[] = [];
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const slices = 10;
for (let round = 0; round < rounds; round++) {
  // Move the pack somewhere new: the scene differs round to round, both casters see the same one.
  for (let t = 0; t < 120; t++) {
    arena.chasers.forEach((_, i) => arena.command(i, rng.int(9), false));
    arena.step();
  }
  fast[0]!.write(out, 0);
  reference[0]!.write(check, 0);
  if (out.some((v, i) => v !== check[i])) throw new Error('bench/ray-cast.ts: the sensor and the reference disagree');
  const old = { wall: 0, cpu: 0 };
  const now = { wall: 0, cpu: 0 };
  for (let s = 0; s < slices; s++) {
    time(reference, casts / slices, old);
    time(fast, casts / slices, now);
  }
  const rays = casts * CHASE_RAYS;
  ratios.push(old.cpu / now.cpu);
  console.log(`| ${round} | ${fmt(rays / old.wall)} / ${fmt(rays / old.cpu)} | ${fmt(rays / now.wall)} / ${fmt(rays / now.cpu)} | ${(old.wall / now.wall).toFixed(2)}× / ${(old.cpu / now.cpu).toFixed(2)}× | ${load()} |`);
}
ratios.sort((a, b) => a - b);
console.log(`median speed-up (CPU) ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}× (load average ${load()})`);
