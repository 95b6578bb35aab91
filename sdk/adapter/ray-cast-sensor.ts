/**
 * A fan of rays over Matter bodies (or Arcade bodies through `arcadeRayTargets`, ./arcade-body.ts):
 * per ray, whether it hit, what (a tag one-hot) and how far.
 *
 * Matter's `Query.ray` says which bodies a segment touches but not where, so the nearest hit is
 * computed here: the ray against every edge of every convex part (Matter builds circles as
 * polygons too, so a circle is hit where Matter's own collisions would touch it). Reads only
 * `vertices`, `parts`, `bounds`, `label` and `plugin`: matter-js's `Matter.Body` and Phaser's
 * `MatterJS.BodyType` both fit {@link RayCastBody}.
 */
import { EnvError } from '../core/errors.js';
import type { Frame, Vec2 } from './body-state-sensor.js';
import type { Sensor } from './sensor.js';

/** The fields of a Matter body the rays read. */
export interface RayCastBody {
  /** Matched against `tags` unless `plugin.tag` is a string. */
  readonly label?: string;
  /** `plugin.tag`, when a string, is matched instead of the label. */
  readonly plugin?: unknown;
  /** Convex hull (Matter keeps it in world coordinates). */
  readonly vertices?: readonly Vec2[];
  /** `parts[0]` is the body itself; a compound body's convex pieces follow. */
  readonly parts?: readonly RayCastBody[];
  readonly bounds?: { readonly min: Vec2; readonly max: Vec2 };
  /**
   * A true circle (Arcade's circular bodies): when set, rays meet this circle exactly and
   * `vertices` and `parts` are not read.
   */
  readonly circle?: { readonly x: number; readonly y: number; readonly radius: number };
}

export interface RayCastSensorOptions {
  /** Origin and heading of the fan: a body (its position and angle; it never hits itself) or a function. */
  from: { readonly position: Vec2; readonly angle: number } | (() => Frame);
  /** The bodies rays may hit, asked once per cast (e.g. `() => world.bodies`). */
  bodies: () => readonly RayCastBody[];
  /** Number of rays. */
  rays: number;
  /**
   * Angular width of the fan in radians, centred on the heading; rays are spread evenly from
   * `heading − arc/2` to `heading + arc/2`. With `arc ≥ 2π` they cover the circle without
   * repeating a direction: ray i at `heading + 2πi/rays`.
   */
  arc: number;
  /** Ray length in world units; distances are written divided by it. */
  maxLength: number;
  /** Detectable tags, one one-hot slot each. */
  tags: readonly string[];
  /** Bodies the rays pass through. */
  ignore?: readonly RayCastBody[];
  /**
   * When true, bodies whose tag is not in `tags` are transparent too. Default false: they block
   * the ray like walls and read as a hit with an all-zero one-hot.
   */
  onlyTagged?: boolean;
}

/** One ray of the last cast, in world coordinates, for a debug overlay. */
export interface RaySegment {
  x1: number;
  y1: number;
  /** End point: the hit point, or the end of the ray when nothing was hit. */
  x2: number;
  y2: number;
  hit: boolean;
  /** Tag of the body hit, when it is one of `tags`. */
  tag: string | null;
  /** Distance divided by `maxLength`, 1 when nothing was hit. */
  distance: number;
}

/**
 * Ray parameter t ≥ 0 where O + t·d enters the convex polygon `v`, or Infinity; 0 if O is inside.
 * Walks the edges from the closing one (v[n−1] → v[0]) with the previous vertex in hand (no `%`),
 * and divides for u only when t could be the nearest: the same t, compared the same way, as solving
 * every edge in full (test-ray-cast-reference.ts keeps that version; the results are bit for bit
 * the same).
 */
function rayPolygon(ox: number, oy: number, dx: number, dy: number, v: readonly Vec2[]): number {
  const n = v.length;
  if (n < 2) return Infinity;
  let best = Infinity;
  let pos = 0;
  let neg = 0;
  let a = v[n - 1]!;
  for (let i = 0; i < n; i++) {
    const b = v[i]!;
    const ex = b.x - a.x;
    const ey = b.y - a.y;
    const wx = a.x - ox;
    const wy = a.y - oy;
    a = b;
    // Which side of edge a→b the origin is on; the same side for every edge means inside.
    const side = ey * wx - ex * wy;
    if (side > 0) pos++;
    else if (side < 0) neg++;
    // Solve O + t·d = a + u·e: t = (w × e)/(d × e), u = (w × d)/(d × e). Parallel edges cannot be
    // the first thing hit unless a neighbouring edge is hit at the same t.
    const denom = dx * ey - dy * ex;
    if (denom === 0) continue;
    const t = (wx * ey - wy * ex) / denom;
    if (!(t >= 0 && t < best)) continue;
    const u = (wx * dy - wy * dx) / denom;
    if (u >= 0 && u <= 1) best = t;
  }
  if (n >= 3 && (pos === 0 || neg === 0)) return 0;
  return best;
}

/** Ray parameter t ≥ 0 where O + t·d (d a unit vector) enters the circle, or Infinity; 0 if O is inside. */
function rayCircle(ox: number, oy: number, dx: number, dy: number, c: { readonly x: number; readonly y: number; readonly radius: number }): number {
  const wx = c.x - ox;
  const wy = c.y - oy;
  const r2 = c.radius * c.radius;
  const w2 = wx * wx + wy * wy;
  if (w2 <= r2) return 0;
  // |O + t·d − C|² = r²  ⇔  t² − 2(w·d)t + |w|² − r² = 0; the smaller root is where the ray enters.
  const b = wx * dx + wy * dy;
  if (b <= 0) return Infinity;
  const disc = b * b - w2 + r2;
  if (disc < 0) return Infinity;
  return b - Math.sqrt(disc);
}

/**
 * World units a body's box is grown by before the ray is tested against it: an edge hit computed
 * in floating point can land a hair outside the hull's exact box, and culling must never drop a
 * body the exact test would hit (or tie).
 */
const BOX_MARGIN = 1e-6;

/** World units a box's bounding circle is grown by beyond rounding (see collectCandidates). */
const CIRCLE_SLACK = 1e-6;

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
export class RayCastSensor implements Sensor {
  readonly size: number;
  private readonly perRay: number;
  private readonly segments: RaySegment[];
  private readonly ignore: Set<unknown>;
  /** Bodies of the current cast and their tag index (-1: untagged), reused between casts. */
  private readonly candidates: RayCastBody[] = [];
  private readonly candidateTags: number[] = [];
  /**
   * Per candidate, a circle around its grown box (centre relative to the origin of the cast x, y,
   * radius; radius Infinity without bounds, so every ray passes): a ray that misses the circle
   * misses the box, found with a few multiplies where the box test divides four times. Grown as
   * candidates come, never shrunk.
   */
  private circles = new Float64Array(3 * 16);
  /** Unit direction of each ray (cos, sin interleaved) for {@link directionsHeading}. */
  private readonly directions: Float64Array;
  /** The heading `directions` were computed for (NaN: none yet); a body that does not turn never recomputes them. */
  private directionsHeading = NaN;

  constructor(readonly name: string, readonly opts: RayCastSensorOptions) {
    const where = `RayCastSensor('${name}')`;
    if (!Number.isInteger(opts.rays) || opts.rays < 1) throw new EnvError(`${where}: rays must be a positive integer, got ${opts.rays}`);
    if (!(opts.maxLength > 0) || !Number.isFinite(opts.maxLength)) throw new EnvError(`${where}: maxLength must be a positive finite number, got ${opts.maxLength}`);
    if (!(opts.arc >= 0) || !Number.isFinite(opts.arc)) throw new EnvError(`${where}: arc must be a finite number of radians ≥ 0, got ${opts.arc}`);
    if (new Set(opts.tags).size !== opts.tags.length) throw new EnvError(`${where}: tags has duplicates: ${opts.tags.join(', ')}`);
    this.perRay = 2 + opts.tags.length;
    this.size = opts.rays * this.perRay;
    this.segments = Array.from({ length: opts.rays }, () => ({ x1: 0, y1: 0, x2: 0, y2: 0, hit: false, tag: null, distance: 1 }));
    this.directions = new Float64Array(2 * opts.rays);
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
    this.collectCandidates(ox, oy);
    if (heading !== this.directionsHeading) this.computeDirections(heading);
    const { candidates, candidateTags, circles, directions } = this;
    const count = candidates.length;
    for (let r = 0; r < opts.rays; r++) {
      const dx = directions[2 * r]!;
      const dy = directions[2 * r + 1]!;
      let best = L;
      let bestTag = -2; // -2: nothing hit; -1: hit an untagged body
      for (let c = 0; c < count; c++) {
        // The circle first, from the flat array alone (no body read for the bodies it rejects),
        // then the box itself: only bodies whose box the ray enters before the nearest hit so
        // far can be hit (or tie) nearer.
        const rx = circles[3 * c]!;
        const ry = circles[3 * c + 1]!;
        const radius = circles[3 * c + 2]!;
        const along = rx * dx + ry * dy;
        if (along < -radius || along - radius > best + BOX_MARGIN) continue;
        const across = rx * dy - ry * dx;
        if (across > radius || across < -radius) continue;
        const body = candidates[c]!;
        const bounds = body.bounds;
        if (bounds && !rayEntersBox(ox, oy, dx, dy, best + BOX_MARGIN, bounds)) continue;
        const circle = body.circle;
        if (circle) {
          const t = rayCircle(ox, oy, dx, dy, circle);
          if (t <= best) {
            best = t;
            bestTag = this.candidateTags[c]!;
          }
          continue;
        }
        const parts = body.parts;
        const compound = parts !== undefined && parts.length > 1;
        for (let p = compound ? 1 : 0; p < (compound ? parts.length : 1); p++) {
          const vertices = compound ? parts[p]!.vertices : body.vertices;
          if (!vertices) continue;
          const t = rayPolygon(ox, oy, dx, dy, vertices);
          if (t <= best) {
            best = t;
            bestTag = candidateTags[c]!;
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

  /** The rays' unit directions for `heading`: ray r at `start + r·step`, as the fan is documented. */
  private computeDirections(heading: number): void {
    const { opts, directions } = this;
    const full = opts.arc >= 2 * Math.PI;
    const step = full ? (2 * Math.PI) / opts.rays : opts.rays > 1 ? opts.arc / (opts.rays - 1) : 0;
    const start = full || opts.rays === 1 ? heading : heading - opts.arc / 2;
    for (let r = 0; r < opts.rays; r++) {
      const angle = start + r * step;
      directions[2 * r] = Math.cos(angle);
      directions[2 * r + 1] = Math.sin(angle);
    }
    this.directionsHeading = heading;
  }

  /** The bodies of this cast from origin (ox, oy): their tags and circles (see {@link circles}). */
  private collectCandidates(ox: number, oy: number): void {
    const { tags, onlyTagged } = this.opts;
    const { candidates, candidateTags } = this;
    candidates.length = 0;
    candidateTags.length = 0;
    for (const body of this.opts.bodies()) {
      if (this.ignore.has(body)) continue;
      const plugin = body.plugin as { tag?: unknown } | undefined;
      const name = typeof plugin?.tag === 'string' ? plugin.tag : body.label;
      const tag = name === undefined ? -1 : tags.indexOf(name);
      if (onlyTagged && tag < 0) continue;
      const c = candidates.length;
      candidates.push(body);
      candidateTags.push(tag);
      if (this.circles.length < 3 * (c + 1)) {
        const grown = new Float64Array(2 * this.circles.length);
        grown.set(this.circles);
        this.circles = grown;
      }
      const b = body.bounds;
      if (!b) {
        this.circles[3 * c] = 0;
        this.circles[3 * c + 1] = 0;
        this.circles[3 * c + 2] = Infinity;
        continue;
      }
      // Half the grown box's diagonal, plus a slack far above the rounding of the tests above
      // (pixels: coordinates of 1e3 round at ~1e-13), so the circle never rejects what the box would take.
      const hw = (b.max.x - b.min.x) / 2 + BOX_MARGIN;
      const hh = (b.max.y - b.min.y) / 2 + BOX_MARGIN;
      this.circles[3 * c] = (b.min.x + b.max.x) / 2 - ox;
      this.circles[3 * c + 1] = (b.min.y + b.max.y) / 2 - oy;
      this.circles[3 * c + 2] = Math.sqrt(hw * hw + hh * hh) + CIRCLE_SLACK;
    }
  }
}
