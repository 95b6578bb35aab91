import { describe, it, expect } from 'vitest';
import { recordGame } from './record.js';
import { chaseGame } from '../../games/chase/headless.js';
import { landerGame } from '../../games/lander/headless.js';
import { checkDemonstration, summarizeDemonstration } from '../io/demonstration.js';

describe('recordGame', () => {
  it('records exactly the episodes asked for, even with many agents ending at once, as whole episodes', () => {
    // One arena holds 4 chasers: several episodes may end at the same decision.
    const demo = recordGame(chaseGame, { episodes: 5, seed: 2 });
    checkDemonstration(demo);
    expect(summarizeDemonstration(demo).episodes).toBe(5);
    expect(demo.behavior).toBe('chase');
  });

  it('records the same demonstration from the same seed, another from another', () => {
    const a = recordGame(landerGame, { episodes: 2, seed: 5 });
    const b = recordGame(landerGame, { episodes: 2, seed: 5 });
    const c = recordGame(landerGame, { episodes: 2, seed: 6 });
    expect(Array.from(b.observations)).toEqual(Array.from(a.observations));
    expect(Array.from(b.actions)).toEqual(Array.from(a.actions));
    expect(Array.from(c.observations.subarray(0, 12))).not.toEqual(Array.from(a.observations.subarray(0, 12)));
  });

  it('lander (a sceneGame) says its heuristic is scripted, on the game as on its behavior (the gallery reads the game)', () => {
    expect(landerGame.behaviors[0]!.scriptedHeuristic).toBe(true);
    expect(landerGame.scriptedHeuristic).toBe(true);
  });

  it('ends an episode at maxEpisodeTicks', () => {
    const demo = recordGame(landerGame, { episodes: 1, seed: 1, maxEpisodeTicks: 20 });
    // Decisions every 2 ticks: 10 decisions, the last one ending the episode.
    expect(demo.steps).toBe(10);
    expect(demo.ends[9]).toBe(1);
  });
});
