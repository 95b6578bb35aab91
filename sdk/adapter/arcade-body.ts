/**
 * Arcade Physics bodies for the sensors: {@link arcadeBody} lets a `BodyStateSensor` (and a
 * `RayCastSensor`'s `from`) read an Arcade body, {@link arcadeRayTargets} lets a `RayCastSensor`'s
 * rays hit Arcade bodies.
 *
 * Reads plain fields, never calls Phaser (the adapter stays engine-agnostic): Phaser's
 * `Phaser.Physics.Arcade.Body` and `StaticBody` both fit {@link ArcadeBodyLike}. Units are
 * Arcade's: position is the body's centre in px, velocity px per second (Matter's is per step),
 * angle and angular velocity in radians (Arcade keeps degrees). Arcade collides axis-aligned boxes
 * and circles, whatever a sprite's rotation, so the rays see the same shapes Arcade collides.
 */
import type { BodyStateSource, Vec2 } from './body-state-sensor.js';
import type { RayCastBody } from './ray-cast-sensor.js';

/** The fields of an Arcade body (dynamic or static) read here. */
export interface ArcadeBodyLike {
  /** Top-left corner, px. */
  readonly position: Vec2;
  /** Centre, px. */
  readonly center: Vec2;
  /** px per second. */
  readonly velocity: Vec2;
  readonly width: number;
  readonly height: number;
  /** A circle's radius as Arcade collides it (`halfWidth`, not `radius`: Arcade scales and floors it). */
  readonly halfWidth: number;
  readonly isCircle: boolean;
  /** Degrees (dynamic bodies; a static body has none: 0). */
  readonly rotation?: number;
  /** Degrees per second (dynamic bodies; 0 otherwise). */
  readonly angularVelocity?: number;
  /** A disabled body is not hit by rays, as Arcade does not collide it. */
  readonly enable?: boolean;
  /** Its game object's `name` is its ray tag (`sprite.setName('coin')`). */
  readonly gameObject?: { readonly name?: string } | null;
}

/** Where {@link arcadeRayTargets} finds bodies: an Arcade world (`this.physics.world`) or a list. */
export type ArcadeBodies =
  | { readonly bodies: ArcadeBodySet; readonly staticBodies: ArcadeBodySet }
  | (() => ArcadeBodySet);

/** A Set or an array of bodies: read with `forEach` (no iterator object per cast). */
export interface ArcadeBodySet {
  forEach(visit: (body: ArcadeBodyLike) => void): void;
}

const DEG = Math.PI / 180;

/**
 * One Arcade body seen as both a body-state source and a ray target. One view per body (see
 * {@link arcadeBody}), so a ray fan `from: arcadeBody(me)` never hits `me`: the sensor ignores its
 * origin, and the origin is the very view the targets hold. Vertices, bounds and circle are
 * rewritten in place when read: no allocation per cast.
 */
class ArcadeBodyView implements BodyStateSource, RayCastBody {
  private readonly corners: { x: number; y: number }[] = [{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 0 }];
  private readonly box = { min: { x: 0, y: 0 }, max: { x: 0, y: 0 } };
  private readonly round = { x: 0, y: 0, radius: 0 };

  constructor(readonly body: ArcadeBodyLike) {}

  get position(): Vec2 {
    return this.body.center;
  }

  get velocity(): Vec2 {
    return this.body.velocity;
  }

  get angle(): number {
    return (this.body.rotation ?? 0) * DEG;
  }

  get angularVelocity(): number {
    return (this.body.angularVelocity ?? 0) * DEG;
  }

  get label(): string | undefined {
    const name = this.body.gameObject?.name;
    return name ? name : undefined;
  }

  get vertices(): readonly Vec2[] | undefined {
    if (this.body.isCircle) return undefined;
    const { x, y } = this.body.position;
    const { width: w, height: h } = this.body;
    const c = this.corners;
    c[0]!.x = x; c[0]!.y = y;
    c[1]!.x = x + w; c[1]!.y = y;
    c[2]!.x = x + w; c[2]!.y = y + h;
    c[3]!.x = x; c[3]!.y = y + h;
    return c;
  }

  get bounds(): { readonly min: Vec2; readonly max: Vec2 } {
    const b = this.body;
    const box = this.box;
    if (b.isCircle) {
      box.min.x = b.center.x - b.halfWidth; box.min.y = b.center.y - b.halfWidth;
      box.max.x = b.center.x + b.halfWidth; box.max.y = b.center.y + b.halfWidth;
    } else {
      box.min.x = b.position.x; box.min.y = b.position.y;
      box.max.x = b.position.x + b.width; box.max.y = b.position.y + b.height;
    }
    return box;
  }

  get circle(): { readonly x: number; readonly y: number; readonly radius: number } | undefined {
    const b = this.body;
    if (!b.isCircle) return undefined;
    this.round.x = b.center.x;
    this.round.y = b.center.y;
    this.round.radius = b.halfWidth;
    return this.round;
  }
}

/** The one view of each body (a body that is destroyed goes with its view). */
const VIEWS = new WeakMap<ArcadeBodyLike, ArcadeBodyView>();

function viewOf(body: ArcadeBodyLike): ArcadeBodyView {
  let view = VIEWS.get(body);
  if (!view) {
    view = new ArcadeBodyView(body);
    VIEWS.set(body, view);
  }
  return view;
}

/**
 * An Arcade body as a {@link BodyStateSource}: its centre, velocity (px/s), angle and angular
 * velocity (radians). Use it as a `BodyStateSensor`'s body or reference, or a `RayCastSensor`'s
 * `from`. The same body always gives the same object.
 *
 * @example
 * import { BodyStateSensor, arcadeBody } from 'phaser-ppo';
 * // where the coin is and how it moves, as the player sees it; 400 px → 1, 200 px/s → 1
 * agent.addSensor(new BodyStateSensor('coin', arcadeBody(coin.body), { reference: arcadeBody(player.body),
 *   fields: ['position', 'velocity'], scale: { position: 1 / 400, velocity: 1 / 200 } }));
 */
export function arcadeBody(body: ArcadeBodyLike): BodyStateSource & RayCastBody {
  return viewOf(body);
}

/**
 * The bodies a `RayCastSensor` casts against, from an Arcade world (its dynamic and static bodies)
 * or a function listing bodies: pass it as the sensor's `bodies`. Boxes are the bodies' axis-aligned
 * rectangles, circles (`setCircle`) are exact circles; disabled bodies are not hit. A body's tag is
 * its game object's `name`.
 *
 * @example
 * import { RayCastSensor, arcadeBody, arcadeRayTargets } from 'phaser-ppo';
 * wall.setName('wall'); coin.setName('coin');
 * agent.addSensor(new RayCastSensor('eyes', { from: arcadeBody(player.body), bodies: arcadeRayTargets(this.physics.world),
 *   rays: 8, arc: 2 * Math.PI, maxLength: 300, tags: ['wall', 'coin'] }));
 */
export function arcadeRayTargets(source: ArcadeBodies): () => readonly RayCastBody[] {
  const out: RayCastBody[] = [];
  const collect = (body: ArcadeBodyLike): void => {
    if (body && body.enable !== false) out.push(viewOf(body));
  };
  return () => {
    out.length = 0;
    if (typeof source === 'function') {
      source().forEach(collect);
    } else {
      source.bodies.forEach(collect);
      source.staticBodies.forEach(collect);
    }
    return out;
  };
}
