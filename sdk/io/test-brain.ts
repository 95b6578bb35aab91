/** A small CartPole brain the brain tests (unit, browser, fuzz) share. Test-only. */
import type { Brain } from './brain.js';
import { resolveConfig } from '../rl/config.js';
import { ActorCriticLayout } from '../rl/network.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete } from '../core/spaces.js';

/** 4 observations (two unbounded), 2 actions, 8-8 hidden, with observation statistics. */
export function cartpoleTestBrain(): Brain {
  const config = resolveConfig({ hiddenSizes: [8, 8], normalizeObs: true });
  const layout = new ActorCriticLayout(4, config.hiddenSizes, 2, false);
  const stats = new RunningMeanStd(4);
  stats.update(Float32Array.from([1, 2, 3, 4, 2, 3, 4, 5]), 2);
  return {
    env: 'cartpole', observationSpace: Box([-4.8, -Infinity, -0.42, -Infinity], [4.8, Infinity, 0.42, Infinity]),
    actionSpace: Discrete(2), config, observationStats: stats, policyVersion: 12, steps: 6144,
    params: layout.initialize(new Rng(3), 0),
  };
}
