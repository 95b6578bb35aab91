/**
 * Chase without a view, for fast mode, tests and the CLI: one copy is one arena with its whole
 * pack of `CHASE_PACK` chasers, the same `ChasePack` the scene runs. Two games:
 *
 * - `chaseRivalsGame` (the default export, what `train chase` trains): two behaviors, the pack
 *   (`chase`) and the runner (`runner`), each its own brain, both learning against each other;
 *   a runner behavior in heuristic mode is the scripted runner;
 * - `chaseGame`: the pack alone against the scripted runner (what the gallery's fast mode and
 *   the pack's learning test train).
 */
import type { GameBehavior, HeadlessGame, OneBehaviorGame } from '../../sdk/runtime/game.js';
import { Rng } from '../../sdk/core/rng.js';
import { CHASE_ACTIONS, CHASE_OBSERVATIONS, ChaserAgent } from './agent.js';
import { RUNNER_ACTIONS, RUNNER_OBSERVATIONS, RunnerAgent } from './runner.js';
import { ChaseArena } from './sim.js';

/** Chasers per arena. */
export const CHASE_PACK = 4;

/** One arena and its pack (and, in the rivals game, its runner agent): what a headless copy group and the scene both run. */
export class ChasePack {
  readonly arena: ChaseArena;
  readonly agents: ChaserAgent[] = [];
  /** The runner agent, when the runner is a behavior (see {@link addRunner}). */
  runner: RunnerAgent | null = null;

  constructor(private readonly seed: number) {
    this.arena = new ChaseArena(new Rng(seed));
  }

  /** Adds a chaser with its own seeded randomness (used by its scripted heuristic). */
  addChaser(name: string): ChaserAgent {
    const agent = new ChaserAgent(this.arena, new Rng(this.seed * 31 + this.agents.length + 1), name);
    this.agents.push(agent);
    return agent;
  }

  /** Makes the runner an agent (its heuristic is the script). */
  addRunner(name: string): RunnerAgent {
    this.runner = new RunnerAgent(this.arena, name);
    return this.runner;
  }

  /** One fixed step of the arena, then every chaser's reward, then the runner's. */
  step(): void {
    this.arena.step();
    for (const a of this.agents) a.judge();
    this.runner?.judge();
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

/**
 * The runner's behavior: one runner per arena. Its transitions come 4× slower than the pack's
 * (1 runner, 4 chasers), so its schedule is a quarter as long: both anneal over the same ticks.
 * γ 0.99 (a ~10 s horizon): surviving is paid over the whole 15 s round.
 */
export const runnerBehavior: GameBehavior & { solvedAt: number } = {
  name: 'runner',
  observationSize: RUNNER_OBSERVATIONS,
  actionSpec: RUNNER_ACTIONS,
  config: { numEnvs: 4, numSteps: 128, learningRate: 1e-3, gamma: 0.99, gaeLambda: 0.95, normalizeObs: true, normalizeReward: true, totalSteps: 60_000 },
  // Mean runner return ≥ 0: it survives most of a round on average (caught at once ≈ -10, escaped ≈ +9).
  solvedAt: 0,
};

/** Seeded as when each chaser was its own copy (copy k·CHASE_PACK held pack k's arena). */
function packOf(index: number, seed: number): { pack: ChasePack; first: number } {
  const first = index * CHASE_PACK;
  return { pack: new ChasePack(seed * 1000 + first), first };
}

/** The pack alone against the scripted runner. */
export const chaseGame: OneBehaviorGame = {
  ...chasers,
  behaviors: [chasers],
  // 4 arenas × 4 chasers = 16 agents, the rollout's columns.
  copies: 4,
  createCopy(index, seed, ctx) {
    const { pack, first } = packOf(index, seed);
    for (let i = 0; i < CHASE_PACK; i++) ctx.addAgent(chasers.name, pack.addChaser(`chaser-${first + i}`));
    return pack;
  },
};

/**
 * Rivals: the pack and the runner, two behaviors with their own brains. Trained together (each
 * behavior its own learner) both sides learn against the other's current policy; evaluated with
 * one side's brain, the other side plays its brain (`others`) or its heuristic (the scripted
 * runner, the scripted pursuit).
 */
export const chaseRivalsGame: HeadlessGame & { solvedAt: number } = {
  name: 'chase',
  behaviors: [chasers, runnerBehavior],
  solvedAt: chasers.solvedAt,
  copies: 4,
  createCopy(index, seed, ctx) {
    const { pack, first } = packOf(index, seed);
    for (let i = 0; i < CHASE_PACK; i++) ctx.addAgent(chasers.name, pack.addChaser(`chaser-${first + i}`));
    ctx.addAgent(runnerBehavior.name, pack.addRunner(`runner-${index}`));
    return pack;
  },
};

export default chaseRivalsGame;
