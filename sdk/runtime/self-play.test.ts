import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { resolveConfig, type SelfPlayConfig } from '../rl/config.js';
import { SelfPlay, type SelfPlayWeights } from './self-play.js';

const weights = (v: number): SelfPlayWeights => ({ params: Float32Array.of(v, v + 0.1, -v), version: v, observationStats: null });
const settings = (s: Partial<SelfPlayConfig>): SelfPlayConfig => resolveConfig({ selfPlay: s }).selfPlay!;

describe('self-play config', () => {
  it('fills in ML-Agents defaults and teamChange = 5 × saveSteps', () => {
    expect(resolveConfig({ selfPlay: {} }).selfPlay).toEqual({ saveSteps: 20_000, window: 10, swapSteps: 2_000, teamChange: 100_000, playAgainstLatestModelRatio: 0.5, initialElo: 1200 });
    expect(resolveConfig({ selfPlay: { saveSteps: 1000 } }).selfPlay!.teamChange).toBe(5000);
    expect(resolveConfig({}).selfPlay).toBeNull();
  });

  it('refuses bad settings naming the field', () => {
    expect(() => resolveConfig({ selfPlay: { window: 0 } })).toThrow(/selfPlay\.window: expected a positive integer/);
    expect(() => resolveConfig({ selfPlay: { playAgainstLatestModelRatio: 1.5 } })).toThrow(/selfPlay\.playAgainstLatestModelRatio: expected a number in \[0, 1\]/);
    expect(() => resolveConfig({ selfPlay: { swap_steps: 3 } as never })).toThrow(/selfPlay\.swap_steps: unknown field; known fields are saveSteps/);
    expect(() => resolveConfig({ selfPlay: 3 as never })).toThrow(ConfigError);
  });
});

describe('SelfPlay', () => {
  it('rates games against a hand table, opponent snapshot moving the opposite way', () => {
    // Ratio 0: every draw picks a pool snapshot. Pool = [initial @1200]; opponent = snapshot 0.
    const sp = new SelfPlay(settings({ playAgainstLatestModelRatio: 0 }), { seed: 1, teams: 2, initial: weights(0) });
    // 1200 v 1200 win: +8 → 1208 / 1192. Then 1208 v 1192 loss: 16·(0 − 1/(1+10^(−16/400))) = −8.368...
    expect(sp.recordResult('win')).toBeCloseTo(8, 10);
    expect(sp.elo).toBeCloseTo(1208, 10);
    expect(sp.pool[0]!.elo).toBeCloseTo(1192, 10);
    const e = 1 / (1 + 10 ** (-16 / 400));
    expect(sp.recordResult('loss')).toBeCloseTo(-16 * e, 10);
    expect(sp.elo).toBeCloseTo(1208 - 16 * e, 10);
    expect(sp.pool[0]!.elo).toBeCloseTo(1192 + 16 * e, 10);
    // A draw from the return's sign (0), and another team's episode is not scored.
    expect(sp.recordEpisode({ team: 1, result: 'win', return: 1 })).toBe(0);
    const [before, opp] = [sp.elo, sp.pool[0]!.elo];
    sp.recordEpisode({ team: 0, result: null, return: 0 });
    expect(sp.elo).toBeCloseTo(before + 16 * (0.5 - 1 / (1 + 10 ** ((opp - before) / 400))), 10);
    expect(sp.games).toBe(3);
  });

  it('leaves the rating as it was for games against the latest weights', () => {
    const sp = new SelfPlay(settings({ playAgainstLatestModelRatio: 1, swapSteps: 10 }), { seed: 1, teams: 2, initial: weights(0) });
    sp.afterUpdate(10, weights(1));
    expect(sp.opponent).toBe(-1);
    expect(sp.opponentWeights.params).toEqual(weights(1).params);
    expect(sp.recordResult('win')).toBe(0);
    expect(sp.elo).toBe(1200);
  });

  it('saves, swaps and changes team at the first update reaching each multiple', () => {
    const sp = new SelfPlay(settings({ saveSteps: 300, swapSteps: 200, teamChange: 500, window: 3 }), { seed: 3, teams: 2, initial: weights(0) });
    const log: string[] = [];
    for (let step = 128; step <= 1280; step += 128) {
      const ev = sp.afterUpdate(step, weights(step));
      log.push(`${step}:${ev.saved ? 'S' : ''}${ev.swapped ? 'W' : ''}${ev.teamChanged ? 'T' : ''}${sp.learningTeam}`);
    }
    // multiples: save 300 600 900 1200; swap 200 400 600 800 1000 1200; team 500 1000.
    expect(log).toEqual(['128:0', '256:W0', '384:S0', '512:WT1', '640:SW1', '768:1', '896:W1', '1024:SWT0', '1152:0', '1280:SW0']);
    // The pool: initial, then snapshots at 384 and 640 fill the window of 3; 1024 and 1280 replace the oldest.
    expect(sp.pool.map((s) => s.version)).toEqual([1024, 1280, 640]);
    expect(() => sp.afterUpdate(1000, weights(0))).toThrow(/steps go forward only/);
  });

  it('draws the latest weights and each snapshot as often as the settings say (fixed seed)', () => {
    const sp = new SelfPlay(settings({ saveSteps: 1, swapSteps: 1, teamChange: 1e9, window: 4, playAgainstLatestModelRatio: 0.3 }), { seed: 11, teams: 2, initial: weights(0) });
    for (let s = 1; s <= 3; s++) sp.afterUpdate(s, weights(s)); // pool of 4 now
    const opts = settings({ saveSteps: 1e9, swapSteps: 1, teamChange: 1e9, window: 4, playAgainstLatestModelRatio: 0.3 });
    const draws = SelfPlay.fromJSON(opts, sp.toJSON(), 3);
    const counts = new Map<number, number>();
    const n = 20_000;
    for (let s = 4; s < 4 + n; s++) {
      draws.afterUpdate(s, weights(99));
      counts.set(draws.opponent, (counts.get(draws.opponent) ?? 0) + 1);
    }
    // Latest: p = 0.3; each of the 4 snapshots: 0.7 / 4 = 0.175. 4 standard deviations each.
    const within = (k: number, p: number) => Math.abs((counts.get(k) ?? 0) - n * p) < 4 * Math.sqrt(n * p * (1 - p));
    expect(within(-1, 0.3)).toBe(true);
    for (const k of [0, 1, 2, 3]) expect(within(k, 0.175)).toBe(true);
    expect([...counts.keys()].sort()).toEqual([-1, 0, 1, 2, 3]);
  });

  it('restores exactly from JSON: pool, ratings, team, opponent and the draws to come', () => {
    const sp = new SelfPlay(settings({ saveSteps: 100, swapSteps: 50, teamChange: 300, window: 3 }), { seed: 5, teams: 2, initial: weights(0.25) });
    for (let s = 64; s <= 640; s += 64) {
      sp.afterUpdate(s, weights(s / 7));
      sp.recordResult(s % 3 === 0 ? 'win' : 'loss');
    }
    const json = JSON.parse(JSON.stringify(sp.toJSON()));
    const back = SelfPlay.fromJSON(sp.settings, json, 3);
    expect(back.toJSON()).toEqual(sp.toJSON());
    for (let s = 704; s <= 1600; s += 64) {
      const a = sp.afterUpdate(s, weights(s / 3));
      const b = back.afterUpdate(s, weights(s / 3));
      expect(b).toEqual(a);
      expect(back.opponent).toBe(sp.opponent);
      expect(back.recordResult('win')).toBe(sp.recordResult('win'));
    }
    expect(back.toJSON()).toEqual(sp.toJSON());
    expect(() => SelfPlay.fromJSON(sp.settings, { ...json, opponent: 7 }, 3)).toThrow(/training\.selfPlay: opponent: expected -1 … 2/);
    expect(() => SelfPlay.fromJSON(sp.settings, json, 4)).toThrow(/pool\[0\]\.params: expected 4 finite numbers/);
  });

  it('needs two teams', () => {
    expect(() => new SelfPlay(settings({}), { seed: 1, teams: 1, initial: weights(0) })).toThrow(/at least two teams/);
  });
});
