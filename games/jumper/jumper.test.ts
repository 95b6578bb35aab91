import { describe, it, expect } from 'vitest';
import { Rng } from '../../sdk/core/rng.js';
import { FastTrainer } from '../../sdk/runtime/fast-trainer.js';
import { nodeBackends } from '../../sdk/runtime/backend.node.js';
import { evaluateGame } from '../../sdk/runtime/evaluate.js';
import type { Brain } from '../../sdk/io/brain.js';
import { JUMPER_HARD_GAP, jumperGame } from './headless.js';
import { JUMPER, JumperWorld } from './sim.js';

/** Share of 50 rounds on the hard gap that reach the flag, likeliest actions (evaluation plays the curriculum's last lesson). */
const hardScore = (brain: Brain) => evaluateGame(jumperGame, brain, { episodes: 50, seed: 99, copies: 8 }).returnMean;

/** Trains seed 1 for `budget` transitions; `direct` trains on the hard gap from the start. */
async function train(direct: boolean, budget: number) {
  const trainer = new FastTrainer(jumperGame, nodeBackends, { seed: 1, backend: 'kernels', ...(direct ? { environmentParameters: { gapWidth: JUMPER_HARD_GAP } } : {}) });
  await trainer.start();
  const untrained = hardScore(trainer.brain());
  let lastLessonAt: number | null = null;
  let bestWindow = 0;
  await trainer.run((u) => {
    if (lastLessonAt === null && u.lessons?.gapWidth === (direct ? 0 : 3)) lastLessonAt = u.step;
    if (Number.isFinite(u.returnMean)) bestWindow = Math.max(bestWindow, u.returnMean);
  }, { maxSteps: budget });
  return { untrained, trained: hardScore(trainer.brain()), lastLessonAt, bestWindow, steps: trainer.step };
}

describe('jumper', () => {
  it('the hard gap is crossable: running right and jumping just before the edge clears it; a random ball almost never does', () => {
    const world = new JumperWorld();
    const rng = new Rng(3);
    let scripted = 0;
    let random = 0;
    for (let round = 0; round < 100; round++) {
      for (const policy of ['scripted', 'random'] as const) {
        world.reset(JUMPER_HARD_GAP, rng.uniform(JUMPER.startMin, JUMPER.startMax));
        for (let tick = 0; tick < 360 && !world.reached && !world.fell; tick++) {
          if (tick % 4 === 0) world.move = policy === 'random' ? rng.int(3) as 0 | 1 | 2 : JUMPER.gapStart - world.ball.position.x < 20 ? 2 : 1;
          world.step();
        }
        if (world.reached) policy === 'scripted' ? scripted++ : random++;
      }
    }
    expect(scripted).toBeGreaterThanOrEqual(95);
    expect(random).toBeLessThanOrEqual(2);
  });

  // Measured (bench/curriculum.ts, README "Curriculum"): with its curriculum seed 1 is on the hard
  // gap at ~40,000 transitions and crosses it every time by 60,000; trained on the hard gap from
  // the start, seed 1 never crosses it in 150,000 (no reward ever comes, so nothing is learned).
  it('a curriculum of widening gaps learns the hard gap within 64,000 transitions (seed 1); training on the hard gap directly does not', async () => {
    const budget = 64_000;
    const curriculum = await train(false, budget);
    const direct = await train(true, budget);
    expect(curriculum.untrained).toBeLessThan(0.1);
    expect(direct.untrained).toBeLessThan(0.1);
    expect(curriculum.steps).toBeGreaterThanOrEqual(budget);
    expect(direct.steps).toBe(curriculum.steps);
    // Through every lesson to the hard gap, then crossing it.
    expect(curriculum.lastLessonAt).not.toBeNull();
    expect(curriculum.lastLessonAt!).toBeLessThan(budget);
    expect(curriculum.trained).toBeGreaterThanOrEqual(0.8);
    // The same budget on the hard gap alone: hardly a crossing, in training or after.
    expect(direct.trained).toBeLessThanOrEqual(0.2);
    expect(direct.bestWindow).toBeLessThan(0.5);
  }, 240_000);
});
