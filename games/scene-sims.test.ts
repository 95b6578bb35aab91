/**
 * Sumo and jumper train from their Phaser scenes (sceneGame); their sims alone are kept for the
 * bench (bench/sim-games.ts). The same seed must give the same run on both paths: the scene adds
 * nothing to the game but its view.
 */
import { describe, expect, it } from 'vitest';
import { FastTrainer } from '../sdk/runtime/fast-trainer.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import type { OneBehaviorGame } from '../sdk/runtime/game.js';
import { jumperSimGame, sumoSimGame } from '../bench/sim-games.js';
import { sumoGame } from './sumo/headless.js';
import { jumperGame } from './jumper/headless.js';

/** `updates` updates of seed 7 on 4 copies: each update's numbers and the final weights. */
async function curve(game: OneBehaviorGame, updates: number) {
  const t = new FastTrainer(game, nodeBackends, { copies: 4, seed: 7, backend: 'kernels', config: { numSteps: 32 } });
  await t.start();
  const points = [];
  for (let i = 0; i < updates; i++) {
    const u = t.runUpdate();
    points.push({ step: u.step, episodes: u.episodes, returnMean: u.returnMean, elo: u.elo ?? null, lessons: u.lessons ?? null, policyLoss: u.policyLoss });
  }
  const params = Array.from(t.brain().params);
  t.dispose();
  return { points, params };
}

describe('the scenes train exactly as their sims (same seed, same curve)', () => {
  it.each([['sumo', sumoGame, sumoSimGame], ['jumper', jumperGame, jumperSimGame]] as const)('%s', async (_name, scene, sim) => {
    expect(scene.behaviors.map((b) => [b.name, b.observationSize, b.actionSpec])).toEqual(sim.behaviors.map((b) => [b.name, b.observationSize, b.actionSpec]));
    expect(scene.config).toEqual(sim.config);
    expect(scene.environmentParameters ?? {}).toEqual(sim.environmentParameters ?? {});
    const a = await curve(scene, 12);
    const b = await curve(sim, 12);
    // Episodes ended, so the curve compares games, not only weights.
    expect(a.points.at(-1)!.episodes).toBeGreaterThan(0);
    expect(a.points).toEqual(b.points);
    expect(a.params).toEqual(b.params);
  }, 120_000);
});
