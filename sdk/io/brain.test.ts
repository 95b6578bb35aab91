import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { assertBrainFits, decodeBrain, encodeBrain, learnerStateOf, policyFromBrain, type Brain } from './brain.js';
import { loadBrain, saveBrain } from './brain.node.js';
import { resolveConfig } from '../rl/config.js';
import { ActorCriticLayout } from '../rl/network.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete, Hybrid, MultiDiscrete } from '../core/spaces.js';
import { ActionDistribution } from '../rl/distributions.js';
import { BrainError } from '../core/errors.js';
import { cartpoleTestBrain } from './test-brain.js';

const makeBrain = cartpoleTestBrain;

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

  const corruptions: [string, (m: Record<string, unknown>, w: Float32Array) => ArrayBuffer | void, RegExp | string][] = [
    ['another format', (m) => { m.format = 'keras'; }, /"format" is "keras"/],
    ['a future version', (m) => { m.formatVersion = 99; }, /"formatVersion" 99 is not supported/],
    ['a bad action space', (m) => { m.actionSpace = { kind: 'discrete', n: -1 }; }, 'brain.json: actionSpace.n: expected a positive integer, got -1'],
    ['a bad config value', (m) => { (m.config as Record<string, unknown>).gamma = 7; }, 'brain.json: config.gamma: expected a number in (0, 1], got 7'],
    ['a prototype-polluting key', (m) => { (m.config as Record<string, unknown>) = JSON.parse('{"__proto__": {"polluted": true}}'); }, 'brain.json: config: unknown field "__proto__"'],
    ['a negative layer width, by its path', (m) => { (m.config as Record<string, unknown>).hiddenSizes = [8, -3]; }, 'brain.json: config.hiddenSizes[1]: expected a positive integer, got -3'],
    ['a missing field', (m) => { delete m.steps; }, 'brain.json: steps: expected a non-negative integer, got nothing'],
    ['a string for a number', (m) => { m.policyVersion = '12'; }, 'brain.json: policyVersion: expected a non-negative integer, got "12"'],
    ['an oversized space', (m) => { m.observationSpace = { kind: 'box', size: 1e9, low: [], high: [] }; }, 'brain.json: observationSpace.size: expected at most 65536, got 1000000000'],
    ['box bounds that disagree with its size', (m) => { (m.observationSpace as { low: unknown[] }).low.pop(); }, 'brain.json: observationSpace.low: expected 4 bounds (size), got 3'],
    ['a NaN weight', (_m, w) => { w[5] = NaN; }, /weight 5 \(actor\/dense_0\/kernel\[5\]\) is NaN/],
    ['truncated weights', (_m, w) => w.buffer.slice(0, 100), /weights are 100 bytes, expected/],
    ['a wrong layer shape', (m) => { ((m.weightsManifest as { weights: { shape: number[] }[] }[])[0]!.weights[0]!).shape = [4, 9]; }, /weightsManifest\[0\]\.weights\[0\] is .*"shape":\[4,9\].*expected .*"shape":\[4,8\]/],
    ['missing normalizer stats', (m) => { m.normalizer = { observation: null }; }, /normalizeObs is true but "normalizer\.observation" is missing/],
    ['a wrong-length normalizer', (m) => { (m.normalizer as { observation: { mean: number[] } }).observation.mean = [1]; }, 'brain.json: normalizer.observation: expected mean and var of 4 values each, got 1 and 4'],
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
    expect(() => decodeBrain(json, weights)).toThrow(/^brain\.json: actionSpace\.continuous\.kind: .*expected "box", got "discrete"/);
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

describe('a brain that does not fit', () => {
  it('names what the brain was trained as and what the target gives, as one sentence', () => {
    const what = 'behavior "collector" of the game "CoinsScene"';
    // It read "the brain's (cartpole) action space … is not behavior … "CoinsScene"'s …".
    expect(() => assertBrainFits(makeBrain(), 4, Discrete(5), what))
      .toThrow('the brain (trained as "cartpole") acts in {"kind":"discrete","n":2}, behavior "collector" of the game "CoinsScene" in {"kind":"discrete","n":5}: was it trained on this one?');
    expect(() => assertBrainFits(makeBrain(), 6, Discrete(2), what))
      .toThrow('the brain (trained as "cartpole") observes 4 values, behavior "collector" of the game "CoinsScene" gives 6: was it trained on this one?');
  });
});

describe('training state in a brain (checkpoints)', () => {
  function checkpoint(): Brain {
    const brain = makeBrain();
    const n = brain.params.length;
    const config = resolveConfig({ hiddenSizes: [8, 8], normalizeObs: true, normalizeReward: true });
    const rewardStats = new RunningMeanStd(1);
    rewardStats.update(Float64Array.from([0.5, -1.25, 3]), 3);
    const rng = new Rng(9);
    return {
      ...brain, config,
      training: {
        adam: { m: Float32Array.from({ length: n }, () => rng.normal()), v: Float32Array.from({ length: n }, () => rng.next()), t: 48 },
        updates: 12, learnerRng: new Rng(5).getState(), rewardStats, actingRng: new Rng(6).getState(),
      },
    };
  }

  it('round-trips Adam moments, schedules, RNG states and reward statistics exactly, in the one weights file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brain-'));
    const brain = checkpoint();
    saveBrain(dir, brain);
    const manifest = JSON.parse(readFileSync(join(dir, 'brain.json'), 'utf8'));
    expect(manifest.formatVersion).toBe(3);
    expect(manifest.weightsManifest[0].weights.slice(-2).map((w: { name: string }) => w.name)).toEqual(['training/adam_m', 'training/adam_v']);
    const back = loadBrain(dir);
    const t = back.training!;
    expect(Array.from(t.adam.m)).toEqual(Array.from(brain.training!.adam.m));
    expect(Array.from(t.adam.v)).toEqual(Array.from(brain.training!.adam.v));
    expect([t.adam.t, t.updates]).toEqual([48, 12]);
    expect(t.learnerRng).toEqual(brain.training!.learnerRng);
    expect(t.actingRng).toEqual(brain.training!.actingRng);
    expect(t.rewardStats!.toJSON()).toEqual(brain.training!.rewardStats!.toJSON());
    expect(Array.from(back.params)).toEqual(Array.from(brain.params));
    expect(learnerStateOf(back)).toMatchObject({ updates: 12, version: 12, rngState: brain.training!.learnerRng });
    const fresh = learnerStateOf(makeBrain());
    expect([fresh.adam.t, fresh.updates, fresh.version, fresh.adam.m.every((x) => x === 0)]).toEqual([0, 0, 12, true]);
  });

  it('refuses training state that does not fit: in a version 1 manifest, a negative second moment, missing reward statistics', () => {
    const { manifest, weights } = encodeBrain(checkpoint());
    const json = () => JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
    const v1 = json();
    v1.formatVersion = 1;
    expect(() => decodeBrain(v1, weights)).toThrow('brain.json: "training" needs formatVersion 2, the manifest says 1');
    const w = new Float32Array(weights.slice(0));
    w[w.length - 1] = -1;
    expect(() => decodeBrain(json(), w.buffer)).toThrow(/is negative: Adam's second moment cannot be/);
    const noStats = json();
    (noStats.training as Record<string, unknown>).rewardStats = null;
    expect(() => decodeBrain(noStats, weights)).toThrow('brain.json: training.rewardStats: config.normalizeReward is true, so expected statistics, got null');
    const badRng = json();
    (badRng.training as Record<string, unknown>).learnerRng = [1, 2];
    expect(() => decodeBrain(badRng, weights)).toThrow('brain.json: training.learnerRng: expected the 6 numbers of Rng.getState(), got [1,2]');
  });

  it('keeps loading the shipped version 1 brains', () => {
    for (const game of ['balance', 'chase', 'lander']) {
      const brain = loadBrain(join('games', game, 'brain.json'));
      expect(brain.env).toBe(game);
      expect(brain.training).toBeUndefined();
    }
  });
});

describe('hostile manifests', () => {
  it.each([
    ['top level', '{"__proto__": {"polluted": true}}'],
    ['a space', '{"observationSpace": {"kind": "box", "size": 4, "low": [0,0,0,0], "high": [1,1,1,1], "__proto__": {"polluted": true}}}'],
    ['the normalizer', '{"normalizer": {"observation": null, "constructor": {"prototype": {"polluted": true}}}}'],
    ['the weights manifest', '{"weightsManifest": [{"paths": ["weights.bin"], "weights": [], "__proto__": {"polluted": true}}]}'],
  ])('a __proto__ or constructor key in %s pollutes nothing', (_where, patch) => {
    const { manifest, weights } = encodeBrain(makeBrain());
    // JSON.parse makes "__proto__" an own key; merging it with Object.assign would set a prototype.
    const json = { ...JSON.parse(JSON.stringify(manifest)), ...JSON.parse(patch) } as Record<string, unknown>;
    let brain: Brain | undefined;
    try {
      brain = decodeBrain(json, weights);
    } catch (err) {
      expect(err).toBeInstanceOf(BrainError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (brain) {
      expect(Object.getPrototypeOf(brain)).toBe(Object.prototype);
      expect((brain as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect((brain.observationSpace as unknown as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('refuses a __proto__ key inside a space by name', () => {
    const { manifest, weights } = encodeBrain(makeBrain());
    const json = JSON.parse(JSON.stringify(manifest).replace('"kind":"discrete"', '"kind":"discrete","__proto__":{"n":1}')) as Record<string, unknown>;
    expect(() => decodeBrain(json, weights)).toThrow('brain.json: actionSpace: unknown field "__proto__"');
  });
});

describe('tfjs tooling reads brain.json as a model.json', () => {
  it('tf.io.http loads it and tf.io.decodeWeights names every tensor with its shape', async () => {
    const brain = makeBrain();
    const { manifest, weights } = encodeBrain({ ...brain, training: { adam: { m: new Float32Array(brain.params.length), v: new Float32Array(brain.params.length), t: 0 }, updates: 0, learnerRng: new Rng(1).getState(), rewardStats: null, actingRng: null } });
    const served: Record<string, BodyInit> = { 'https://x.test/b/brain.json': JSON.stringify(manifest), 'https://x.test/b/weights.bin': weights };
    const fetchFunc = async (url: RequestInfo | URL) => new Response(served[String(url)] ?? null, { status: served[String(url)] ? 200 : 404 });
    const artifacts = await tf.io.http('https://x.test/b/brain.json', { fetchFunc }).load!();
    const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    try {
      expect(Object.keys(tensors)).toEqual(manifest.weightsManifest[0]!.weights.map((w) => w.name));
      expect(tensors['actor/dense_0/kernel']!.shape).toEqual([4, 8]);
      expect(Array.from(tensors['actor/dense_0/kernel']!.dataSync())).toEqual(Array.from(brain.params.subarray(0, 32)));
      expect(tensors['training/adam_v']!.shape).toEqual([brain.params.length]);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  });
});

describe('saving over a brain', () => {
  it('alternates the weights file so a save killed before its manifest leaves the old brain whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brain-'));
    const a = makeBrain();
    saveBrain(dir, a);
    const b = { ...makeBrain(), policyVersion: 13, params: a.params.map((x) => x + 1) };
    saveBrain(dir, b);
    expect(readdirSync(dir).sort()).toEqual(['brain.json', 'weights.1.bin']);
    expect(loadBrain(dir).policyVersion).toBe(13);
    // A save killed after writing its weights, before replacing the manifest: the manifest still
    // names the complete weights of the brain it describes.
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(7));
    const back = loadBrain(dir);
    expect([back.policyVersion, Array.from(back.params)]).toEqual([13, Array.from(b.params)]);
    saveBrain(dir, a);
    expect(readdirSync(dir).sort()).toEqual(['brain.json', 'weights.bin']);
    expect(loadBrain(dir).policyVersion).toBe(12);
  });
});
