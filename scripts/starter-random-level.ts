/**
 * The starter game's random level, for the bar in e2e/package.spec.ts: templates/starter's
 * dynamics (a frictionless Matter ball on a rail, pushes of 0.5 px/step capped at 6, air friction
 * 0.02, walls at both ends; reward = progress/400 − 1/300 per step, +1 on arrival within 24 px,
 * cut at 300 steps) replayed with matter-js in Node under a uniform random policy.
 *
 *   npx tsx scripts/starter-random-level.ts      → mean return, 95th percentile, share arriving
 */
import Matter from 'matter-js';
import { Rng } from '../sdk/core/rng.js';

const W = 800, PUSH = 0.5, VMAX = 6, ARRIVE = 24, MAX_STEPS = 300, EPISODES = 400;
const engine = Matter.Engine.create({ gravity: { x: 0, y: 0, scale: 0 } });
const ball = Matter.Bodies.circle(W / 2, 200, 14, { friction: 0, frictionAir: 0.02, restitution: 0.5 });
const walls = [Matter.Bodies.rectangle(-20, 200, 40, 400, { isStatic: true }), Matter.Bodies.rectangle(W + 20, 200, 40, 400, { isStatic: true })];
Matter.Composite.add(engine.world, [ball, ...walls]);

const rng = new Rng(7);
const returns: number[] = [];
let arrived = 0;
for (let ep = 0; ep < EPISODES; ep++) {
  const x = rng.uniform(60, W - 60);
  let target: number;
  do target = rng.uniform(60, W - 60);
  while (Math.abs(target - x) < 200);
  Matter.Body.setPosition(ball, { x, y: 200 });
  Matter.Body.setVelocity(ball, { x: 0, y: 0 });
  let last = Math.abs(target - x);
  let ret = 0;
  for (let t = 0; t < MAX_STEPS; t++) {
    const push = (Math.floor(rng.uniform(0, 3)) - 1) * PUSH;
    Matter.Body.setVelocity(ball, { x: Math.max(-VMAX, Math.min(VMAX, ball.velocity.x + push)), y: 0 });
    Matter.Engine.update(engine, 1000 / 60);
    const d = Math.abs(target - ball.position.x);
    ret += (last - d) / 400 - 1 / MAX_STEPS;
    last = d;
    if (d < ARRIVE) {
      ret += 1;
      arrived++;
      break;
    }
  }
  returns.push(ret);
}
returns.sort((a, b) => a - b);
const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
console.log(`random policy, ${EPISODES} episodes: mean return ${mean.toFixed(2)}, p95 ${returns[Math.floor(0.95 * EPISODES)]!.toFixed(2)}, arrived ${(100 * arrived / EPISODES).toFixed(0)}%`);
