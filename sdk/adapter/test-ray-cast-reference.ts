/**
 * The ray-cast sensor as it was before its speed-up (commit b16d3e5's sdk/adapter/ray-cast-sensor.ts,
 * frozen, renamed): the yardstick ray-cast-equivalence.test.ts compares the fast caster with bit for
 * bit on random scenes, and bench/ray-cast.ts times it against. Test and bench only; never edit its
 * math (it is what "unchanged results" means).
 */
import { EnvError } from '../core/errors.js';
import type { RayCastSensorOptions, RaySegment } from './ray-cast-sensor.js';
import type { Vec2 } from './body-state-sensor.js';
import type { Sensor } from './sensor.js';
import type { RayCastBody } from './ray-cast-sensor.js';

/** Ray parameter t ≥ 0 where O + t·d enters the convex polygon `v`, or Infinity; 0 if O is inside. */
function rayPolygon(ox: number, oy: number, dx: number, dy: number, v: readonly Vec2[]): number {
  const n = v.length;
  if (n < 2) return Infinity;
  let best = Infinity;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const a = v[i]!;
    const b = v[(i + 1) % n]!;
    const ex = b.x - a.x;
    const ey = b.y - a.y;
    const wx = a.x - ox;
    const wy = a.y - oy;
    // Which side of edge a→b the origin is on; the same side for every edge means inside.
    const side = ex * -wy - ey * -wx;
    if (side > 0) pos++;
    else if (side < 0) neg++;
    // Solve O + t·d = a + u·e: t = (w × e)/(d × e), u = (w × d)/(d × e). Parallel edges cannot be
    // the first thing hit unless a neighbouring edge is hit at the same t.
    const denom = dx * ey - dy * ex;
    if (denom === 0) continue;
    const t = (wx * ey - wy * ex) / denom;
    const u = (wx * dy - wy * dx) / denom;
    if (t >= 0 && u >= 0 && u <= 1 && t < best) best = t;
  }
  if (n >= 3 && (pos === 0 || neg === 0)) return 0;
  return best;
}

/**
 * World units a body's box is grown by before the ray is tested against it: an edge hit computed
 * in floating point can land a hair outside the hull's exact box, and culling must never drop a
 * body the exact test would hit (or tie).
 */
const BOX_MARGIN = 1e-6;

/**
 * Whether the ray O + t·d, 0 ≤ t ≤ tMax, meets the box grown by {@link BOX_MARGIN} (the slab
 * test). A hull lies in its box, so a ray that misses the box cannot hit the hull within tMax:
 * this skips most bodies of a fan's rays, where the segment's own bounding box (the test it
 * replaced) overlaps nearly everything.
 */
function rayEntersBox(ox: number, oy: number, dx: number, dy: number, tMax: number, box: { readonly min: Vec2; readonly max: Vec2 }): boolean {
  const minX = box.min.x - BOX_MARGIN;
  const maxX = box.max.x + BOX_MARGIN;
  const minY = box.min.y - BOX_MARGIN;
  const maxY = box.max.y + BOX_MARGIN;
  let t0 = 0;
  let t1 = tMax;
  if (dx === 0) {
    if (ox < minX || ox > maxX) return false;
  } else {
    const a = (minX - ox) / dx;
    const b = (maxX - ox) / dx;
    t0 = Math.max(t0, Math.min(a, b));
    t1 = Math.min(t1, Math.max(a, b));
  }
  if (dy === 0) {
    if (oy < minY || oy > maxY) return false;
  } else {
    const a = (minY - oy) / dy;
    const b = (maxY - oy) / dy;
    t0 = Math.max(t0, Math.min(a, b));
    t1 = Math.min(t1, Math.max(a, b));
  }
  return t0 <= t1;
}

/**
 * `rays` rays from an origin body or frame; per ray `[hit, one-hot(tag), distance]`, size
 * `rays × (2 + tags.length)`. A ray that hits nothing within `maxLength` reads `hit 0`, zeros,
 * `distance 1`. An origin inside a body reads a hit at distance 0.
 *
 * @example
 * const eyes = new RayCastSensor('eyes', { from: this.body, bodies: () => world.bodies, rays: 7,
 *   arc: Math.PI / 2, maxLength: 300, tags: ['wall', 'coin'] });
 * this.addSensor(eyes);
 */
export class ReferenceRayCastSensor implements Sensor {
  readonly size: number;
  private readonly perRay: number;
  private readonly segments: RaySegment[];
  private readonly ignore: Set<unknown>;
  /** Bodies of the current cast and their tag index (-1: untagged), reused between casts. */
  private readonly candidates: RayCastBody[] = [];
  private readonly candidateTags: number[] = [];

  constructor(readonly name: string, readonly opts: RayCastSensorOptions) {
    const where = `RayCastSensor('${name}')`;
    if (!Number.isInteger(opts.rays) || opts.rays < 1) throw new EnvError(`${where}: rays must be a positive integer, got ${opts.rays}`);
    if (!(opts.maxLength > 0) || !Number.isFinite(opts.maxLength)) throw new EnvError(`${where}: maxLength must be a positive finite number, got ${opts.maxLength}`);
    if (!(opts.arc >= 0) || !Number.isFinite(opts.arc)) throw new EnvError(`${where}: arc must be a finite number of radians ≥ 0, got ${opts.arc}`);
    if (new Set(opts.tags).size !== opts.tags.length) throw new EnvError(`${where}: tags has duplicates: ${opts.tags.join(', ')}`);
    this.perRay = 2 + opts.tags.length;
    this.size = opts.rays * this.perRay;
    this.segments = Array.from({ length: opts.rays }, () => ({ x1: 0, y1: 0, x2: 0, y2: 0, hit: false, tag: null, distance: 1 }));
    this.ignore = new Set<unknown>(opts.ignore ?? []);
    if (typeof opts.from !== 'function') this.ignore.add(opts.from);
  }

  /** The rays of the last {@link write}, in world coordinates (updated in place by each cast). */
  lastRays(): readonly RaySegment[] {
    return this.segments;
  }

  /** Casts the rays now and writes the results; also refreshes {@link lastRays}. */
  write(out: Float32Array, offset: number): void {
    const { opts, perRay } = this;
    // Locals, not a frame object per cast (this runs every decision of every agent).
    let ox: number, oy: number, heading: number;
    if (typeof opts.from === 'function') {
      const f = opts.from();
      ox = f.x; oy = f.y; heading = f.angle;
    } else {
      ox = opts.from.position.x; oy = opts.from.position.y; heading = opts.from.angle;
    }
    const L = opts.maxLength;
    this.collectCandidates();
    const full = opts.arc >= 2 * Math.PI;
    const step = full ? (2 * Math.PI) / opts.rays : opts.rays > 1 ? opts.arc / (opts.rays - 1) : 0;
    const start = full || opts.rays === 1 ? heading : heading - opts.arc / 2;
    for (let r = 0; r < opts.rays; r++) {
      const angle = start + r * step;
      const dx = Math.cos(angle);
      const dy = Math.sin(angle);
      let best = L;
      let bestTag = -2; // -2: nothing hit; -1: hit an untagged body
      for (let c = 0; c < this.candidates.length; c++) {
        const body = this.candidates[c]!;
        const bounds = body.bounds;
        // Only bodies whose box the ray enters before the nearest hit so far can be hit (or tie) nearer.
        if (bounds && !rayEntersBox(ox, oy, dx, dy, best + BOX_MARGIN, bounds)) continue;
        const parts = body.parts;
        const compound = parts !== undefined && parts.length > 1;
        for (let p = compound ? 1 : 0; p < (compound ? parts.length : 1); p++) {
          const vertices = compound ? parts[p]!.vertices : body.vertices;
          if (!vertices) continue;
          const t = rayPolygon(ox, oy, dx, dy, vertices);
          if (t <= best) {
            best = t;
            bestTag = this.candidateTags[c]!;
          }
        }
      }
      const o = offset + r * perRay;
      const hit = bestTag !== -2;
      out[o] = hit ? 1 : 0;
      for (let k = 0; k < opts.tags.length; k++) out[o + 1 + k] = k === bestTag ? 1 : 0;
      out[o + perRay - 1] = best / L;
      const seg = this.segments[r]!;
      seg.x1 = ox;
      seg.y1 = oy;
      seg.x2 = ox + dx * best;
      seg.y2 = oy + dy * best;
      seg.hit = hit;
      seg.tag = bestTag >= 0 ? opts.tags[bestTag]! : null;
      seg.distance = best / L;
    }
  }

  reset(): void {}

  private collectCandidates(): void {
    const { tags, onlyTagged } = this.opts;
    this.candidates.length = 0;
    this.candidateTags.length = 0;
    for (const body of this.opts.bodies()) {
      if (this.ignore.has(body)) continue;
      const plugin = body.plugin as { tag?: unknown } | undefined;
      const name = typeof plugin?.tag === 'string' ? plugin.tag : body.label;
      const tag = name === undefined ? -1 : tags.indexOf(name);
      if (onlyTagged && tag < 0) continue;
      this.candidates.push(body);
      this.candidateTags.push(tag);
    }
  }
}
