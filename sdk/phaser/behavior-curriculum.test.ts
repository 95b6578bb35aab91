/** A live scene's environment parameters: `behavior.params`, moved on by the behavior's own updates, kept in its brain. */
import { describe, it, expect } from 'vitest';
import { EventEmitter } from 'node:events';
import type Phaser from 'phaser';
import { Behavior } from './behavior.js';
import { inProcessLearner } from '../runtime/learner-client.js';
import { LearnerHost } from '../runtime/learner-host.js';
import { nodeBackends } from '../runtime/backend.node.js';
import { Rng } from '../core/rng.js';
import type { Brain } from '../io/brain.js';
import { JumperAgent, JUMPER_ACTIONS, JUMPER_OBSERVATIONS } from '../../games/jumper/agent.js';
import { JumperWorld } from '../../games/jumper/sim.js';

const gapWidth = { curriculum: [
  // Done after the first update (progress 64 / 640 = 0.1), with every episode cut so the new gap applies at once.
  { name: 'flat', value: 0, completionCriteria: { measure: 'progress', threshold: 0.05, minLessonLength: 0, requireReset: true } },
  { name: 'wide', value: 150 },
] };

function scene(brain?: Brain) {
  const host = new LearnerHost(nodeBackends);
  const behavior = new Behavior({
    name: 'jumper', observationSize: JUMPER_OBSERVATIONS, actionSpec: JUMPER_ACTIONS, backend: 'kernels',
    config: { numSteps: 32, hiddenSizes: [8], numMinibatches: 1, updateEpochs: 1, totalSteps: 640 },
    environmentParameters: { gapWidth }, ...(brain ? { brain } : {}),
    learner: () => inProcessLearner(host),
  }, new EventEmitter() as unknown as Phaser.Events.EventEmitter);
  // The scene's agents read their gap from the behavior's parameters when a round begins.
  const worlds = [new JumperWorld(), new JumperWorld()];
  worlds.forEach((w, i) => behavior.addAgent(new JumperAgent(w, behavior.params, new Rng(i))));
  /** Plays up to `frames` fixed steps, letting the learner answer between frames, until `done`. */
  const play = async (frames: number, done: () => boolean) => {
    for (let f = 0; f < frames && !done(); f++) {
      behavior.applyPendingWeights();
      behavior.tick();
      for (const w of worlds) w.step();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { behavior, worlds, play };
}

describe('environment parameters in a live scene', () => {
  it('behavior.params gives the lesson\'s value; the behavior\'s update moves the lesson, the metrics say so, and the agents\' next rounds use it', async () => {
    const { behavior, worlds, play } = scene();
    await play(1, () => false);
    expect(behavior.params.get('gapWidth')).toBe(0);
    expect(worlds.map((w) => w.gap)).toEqual([0, 0]);
    // 2 agents × 32 decisions × 4 ticks: the first update comes after 256 frames (plus the learner's start).
    await play(2000, () => behavior.latest !== null);
    expect(behavior.latest!.lessons).toEqual({ gapWidth: 1 });
    expect(behavior.latest!.envParams).toEqual({ gapWidth: 150 });
    // requireReset: each round is cut at its next decision, and the next one reads the wide gap.
    await play(8, () => false);
    expect(worlds.map((w) => w.gap)).toEqual([150, 150]);
    const brain = await behavior.brain();
    expect(brain.training!.curriculum!.progress.gapWidth!.lesson).toBe(1);
    behavior.dispose();

    // A scene started from that brain continues in the wide lesson.
    const again = scene(brain);
    expect(again.behavior.params.lesson('gapWidth')).toBe(1);
    await again.play(1, () => false);
    expect(again.worlds.map((w) => w.gap)).toEqual([150, 150]);
    again.behavior.dispose();
  });
});
