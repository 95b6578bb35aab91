import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadShippedBrain } from './shipped-brain.js';
import { configFields, resolveConfig } from '../sdk/rl/config.js';

/** Serves files under games/ as if over HTTP. */
const disk = async (url: string) => new Response(readFileSync(join(import.meta.dirname, url)));

describe.each(['balance', 'lander', 'chase', 'sumo', 'jumper'])('the shipped %s brain', (game) => {
  it('loads as the page loads it, and its config re-resolves as Behavior does', async () => {
    const brain = await loadShippedBrain(`${game}/brain.json`, `${game}/weights.bin`, disk);
    expect(brain.env).toContain(game);
    expect(brain.steps).toBeGreaterThan(100_000);
    // Statistics exactly when the config normalizes observations (sumo's and jumper's are already scaled).
    expect(brain.observationStats !== null).toBe(resolveConfig(configFields(brain.config)).normalizeObs);
  });
});
