/**
 * The one actor-learner loop (ActorLearner + ActorPlay) under both trainers: Node's actor workers
 * (ParallelTrainer, 1 and 2 workers, lockstep and overlap) and the page's fast-mode actors
 * (FastActorLearner on in-process ports) give, update by update, the curves the two separate
 * loops gave before they were merged (test-fixtures/actor-learner-curves.json, captured on the old
 * code with these runs). Budgets are updates, never time.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ENVS } from '../envs/index.js';
import type { PPOConfig } from '../rl/config.js';
import { balanceGame } from '../../games/balance/headless.js';
import { splitCopies } from './actor-learner.js';
import { nodeBackends } from './backend.node.js';
import { envGame } from './env-game.js';
import { FastActorLearner, localActor } from './fast-actors.js';
import type { FastUpdate } from './fast-trainer.js';
import { ParallelTrainer } from './parallel-trainer.js';

type Point = Record<string, number | null>;
const before = JSON.parse(readFileSync(new URL('../../test-fixtures/actor-learner-curves.json', import.meta.url), 'utf8')) as Record<string, Point[]>;
// The curves were captured when lagging rows always trained 'decoupled' (config.staleRollouts since).
const small: Partial<PPOConfig> = { numEnvs: 4, numSteps: 32, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16], normalizeObs: true, normalizeReward: true, totalSteps: 32 * 4 * 200, staleRollouts: 'decoupled' };

function point(u: FastUpdate): Point {
  return {
    update: u.update, step: u.step, episodes: u.episodes, policyLag: u.policyLag, policyLagMean: u.policyLagMean, policyVersion: u.policyVersion,
    returnMean: u.returnMean, policyLoss: u.policyLoss, valueLoss: u.valueLoss, entropy: u.entropy, approxKl: u.approxKl,
    paramsSum: u.params.reduce((a, b) => a + b, 0), obsCount: u.observationStats?.count ?? null,
  };
}

/** Counts exactly; the floating-point figures to 12 significant digits (the same arithmetic gives the same bits; this only spares a platform's last ulp). */
function expectSameCurve(got: Point[], want: Point[]): void {
  expect(got.map((p) => Object.keys(p))).toEqual(want.map((p) => Object.keys(p)));
  got.forEach((p, i) => {
    for (const [k, v] of Object.entries(p)) {
      const w = want[i]![k]!;
      if (v === null || Number.isInteger(w)) expect([i, k, v]).toEqual([i, k, w]);
      else expect(Math.abs(v - w)).toBeLessThanOrEqual(Math.abs(w) * 1e-12);
    }
  });
}

describe('one actor-learner loop for Node and the page', () => {
  it('splits copies in actor order, the first ones one more', () => {
    expect(splitCopies(7, 3)).toEqual([{ firstCopy: 0, copies: 3 }, { firstCopy: 3, copies: 2 }, { firstCopy: 5, copies: 2 }]);
    expect(splitCopies(4, 1)).toEqual([{ firstCopy: 0, copies: 4 }]);
  });

  for (const [name, workers, overlap] of [['w1-lockstep', 1, false], ['w2-lockstep', 2, false], ['w2-overlap', 2, true]] as const) {
    it(`Node actor workers (${name}): seed 3 gives the curve the old loop gave`, async () => {
      const t = new ParallelTrainer(envGame('cartpole', ENVS.cartpole!.create, small), nodeBackends, { workers, source: { name: 'cartpole' }, copies: 4, seed: 3, config: small, backend: 'kernels', overlap });
      try {
        await t.start();
        const got: Point[] = [];
        for (let i = 0; i < 4; i++) got.push(point(await t.runUpdate()));
        expectSameCurve(got, before[name]!);
      } finally {
        t.dispose();
      }
    }, 120_000);
  }

  it('page fast mode on two actors (balance, seed 2) gives the curve the old loop gave', async () => {
    const failures: unknown[] = [];
    const ports = [localActor(balanceGame, (e) => failures.push(e)), localActor(balanceGame, (e) => failures.push(e))];
    const l = new FastActorLearner(balanceGame, nodeBackends, ports, { seed: 2, backend: 'kernels', config: { staleRollouts: 'decoupled' } });
    try {
      await l.start();
      const got: Point[] = [];
      for (let i = 0; i < 3; i++) got.push(point(await l.runUpdate()));
      expectSameCurve(got, before['page-2']!);
      expect(failures).toEqual([]);
    } finally {
      l.close();
    }
  }, 120_000);
});
