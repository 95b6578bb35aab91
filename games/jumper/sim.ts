/**
 * Jumper: a ball runs along a ledge and must jump a gap to reach the flag on the far side.
 * Falling into the gap ends the round; the gap's width is an environment parameter (`gapWidth`),
 * read when a round begins, so a curriculum can start narrow and widen it. Pure matter-js + rules,
 * no Phaser, so it runs headless exactly as under a view.
 *
 * Units are Matter's: pixels and 1/60 s steps (velocities in px per step).
 */
import Matter from 'matter-js';
import { directMatterClock } from '../../sdk/scene/matter-clock.js';

// Every Engine.update reads Matter's clock twice: not through the shim's `window` (see matter-clock.ts).
directMatterClock(Matter);

export const JUMPER = {
  width: 800,
  height: 450,
  /** Top of both ledges. */
  groundY: 360,
  groundDepth: 80,
  /** The near ledge ends (and the gap begins) here. */
  gapStart: 380,
  /** Widest gap the world is built for (the far ledge moves; the flag stays `flagBeyond` past the gap). */
  maxGap: 200,
  /** The flag stands this far past the far edge of the gap. */
  flagBeyond: 40,
  radius: 10,
  /** The ball starts in [startMin, startMax). */
  startMin: 40,
  startMax: 120,
  /** Top running speed, px per step; the fraction of the gap to it closed per step (momentum). */
  runSpeed: 4,
  steer: 0.2,
  /** Upward speed of a jump, px per step (~43 steps in the air: ~170 px at full speed). */
  jumpSpeed: 6,
  /**
   * Share of its running speed a ball keeps when it lands: hopping along never builds speed, so
   * only a run-up on the ground and one well-timed jump clears a wide gap.
   */
  landingKeep: 0.2,
  stepMs: 1000 / 60,
} as const;

/** What the ball is told to do each tick: 0 run left, 1 run right, 2 jump (from the ground; keeps running as it was). */
export type JumperMove = 0 | 1 | 2;

export class JumperWorld {
  readonly engine: Matter.Engine;
  readonly ball: Matter.Body;
  readonly near: Matter.Body;
  readonly far: Matter.Body;
  /** The gap of this round, px. */
  gap = 0;
  move: JumperMove = 1;
  /** Which way the ball runs: -1 left, +1 right (a jump keeps it). */
  private heading = 1;
  private wasGrounded = true;
  /** Reused for every velocity change: no allocation per tick. */
  private readonly velocity = { x: 0, y: 0 };
  /** The round ended: the ball reached the flag, or fell. */
  reached = false;
  fell = false;
  ticks = 0;

  constructor() {
    const J = JUMPER;
    this.engine = Matter.Engine.create({ gravity: { x: 0, y: 1 } });
    const nearWidth = J.gapStart + 200;
    // The near ledge extends left off-screen so the ball cannot fall off its back.
    this.near = Matter.Bodies.rectangle(J.gapStart - nearWidth / 2, J.groundY + J.groundDepth / 2, nearWidth, J.groundDepth, { isStatic: true, label: 'ground', friction: 0 });
    this.far = Matter.Bodies.rectangle(0, J.groundY + J.groundDepth / 2, J.width, J.groundDepth, { isStatic: true, label: 'ground', friction: 0 });
    this.ball = Matter.Bodies.circle(J.startMin, J.groundY - J.radius, J.radius, { label: 'jumper', friction: 0, frictionAir: 0, frictionStatic: 0, restitution: 0, inertia: Infinity });
    Matter.Composite.add(this.engine.world, [this.near, this.far, this.ball]);
  }

  /** Where the far ledge begins. */
  get farEdge(): number {
    return JUMPER.gapStart + this.gap;
  }

  get flagX(): number {
    return this.farEdge + JUMPER.flagBeyond;
  }

  /** On a ledge (its bottom resting on the ground's top, not in the gap). */
  get grounded(): boolean {
    const J = JUMPER;
    const { x, y } = this.ball.position;
    const overGround = x <= J.gapStart + J.radius * 0.5 || x >= this.farEdge - J.radius * 0.5;
    return overGround && y >= J.groundY - J.radius - 1.5 && Math.abs(this.ball.velocity.y) < 0.5;
  }

  /** Begins a round with a gap of `gap` px (clamped to [0, maxGap]) and the ball at `start`. */
  reset(gap: number, start: number): void {
    const J = JUMPER;
    this.gap = Math.min(J.maxGap, Math.max(0, gap));
    Matter.Body.setPosition(this.far, { x: this.farEdge + J.width / 2, y: J.groundY + J.groundDepth / 2 });
    Matter.Body.setPosition(this.ball, { x: start, y: J.groundY - J.radius });
    Matter.Body.setVelocity(this.ball, { x: 0, y: 0 });
    this.heading = 1;
    this.wasGrounded = true;
    this.move = 1;
    this.reached = false;
    this.fell = false;
    this.ticks = 0;
  }

  /** One fixed step: run or jump as `move` says, then physics, then the round's end. */
  step(): void {
    const J = JUMPER;
    const b = this.ball;
    const grounded = this.grounded;
    if (grounded && !this.wasGrounded) this.setVelocity(b.velocity.x * J.landingKeep, b.velocity.y);
    this.wasGrounded = grounded;
    if (this.move === 2) {
      if (grounded) this.setVelocity(b.velocity.x, -J.jumpSpeed);
    } else {
      this.heading = this.move === 0 ? -1 : 1;
    }
    // Steering works on the ground only: in the air the ball keeps its momentum.
    if (grounded) this.setVelocity(b.velocity.x + (this.heading * J.runSpeed - b.velocity.x) * J.steer, b.velocity.y);
    Matter.Engine.update(this.engine, J.stepMs);
    this.ticks++;
    if (b.position.x >= this.flagX) this.reached = true;
    else if (b.position.y > J.groundY + J.radius) this.fell = true;
  }

  private setVelocity(x: number, y: number): void {
    this.velocity.x = x;
    this.velocity.y = y;
    Matter.Body.setVelocity(this.ball, this.velocity);
  }
}
