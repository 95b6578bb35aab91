import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBrain, encodeBrain, policyFromBrain, type Brain } from './brain.js';
import { loadBrain, saveBrain } from './brain.node.js';
import { resolveConfig } from '../rl/config.js';
import { ActorCriticLayout } from '../rl/network.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete, Hybrid, MultiDiscrete } from '../core/spaces.js';
import { ActionDistribution } from '../rl/distributions.js';
import { BrainError } from '../core/errors.js';

function makeBrain(): Brain {
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

describe('brain files', () => {
  it('round-trip through brain.json + weights.bin and act identically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brain-'));
    const brain = makeBrain();
    saveBrain(dir, brain);
    const back = loadBrain(join(dir, 'brain.json'));
    expect(back.observationSpace.high[1]).toBe(Infinity);
    expect(back.policyVersion).toBe(12);
    expect(Array.from(back.params)).toEqual(Array.from(brain.params));
    const obs = Float32Array.from([0.1, -0.2, 0.03, 0.5]);
    const act = (b: Brain) => {
      const { policy, normalizer } = policyFromBrain(b, 1);
      const x = Float32Array.from(obs);
      normalizer?.normalize(x, 1, x);
      const a = new Float32Array(1);
      const v = new Float32Array(1);
      policy.act(x, 1, null, null, a, null, v);
      return [a[0], v[0]];
    };
    expect(act(back)).toEqual(act(brain));
    // The directory works too.
    expect(loadBrain(dir).steps).toBe(6144);
  });

  it('writes the weights in the tfjs weights-manifest format', () => {
    const { manifest, weights } = encodeBrain(makeBrain());
    const specs = manifest.weightsManifest[0]!.weights;
    expect(specs[0]).toEqual({ name: 'actor/dense_0/kernel', shape: [4, 8], dtype: 'float32' });
    const total = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(weights.byteLength).toBe(total * 4);
  });

  const corruptions: [string, (m: Record<string, unknown>, w: Float32Array) => ArrayBuffer | void, RegExp][] = [
    ['another format', (m) => { m.format = 'keras'; }, /"format" is "keras"/],
    ['a future version', (m) => { m.formatVersion = 99; }, /"formatVersion" 99 is not supported/],
    ['a bad action space', (m) => { m.actionSpace = { kind: 'discrete', n: -1 }; }, /"actionSpace" is invalid: .*positive integer/],
    ['a bad config value', (m) => { (m.config as Record<string, unknown>).gamma = 7; }, /"config" is invalid: PPOConfig\.gamma/],
    ['a prototype-polluting key', (m) => { (m.config as Record<string, unknown>) = JSON.parse('{"__proto__": {"polluted": true}}'); }, /unknown field/],
    ['a NaN weight', (_m, w) => { w[5] = NaN; }, /weight 5 \(actor\/dense_0\/kernel\[5\]\) is NaN/],
    ['truncated weights', (_m, w) => w.buffer.slice(0, 100), /weights are 100 bytes, expected/],
    ['a wrong layer shape', (m) => { ((m.weightsManifest as { weights: { shape: number[] }[] }[])[0]!.weights[0]!).shape = [4, 9]; }, /weightsManifest tensor 0/],
    ['missing normalizer stats', (m) => { m.normalizer = { observation: null }; }, /normalizeObs is true but "normalizer\.observation" is missing/],
    ['a wrong-length normalizer', (m) => { (m.normalizer as { observation: { mean: number[] } }).observation.mean = [1]; }, /normalizer\.observation\.mean" must be 4 finite numbers/],
  ];
  for (const [name, corrupt, message] of corruptions) {
    it(`refuses ${name} with a precise message`, () => {
      const { manifest, weights } = encodeBrain(makeBrain());
      const json = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
      const w = new Float32Array(weights.slice(0));
      const replaced = corrupt(json, w);
      expect(() => decodeBrain(json, replaced ?? w.buffer)).toThrow(BrainError);
      expect(() => decodeBrain(json, replaced ?? w.buffer)).toThrow(message);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('round-trips a hybrid action space (with unbounded reals) and refuses a malformed one', () => {
    const config = resolveConfig({ hiddenSizes: [8] });
    const actionSpace = Hybrid(Box([-1, -Infinity], [1, Infinity]), MultiDiscrete([3, 2]));
    const dist = new ActionDistribution(actionSpace);
    const layout = ActorCriticLayout.forDistribution(3, config.hiddenSizes, dist);
    const brain: Brain = {
      env: 'hybrid', observationSpace: Box(-Infinity, Infinity, 3), actionSpace, config, observationStats: null,
      policyVersion: 1, steps: 10, params: layout.initialize(new Rng(1), -0.5),
    };
    const { manifest, weights } = encodeBrain(brain);
    const json = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
    const back = decodeBrain(json, weights);
    expect(back.actionSpace).toEqual(actionSpace);
    expect(Array.from(back.params)).toEqual(Array.from(brain.params));
    json.actionSpace = { kind: 'hybrid', continuous: { kind: 'discrete', n: 2 }, discrete: { kind: 'multiDiscrete', nvec: [2] } };
    expect(() => decodeBrain(json, weights)).toThrow(/"actionSpace" is invalid: "continuous" must be a box/);
  });

  it('says which file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brain-'));
    expect(() => loadBrain(join(dir, 'nope.json'))).toThrow(/no such file/);
    writeFileSync(join(dir, 'brain.json'), '{"format": ');
    expect(() => loadBrain(dir)).toThrow(/not valid JSON/);
    saveBrain(dir, makeBrain());
    const manifest = JSON.parse(readFileSync(join(dir, 'brain.json'), 'utf8'));
    manifest.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(join(dir, 'brain.json'), JSON.stringify(manifest));
    expect(() => loadBrain(dir)).toThrow(/must stay beside the manifest/);
  });
});
