/** A small CartPole brain the brain tests (unit, browser, fuzz) share. Test-only. */
import type { Brain } from './brain.js';
import { resolveConfig } from '../rl/config.js';
import { ActorCriticLayout } from '../rl/network.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete } from '../core/spaces.js';
import type { ObservationInput } from '../rl/conv.js';

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

/** A format 3 brain with a grid input and the conv encoder: 2 values, a 5×6×2 grid, 1 value; 3 actions. */
export function gridTestBrain(): Brain {
  const config = resolveConfig({ hiddenSizes: [8], convLayers: [{ filters: 3, kernel: 3, stride: 1 }, { filters: 2, kernel: 2, stride: 2 }] });
  const observationInputs: ObservationInput[] = [
    { name: 'observations', kind: 'vector', size: 2 }, { name: 'map', kind: 'grid', shape: [5, 6, 2] }, { name: 'goal', kind: 'vector', size: 1 },
  ];
  const layout = new ActorCriticLayout(63, config.hiddenSizes, 3, false, { inputs: observationInputs, convLayers: config.convLayers });
  return {
    env: 'maze', observationSpace: Box(-Infinity, Infinity, 63), actionSpace: Discrete(3), config, observationStats: null,
    policyVersion: 4, steps: 512, params: layout.initialize(new Rng(7), 0), observationInputs,
  };
}
