/** One arena and its pack of chasers: what the chase scene runs (in the page and in each headless copy). */
import { Rng } from '../../sdk/core/rng.js';
import { ChaserAgent } from './agent.js';
import { RunnerAgent } from './runner.js';
import { ChaseArena } from './sim.js';

/** Chasers per arena. */
export const CHASE_PACK = 4;

/** One arena and its pack (and, in the rivals game, its runner agent). */
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
