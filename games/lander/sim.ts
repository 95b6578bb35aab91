/**
 * Lander: a Matter craft with two thrusters (left and right engine, under the hull) must set down
 * softly on a pad under gravity. Firing one engine harder than the other turns the craft, so
 * steering and braking share the same two throttles. Pure matter-js + rules, no Phaser, so it runs
 * headless (Node, a worker) exactly as it runs under the Phaser view.
 *
 * Units are Matter's: pixels and 1/60 s steps (velocities in px per step). The view draws
 * everything from here.
 */
import Matter from 'matter-js';
import type { Rng } from '../../sdk/core/rng.js';
import { directMatterClock } from '../../sdk/scene/matter-clock.js';

// Every Engine.update reads Matter's clock twice: not through the shim's `window` (see matter-clock.ts).
directMatterClock(Matter);

export const LANDER = {
  width: 800,
  height: 450,
  /** Top surface of the ground. */
  groundY: 410,
  /** The pad sits on the ground, centred in the part of the view the overlay panel leaves free. */
  padX: 516,
  padWidth: 120,
  padHeight: 8,
  hullWidth: 36,
  hullHeight: 20,
  /** Legs hang from the hull's bottom corners; feet are this far below the hull's centre. */
  legSpread: 15,
  legLength: 12,
  /** Engines push along the craft's "up" from points this far either side of the centre. */
  engineOffset: 14,
  /** Matter gravity scale: 0.0005 gives 0.14 px/step² (half Matter's default), a gentle moon. */
  gravityScale: 0.0005,
  /** One engine at full throttle lifts this fraction of the craft's weight (both: twice this). */
  enginePower: 0.85,
  /** Linear and angular air drag (Matter's frictionAir): keeps a random spin from running away. */
  drag: 0.01,
  /** A touch-down faster than this (px/step) is a crash. */
  crashSpeed: 3,
  /** Resting: both feet down, slower than this (px/step), tilted less than `restAngle`. */
  restSpeed: 0.4,
  restAngle: 0.35,
  /** Consecutive resting ticks that count as landed. */
  restTicks: 15,
  /** Tilt (radians) past which the craft cannot recover: a crash. */
  maxTilt: 1.5,
  /** Fixed physics step in ms. */
  stepMs: 1000 / 60,
} as const;

/** How an episode ended, or `flying`. */
export type LanderOutcome = 'flying' | 'landed' | 'landedOffPad' | 'crashed';

export class LanderSim {
  readonly engine: Matter.Engine;
  readonly craft: Matter.Body;
  readonly hull: Matter.Body;
  readonly legs: readonly [Matter.Body, Matter.Body];
  readonly ground: Matter.Body;
  readonly pad: Matter.Body;
  /** Throttles in [0, 1] the next step applies (set by the agent or a human). */
  throttle: [number, number] = [0, 0];
  /** Feet touching the ground or the pad during the last step. */
  readonly legContact: [boolean, boolean] = [false, false];
  outcome: LanderOutcome = 'flying';
  private restFor = 0;
  private hullHit = false;
  private hardContact = false;
  private groundContact = false;

  constructor() {
    const L = LANDER;
    this.engine = Matter.Engine.create({ gravity: { x: 0, y: 1, scale: L.gravityScale }, enableSleeping: false });
    const x = L.padX;
    const y = 100;
    this.hull = Matter.Bodies.rectangle(x, y, L.hullWidth, L.hullHeight, { label: 'hull' });
    // Legs overlap the hull by 2 px so the compound reads as one piece.
    const legY = y + L.hullHeight / 2 + L.legLength / 2 - 2;
    const legL = Matter.Bodies.rectangle(x - L.legSpread, legY, 4, L.legLength, { label: 'legL' });
    const legR = Matter.Bodies.rectangle(x + L.legSpread, legY, 4, L.legLength, { label: 'legR' });
    this.legs = [legL, legR];
    this.craft = Matter.Body.create({ parts: [this.hull, legL, legR], label: 'craft', frictionAir: L.drag, friction: 0.9, restitution: 0 });
    this.ground = Matter.Bodies.rectangle(L.width / 2, L.groundY + 40, L.width * 2, 80, { isStatic: true, label: 'ground', friction: 0.9 });
    this.pad = Matter.Bodies.rectangle(L.padX, L.groundY - L.padHeight / 2, L.padWidth, L.padHeight, { isStatic: true, label: 'pad', friction: 0.9 });
    Matter.Composite.add(this.engine.world, [this.ground, this.pad, this.craft]);
    const touch = (e: Matter.IEventCollision<Matter.Engine>) => {
      for (const pair of e.pairs) this.onContact(pair.bodyA, pair.bodyB, e.name === 'collisionStart');
    };
    Matter.Events.on(this.engine, 'collisionStart', touch);
    Matter.Events.on(this.engine, 'collisionActive', touch);
  }

  /** Where the feet rest when the craft stands level on the pad: the frame the agent sees from. */
  get padTop(): { x: number; y: number; angle: number } {
    return { x: LANDER.padX, y: LANDER.groundY - LANDER.padHeight, angle: 0 };
  }

  /** Starts an episode: the craft high above the ground, off to a random side, drifting and tilted a little. */
  reset(rng: Rng): void {
    const c = this.craft;
    Matter.Body.setAngle(c, rng.uniform(-0.2, 0.2));
    Matter.Body.setPosition(c, { x: Math.min(LANDER.width - 50, Math.max(280, LANDER.padX + rng.uniform(-240, 240))), y: rng.uniform(70, 130) });
    Matter.Body.setVelocity(c, { x: rng.uniform(-1.5, 1.5), y: rng.uniform(0, 1) });
    Matter.Body.setAngularVelocity(c, rng.uniform(-0.01, 0.01));
    this.throttle = [0, 0];
    this.legContact[0] = this.legContact[1] = false;
    this.outcome = 'flying';
    this.restFor = 0;
  }

  /** Advances the world by one fixed step with the current throttles, then judges the outcome. */
  step(): void {
    if (this.outcome !== 'flying') return;
    const c = this.craft;
    const L = LANDER;
    // Both engines push along the craft's up (-y rotated by its angle) from either side of centre;
    // Matter turns the off-centre force into torque.
    const up = { x: Math.sin(c.angle), y: -Math.cos(c.angle) };
    const side = { x: Math.cos(c.angle), y: Math.sin(c.angle) };
    const full = c.mass * L.gravityScale * L.enginePower;
    for (let e = 0; e < 2; e++) {
      const t = Math.min(1, Math.max(0, this.throttle[e]!));
      if (t === 0) continue;
      const s = e === 0 ? -L.engineOffset : L.engineOffset;
      const at = { x: c.position.x + side.x * s, y: c.position.y + side.y * s };
      Matter.Body.applyForce(c, at, { x: up.x * full * t, y: up.y * full * t });
    }
    this.legContact[0] = this.legContact[1] = false;
    this.hullHit = false;
    this.hardContact = false;
    this.groundContact = false;
    Matter.Engine.update(this.engine, L.stepMs);
    this.judge();
  }

  /** Speed in px per step. */
  get speed(): number {
    return Math.hypot(this.craft.velocity.x, this.craft.velocity.y);
  }

  private judge(): void {
    const c = this.craft;
    const L = LANDER;
    const out = c.position.x < 0 || c.position.x > L.width || c.position.y < -100;
    if (this.hullHit || this.hardContact || out || Math.abs(c.angle) > L.maxTilt) {
      this.outcome = 'crashed';
      return;
    }
    // The ground beside the pad is rough terrain: touching it ends the flight, without the bonus.
    if (this.groundContact) {
      this.outcome = 'landedOffPad';
      return;
    }
    const resting = this.legContact[0] && this.legContact[1] && this.speed < L.restSpeed && Math.abs(c.angle) < L.restAngle;
    this.restFor = resting ? this.restFor + 1 : 0;
    if (this.restFor >= L.restTicks) this.outcome = 'landed';
  }

  private onContact(a: Matter.Body, b: Matter.Body, starting: boolean): void {
    const craftPart = a.parent === this.craft ? a : b.parent === this.craft ? b : null;
    if (!craftPart) return;
    if ((craftPart === a ? b : a) === this.ground) this.groundContact = true;
    if (craftPart === this.hull) this.hullHit = true;
    else this.legContact[craftPart === this.legs[0] ? 0 : 1] = true;
    // Velocity is the one from before the solver stopped the craft: the impact speed.
    if (starting && this.speed > LANDER.crashSpeed) this.hardContact = true;
  }
}
