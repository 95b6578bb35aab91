/**
 * Chase without a view, for fast mode, tests and the CLI. A HeadlessGame copy holds one agent, but
 * chasers hunt in packs: consecutive copies share an arena, `CHASE_PACK` chasers each, and the
 * first copy of each pack steps the arena and judges the whole pack (the others' step is empty).
 * The FastTrainer applies every agent's action before it steps any copy, so this is the same order
 * the scene uses. Use a multiple of CHASE_PACK copies; a remainder makes a smaller last pack.
 */
import type { HeadlessGame } from '../../sdk/runtime/fast-trainer.js';
import { BehaviorRunner } from '../../sdk/adapter/runner.js';
import type { Brain } from '../../sdk/io/brain.js';
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

let pack: ChasePack | null = null;

export const chaseGame: HeadlessGame = {
  name: 'chase',
  createCopy(index, seed) {
    const slot = index % CHASE_PACK;
    if (slot === 0 || !pack) pack = new ChasePack(seed * 1000 + index);
    const p = pack;
    const agent = p.addChaser(`chaser-${index}`);
    return { agent, step: slot === 0 ? () => p.step() : () => {} };
  },
  observationSize: CHASE_OBSERVATIONS,
  actionSpec: CHASE_ACTIONS,
  // CleanRL's defaults with a quicker learning rate, normalized observations (rays are sparse
  // one-hots) and rewards, and a shorter horizon (γ 0.97 over 0.1 s decisions ≈ 3 s): the shaping
  // pays at once, the catch within seconds. 16 copies (4 packs; `numEnvs` is the copy count the
  // FastTrainer is given) × 128 decisions = 2,048 transitions per update.
  config: { numEnvs: 16, numSteps: 128, learningRate: 1e-3, gamma: 0.97, gaeLambda: 0.9, normalizeObs: true, normalizeReward: true, totalSteps: 240_000 },
  // Mean chaser return: ≥ 0 means most rounds end in a catch within ~5 s; random chasers ≈ -9.4.
  solvedAt: 0,
};

export interface PackEvaluation {
  rounds: number;
  /** Mean return per chaser and round. */
  returnMean: number;
  /** Fraction of rounds that ended in a catch. */
  catchRate: number;
  /** Mean round length in ticks. */
  ticksMean: number;
}

/**
 * Plays `rounds` rounds of one pack with `brain` (sampled actions: with rays only, a chaser that
 * always does the likeliest thing can get stuck facing a wall; chance unsticks it). The CLI's
 * `evaluateGame` plays one copy, which here would be a lone chaser.
 */
export function evaluatePack(brain: Brain, rounds: number, seed: number): PackEvaluation {
  const pack = new ChasePack(seed);
  for (let i = 0; i < CHASE_PACK; i++) pack.addChaser(`eval-${i}`);
  const returns: number[] = [];
  const runner = new BehaviorRunner({
    name: 'chase', observationSize: CHASE_OBSERVATIONS, actionSpec: CHASE_ACTIONS, type: 'inference', inferenceAction: 'sample', config: brain.config,
    onEpisodeEnd: (e) => returns.push(e.return),
  }, () => ({ params: brain.params, version: brain.policyVersion, observationStats: brain.observationStats }));
  for (const a of pack.agents) runner.addAgent(a);
  let catches = 0;
  let ticks = 0;
  while (returns.length < rounds * CHASE_PACK) {
    runner.tick();
    const before = pack.arena.caught;
    pack.step();
    if (!before && pack.arena.caught) catches++;
    ticks++;
  }
  return {
    rounds,
    returnMean: returns.reduce((s, r) => s + r, 0) / returns.length,
    catchRate: catches / rounds,
    ticksMean: ticks / rounds,
  };
}

export default chaseGame;
