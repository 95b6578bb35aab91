/**
 * Chase: an arena with walls and a few obstacles, a runner, and a pack of chasers. The runner is
 * scripted (it flees the nearest chasers, with a random wander) unless a player steers it. A chaser
 * touching the runner catches it, which ends the round for the whole pack. Pure matter-js + rules,
 * no Phaser, so it runs headless (Node, a worker) exactly as it runs under the Phaser view.
 *
 * Units are Matter's: pixels and 1/60 s steps (velocities in px per step). The arena sits right of
 * the strip the overlay panel uses, so world coordinates are screen coordinates.
 */
import Matter from 'matter-js';
import type { Rng } from '../../sdk/core/rng.js';
import { directMatterClock } from '../../sdk/scene/matter-clock.js';

// Every Engine.update reads Matter's clock twice: not through the shim's `window` (see matter-clock.ts).
directMatterClock(Matter);

export const CHASE = {
  width: 800,
  height: 450,
  /** Inner bounds of the arena (the walls lie outside them). */
  left: 240,
  top: 10,
  right: 790,
  bottom: 440,
  wallThickness: 20,
  /** Static obstacles: [centre x, centre y, width, height]. */
  obstacles: [
    [390, 130, 90, 24],
    [640, 120, 24, 110],
    [515, 260, 70, 70],
    [360, 340, 24, 100],
    [680, 340, 110, 24],
  ] as readonly (readonly [number, number, number, number])[],
  chaserRadius: 11,
  runnerRadius: 14,
  /**
   * Top speeds, px per step. A chaser is a little faster, but the runner turns away from whoever
   * comes: a straight chase wins slowly, cornering and dashing win fast.
   */
  chaserSpeed: 2.4,
  runnerSpeed: 2.0,
  /** A dash: this speed for `dashTicks`, then `dashCooldown` ticks before the next. */
  dashSpeed: 5,
  dashTicks: 12,
  dashCooldown: 90,
  /** Fraction of the gap to the wanted velocity closed per step: momentum, not instant turns. */
  steer: 0.25,
  /** A chaser this close (centre gap minus radii, px) catches the runner. */
  catchGap: 3,
  /** The scripted runner only reacts to chasers within this distance. */
  runnerSight: 260,
  /** Fixed physics step in ms. */
  stepMs: 1000 / 60,
} as const;

/** Eight compass directions and "stay", as unit vectors (y down): index 0 stays, 1 is up, then clockwise. */
export const DIRECTIONS: readonly { x: number; y: number }[] = [
  { x: 0, y: 0 },
  ...Array.from({ length: 8 }, (_, k) => ({ x: Math.sin((k * Math.PI) / 4), y: -Math.cos((k * Math.PI) / 4) })),
];

export interface Chaser {
  readonly body: Matter.Body;
  /** Index into {@link DIRECTIONS} the chaser is moving in. */
  move: number;
  /** Ticks left of the current dash. */
  dashing: number;
  /** Ticks until the chaser may dash again. */
  cooldown: number;
  /** Distance to the runner after the last step, px. */
  distance: number;
  /** How much that distance shrank in the last step, px (negative: it grew). */
  closed: number;
}

export class ChaseArena {
  readonly engine: Matter.Engine;
  readonly runner: Matter.Body;
  readonly walls: Matter.Body[] = [];
  readonly chasers: Chaser[] = [];
  /** Every body a ray can hit: walls and obstacles (label `wall`), the runner, the chasers. */
  readonly bodies: Matter.Body[] = [];
  /**
   * Who steers the runner: the script (every tick), a player through {@link playerInput}, or a
   * learning agent through {@link commandRunner} (its move holds between its decisions).
   */
  runnerControl: 'script' | 'player' | 'agent' = 'script';
  /** The runner agent's move (index into {@link DIRECTIONS}), its dash ticks left and its cooldown. */
  readonly runnerState = { move: 0, dashing: 0, cooldown: 0 };
  /** The player's arrow keys: a direction, (0, 0) to stand still. */
  playerInput = { x: 0, y: 0 };
  /** A chaser caught the runner in the last step. */
  caught = false;
  /** Index of the chaser that caught it, -1 if none. */
  catcher = -1;
  /** Ticks since the last reset. */
  ticks = 0;
  /** Rounds begun; the view shows it. */
  round = 0;
  private wander = 0;
  /** Scratch vectors reused every tick (steps allocate nothing): the runner's heading, a body's new velocity. */
  private readonly heading = { x: 0, y: 0 };
  private readonly velocity = { x: 0, y: 0 };

  constructor(private readonly rng: Rng) {
    const C = CHASE;
    this.engine = Matter.Engine.create({ gravity: { x: 0, y: 0 } });
    const t = C.wallThickness;
    const w = C.right - C.left;
    const h = C.bottom - C.top;
    const wall = (x: number, y: number, ww: number, hh: number) => Matter.Bodies.rectangle(x, y, ww, hh, { isStatic: true, label: 'wall' });
    this.walls.push(
      wall(C.left + w / 2, C.top - t / 2, w + 2 * t, t),
      wall(C.left + w / 2, C.bottom + t / 2, w + 2 * t, t),
      wall(C.left - t / 2, C.top + h / 2, t, h),
      wall(C.right + t / 2, C.top + h / 2, t, h),
      ...C.obstacles.map(([x, y, ow, oh]) => wall(x, y, ow, oh)),
    );
    this.runner = this.disc(C.runnerRadius, 'runner');
    Matter.Composite.add(this.engine.world, [...this.walls, this.runner]);
    this.bodies.push(...this.walls, this.runner);
  }

  /** Adds a chaser; call before the first reset. Returns its index. */
  addChaser(): number {
    const body = this.disc(CHASE.chaserRadius, 'chaser');
    Matter.Composite.add(this.engine.world, body);
    this.bodies.push(body);
    this.chasers.push({ body, move: 0, dashing: 0, cooldown: 0, distance: 0, closed: 0 });
    return this.chasers.length - 1;
  }

  /**
   * Begins a round: the runner and chasers at random free spots, chasers at least 180 px from the
   * runner. Every chaser's agent calls it when its episode begins; only the first call after the
   * world has moved resets it, so the pack shares one round.
   */
  beginRound(): void {
    if (this.round > 0 && this.ticks === 0) return;
    const C = CHASE;
    const placed: { x: number; y: number }[] = [];
    const runnerAt = this.freeSpot(C.runnerRadius, placed, null);
    this.place(this.runner, runnerAt);
    placed.push(runnerAt);
    for (const c of this.chasers) {
      const at = this.freeSpot(C.chaserRadius, placed, runnerAt);
      this.place(c.body, at);
      placed.push(at);
      c.move = 0;
      c.dashing = 0;
      c.cooldown = 0;
      c.distance = Math.hypot(at.x - runnerAt.x, at.y - runnerAt.y);
      c.closed = 0;
    }
    this.runnerState.move = 0;
    this.runnerState.dashing = 0;
    this.runnerState.cooldown = 0;
    this.wander = this.rng.uniform(0, 2 * Math.PI);
    this.caught = false;
    this.catcher = -1;
    this.ticks = 0;
    this.round++;
  }

  /** Chaser `i` may start a dash now. */
  canDash(i: number): boolean {
    const c = this.chasers[i]!;
    return c.cooldown === 0 && c.dashing === 0;
  }

  /** Chaser `i` moves in direction `move` (see {@link DIRECTIONS}) and dashes if asked and able. */
  command(i: number, move: number, dash: boolean): void {
    const c = this.chasers[i]!;
    c.move = move;
    if (dash && this.canDash(i)) {
      c.dashing = CHASE.dashTicks;
      c.cooldown = CHASE.dashCooldown;
    }
  }

  /** The runner agent may start a dash now. */
  runnerCanDash(): boolean {
    return this.runnerState.cooldown === 0 && this.runnerState.dashing === 0;
  }

  /** The runner agent moves in direction `move` (see {@link DIRECTIONS}) and dashes if asked and able; it also takes the runner from the script. */
  commandRunner(move: number, dash: boolean): void {
    this.runnerControl = 'agent';
    const r = this.runnerState;
    r.move = move;
    if (dash && this.runnerCanDash()) {
      r.dashing = CHASE.dashTicks;
      r.cooldown = CHASE.dashCooldown;
    }
  }

  /** Advances the world by one fixed step and checks for a catch. */
  step(): void {
    const C = CHASE;
    for (const c of this.chasers) {
      const d = DIRECTIONS[c.move]!;
      this.steer(c.body, d.x, d.y, c.dashing > 0 ? C.dashSpeed : C.chaserSpeed);
      if (c.dashing > 0) c.dashing--;
      else if (c.cooldown > 0) c.cooldown--;
    }
    if (this.runnerControl === 'agent') {
      // The learning runner has the chasers' dash (same speed, length and cooldown); the script has none.
      const rs = this.runnerState;
      const d = DIRECTIONS[rs.move]!;
      this.steer(this.runner, d.x, d.y, rs.dashing > 0 ? C.dashSpeed : C.runnerSpeed);
      if (rs.dashing > 0) rs.dashing--;
      else if (rs.cooldown > 0) rs.cooldown--;
    } else {
      const r = this.runnerDirection();
      this.steer(this.runner, r.x, r.y, C.runnerSpeed);
    }
    Matter.Engine.update(this.engine, C.stepMs);
    this.ticks++;
    const reach = C.chaserRadius + C.runnerRadius + C.catchGap;
    const rp = this.runner.position;
    for (let i = 0; i < this.chasers.length; i++) {
      const c = this.chasers[i]!;
      const d = Math.hypot(c.body.position.x - rp.x, c.body.position.y - rp.y);
      c.closed = c.distance - d;
      c.distance = d;
      if (c.distance <= reach && !this.caught) {
        this.caught = true;
        this.catcher = i;
      }
    }
  }

  /**
   * The scripted runner: away from the chasers it sees (nearer ones count more), off the walls,
   * wandering. Returns a shared vector, valid until the next call.
   */
  private runnerDirection(): { readonly x: number; readonly y: number } {
    if (this.runnerControl === 'player') return this.playerInput;
    const C = CHASE;
    const p = this.runner.position;
    let fx = 0;
    let fy = 0;
    for (const c of this.chasers) {
      const dx = p.x - c.body.position.x;
      const dy = p.y - c.body.position.y;
      const d = Math.hypot(dx, dy);
      if (d > C.runnerSight || d === 0) continue;
      // Unit vector away, weighted 1/d: the nearest chaser dominates.
      fx += dx / (d * d) * 100;
      fy += dy / (d * d) * 100;
    }
    // Walls push back within 50 px, harder the closer; obstacles likewise from their outline.
    const margin = WALL_MARGIN;
    const push = wallPush;
    fx += push(p.x - C.left) - push(C.right - p.x);
    fy += push(p.y - C.top) - push(C.bottom - p.y);
    for (let k = 0; k < C.obstacles.length; k++) {
      const o = C.obstacles[k]!;
      const ox = o[0], oy = o[1], ow = o[2], oh = o[3];
      const nx = Math.max(ox - ow / 2, Math.min(p.x, ox + ow / 2));
      const ny = Math.max(oy - oh / 2, Math.min(p.y, oy + oh / 2));
      const dx = p.x - nx;
      const dy = p.y - ny;
      const d = Math.hypot(dx, dy);
      if (d > 0 && d < margin) {
        fx += (dx / d) * push(d);
        fy += (dy / d) * push(d);
      }
    }
    this.wander += this.rng.uniform(-0.3, 0.3);
    fx += Math.cos(this.wander) * 0.35;
    fy += Math.sin(this.wander) * 0.35;
    const n = Math.hypot(fx, fy);
    this.heading.x = n > 0 ? fx / n : 0;
    this.heading.y = n > 0 ? fy / n : 0;
    return this.heading;
  }

  private steer(body: Matter.Body, dx: number, dy: number, speed: number): void {
    const n = Math.hypot(dx, dy);
    const tx = n > 0 ? (dx / n) * speed : 0;
    const ty = n > 0 ? (dy / n) * speed : 0;
    const k = CHASE.steer;
    // setVelocity reads the vector's x and y and keeps no reference to it.
    this.velocity.x = body.velocity.x + (tx - body.velocity.x) * k;
    this.velocity.y = body.velocity.y + (ty - body.velocity.y) * k;
    Matter.Body.setVelocity(body, this.velocity);
  }

  private disc(radius: number, label: string): Matter.Body {
    const body = Matter.Bodies.circle(0, 0, radius, { label, frictionAir: 0, friction: 0, restitution: 0.2, inertia: Infinity });
    return body;
  }

  private place(body: Matter.Body, at: { x: number; y: number }): void {
    Matter.Body.setPosition(body, at);
    Matter.Body.setVelocity(body, { x: 0, y: 0 });
  }

  /** A random spot clear of walls, obstacles and `placed` discs, and ≥ 180 px from `awayFrom`. */
  private freeSpot(radius: number, placed: readonly { x: number; y: number }[], awayFrom: { x: number; y: number } | null): { x: number; y: number } {
    const C = CHASE;
    const m = radius + 4;
    for (let tries = 0; ; tries++) {
      const x = this.rng.uniform(C.left + m, C.right - m);
      const y = this.rng.uniform(C.top + m, C.bottom - m);
      const clear = C.obstacles.every(([ox, oy, ow, oh]) => Math.abs(x - ox) > ow / 2 + m || Math.abs(y - oy) > oh / 2 + m)
        && placed.every((q) => Math.hypot(q.x - x, q.y - y) > 2 * m + 10);
      const far = !awayFrom || tries > 200 || Math.hypot(awayFrom.x - x, awayFrom.y - y) >= 180;
      if ((clear && far) || tries > 1000) return { x, y };
    }
  }
}

/** Px from a wall or obstacle within which it pushes the scripted runner away. */
const WALL_MARGIN = 50;

/** The push away from a wall `gap` px off: 1 at the wall, 0 from {@link WALL_MARGIN} on. */
function wallPush(gap: number): number {
  return gap < WALL_MARGIN ? (WALL_MARGIN - gap) / WALL_MARGIN : 0;
}
