/**
 * The per-game speed figures of the benches (bench/games.ts, bench/maze.ts): headless env steps
 * per second of one copy, and training transitions per second with the kernels engine.
 */
import { BehaviorRunner } from '../sdk/adapter/runner.js';
import { resolveConfig } from '../sdk/rl/config.js';
import { FastTrainer } from '../sdk/runtime/fast-trainer.js';
import { Collector } from '../sdk/runtime/collector.js';
import type { OneBehaviorGame } from '../sdk/runtime/game.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';

/** Ticks one copy for `seconds`, its agents acting by heuristic; figures are ticks of that copy. */
export function simFigure(game: OneBehaviorGame, seconds: number): number {
  const collector = new Collector(game, {
    copies: 1, seed: 1,
    runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config) }),
  });
  for (let i = 0; i < 2000; i++) collector.tick();
  let n = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 500; i++) collector.tick();
    n += 500;
  }
  return n / ((performance.now() - t0) / 1000);
}

export async function trainFigures(game: OneBehaviorGame, updates: number): Promise<{ sps: number; copies: number; agents: number; batch: number; updateMs: number }> {
  const trainer = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
  await trainer.start();
  trainer.runUpdate(); // warm-up: first rollout, buffers, JIT
  const t0 = performance.now();
  const s0 = trainer.step;
  for (let i = 0; i < updates; i++) trainer.runUpdate();
  const dt = (performance.now() - t0) / 1000;
  const batch = trainer.config.batchSize;
  return { sps: (trainer.step - s0) / dt, copies: game.copies, agents: trainer.config.numEnvs, batch, updateMs: (dt * 1000) / updates };
}

