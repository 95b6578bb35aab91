/**
 * A live Behavior handed over a scene restart (./behavior-restart.ts, PPOPlugin.addBehavior): the
 * new run's agents take the old agents' places (with self-play, on their own side), an agent that
 * no longer fits is refused with the way to start afresh, and two declarations are compared on
 * what a restart cannot carry over. The plugin's side is in ./plugin-restart.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type Phaser from 'phaser';
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import { Agent, type AgentOptions } from '../adapter/agent.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import { VectorSensor } from '../adapter/sensor.js';
import type { LearnerClient } from '../runtime/learner-client.js';
import { Behavior, liveConfig, type BehaviorOptions } from './behavior.js';
import { declarationDifferences } from './behavior-restart.js';

class Probe extends Agent {
  constructor(options: AgentOptions = {}) { super(options); }
  override collectObservations(obs: ObservationWriter): void { obs.add(0); }
  override onActionReceived(_a: ActionBuffers): void {}
}

/** A learner that never answers: the behavior acts with its initial weights, nothing more. */
const never: LearnerClient = {
  init: () => new Promise(() => undefined), train: () => new Promise(() => undefined),
  getState: () => new Promise(() => undefined), dispose: () => undefined,
};

const OPTIONS: BehaviorOptions = { name: 'probe', observationSize: 1, actionSpec: ActionSpec.discrete(2), learner: () => never };

function behavior(options: BehaviorOptions = OPTIONS): Behavior {
  return new Behavior(options, new EventEmitter() as unknown as Phaser.Events.EventEmitter);
}

const declared = (options: BehaviorOptions) => ({ options, config: liveConfig(options) });

describe('Behavior across a scene restart', () => {
  it("the new run's agents take the old ones' rows in order; those left over leave after create", () => {
    const b = behavior();
    const old = [new Probe(), new Probe(), new Probe()];
    for (const a of old) b.addAgent(a);
    for (let i = 0; i < 3; i++) b.tick();
    b.awaitSuccessors();
    const next = [new Probe(), new Probe()];
    for (const a of next) b.addAgent(a);
    expect(b.runner.agents).toEqual([next[0], next[1], old[2]]);
    b.dropPredecessors();
    expect(b.runner.agents).toEqual(next);
    b.dispose();
  });

  it('with self-play, each new agent takes the place of an old one on its own side (learning team or opponents)', () => {
    const b = behavior({ ...OPTIONS, config: { selfPlay: { saveSteps: 512, swapSteps: 256, teamChange: 1024, window: 3 } } });
    const old = [new Probe({ team: 0 }), new Probe({ team: 1 })];
    for (const a of old) b.addAgent(a);
    for (let i = 0; i < 3; i++) b.tick();
    b.awaitSuccessors();
    const next = [new Probe({ team: 0 }), new Probe({ team: 1 })];
    for (const a of next) b.addAgent(a);
    b.dropPredecessors();
    expect(b.runner.agents).toEqual([next[0]]);
    expect(b.opponents!.agents).toEqual([next[1]]);
    // In the other order, no seat is on the new agent's side: the old agents leave, the new ones join their sides.
    b.awaitSuccessors();
    const swapped = [new Probe({ team: 1 }), new Probe({ team: 0 })];
    for (const a of swapped) b.addAgent(a);
    b.dropPredecessors();
    expect(b.runner.agents).toEqual([swapped[1]]);
    expect(b.opponents!.agents).toEqual([swapped[0]]);
    b.dispose();
  });

  it('an agent that no longer fits (its sensors changed) is refused with the way to start afresh, and the old one leaves', () => {
    const b = behavior();
    const old = new Probe();
    b.addAgent(old);
    b.tick();
    b.awaitSuccessors();
    const bigger = new Probe().addSensor(new VectorSensor('extra', 2));
    expect(() => b.addAgent(bigger)).toThrow(/goes on from the scene's previous run.*call this\.ppo\.disposeBehaviors\(\) before restarting/);
    expect(b.runner.agents).toEqual([]);
    b.dispose();
  });

  it('declarations differ on type, sizes, actions, config and brain identity; the learner factory and record do not count', () => {
    const same = declarationDifferences(declared(OPTIONS), declared({ ...OPTIONS, learner: () => never, record: true }));
    expect(same).toEqual([]);
    expect(declarationDifferences(declared(OPTIONS), declared({ ...OPTIONS, type: 'inference', observationSize: 2, actionSpec: ActionSpec.discrete(3), config: { gamma: 0.9 } })))
      .toEqual(['type: train → inference', 'observationSize: 1 → 2', 'actionSpec: Discrete(2) → Discrete(3)', 'config.gamma: 0.99 → 0.9']);
  });
});
