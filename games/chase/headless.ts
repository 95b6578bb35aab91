/**
 * Chase without a view, for fast mode, tests and the CLI: one copy is one arena with its whole
 * pack of `CHASE_PACK` chasers (one behavior), the same `ChasePack` the scene runs.
 */
import type { OneBehaviorGame } from '../../sdk/runtime/game.js';
import { Rng } from '../../sdk/core/rng.js';
import { CHASE_ACTIONS, CHASE_OBSERVATIONS, ChaserAgent } from './agent.js';
import { ChaseArena } from './sim.js';

/** Chasers per arena. */
export const CHASE_PACK = 4;

/** One arena and its pack: what a headless copy group and the scene both run. */
export class ChasePack {
  readonly arena: ChaseArena;
  readonly agents: ChaserAgent[] = [];

  constructor(private readonly seed: number) {
    this.arena = new ChaseArena(new Rng(seed));
  }

  /** Adds a chaser with its own seeded randomness (used by its scripted heuristic). */
  addChaser(name: string): ChaserAgent {
    const agent = new ChaserAgent(this.arena, new Rng(this.seed * 31 + this.agents.length + 1), name);
    this.agents.push(agent);
    return agent;
  }

  /** One fixed step of the arena, then every chaser's reward. */
  step(): void {
    this.arena.step();
    for (const a of this.agents) a.judge();
  }
}

/** The chasers' behavior: one brain for every chaser of every pack. */
const chasers = {
  name: 'chase',
  observationSize: CHASE_OBSERVATIONS,
  actionSpec: CHASE_ACTIONS,
  // CleanRL's defaults with a quicker learning rate, normalized observations (rays are sparse
  // one-hots) and rewards, and a shorter horizon (γ 0.97 over 0.1 s decisions ≈ 3 s): the shaping
  // pays at once, the catch within seconds. 16 chasers × 128 decisions = 2,048 transitions per update.
  config: { numEnvs: 16, numSteps: 128, learningRate: 1e-3, gamma: 0.97, gaeLambda: 0.9, normalizeObs: true, normalizeReward: true, totalSteps: 240_000 },
  // Mean chaser return: ≥ 0 means most rounds end in a catch within ~5 s; random chasers ≈ -9.4.
  solvedAt: 0,
  // The chasers' heuristic is a scripted pursuit: `record chase` records it.
  scriptedHeuristic: true,
};

export const chaseGame: OneBehaviorGame = {
  ...chasers,
  behaviors: [chasers],
  // 4 arenas × 4 chasers = 16 agents, the rollout's columns.
  copies: 4,
  createCopy(index, seed, ctx) {
    // Seeded as when each chaser was its own copy (copy k·CHASE_PACK held pack k's arena).
    const first = index * CHASE_PACK;
    const pack = new ChasePack(seed * 1000 + first);
    for (let i = 0; i < CHASE_PACK; i++) ctx.addAgent(chasers.name, pack.addChaser(`chaser-${first + i}`));
    return pack;
  },
};

export default chaseGame;
