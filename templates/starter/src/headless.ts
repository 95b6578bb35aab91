/**
 * The game without a view, for `npx phaser-ppo train src/headless.ts` (and `eval`): each copy is
 * one lane of the scene, the same ReachAgent on a matter-js ball with the scene's body options,
 * walls and fixed step. Copies run as fast as the CPU allows, with the learner in the same process;
 * the brain it writes plays in the game (`type: 'inference'`, or load it to keep training live).
 */
import Matter from 'matter-js';
import { oneAgentGame } from 'phaser-ppo';
import { REACH, REACH_ACTIONS, REACH_BALL, REACH_CONFIG, REACH_OBSERVATIONS, ReachAgent } from './reach-agent.js';

/** The scene's fixed physics step (the PPO plugin's default `stepMs`). */
const STEP_MS = 1000 / 60;
/** Phaser's `world.setBounds` walls: 64 px thick, just outside the rail. */
const WALL = 64;
const Y = 25;

export const reachGame = oneAgentGame({
  name: 'reach',
  // The scene's 8 lanes are 8 copies here.
  copies: 8,
  build(index, seed) {
    const engine = Matter.Engine.create({ gravity: { x: 0, y: 0, scale: 0 } });
    const { radius, ...options } = REACH_BALL;
    const ball = Matter.Bodies.circle(REACH.width / 2, Y, radius, options);
    const walls = [-WALL / 2, REACH.width + WALL / 2].map((x) => Matter.Bodies.rectangle(x, Y, WALL, 2 * Y + WALL, { isStatic: true }));
    Matter.Composite.add(engine.world, [ball, ...walls]);
    // The scene seeds lane i with 100 + i; copies add the run's seed so runs differ.
    const agent = new ReachAgent({ matter: { body: Matter.Body } }, ball, seed * 1000 + 100 + index);
    return {
      agent,
      step: () => {
        Matter.Engine.update(engine, STEP_MS);
        agent.judge();
      },
    };
  },
  observationSize: REACH_OBSERVATIONS,
  actionSpec: REACH_ACTIONS,
  config: { ...REACH_CONFIG, totalSteps: 60_000 },
  // A random ball scores about −0.64 per round; a trained one about 1.6.
  solvedAt: 1.0,
});

export default reachGame;
