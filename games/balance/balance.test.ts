import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from '../../sdk/rl/backend.node.js';
import { FastTrainer } from '../../sdk/runtime/fast-trainer.js';
import { LearnerHost } from '../../sdk/runtime/learner-host.js';
import { nodeBackends } from '../../sdk/runtime/backend.node.js';
import { BALANCE_ACTIONS } from './agent.js';
import { BALANCE_CONFIG, BALANCE_SOLVED_AT, createBalanceCopy } from './headless.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

describe('balance', () => {
  it(`learns to balance headless (fast mode in Node): mean return ≥ ${BALANCE_SOLVED_AT} within 300,000 transitions`, async () => {
    const trainer = new FastTrainer({
      createCopy: (i) => createBalanceCopy(i, 1), copies: 8, name: 'balance', observationSize: 0, actionSpec: BALANCE_ACTIONS,
      config: BALANCE_CONFIG, backend: 'wasm',
    }, new LearnerHost(nodeBackends));
    const history: { step: number; returnMean: number }[] = [];
    await trainer.run((u) => history.push({ step: u.step, returnMean: u.returnMean }), { maxSteps: 300_000, targetReturn: BALANCE_SOLVED_AT });
    const last = history[history.length - 1]!;
    console.log(`balance: ${last.step} transitions, mean return ${last.returnMean.toFixed(1)}`);
    expect(history[0]!.returnMean).toBeLessThan(60);
    expect(last.returnMean).toBeGreaterThanOrEqual(BALANCE_SOLVED_AT);
  }, 300_000);
});
