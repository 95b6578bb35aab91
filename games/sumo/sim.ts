/**
 * Sumo: two discs in a round ring; each pushes, and whoever leaves the ring first loses. The world
 * is symmetric (same bodies, same moves), so one brain plays both sides: a game for self-play.
 * Plain arithmetic, no physics engine: it runs the same in Node, a worker and under the scene.
 *
 * Units: the ring's radius is 1; velocities are ring radii per tick (a tick is 1/30 s).
 */
import type { Rng } from '../../sdk/core/rng.js';

export const SUMO = {
  ringRadius: 1,
  discRadius: 0.15,
  /** Speed gained per tick when pushing (ring radii per tick²). */
  accel: 0.004,
  /** Velocity kept per tick (friction). */
  damping: 0.92,
  /** Normal velocity kept (reversed) in a collision: 0 sticks, 1 bounces. */
  restitution: 0.6,
  /** Starting distance of each disc from the centre. */
  start: 0.5,
  /**
   * A match still on after this many ticks (10 s) goes to the wrestler nearer the centre (a draw
   * only when both are as near), so every match is decided.
   */
  maxTicks: 300,
} as const;

/** Stay, or one of eight compass directions (index 1 is +x, then counter-clockwise). */
export const SUMO_MOVES: readonly { x: number; y: number }[] = [
  { x: 0, y: 0 },
  ...Array.from({ length: 8 }, (_, k) => ({ x: Math.cos((k * Math.PI) / 4), y: Math.sin((k * Math.PI) / 4) })),
];

/** One disc: position, velocity and the move it makes each tick. */
export interface Wrestler { x: number; y: number; vx: number; vy: number; move: number }

/** How a match ended: who left the ring (both in the same tick is a draw), or who was nearer the centre at the bell. */
export type SumoOutcome = 'running' | 'win0' | 'win1' | 'draw';

export class SumoRing {
  readonly wrestlers: readonly [Wrestler, Wrestler] = [
    { x: 0, y: 0, vx: 0, vy: 0, move: 0 },
    { x: 0, y: 0, vx: 0, vy: 0, move: 0 },
  ];
  ticks = 0;
  outcome: SumoOutcome = 'running';

  constructor(private readonly rng: Rng) {
    this.reset();
  }

  /** A new match: the two discs face each other across the centre, at a random angle. */
  reset(): void {
    const a = this.rng.uniform(0, 2 * Math.PI);
    const [p, q] = this.wrestlers;
    Object.assign(p, { x: SUMO.start * Math.cos(a), y: SUMO.start * Math.sin(a), vx: 0, vy: 0, move: 0 });
    Object.assign(q, { x: -p.x, y: -p.y, vx: 0, vy: 0, move: 0 });
    this.ticks = 0;
    this.outcome = 'running';
  }

  /** One tick: pushes, friction, the discs' collision, and the ring-out rule. */
  step(): void {
    const [p, q] = this.wrestlers;
    for (const w of this.wrestlers) {
      const m = SUMO_MOVES[w.move]!;
      w.vx = (w.vx + SUMO.accel * m.x) * SUMO.damping;
      w.vy = (w.vy + SUMO.accel * m.y) * SUMO.damping;
      w.x += w.vx;
      w.y += w.vy;
    }
    // Equal masses: the closing normal velocity is exchanged (damped by restitution), and the
    // overlap is split evenly.
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const d = Math.hypot(dx, dy);
    const gap = 2 * SUMO.discRadius - d;
    if (gap > 0 && d > 1e-9) {
      const nx = dx / d;
      const ny = dy / d;
      const closing = (p.vx - q.vx) * nx + (p.vy - q.vy) * ny;
      if (closing > 0) {
        const j = ((1 + SUMO.restitution) / 2) * closing;
        p.vx -= j * nx; p.vy -= j * ny;
        q.vx += j * nx; q.vy += j * ny;
      }
      p.x -= (gap / 2) * nx; p.y -= (gap / 2) * ny;
      q.x += (gap / 2) * nx; q.y += (gap / 2) * ny;
    }
    this.ticks++;
    const out0 = Math.hypot(p.x, p.y) > SUMO.ringRadius;
    const out1 = Math.hypot(q.x, q.y) > SUMO.ringRadius;
    this.outcome = out0 && out1 ? 'draw' : out0 ? 'win1' : out1 ? 'win0' : this.ticks >= SUMO.maxTicks ? this.byPosition() : 'running';
  }

  /** At the bell: the wrestler nearer the centre wins. */
  private byPosition(): SumoOutcome {
    const [p, q] = this.wrestlers;
    const d0 = Math.hypot(p.x, p.y);
    const d1 = Math.hypot(q.x, q.y);
    return d0 < d1 ? 'win0' : d1 < d0 ? 'win1' : 'draw';
  }
}
