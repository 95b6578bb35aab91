/**
 * Position, velocity, angle and angular velocity of a Matter body, seen from a reference body or
 * frame. An agent that sees the world relative to itself generalizes across the arena: "target
 * ahead and to the left" means the same wherever both stand.
 *
 * Reads plain fields, never calls Matter: matter-js's `Matter.Body` and Phaser's bundled
 * `MatterJS.BodyType` both fit {@link BodyStateSource}. Velocities are in Matter's units as its
 * fields hold them: distance per physics step (with a fixed 1000/60 ms step, px per 1/60 s).
 */
import { EnvError } from '../core/errors.js';
import type { Sensor } from './sensor.js';

export interface Vec2 { readonly x: number; readonly y: number }

/** The fields of a Matter body this sensor reads. */
export interface BodyStateSource {
  readonly position: Vec2;
  readonly velocity: Vec2;
  readonly angle: number;
  readonly angularVelocity: number;
}

/** A fixed frame: origin and orientation (radians, Matter's convention). */
export interface Frame { readonly x: number; readonly y: number; readonly angle: number }

/** Which quantities to observe; sizes: position 2, velocity 2, angle 2 (cos, sin), angularVelocity 1. */
export type BodyStateField = 'position' | 'velocity' | 'angle' | 'angularVelocity';

export interface BodyStateSensorOptions {
  /**
   * The frame the state is expressed in: a body (moving frame: its position, angle, velocity and
   * angular velocity are subtracted), a fixed frame, or a function returning one each decision.
   * Default: the world frame.
   */
  reference?: BodyStateSource | Frame | (() => Frame);
  /** Quantities to write, in this order. Default: all four, in the order listed in {@link BodyStateField}. */
  fields?: readonly BodyStateField[];
  /** Multipliers so values land near [-1, 1], e.g. `{ position: 1 / 400 }`. Default 1. */
  scale?: { position?: number; velocity?: number; angularVelocity?: number };
}

const FIELD_SIZE: Record<BodyStateField, number> = { position: 2, velocity: 2, angle: 2, angularVelocity: 1 };
const ALL_FIELDS: readonly BodyStateField[] = ['position', 'velocity', 'angle', 'angularVelocity'];

/**
 * A body's state in a reference frame. With reference angle θ, a world vector `w` becomes
 * `(w·(cos θ, sin θ), w·(−sin θ, cos θ))`: x along the reference's facing, y 90° from it (clockwise
 * on a y-down screen). Angles are written as `(cos φ, sin φ)` of the relative angle φ, which has
 * no jump at ±π. Velocity is relative to a reference body's velocity, without the rotating-frame
 * term ω × r.
 *
 * @example
 * // Where the ball is and how it moves, as the paddle sees it; 400 px → 1.
 * agent.addSensor(new BodyStateSensor('ball', ball, { reference: paddle, fields: ['position', 'velocity'], scale: { position: 1 / 400, velocity: 1 / 10 } }));
 */
export class BodyStateSensor implements Sensor {
  readonly size: number;
  readonly fields: readonly BodyStateField[];
  private readonly reference: BodyStateSensorOptions['reference'];
  private readonly posScale: number;
  private readonly velScale: number;
  private readonly angVelScale: number;

  constructor(readonly name: string, readonly body: BodyStateSource, opts: BodyStateSensorOptions = {}) {
    this.fields = [...(opts.fields ?? ALL_FIELDS)];
    if (this.fields.length === 0) throw new EnvError(`BodyStateSensor('${name}'): fields is empty; list at least one of ${ALL_FIELDS.join(', ')}`);
    for (const [i, f] of this.fields.entries()) {
      if (!(f in FIELD_SIZE)) throw new EnvError(`BodyStateSensor('${name}'): unknown field '${String(f)}'; use ${ALL_FIELDS.join(', ')}`);
      if (this.fields.indexOf(f) !== i) throw new EnvError(`BodyStateSensor('${name}'): field '${f}' is listed twice`);
    }
    this.size = this.fields.reduce((s, f) => s + FIELD_SIZE[f], 0);
    this.reference = opts.reference;
    this.posScale = opts.scale?.position ?? 1;
    this.velScale = opts.scale?.velocity ?? 1;
    this.angVelScale = opts.scale?.angularVelocity ?? 1;
  }

  write(out: Float32Array, offset: number): void {
    const ref = this.reference;
    let rx = 0, ry = 0, ra = 0, rvx = 0, rvy = 0, rw = 0;
    if (typeof ref === 'function') {
      const f = ref();
      rx = f.x; ry = f.y; ra = f.angle;
    } else if (ref && 'position' in ref) {
      rx = ref.position.x; ry = ref.position.y; ra = ref.angle;
      rvx = ref.velocity.x; rvy = ref.velocity.y; rw = ref.angularVelocity;
    } else if (ref) {
      rx = ref.x; ry = ref.y; ra = ref.angle;
    }
    const c = Math.cos(ra);
    const s = Math.sin(ra);
    const b = this.body;
    let o = offset;
    for (const f of this.fields) {
      switch (f) {
        case 'position': {
          const dx = b.position.x - rx;
          const dy = b.position.y - ry;
          out[o++] = (dx * c + dy * s) * this.posScale;
          out[o++] = (-dx * s + dy * c) * this.posScale;
          break;
        }
        case 'velocity': {
          const dx = b.velocity.x - rvx;
          const dy = b.velocity.y - rvy;
          out[o++] = (dx * c + dy * s) * this.velScale;
          out[o++] = (-dx * s + dy * c) * this.velScale;
          break;
        }
        case 'angle':
          out[o++] = Math.cos(b.angle - ra);
          out[o++] = Math.sin(b.angle - ra);
          break;
        case 'angularVelocity':
          out[o++] = (b.angularVelocity - rw) * this.angVelScale;
          break;
      }
    }
  }

  reset(): void {}
}
