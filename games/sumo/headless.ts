/**
 * Sumo without a view, for fast mode, tests and the CLI: one copy is one ring with its two
 * wrestlers, both in the `sumo` behavior (teams 0 and 1). Trained with self-play: the learning
 * team plays snapshots of its own past weights (`config.selfPlay`).
 */
import { Rng } from '../../sdk/core/rng.js';
import type { HeadlessGame, GameBehavior } from '../../sdk/runtime/game.js';
import { SUMO_ACTIONS, SUMO_OBSERVATIONS, SumoAgent } from './agent.js';
import { SumoRing } from './sim.js';

/** One ring and its two wrestlers. */
export class SumoMatch {
  readonly ring: SumoRing;
  readonly agents: readonly [SumoAgent, SumoAgent];

  constructor(seed: number, names: [string, string] = ['sumo-0', 'sumo-1']) {
    this.ring = new SumoRing(new Rng(seed));
    this.agents = [new SumoAgent(this.ring, 0, names[0]), new SumoAgent(this.ring, 1, names[1])];
  }

  /** One tick; a decided match ends both wrestlers' episodes and the next one starts. */
  step(): void {
    this.ring.step();
    if (this.ring.outcome === 'running') return;
    for (const a of this.agents) a.judge();
    this.ring.reset();
  }
}

const sumo: GameBehavior = {
  name: 'sumo',
  observationSize: SUMO_OBSERVATIONS,
  actionSpec: SUMO_ACTIONS,
  // 16 rings: 16 learning wrestlers × 64 decisions = 1,024 transitions per update. Self-play
  // counts are scaled to this small game (ML-Agents' defaults suit runs of millions of steps).
  config: {
    numEnvs: 16, numSteps: 64, learningRate: 1e-3, gamma: 0.98, gaeLambda: 0.95, entCoef: 0.01, totalSteps: 204_800,
    selfPlay: { saveSteps: 10_240, window: 10, swapSteps: 2_048, teamChange: 51_200, playAgainstLatestModelRatio: 0.5 },
  },
  // No solvedAt: against itself the mean return hovers near 0 however well it plays; ELO and
  // games against a frozen snapshot (evaluateGame's `opponent`) measure progress instead.
};

export const sumoGame: HeadlessGame = {
  behaviors: [sumo],
  name: 'sumo',
  copies: 16,
  createCopy(index, seed, ctx) {
    const match = new SumoMatch(seed * 1000 + index, [`sumo-${index}a`, `sumo-${index}b`]);
    for (const a of match.agents) ctx.addAgent(sumo.name, a);
    return match;
  },
};

export default sumoGame;
