import { describe, it, expect } from 'vitest';
import { AgentBatch, CONTINUING, TERMINATED, TRUNCATED, type AgentEpisode } from './agent-batch.js';
import { Agent } from './agent.js';
import { ActionSpec, type ActionBuffers, type ActionMask } from './action-spec.js';
import type { ObservationWriter } from './observation-writer.js';
import { VectorSensor } from './sensor.js';

class Npc extends Agent {
  begins = 0;
  value = 1;
  override onEpisodeBegin(): void { this.begins++; }
  override collectObservations(obs: ObservationWriter): void { obs.add(this.value); }
  override onActionReceived(_a: ActionBuffers): void {}
}

function batch(onLeave?: (row: number) => void, onEpisodeEnd?: (e: AgentEpisode) => void) {
  const b = new AgentBatch({ name: 'crew', observationSize: 1, actionSpec: ActionSpec.discrete(2), onLeave, onEpisodeEnd });
  return b;
}

/** The runner's order of a decision, with the buffers sized for `b.size` agents. */
function decide(b: AgentBatch): void {
  b.reserve(b.size);
  b.closeTransitions();
  b.beginEpisodes();
  b.endDecision();
}

describe('AgentBatch', () => {
  it('keeps join order, splices leavers, and reports the row that leaves', () => {
    const left: number[] = [];
    const b = batch((row) => left.push(row));
    const [x, y, z] = [new Npc({ name: 'x' }), new Npc({ name: 'y' }), new Npc({ name: 'z' })];
    for (const a of [x, y, z]) b.join(a);
    expect(b.leave(y)).toBe(true);
    expect(b.leave(y)).toBe(false);
    expect(b.slots.map((s) => s.agent)).toEqual([x, z]);
    expect(left).toEqual([1]);
  });

  it('defers joins and leaves made during a tick to its end (leaves first), and refuses a nested tick', () => {
    const left: number[] = [];
    const b = batch((row) => left.push(row));
    const [x, y] = [new Npc({ name: 'x' }), new Npc({ name: 'y' })];
    b.join(x);
    b.lock();
    expect(() => b.lock()).toThrow("behavior 'crew': tick() called from inside a tick (from an agent hook?)");
    b.join(y);
    b.leave(x);
    expect(b.slots.map((s) => s.agent)).toEqual([x]);
    b.unlock();
    expect(b.slots.map((s) => s.agent)).toEqual([y]);
    expect(left).toEqual([0]);
  });

  it('records each episode\'s team and result, and clears the result for the next episode', () => {
    const eps: AgentEpisode[] = [];
    const b = batch(undefined, (e) => eps.push(e));
    const [red, blue] = [new Npc({ name: 'red' }), new Npc({ name: 'blue', team: 1 })];
    b.join(red);
    b.join(blue);
    decide(b);
    red.setResult('draw');
    red.setResult('win');
    blue.setResult('loss');
    red.endEpisode();
    blue.endEpisode();
    decide(b);
    red.endEpisode();
    decide(b);
    expect(eps.map((e) => [e.agent, e.team, e.result])).toEqual([['red', 0, 'win'], ['blue', 1, 'loss'], ['red', 0, null]]);
    expect(() => red.setResult('won' as never)).toThrow(`agent 'red': setResult("won"): the result must be 'win', 'loss' or 'draw'`);
    expect(() => new Npc({ team: -1 })).toThrow('team must be a non-negative integer, got -1');
  });

  it('names an unnamed agent <behavior>#<join index> and checks what joins', () => {
    const b = batch();
    const [a, named] = [new Npc(), new Npc({ name: 'boss' })];
    b.join(named);
    b.join(a);
    expect([named.name, a.name]).toEqual(['boss', 'crew#1']);
    expect(() => b.checkJoin(a)).toThrow("behavior 'crew', agent 'crew#1': already added");
    expect(() => b.checkJoin(new Npc({ name: 'bad', decisionPeriod: 0 }))).toThrow("behavior 'crew', agent 'bad': decisionPeriod must be a positive integer, got 0");
    expect(() => b.checkSize(new Npc({ name: 'big' }).addSensor(new VectorSensor('v', 2)))).toThrow("behavior 'crew', agent 'big': observation has 3 values (collectObservations 1 + sensors v(2)), but the behavior expects 1");
  });

  it('asks for a decision when an agent is new, ended, asked, reached maxSteps, or by its cadence', () => {
    const b = batch();
    const a = new Npc({ name: 'a', decisionPeriod: 3, maxSteps: 5 });
    b.join(a);
    expect(b.needsDecision()).toBe(true); // new
    decide(b);
    const pattern: boolean[] = [];
    for (let t = 0; t < 6; t++) {
      b.applyActions();
      pattern.push(b.needsDecision());
      if (pattern[t]) decide(b);
    }
    // Every 3 ticks, and at tick 5 the maxSteps cut (stepCount 5) comes before the cadence's 6.
    expect(pattern).toEqual([false, false, true, false, true, false]);
    b.applyActions();
    a.requestDecision();
    expect(b.needsDecision()).toBe(true);
  });

  it('closes transitions per row (reward, terminated, truncated) and records episodes as they begin anew', () => {
    const episodes: AgentEpisode[] = [];
    const b = batch(undefined, (e) => episodes.push(e));
    const [stay, done, cut] = [new Npc({ name: 'stay' }), new Npc({ name: 'done' }), new Npc({ name: 'cut', maxSteps: 1 })];
    for (const a of [stay, done, cut]) b.join(a);
    decide(b);
    b.applyActions();
    stay.addReward(1);
    done.addReward(2);
    done.endEpisode();
    cut.addReward(-3);
    stay.value = 7;
    b.closeTransitions();
    expect(Array.from(b.ends.subarray(0, 3))).toEqual([CONTINUING, TERMINATED, TRUNCATED]);
    expect(Array.from(b.rewards.subarray(0, 3))).toEqual([1, 2, -3]);
    expect(b.rawObs[0]).toBe(7);
    b.beginEpisodes();
    expect(episodes).toEqual([
      { agent: 'done', return: 2, length: 1, ticks: 1, end: 'terminated', team: 0, result: null },
      { agent: 'cut', return: -3, length: 1, ticks: 1, end: 'truncated', team: 0, result: null },
    ]);
    expect([stay.begins, done.begins, cut.begins]).toEqual([1, 2, 2]);
    expect(b.drainEpisodes()).toHaveLength(2);
    expect(b.drainEpisodes()).toEqual([]);
  });

  it('writes no masks while no agent masks, and one row per agent (all allowed by default) when one does', () => {
    const b = batch();
    b.join(new Npc({ name: 'free' }));
    b.reserve(2);
    expect(b.writeMasks()).toBeNull();
    class Masked extends Npc {
      override writeActionMask(m: ActionMask): void { m.setActionEnabled(0, 1, false); }
    }
    const m = new Masked({ name: 'm' });
    b.join(m);
    expect(Array.from(b.writeMasks()!.subarray(0, 4))).toEqual([1, 1, 1, 0]);
    b.leave(m);
    expect(b.writeMasks()).toBeNull();
  });
});
