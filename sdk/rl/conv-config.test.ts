import { describe, it, expect } from 'vitest';
import { CONFIG_LIMITS, resolveConfig } from './config.js';
import { ActorCriticLayout } from './network.js';
import { ActionDistribution } from './distributions.js';
import { ConfigError } from '../core/errors.js';
import { Discrete } from '../core/spaces.js';
import type { ObservationInput } from './conv.js';

const dist = new ActionDistribution(Discrete(4));
const grid = (rows: number, cols: number, channels: number): ObservationInput[] => [
  { name: 'self', kind: 'vector', size: 3 }, { name: 'map', kind: 'grid', shape: [rows, cols, channels] },
];
const build = (inputs: ObservationInput[], overrides: Record<string, unknown> = {}) => {
  const config = resolveConfig(overrides as never);
  const size = inputs.reduce((s, i) => s + (i.kind === 'grid' ? i.shape[0] * i.shape[1] * i.shape[2] : i.size), 0);
  return ActorCriticLayout.forBehavior(size, inputs, config, dist);
};

describe('PPOConfig.convLayers', () => {
  it('defaults to two 3×3 layers of 16 and 32 filters; [] flattens grids into the MLP; stride defaults to 1', () => {
    expect(resolveConfig().convLayers).toEqual([{ filters: 16, kernel: 3, stride: 1 }, { filters: 32, kernel: 3, stride: 1 }]);
    expect(build(grid(9, 9, 2)).actorConv[0]!.outSize).toBe(5 * 5 * 32);
    const flat = build(grid(9, 9, 2), { convLayers: [] });
    expect(flat.hasConv).toBe(false);
    expect(flat.mlpInputSize).toBe(3 + 9 * 9 * 2);
    expect(resolveConfig({ convLayers: [{ filters: 4, kernel: 2 }] } as never).convLayers).toEqual([{ filters: 4, kernel: 2, stride: 1 }]);
    // A copy: the caller's array cannot change the resolved config.
    const layers = [{ filters: 4, kernel: 2, stride: 1 }];
    const c = resolveConfig({ convLayers: layers });
    layers[0]!.filters = 99;
    expect(c.convLayers[0]!.filters).toBe(4);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an array', { filters: 4 }, /PPOConfig\.convLayers: expected an array of 0 to 8 layers/],
    ['too many layers', Array.from({ length: 9 }, () => ({ filters: 1, kernel: 1 })), /PPOConfig\.convLayers: expected an array of 0 to 8 layers/],
    ['a zero filter count', [{ filters: 0, kernel: 3, stride: 1 }], /PPOConfig\.convLayers\[0\]\.filters: expected an integer in \[1, 1024\], got 0/],
    ['a negative kernel', [{ filters: 8, kernel: 3 }, { filters: 8, kernel: -3, stride: 1 }], /PPOConfig\.convLayers\[1\]\.kernel: expected an integer in \[1, 32\], got -3/],
    ['a fractional stride', [{ filters: 8, kernel: 3, stride: 1.5 }], /PPOConfig\.convLayers\[0\]\.stride: expected an integer in \[1, 32\], got 1\.5/],
    ['an unknown field', [{ filters: 8, kernel: 3, padding: 'same' }], /PPOConfig\.convLayers\[0\]\.padding: unknown field; known fields are filters, kernel, stride/],
    ['a layer that is not an object', [3], /PPOConfig\.convLayers\[0\]: expected an object \{ filters, kernel, stride \}, got 3/],
  ];
  for (const [name, convLayers, message] of bad) {
    it(`refuses ${name} naming the field`, () => {
      expect(() => resolveConfig({ convLayers } as never)).toThrow(ConfigError);
      expect(() => resolveConfig({ convLayers } as never)).toThrow(message);
    });
  }

  it('refuses, naming convLayers and the grid, a kernel larger than the grid or than the layer below leaves', () => {
    expect(() => build(grid(2, 9, 1))).toThrow(ConfigError);
    expect(() => build(grid(2, 9, 1))).toThrow("PPOConfig.convLayers: convLayers[0].kernel 3 is larger than the 2×9 grid of grid 'map' [2, 9, 1]");
    // 4×4 → 2×2 after the first 3×3 layer: the second cannot fit.
    expect(() => build(grid(4, 4, 1))).toThrow("convLayers[1].kernel 3 is larger than the 2×2 output of layer 0 of grid 'map' [4, 4, 1]");
    // A stride that skips past the grid still leaves ≥ 1 output when the kernel fits.
    expect(build(grid(4, 4, 1), { convLayers: [{ filters: 2, kernel: 3, stride: 9 }] }).actorConv[0]!.outSize).toBe(2);
    // With convLayers: [] the same grid is fine (flattened).
    expect(build(grid(2, 9, 1), { convLayers: [] }).hasConv).toBe(false);
  });

  it(`refuses a conv network over ${CONFIG_LIMITS.parameters} parameters, naming convLayers and what to change`, () => {
    // 128×128×4 with two unstrided 3×3 layers: 124·124·32 = 492k features × 64 hidden ≈ 31M per net.
    expect(() => build(grid(128, 128, 4))).toThrow(/PPOConfig\.convLayers: the network over vector 'self' \(3\), grid 'map' \[128, 128, 4\] would have \d+ parameters, over the 4000000 limit for conv networks; use strides > 1/);
    // Strided, the same grid fits.
    expect(build(grid(128, 128, 4), { convLayers: [{ filters: 16, kernel: 8, stride: 4 }, { filters: 32, kernel: 4, stride: 2 }] }).size).toBeLessThan(CONFIG_LIMITS.parameters);
  });
});
