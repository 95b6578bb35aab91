/**
 * The adapter on hostile games: agents that write observations of random sizes and values
 * (NaN, ±Infinity, huge), sensors of random sizes, rewards of any value. Every tick either runs
 * (and every rollout that reaches the learner is finite) or throws an EnvError naming the
 * behavior and agent; never another exception.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { BehaviorRunner } from '../adapter/runner.js';
import { Agent } from '../adapter/agent.js';
import { ActionSpec } from '../adapter/action-spec.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import { EnvError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { resolveConfig } from '../rl/config.js';
import { firstNonFinite } from '../rl/fault-guard.js';
import type { Rollout } from '../rl/rollout.js';
import { fuzz } from './fuzz-count.js';

const value = fc.oneof(
  { weight: 40, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 3.4e38, -3.5e38, 1e308, Number.MIN_VALUE) },
);

/** An agent whose observations, sensors and rewards come from the fuzzer, tick by tick. */
class Hostile extends Agent {
  constructor(private readonly script: { obs: number[][]; rewards: number[]; sensorSize: number; sensorValues: number[] }, name: string) {
    super({ name });
    if (script.sensorSize > 0) {
      const values = script.sensorValues;
      this.addSensor({ name: 'fuzz', size: script.sensorSize, write: (out, at) => { for (let i = 0; i < script.sensorSize; i++) out[at + i] = values[i % Math.max(1, values.length)] ?? 0; }, reset: () => {} });
    }
  }
  private t = 0;
  override collectObservations(obs: ObservationWriter): void {
    obs.addArray(this.script.obs[this.t % this.script.obs.length]!);
  }
  override onActionReceived(): void {
    this.addReward(this.script.rewards[this.t % this.script.rewards.length]!);
    this.t++;
  }
}

const script = fc.record({
  obs: fc.array(fc.array(value, { minLength: 0, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
  rewards: fc.array(value, { minLength: 1, maxLength: 4 }),
  sensorSize: fc.integer({ min: 0, max: 3 }),
  sensorValues: fc.array(value, { maxLength: 3 }),
});

describe('fuzz: adapter (BehaviorRunner + sensors)', () => {
  it('random observation sizes and values: finite rollouts or an EnvError naming behavior and agent', () => {
    const outcome = { ran: 0, rejected: 0, overflow: 0 };
    // Half the cases declare the size the agents really write, so the run gets past the size check to the values.
    const sized = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 }), fc.array(script, { minLength: 1, maxLength: 3 })).map(([matching, declared, scripts]) => {
      if (!matching) return [declared, scripts] as const;
      const width = scripts[0]!.obs[0]!.length;
      const fixed = scripts.map((s) => ({ ...s, sensorSize: scripts[0]!.sensorSize, obs: s.obs.map((o) => Array.from({ length: width }, (_, k) => o[k] ?? 0.5)) }));
      return [width + scripts[0]!.sensorSize, fixed] as const;
    });
    fuzz('adapter (observations, sensors, rewards)', 300, fc.property(
      sized,
      ([declared, scripts]) => {
        const rollouts: Rollout[] = [];
        const runner = new BehaviorRunner({
          name: 'fuzzed', observationSize: declared, actionSpec: ActionSpec.discrete(3), type: 'train',
          config: resolveConfig({ numEnvs: scripts.length, numSteps: 4, numMinibatches: 1, hiddenSizes: [4] }),
          onRollout: (r) => rollouts.push(r),
        }, (s) => ({ params: s.layout.initialize(new Rng(1), 0), version: 0 }));
        try {
          scripts.forEach((s, i) => runner.addAgent(new Hostile(s, `npc${i}`)));
          for (let t = 0; t < 10; t++) runner.tick();
          outcome.ran++;
        } catch (err) {
          if (!(err instanceof EnvError)) throw new Error(`threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
          expect(err.message).toMatch(/agent 'npc\d'|behavior 'fuzzed'/);
          outcome.rejected++;
          if (err.message.includes('float32')) outcome.overflow++;
        }
        // Whatever happened, nothing non-finite got into a rollout.
        for (const r of rollouts) {
          for (const a of [r.observations, r.rewards, r.values, r.logProbs, r.lastValues]) expect(firstNonFinite(a)).toBe(-1);
        }
      },
    ));
    console.log(`adapter fuzz: ${outcome.ran} ran, ${outcome.rejected} rejected with an EnvError (${outcome.overflow} for a float32-overflowing reward)`);
    expect(outcome.ran).toBeGreaterThan(20);
    expect(outcome.rejected).toBeGreaterThan(0);
    expect(outcome.overflow).toBeGreaterThan(0);
  });
});
