/**
 * The bundled games as their sims alone, without Phaser: what their headless copies were before
 * they ran the scenes (sceneGame). bench/games.ts measures both paths side by side; nothing else
 * trains from these.
 */
import { Rng } from '../sdk/core/rng.js';
import { oneAgentGame, type OneBehaviorGame } from '../sdk/runtime/game.js';
import { balanceCart } from '../games/balance/cart.js';
import { BALANCE_ACTIONS, BALANCE_CONFIG } from '../games/balance/agent.js';
import { LANDER_ACTIONS, LANDER_CONFIG, LANDER_OBSERVATIONS, LanderAgent } from '../games/lander/agent.js';
import { LanderSim } from '../games/lander/sim.js';
import { CHASE_ACTIONS, CHASE_CONFIG, CHASE_OBSERVATIONS } from '../games/chase/agent.js';
import { CHASE_PACK, ChasePack } from '../games/chase/pack.js';
import { SUMO_ACTIONS, SUMO_CONFIG, SUMO_OBSERVATIONS } from '../games/sumo/agent.js';
import { SumoMatch } from '../games/sumo/match.js';
import { JUMPER_ACTIONS, JUMPER_CONFIG, JUMPER_OBSERVATIONS, JumperAgent } from '../games/jumper/agent.js';
import { JUMPER_CURRICULUM } from '../games/jumper/curriculum.js';
import { JumperWorld } from '../games/jumper/sim.js';
import { RUNNER_ACTIONS, RUNNER_CONFIG, RUNNER_OBSERVATIONS } from '../games/chase/runner.js';
import type { HeadlessGame } from '../sdk/runtime/game.js';

export const balanceSimGame = oneAgentGame({ name: 'balance', observationSize: 0, actionSpec: BALANCE_ACTIONS, config: BALANCE_CONFIG, solvedAt: 450, copies: 8, build: balanceCart });

export const landerSimGame = oneAgentGame({
  name: 'lander', observationSize: LANDER_OBSERVATIONS, actionSpec: LANDER_ACTIONS, config: LANDER_CONFIG, solvedAt: 200, copies: 8,
  build(index, seed) {
    const sim = new LanderSim();
    const agent = new LanderAgent(sim, new Rng(seed * 1000 + index), `craft-${index}`);
    return { agent, step: () => { sim.step(); agent.judge(); } };
  },
});

const chasers = { name: 'chase', observationSize: CHASE_OBSERVATIONS, actionSpec: CHASE_ACTIONS, config: CHASE_CONFIG, solvedAt: 0 };
export const chaseSimGame: OneBehaviorGame = {
  ...chasers, behaviors: [chasers], copies: 4,
  createCopy(index, seed, ctx) {
    const first = index * CHASE_PACK;
    const pack = new ChasePack(seed * 1000 + first);
    for (let i = 0; i < CHASE_PACK; i++) ctx.addAgent(chasers.name, pack.addChaser(`chaser-${first + i}`));
    return pack;
  },
};

/** Sumo's rings alone (SumoMatch), one per copy, seeded as the scene's copies (sumo/headless.ts). */
const sumoBehavior = { name: 'sumo', observationSize: SUMO_OBSERVATIONS, actionSpec: SUMO_ACTIONS, config: SUMO_CONFIG };
export const sumoSimGame: OneBehaviorGame = {
  ...sumoBehavior, behaviors: [sumoBehavior], copies: 16, solvedAt: NaN,
  createCopy(index, seed, ctx) {
    const match = new SumoMatch(seed * 1000 + index, [`sumo-${index}a`, `sumo-${index}b`]);
    for (const a of match.agents) ctx.addAgent(sumoBehavior.name, a);
    return match;
  },
};

/** Jumper's worlds alone (JumperWorld), one per copy, seeded as the scene's copies (jumper/headless.ts). */
const jumperBehavior = { name: 'jumper', observationSize: JUMPER_OBSERVATIONS, actionSpec: JUMPER_ACTIONS, config: JUMPER_CONFIG, solvedAt: 0.8 };
export const jumperSimGame: OneBehaviorGame = {
  ...jumperBehavior, behaviors: [jumperBehavior], copies: 16, environmentParameters: JUMPER_CURRICULUM,
  createCopy(index, seed, ctx) {
    const world = new JumperWorld();
    const agent = new JumperAgent(world, ctx.params, new Rng(seed * 1000 + index), `jumper-${index}`);
    ctx.addAgent(jumperBehavior.name, agent);
    return { step: () => { world.step(); agent.judge(); } };
  },
};

const runner = { name: 'runner', observationSize: RUNNER_OBSERVATIONS, actionSpec: RUNNER_ACTIONS, config: RUNNER_CONFIG, solvedAt: 0 };
/** Chase's rivals (the pack and a runner agent per arena) on ChasePack alone: what chaseRivalsGame was before it ran the scene. */
export const chaseRivalsSimGame: HeadlessGame = {
  name: 'chase', behaviors: [{ ...chasers, scriptedHeuristic: true }, runner], copies: 4,
  createCopy(index, seed, ctx) {
    const first = index * CHASE_PACK;
    const pack = new ChasePack(seed * 1000 + first);
    for (let i = 0; i < CHASE_PACK; i++) ctx.addAgent(chasers.name, pack.addChaser(`chaser-${first + i}`));
    ctx.addAgent(runner.name, pack.addRunner(`runner-${index}`));
    return pack;
  },
};
