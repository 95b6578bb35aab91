/**
 * Balance: a Matter cart-pole. A cart slides on a horizontal track; a pole is pinned to it by a
 * hinge constraint; pushing the cart left or right keeps the pole up. Pure matter-js + rules, no
 * Phaser, so it runs headless (Node, a worker) exactly as it runs under the Phaser view.
 *
 * Units are Matter's: pixels and 1/60 s steps. Everything the view draws comes from here.
 */
import Matter from 'matter-js';
import type { Rng } from '../../sdk/core/rng.js';
import { directMatterClock } from '../../sdk/scene/matter-clock.js';

// Every Engine.update reads Matter's clock twice: not through the shim's `window` (see matter-clock.ts).
directMatterClock(Matter);

export const BALANCE = {
  width: 800,
  height: 450,
  trackY: 320,
  /** The cart may move this far either side of the centre before the episode ends. */
  trackHalfWidth: 300,
  cartWidth: 90,
  cartHeight: 24,
  poleLength: 140,
  poleWidth: 10,
  /** Velocity change (px/step) of one push. */
  push: 0.6,
  /** Fall angle that ends the episode (12°, as gym's CartPole). */
  maxAngle: (12 * Math.PI) / 180,
  /** Fixed physics step in ms. */
  stepMs: 1000 / 60,
} as const;

export class BalanceSim {
  readonly engine: Matter.Engine;
  readonly cart: Matter.Body;
  readonly pole: Matter.Body;
  readonly hinge: Matter.Constraint;
  /** Where the track is centred (the cart's home). */
  readonly centerX = BALANCE.width / 2;

  constructor() {
    this.engine = Matter.Engine.create({ gravity: { x: 0, y: 1, scale: 0.001 }, enableSleeping: false });
    const { trackY, cartWidth, cartHeight, poleLength, poleWidth } = BALANCE;
    this.cart = Matter.Bodies.rectangle(this.centerX, trackY, cartWidth, cartHeight, {
      label: 'cart', friction: 0, frictionAir: 0, collisionFilter: { group: -1 },
    });
    // The cart rides a rail: no rotation, and its height is held in step().
    Matter.Body.setInertia(this.cart, Infinity);
    Matter.Body.setMass(this.cart, 10);
    this.pole = Matter.Bodies.rectangle(this.centerX, trackY - poleLength / 2, poleWidth, poleLength, {
      label: 'pole', friction: 0, frictionAir: 0, collisionFilter: { group: -1 },
    });
    Matter.Body.setMass(this.pole, 1);
    this.hinge = Matter.Constraint.create({
      bodyA: this.cart, pointA: { x: 0, y: 0 }, bodyB: this.pole, pointB: { x: 0, y: poleLength / 2 }, length: 0, stiffness: 1,
    });
    Matter.Composite.add(this.engine.world, [this.cart, this.pole, this.hinge]);
  }

  /** Starts an episode: cart centred, pole nearly upright with a small random tilt and spin. */
  reset(rng: Rng): void {
    const { trackY, poleLength } = BALANCE;
    const x = this.centerX + rng.uniform(-20, 20);
    const angle = rng.uniform(-0.05, 0.05);
    Matter.Body.setPosition(this.cart, { x, y: trackY });
    Matter.Body.setVelocity(this.cart, { x: rng.uniform(-0.3, 0.3), y: 0 });
    Matter.Body.setAngle(this.pole, angle);
    Matter.Body.setPosition(this.pole, { x: x + Math.sin(angle) * poleLength / 2, y: trackY - Math.cos(angle) * poleLength / 2 });
    Matter.Body.setVelocity(this.pole, { x: 0, y: 0 });
    Matter.Body.setAngularVelocity(this.pole, rng.uniform(-0.005, 0.005));
  }

  /** Pushes the cart: -1 left, 0 nothing, +1 right. */
  push(direction: -1 | 0 | 1): void {
    if (direction === 0) return;
    Matter.Body.setVelocity(this.cart, { x: this.cart.velocity.x + direction * BALANCE.push, y: 0 });
  }

  /** Advances the world by one fixed step. */
  step(): void {
    Matter.Engine.update(this.engine, BALANCE.stepMs);
    // Hold the cart on its rail (Matter has no prismatic joint).
    Matter.Body.setPosition(this.cart, { x: this.cart.position.x, y: BALANCE.trackY });
    Matter.Body.setVelocity(this.cart, { x: this.cart.velocity.x, y: 0 });
  }

  /** The pole's tilt from upright, radians (positive leans right). */
  get poleAngle(): number {
    return this.pole.angle;
  }

  /** The cart's offset from the track centre, px. */
  get cartOffset(): number {
    return this.cart.position.x - this.centerX;
  }

  /** The pole fell past 12° or the cart left the track. */
  get failed(): boolean {
    return Math.abs(this.poleAngle) > BALANCE.maxAngle || Math.abs(this.cartOffset) > BALANCE.trackHalfWidth;
  }
}
