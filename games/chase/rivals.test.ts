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
import { CHASE_PACK, ChasePack, chaseGame, chaseRivalsGame } from './headless.js';
import { ActionBuffers } from '../../sdk/adapter/action-spec.js';
import { RUNNER_ACTIONS } from './runner.js';
import type { HeadlessGame } from '../../sdk/runtime/game.js';
import { chaseRivalsSimGame } from '../../bench/sim-games.js';

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
  it('a runner agent steers the runner with its actions until the player takes over (the page\'s arrow keys)', () => {
    const pack = new ChasePack(1);
    const runner = pack.addRunner('runner');
    const act = new ActionBuffers(RUNNER_ACTIONS);
    act.discrete[0] = 3;
    runner.onActionReceived(act);
    expect(pack.arena.runnerControl).toBe('agent');
    pack.arena.runnerControl = 'player';
    runner.onActionReceived(act);
    expect(pack.arena.runnerControl).toBe('player');
  });

  it('the runner\'s heuristic is the scripted runner: the pack plays exactly the rounds of the pack-only game', () => {
    const pack = shippedPack();
    const alone = evaluateGame(chaseGame, pack, { episodes: 8 * CHASE_PACK, seed: 3, action: 'sample' });
    const rivals = evaluateGame(chaseRivalsGame, pack, { episodes: 8 * CHASE_PACK, seed: 3, action: 'sample' });
    expect(rivals.returns).toEqual(alone.returns);
    expect(rivals.lengthTicks).toEqual(alone.lengthTicks);
  });

  it('the rivals game runs the scene: seed 1 gives exactly the updates of the same rivals built on ChasePack alone (the game before the scene)', async () => {
    const curve = async (game: HeadlessGame) => {
      const trainer = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'wasm' });
      await trainer.start();
      const out: unknown[] = [];
      while (trainer.step < 4096) {
        const u = trainer.runUpdate();
        out.push([u.behavior, u.step, u.returnMean, u.policyLoss, u.valueLoss, u.ratings]);
      }
      trainer.dispose();
      return out;
    };
    const scene = await curve(chaseRivalsGame);
    // The pack's 2,048, the runner's 512, the pack's 4,096.
    expect(scene.map((u) => (u as unknown[])[0])).toEqual(['chase', 'runner', 'chase']);
    expect(scene).toEqual(await curve(chaseRivalsSimGame));
  }, 120_000);

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
      expect(Object.keys(u.ratings!).sort()).toEqual(['chase', 'runner']);
      expect(u.ratings!.chase! + u.ratings!.runner!).toBeCloseTo(2400, 6);
      // Each behavior's own rating, as self-play reports its learning policy's.
      expect(u.elo).toBe(u.ratings![u.behavior]);
    }
    // Measured (seed 1, this budget): the learning pack's ELO ends at 1255; with a learning rate of
    // 1e-9 (a pack and runner that do not learn) it falls to 1111: untrained packs rarely catch
    // even a random runner within 15 s.
    expect(updates.at(-1)!.ratings!.chase).toBeGreaterThan(ELO_BAR);
  }, 300_000);

  // Measured (README; 40 rounds each of seeds 7 and 11, sampled actions): against the shipped pack
  // the scripted runner is caught in 80 of 80 rounds (mean rounds 206 and 188 ticks); the shipped
  // runner (its observation with the chasers' positions and velocities, 301,056 transitions fresh
  // against this pack, `train-rivals.ts --runner-only`) in 67 of 80 (258 and 319 ticks): 13
  // escapes. The runner that saw only rays escaped 3.
  it('the shipped runner escapes the shipped pack in clearly more rounds than the scripted runner (≥ RUNNER_ESCAPES of 80 against none), and its rounds last ≥ 1.2× as long', () => {
    const pack = shippedPack();
    const runner = shippedRunner();
    const script = [play(pack, null, 40, 7), play(pack, null, 40, 11)];
    const learned = [play(pack, runner, 40, 7), play(pack, runner, 40, 11)];
    const escapes = (rs: { caught: number }[]) => rs.reduce((n, r) => n + Math.round((1 - r.caught) * 40), 0);
    const ticks = (rs: { ticks: number }[]) => rs.reduce((n, r) => n + r.ticks, 0) / rs.length;
    expect(escapes(script)).toBe(0);
    expect(escapes(learned)).toBeGreaterThanOrEqual(RUNNER_ESCAPES);
    expect(ticks(learned)).toBeGreaterThanOrEqual(1.2 * ticks(script));
  });

  // The pack shipped before the rivals (trained against the scripted runner alone) caught it in
  // 40 of 40 rounds (seed 7) in 235 ticks on average; the pack trained against the learning
  // runner, shipped now, catches it in 40 of 40 in 206.
  it('the shipped pack, trained against the learning runner, catches the scripted runner at least as often and as fast as the pack shipped before', () => {
    const r = play(shippedPack(), null, 40, 7);
    expect(r.caught).toBeGreaterThanOrEqual(PREVIOUS_PACK.caught);
    expect(r.ticks).toBeLessThanOrEqual(PREVIOUS_PACK.ticks);
  });

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
    expect(() => new FastTrainer(chaseGame, null, { seed: 1, ratings: { chase: 1300 } })).toThrow(/ratings are for games of two behaviors or more; the game "chase" has one/);
    expect(() => new FastTrainer(chaseRivalsGame, null, { seed: 1, ratings: { hunter: 1300 } })).toThrow(/no behavior "hunter"/);
  });
});

/**
 * The start: the pack must end above it (1255 measured with the runner that saw only rays; the
 * test passes with today's runner), where the non-learning control ends at 1111.
 */
const ELO_BAR = 1200;
/**
 * Rounds of 80 the shipped runner must escape: 13 measured; the scripted runner escapes none, the
 * untrained runner policy none, the runner that saw only rays 3.
 */
const RUNNER_ESCAPES = 10;
/** The pack shipped before the rivals, against the scripted runner: 40 rounds, seed 7, sampled actions. */
const PREVIOUS_PACK = { caught: 1, ticks: 235 };
