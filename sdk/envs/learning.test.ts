/**
 * Learning tests: real training runs with fixed seeds and bars a broken learner cannot reach
 * (a random CartPole policy scores ~22, a random Pendulum policy ~−1200). They take tens of
 * seconds each; they assert what was learned, never how long it took.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from '../rl/backend.node.js';
import { TfjsEngine } from '../rl/tfjs-engine.js';
import { Trainer } from '../runtime/trainer.js';
import { ENVS } from './index.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

function train(name: 'cartpole' | 'pendulum', steps: number, seed: number) {
  const env = ENVS[name]!;
  const trainer = new Trainer({ env: env.create, envName: name, config: { ...env.config, totalSteps: steps, seed }, engine: (l) => new TfjsEngine(l) });
  const history = trainer.run({ targetReturn: env.solvedAt });
  trainer.dispose();
  return history;
}

describe('learning', () => {
  it('CartPole reaches a mean return of 475 within 300,000 steps (seed 1)', () => {
    const history = train('cartpole', 300_000, 1);
    const last = history[history.length - 1]!;
    expect(last.step).toBeLessThanOrEqual(300_000);
    expect(last.returnMean).toBeGreaterThanOrEqual(475);
    // It learned, rather than starting lucky: the first updates were near random.
    expect(history[0]!.returnMean).toBeLessThan(60);
  }, 240_000);

  it('Pendulum improves from about −1200 to −400 within 400,000 steps (seed 1, shipped config)', () => {
    const history = train('pendulum', 400_000, 1);
    const last = history[history.length - 1]!;
    expect(last.step).toBeLessThanOrEqual(400_000);
    expect(history[1]!.returnMean).toBeLessThan(-900);
    expect(last.returnMean).toBeGreaterThanOrEqual(-400);
  }, 480_000);
});
