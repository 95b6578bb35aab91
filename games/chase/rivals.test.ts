/**
 * Chase's rivals: the pack (`chase`) and the runner (`runner`) as two behaviors with their own
 * brains. Budgets are transitions; seeds are fixed. The shipped brains were made by
 * `npx tsx games/chase/train-rivals.ts` (README); these tests play them, and train briefly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../sdk/rl/backend.node.js';
import { FastTrainer, type FastUpdate } from '../../sdk/runtime/fast-trainer.js';
import { nodeBackends } from '../../sdk/runtime/backend.node.js';
import { evaluateGame } from '../../sdk/runtime/evaluate.js';
import { loadBrain } from '../../sdk/io/brain.node.js';
import type { Brain } from '../../sdk/io/brain.js';
import { CHASE_PACK, chaseGame, chaseRivalsGame } from './headless.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

const shippedPack = () => loadBrain('games/chase/brain.json');
const shippedRunner = () => loadBrain('games/chase/runner/brain.json');

/** `rounds` rounds of one arena, sampled actions: how many the pack won (caught the runner), and how long they took. */
function play(pack: Brain, runner: Brain | null, rounds: number, seed: number) {
  const r = evaluateGame(chaseRivalsGame, pack, { episodes: rounds * CHASE_PACK, seed, action: 'sample', ...(runner ? { others: [runner] } : {}) });
  // Each round ends for the 4 chasers together: a catch is a terminal state and a win for each.
  expect(r.wins).toBe(r.terminated);
  return { caught: r.terminated / r.episodes, ticks: r.lengthTicksMean };
}

describe('chase rivals', () => {
  it('the runner\'s heuristic is the scripted runner: the pack plays exactly the rounds of the pack-only game', () => {
    const pack = shippedPack();
    const alone = evaluateGame(chaseGame, pack, { episodes: 8 * CHASE_PACK, seed: 3, action: 'sample' });
    const rivals = evaluateGame(chaseRivalsGame, pack, { episodes: 8 * CHASE_PACK, seed: 3, action: 'sample' });
    expect(rivals.returns).toEqual(alone.returns);
    expect(rivals.lengthTicks).toEqual(alone.lengthTicks);
  });

  it('both sides train against each other for 40,960 pack transitions: the pack\'s ELO rises above its start, the runner\'s falls by as much (seed 1)', async () => {
    const trainer = new FastTrainer(chaseRivalsGame, nodeBackends, { seed: 1, backend: 'wasm' });
    await trainer.start();
    const updates: FastUpdate[] = [];
    while (trainer.step < 40_960) updates.push(trainer.runUpdate());
    trainer.dispose();
    const pack = updates.filter((u) => u.behavior === 'chase');
    const runner = updates.filter((u) => u.behavior === 'runner');
    // The runner's transitions come 4× slower (1 runner per 4 chasers): 20 pack updates, 5 runner updates.
    expect(pack).toHaveLength(20);
    expect(runner.length).toBeGreaterThanOrEqual(4);
    for (const u of updates) {
      expect(Object.keys(u.elo!).sort()).toEqual(['chase', 'runner']);
      expect(u.elo!.chase! + u.elo!.runner!).toBeCloseTo(2400, 6);
    }
    // Measured (seed 1, this budget): the learning pack's ELO ends at 1255; with a learning rate of
    // 1e-9 (a pack and runner that do not learn) it falls to 1111: untrained packs rarely catch
    // even a random runner within 15 s.
    expect(updates.at(-1)!.elo!.chase).toBeGreaterThan(ELO_BAR);
  }, 120_000);

  it('a fixed opponent plays without learning: the runner trains against the shipped pack, which has no trained brain', async () => {
    const pack = shippedPack();
    const trainer = new FastTrainer(chaseRivalsGame, nodeBackends, { seed: 2, backend: 'wasm', opponents: { chase: pack } });
    await trainer.start();
    const u = trainer.runUpdate();
    expect(u.behavior).toBe('runner');
    expect(trainer.collector.runner('chase').type).toBe('inference');
    expect(() => trainer.brain('chase')).toThrow(/fixed opponent in this run/);
    expect(trainer.brain('runner').steps).toBe(512);
    trainer.dispose();
    expect(() => new FastTrainer(chaseRivalsGame, null, { seed: 1, opponents: { hunter: 'heuristic' } })).toThrow(/opponents\.hunter: the game "chase" has no behavior "hunter"/);
    expect(() => new FastTrainer(chaseRivalsGame, null, { seed: 1, opponents: { runner: pack } })).toThrow(/opponents\.runner is a brain trained on "chase"/);
    expect(() => new FastTrainer(chaseRivalsGame, null, { seed: 1, opponents: { runner: 'heuristic', chase: 'heuristic' } })).toThrow(/nothing would learn/);
  });
});

/** The start: the pack must end above it (1255 measured), where the non-learning control ends at 1111. */
const ELO_BAR = 1200;
