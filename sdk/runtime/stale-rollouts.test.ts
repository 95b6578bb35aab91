/**
 * Learning from rollouts one update old (policy lag 1: overlapping `--workers N`, the page's fast
 * mode on several workers). With balance's learning rate (1e-3), the 'decoupled' objective
 * (PPO.md's π_prox clip, behaviour weights, Retrace/V-trace) learned half what lag-0 training did;
 * PPO's own objective against the policy that acted (config.staleRollouts 'ppo', the default)
 * comes close to it. Budgets are transitions; the bar is a mean over three fixed seeds, each
 * judged apart from training on 20 episodes of other seeds.
 */
import { describe, expect, it } from 'vitest';
import { balanceGame } from '../../games/balance/headless.js';
import { nodeBackends } from './backend.node.js';
import { evaluateGame } from './evaluate.js';
import { ParallelTrainer } from './parallel-trainer.js';

const BUDGET = 160 * 512;

async function overlapping(seed: number): Promise<{ lag: number; played: number }> {
  // As `train balance --workers 2 --steps 81920`: this thread acts worker 1's copies, one actor thread the rest.
  const t = new ParallelTrainer(balanceGame, nodeBackends, { workers: 2, source: { name: 'balance' }, seed, backend: 'kernels', learnerActs: true, config: { totalSteps: BUDGET } });
  try {
    await t.start();
    let lag = 0;
    while (t.step < BUDGET) lag = Math.max(lag, (await t.runUpdate()).policyLagMean);
    return { lag, played: evaluateGame(balanceGame, t.brain(), { episodes: 20, seed: 99 }).returnMean };
  } finally {
    t.dispose();
  }
}

describe('stale rollouts (policy lag 1)', () => {
  it(`overlapping workers learn balance: mean return ≥ 250 over seeds 1–3 after ${BUDGET.toLocaleString('en-US')} transitions each (the 'decoupled' objective: 168; lag 0: 322; random ≈ 27)`, async () => {
    const runs = [];
    for (const seed of [1, 2, 3]) runs.push(await overlapping(seed));
    // Every rollout after the first acted with weights one update old.
    for (const r of runs) expect(r.lag).toBe(1);
    const mean = runs.reduce((a, r) => a + r.played, 0) / runs.length;
    expect(mean, `seeds 1–3 played ${runs.map((r) => r.played.toFixed(0)).join(', ')}`).toBeGreaterThanOrEqual(250);
  }, 600_000);
});
