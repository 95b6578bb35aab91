/**
 * Seeing the map matters: the NPC that reads the tilemap as a grid learns to find the exit, and
 * the same NPC with rays, trained on the same budget, seed and config, does not get there.
 * Measured with these seeds (bench/maze.ts prints the same): grid 0.52 mean return (exit in 69%
 * of 200 levels), rays 0.03 (33%), random walk -0.29 (10%).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from '../../sdk/rl/backend.node.js';
import { nodeBackends } from '../../sdk/runtime/backend.node.js';
import { compareEyes } from './compare.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/** A mean return only an NPC that heads for the exit reaches: ~10 moves to it in most levels. */
const BAR = 0.35;

describe('maze: grid against rays', () => {
  it(`within 300,000 transitions each (seed 1), the grid NPC's mean return over 200 new levels is ≥ ${BAR}; the rays NPC's and the random walk's are not`, async () => {
    const r = await compareEyes({ budget: 300_000, seed: 1, evalSeed: 7, episodes: 200, backends: nodeBackends });
    const scores = Object.fromEntries((['grid', 'rays', 'random'] as const).map((k) => [k, `${r[k].returnMean.toFixed(3)} (exit ${(100 * r[k].exitRate).toFixed(0)}%)`]));
    console.log(`maze, 300,000 transitions each: ${JSON.stringify(scores)}`);
    for (const k of ['grid', 'rays', 'random'] as const) expect(r[k].episodes).toBe(200);
    expect(r.grid.trained).toBeGreaterThanOrEqual(300_000);
    expect(r.rays.trained).toBe(r.grid.trained);
    expect(r.grid.returnMean).toBeGreaterThanOrEqual(BAR);
    expect(r.rays.returnMean).toBeLessThan(BAR);
    expect(r.random.returnMean).toBeLessThan(BAR);
    // Clearly: the grid reaches the exit in at least half again as many levels as the rays.
    expect(r.grid.exitRate).toBeGreaterThanOrEqual(1.5 * r.rays.exitRate);
    expect(r.random.exitRate).toBeLessThan(0.2);
  }, 900_000);
});
