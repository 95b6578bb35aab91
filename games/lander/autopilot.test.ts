import { describe, it, expect } from 'vitest';
import { Rng } from '../../sdk/core/rng.js';
import { LANDER_DECISION_PERIOD, LANDER_MAX_STEPS, landerAutopilot } from './agent.js';
import { LanderSim, type LanderOutcome } from './sim.js';

describe('lander autopilot (the scripted heuristic record records)', () => {
  it('lands on the pad in every one of 40 seeded episodes (random throttles crash in ~2.4 s)', () => {
    const sim = new LanderSim();
    const rng = new Rng(7);
    const out = new Float32Array(2);
    const outcomes: Record<LanderOutcome, number> = { flying: 0, landed: 0, landedOffPad: 0, crashed: 0 };
    for (let ep = 0; ep < 40; ep++) {
      sim.reset(rng);
      for (let t = 0; t < LANDER_MAX_STEPS && sim.outcome === 'flying'; t++) {
        if (t % LANDER_DECISION_PERIOD === 0) {
          landerAutopilot(sim, out);
          sim.throttle[0] = (out[0]! + 1) / 2;
          sim.throttle[1] = (out[1]! + 1) / 2;
        }
        sim.step();
      }
      outcomes[sim.outcome]++;
    }
    expect(outcomes).toEqual({ flying: 0, landed: 40, landedOffPad: 0, crashed: 0 });
  });
});
