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
