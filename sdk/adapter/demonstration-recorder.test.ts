import { describe, it, expect } from 'vitest';
import { BehaviorRunner } from './runner.js';
import { Agent } from './agent.js';
import { ActionSpec, type ActionBuffers, type ActionMask } from './action-spec.js';
import type { ObservationWriter } from './observation-writer.js';
import { resolveConfig } from '../rl/config.js';
import { summarizeDemonstration, checkDemonstration } from '../io/demonstration.js';

/** Episodes of `len` decisions: observes [id, t], plays t % 3, earns t + 1 per decision, then ends. */
class Walker extends Agent {
  t = 0;
  constructor(readonly id: number, public len: number, readonly mask = false) {
    super({ name: `w${id}` });
  }
  override onEpisodeBegin(): void { this.t = 0; }
  override collectObservations(obs: ObservationWriter): void { obs.add(this.id); obs.add(this.t); }
  override heuristic(out: ActionBuffers): void { out.discrete[0] = this.mask ? this.t % 2 : this.t % 3; }
  override onActionReceived(): void {
    this.t++;
    this.addReward(this.t);
    if (this.t >= this.len) this.endEpisode();
  }
}

class MaskedWalker extends Walker {
  override writeActionMask(mask: ActionMask): void { mask.setActionEnabled(0, 2, false); }
}

const runnerOf = (spec = ActionSpec.discrete(3)) => new BehaviorRunner({ name: 'walk', observationSize: 2, actionSpec: spec, type: 'heuristic', config: resolveConfig({}) });
const tick = (r: BehaviorRunner, n: number) => { for (let i = 0; i < n; i++) r.tick(); };

describe('recording a heuristic behavior', () => {
  it('records whole episodes per agent, contiguous, with raw observations, actions, rewards and ends', () => {
    const r = runnerOf();
    const counts: number[] = [];
    r.startRecording({ onEpisode: (c) => counts.push(c.episodes) });
    r.addAgent(new Walker(1, 3));
    r.addAgent(new Walker(2, 5));
    // w1's episodes end at ticks 2, 5, 8 and w2's at 4, 9; each is kept at the next decision.
    tick(r, 11);
    const d = r.stopRecording();
    checkDemonstration(d);
    expect(d.behavior).toBe('walk');
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    // Episodes in completion order: w1, w2, w1, w1, w2, each whole.
    const ids = Array.from({ length: d.steps }, (_, i) => d.observations[2 * i]!);
    expect(ids).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    const ts = Array.from({ length: d.steps }, (_, i) => d.observations[2 * i + 1]!);
    expect(ts).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4]);
    expect(Array.from(d.actions)).toEqual(ts.map((t) => t % 3));
    expect(Array.from(d.rewards)).toEqual(ts.map((t) => t + 1));
    expect(Array.from(d.ends)).toEqual(ts.map((t, i) => (t === (ids[i] === 1 ? 2 : 4) ? 1 : 0)));
    expect(d.masks).toBeNull();
    expect(summarizeDemonstration(d)).toEqual({ episodes: 5, steps: 19, meanReturn: (6 * 3 + 15 * 2) / 5 });
  });

  it('starts each agent at its next episode and drops the episodes still running when it stops', () => {
    const r = runnerOf();
    r.addAgent(new Walker(1, 4));
    tick(r, 2); // mid-episode
    r.startRecording();
    tick(r, 2 + 4 + 2); // rest of the running episode, one whole episode, half of the next
    expect(r.recordingCounts).toMatchObject({ episodes: 1, steps: 4, meanReturn: 10 });
    const d = r.stopRecording();
    expect(Array.from(d.observations.filter((_, i) => i % 2 === 1))).toEqual([0, 1, 2, 3]);
    expect(r.recording).toBe(false);
    expect(() => r.stopRecording()).toThrow(/not recording; call startRecording/);
  });

  it('marks a time limit as truncated (2)', () => {
    const r = runnerOf();
    const w = new Walker(1, 100);
    w.maxSteps = 3;
    r.startRecording();
    r.addAgent(w);
    tick(r, 4);
    expect(Array.from(r.stopRecording().ends)).toEqual([0, 0, 2]);
  });

  it('keeps masks when an agent masks, and drops the episode of an agent that leaves', () => {
    const r = runnerOf();
    const a = new MaskedWalker(1, 2, true);
    const b = new Walker(2, 3);
    r.startRecording();
    r.addAgent(a);
    r.addAgent(b);
    tick(r, 2); // a finishes one episode; b is mid-episode
    r.removeAgent(b);
    tick(r, 5); // a: two more episodes, the last closed at the fifth tick
    const d = r.stopRecording();
    checkDemonstration(d);
    expect(Array.from(d.observations.filter((_, i) => i % 2 === 0))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(d.masks!)).toEqual([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0]);
  });

  it('records continuous actions as the game got them: clipped to the spec', () => {
    class Pusher extends Walker {
      override heuristic(out: ActionBuffers): void { out.continuous[0] = 5; out.continuous[1] = -0.25; }
    }
    const r = runnerOf(ActionSpec.continuous(2));
    r.startRecording();
    r.addAgent(new Pusher(1, 2));
    tick(r, 3);
    expect(Array.from(r.stopRecording().actions)).toEqual([1, -0.25, 1, -0.25]);
  });

  it('stops keeping episodes at maxSteps', () => {
    const r = runnerOf();
    r.startRecording({ maxSteps: 5 });
    r.addAgent(new Walker(1, 3));
    tick(r, 10);
    expect(r.stopRecording().steps).toBe(6);
    // Episodes longer than the cap are dropped whole, and the agent is recorded again from its next one.
    const long = runnerOf();
    long.startRecording({ maxSteps: 4 });
    const w = new Walker(1, 5);
    long.addAgent(w);
    tick(long, 30);
    expect(long.recordingCounts!.episodes).toBe(0);
    w.len = 2;
    tick(long, 8);
    const d = long.stopRecording();
    expect(Array.from(d.observations.filter((_, i) => i % 2 === 1))).toEqual([0, 1, 0, 1]);
  });
});
