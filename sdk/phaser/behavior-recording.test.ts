/** A live behavior records demonstrations: `record` / `startRecording`, the `demo-episode` event, `stopRecording`. */
import { describe, it, expect } from 'vitest';
import { EventEmitter } from 'node:events';
import type Phaser from 'phaser';
import { Behavior } from './behavior.js';
import type { DemoEpisodeEvent } from './events.js';
import { LANDER_ACTIONS, LANDER_OBSERVATIONS, LanderAgent } from '../../games/lander/agent.js';
import { LanderSim } from '../../games/lander/sim.js';
import { Rng } from '../core/rng.js';
import { checkDemonstration, summarizeDemonstration } from '../io/demonstration.js';

describe('recording a live behavior', () => {
  it('records the heuristic of every agent, emitting demo-episode with the counts', () => {
    const emitter = new EventEmitter();
    const seen: DemoEpisodeEvent[] = [];
    emitter.on('demo-episode', (e: DemoEpisodeEvent) => seen.push(e));
    const behavior = new Behavior({
      name: 'lander', observationSize: LANDER_OBSERVATIONS, actionSpec: LANDER_ACTIONS, type: 'heuristic', record: true,
      learner: () => { throw new Error('a heuristic behavior must not start a learner'); },
    }, emitter as unknown as Phaser.Events.EventEmitter);
    // Two crafts flown by the scripted autopilot, each in its own sim (as the scene runs them).
    const copies = [0, 1].map((i) => {
      const sim = new LanderSim();
      const agent = new LanderAgent(sim, new Rng(3000 + i), `craft-${i}`);
      agent.pilot = 'autopilot';
      return { agent, step: () => { sim.step(); agent.judge(); } };
    });
    for (const c of copies) behavior.addAgent(c.agent);
    expect(behavior.recording).toBe(true);
    // Tick budget: 1,500 ticks lets each autopilot craft land at least twice (≈ 300 ticks a landing).
    for (let t = 0; t < 1_500; t++) {
      behavior.tick();
      for (const c of copies) c.step();
    }
    const counts = behavior.recordingCounts!;
    expect(counts.episodes).toBeGreaterThanOrEqual(4);
    expect(seen.map((e) => e.episodes)).toEqual(Array.from({ length: counts.episodes }, (_, i) => i + 1));
    expect(seen.at(-1)).toEqual({ behavior: 'lander', episodes: counts.episodes, steps: counts.steps, meanReturn: counts.meanReturn, lastReturn: counts.lastReturn });
    const demo = behavior.stopRecording();
    checkDemonstration(demo);
    expect(summarizeDemonstration(demo)).toEqual({ episodes: counts.episodes, steps: counts.steps, meanReturn: expect.closeTo(counts.meanReturn, 6) });
    expect(summarizeDemonstration(demo).meanReturn).toBeGreaterThan(200);
    expect(behavior.recording).toBe(false);
    expect(behavior.recordingCounts).toBeNull();
  });
});
