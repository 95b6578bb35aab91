/** One ring and its two wrestlers: what the scene draws (several) and a headless copy runs (one). */
import { Rng } from '../../sdk/core/rng.js';
import { SumoAgent } from './agent.js';
import { SumoRing, type SumoOutcome } from './sim.js';

export class SumoMatch {
  readonly ring: SumoRing;
  readonly agents: readonly [SumoAgent, SumoAgent];

  constructor(seed: number, names: [string, string] = ['sumo-0', 'sumo-1']) {
    this.ring = new SumoRing(new Rng(seed));
    this.agents = [new SumoAgent(this.ring, 0, names[0]), new SumoAgent(this.ring, 1, names[1])];
  }

  /** One tick; a decided match ends both wrestlers' episodes and the next one starts. Returns how this tick ended the match ('running': it goes on). */
  step(): SumoOutcome {
    this.ring.step();
    const outcome = this.ring.outcome;
    if (outcome === 'running') return outcome;
    for (const a of this.agents) a.judge();
    this.ring.reset();
    return outcome;
  }
}
