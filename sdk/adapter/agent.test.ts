import { describe, it, expect } from 'vitest';
import { Agent } from './agent.js';
import { ActionSpec, type ActionBuffers } from './action-spec.js';
import type { ObservationWriter } from './observation-writer.js';
import { VectorSensor } from './sensor.js';
import { EnvError } from '../core/errors.js';
import { resolveConfig } from '../rl/config.js';
import { BehaviorRunner } from './runner.js';

class Npc extends Agent {
  override collectObservations(obs: ObservationWriter): void { obs.add(0); }
  override onActionReceived(_a: ActionBuffers): void {}
}

describe('Agent', () => {
  it('has options, and a default name that survives minification: <behavior>#<index> once added', () => {
    // A class name is minified in production builds (`ka#4`): it only stands in until the agent joins a behavior.
    expect(new Npc().name).toBe('Npc');
    const runner = new BehaviorRunner({ name: 'guards', observationSize: 1, actionSpec: ActionSpec.discrete(2), type: 'inference', config: resolveConfig({}) });
    const [first, named, third] = [new Npc(), new Npc({ name: 'boss' }), new Npc()];
    for (const agent of [first, named, third]) runner.addAgent(agent);
    expect([first.name, named.name, third.name]).toEqual(['guards#0', 'boss', 'guards#2']);
    // The name sticks: leaving and joining again (here or elsewhere) keeps it, and so does one set by hand.
    runner.removeAgent(first);
    runner.addAgent(first);
    const renamed = new Npc();
    renamed.name = 'scout';
    runner.addAgent(renamed);
    expect([first.name, renamed.name]).toEqual(['guards#0', 'scout']);
    const a = new Npc({ name: 'guard', maxSteps: 100, decisionPeriod: 5 });
    expect([a.name, a.maxSteps, a.decisionPeriod]).toEqual(['guard', 100, 5]);
  });

  it('addReward accumulates; setReward replaces the reward since the last decision, keeping the return consistent', () => {
    const a = new Npc();
    a.addReward(1);
    a.addReward(0.5);
    expect(a.cumulativeReward).toBe(1.5);
    a.setReward(-1);
    expect(a.cumulativeReward).toBe(-1);
    a.addReward(0.25);
    expect(a.cumulativeReward).toBe(-0.75);
  });

  it('rejects a non-finite reward, naming the agent', () => {
    const a = new Npc({ name: 'npc-3' });
    expect(() => a.addReward(NaN)).toThrow(EnvError);
    expect(() => a.addReward(NaN)).toThrow("agent 'npc-3': addReward(NaN): reward must be a finite number");
    expect(() => a.setReward(Infinity)).toThrow(/setReward\(Infinity\)/);
  });

  it('keeps sensors in the order added and rejects things that are not sensors', () => {
    const a = new Npc();
    const s1 = new VectorSensor('a', 2);
    const s2 = new VectorSensor('b', 1);
    a.addSensor(s1).addSensor(s2);
    expect(a.sensors).toEqual([s1, s2]);
    expect(() => a.addSensor({ name: 'bad', size: 0 } as never)).toThrow(/positive integer size/);
  });

  it('asks for a decision every decisionPeriod ticks by default', () => {
    const a = new Npc({ decisionPeriod: 3 });
    expect([0, 1, 2, 3, 4].map((t) => a.shouldRequestDecision({ stepCount: t, ticksSinceDecision: t }))).toEqual([false, false, false, true, true]);
  });
});
