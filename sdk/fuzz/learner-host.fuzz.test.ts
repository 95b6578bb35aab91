/**
 * The learner worker's message handlers on malformed input: LearnerHost.init with broken specs,
 * train with broken rollouts, and raw messages at the worker's guarded comlink endpoint. Each
 * ends in a clear error (a PhaserPpoError, ConfigError or RangeError naming the field), never a
 * TypeError from deep inside, a hang or a dead worker; a good call still works afterwards.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as Comlink from 'comlink';
import { LearnerHost, type LearnerSpec } from '../runtime/learner-host.js';
import { nodeBackends } from '../runtime/backend.node.js';
import { guardEndpoint, type MessageEndpoint } from '../runtime/message-guard.js';
import { allocateRollout, type Rollout } from '../rl/rollout.js';
import { PhaserPpoError } from '../core/errors.js';
import { fuzz } from './fuzz-count.js';

const good: LearnerSpec = {
  observationSize: 3, actionSpace: { kind: 'discrete', n: 2 }, backend: 'kernels',
  config: { numEnvs: 2, numSteps: 8, numMinibatches: 2, updateEpochs: 1, hiddenSizes: [4] },
};

function goodRollout(version = 0): Rollout {
  const r = allocateRollout(8, 2, 3, 1, 0);
  r.observations.forEach((_, i) => { r.observations[i] = Math.sin(i); });
  r.actions.forEach((_, i) => { r.actions[i] = i % 2; });
  r.logProbs.fill(Math.log(0.5));
  r.policyVersion = version;
  return r;
}

/** A clear error: ours (named fields), or a RangeError from the rollout/state checks. */
function expectClear(err: unknown): void {
  const e = err as Error;
  const clear = e instanceof PhaserPpoError || e instanceof RangeError;
  if (!clear) throw new Error(`unclear error ${e?.name}: ${e?.message}`);
  expect(e.message.length).toBeGreaterThan(10);
}

const junk = fc.oneof(
  fc.constantFrom(null, undefined, 0, -1, 1.5, NaN, Infinity, 2 ** 40, '', 'x', true, [], {}),
  fc.integer({ min: -5, max: 70_000 }), fc.string({ maxLength: 5 }), fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 4 }),
  fc.float32Array({ maxLength: 4 }), fc.object({ maxDepth: 1 }),
  // Per-row versions: right and wrong lengths, versions older, current and newer than the learner's.
  fc.int32Array({ min: -2, max: 3, minLength: 7, maxLength: 9 }),
);
const space = fc.oneof(
  fc.record({ kind: fc.constant('discrete'), n: junk }),
  fc.record({ kind: fc.constant('multiDiscrete'), nvec: fc.oneof(junk, fc.array(junk, { maxLength: 3 })) }),
  fc.record({ kind: fc.constant('box'), size: junk, low: fc.oneof(junk, fc.array(fc.double(), { maxLength: 3 })), high: fc.oneof(junk, fc.array(fc.double(), { maxLength: 3 })) }),
  fc.record({ kind: fc.constant('hybrid'), continuous: junk, discrete: junk }),
  junk,
);
/** A good spec with one to three fields broken. */
const spec = fc.record({
  observationSize: fc.oneof(fc.constant(3), junk),
  actionSpace: fc.oneof(fc.constant(good.actionSpace as unknown), space),
  config: fc.oneof(fc.constant(good.config as unknown), junk, fc.constant({ ...good.config, hiddenSizes: [4096, 4096, 4096] })),
  // Always given: 'auto' (the default) measures every backend, seconds per case.
  // Structured inputs: fitting ones (a vector; a 3×1 grid under 1×1 conv layers), a grid the default 3×3 kernels do not fit, junk.
  observationInputs: fc.oneof(fc.constant([{ name: 'o', kind: 'vector', size: 3 }] as unknown), fc.constant([{ name: 'g', kind: 'grid', shape: [1, 3, 1] }]),
    fc.constant([{ name: 'g', kind: 'grid', shape: [3, 1, 1] }, { name: 'g', kind: 'vector', size: 0 }]), junk, fc.array(fc.oneof(junk, fc.record({ name: junk, kind: fc.constantFrom('grid', 'vector', 'x'), shape: junk, size: junk })), { maxLength: 3 })),
  backend: fc.oneof(fc.constant('kernels'), fc.constant('tpu'), junk.filter((v) => v !== undefined)),
  state: fc.oneof(fc.constant(undefined), junk, fc.record({ params: junk, adam: fc.oneof(junk, fc.record({ m: junk, v: junk, t: junk })), updates: junk, version: junk, rngState: junk })),
}, { requiredKeys: ['backend'] });

const ROLLOUT_FIELDS = ['numSteps', 'numEnvs', 'observations', 'actions', 'logProbs', 'values', 'rewards', 'terminated', 'truncated', 'finalValues', 'lastValues', 'masks', 'policyVersion', 'versions'] as const;

describe('fuzz: learner host (worker message handlers)', () => {
  it('init with malformed specs: a clear error, and the host still works after', async () => {
    const host = new LearnerHost(nodeBackends);
    let accepted = 0;
    await fc.assert(fc.asyncProperty(spec, async (s) => {
      try {
        await host.init(s as LearnerSpec);
        accepted++;
      } catch (err) {
        expectClear(err);
      }
    }), { numRuns: 300, seed: 20261124 });
    console.log(`fuzz learner init (malformed specs): 300 cases, ${accepted} accepted`);
    await host.init(good);
    expect(host.train(goodRollout()).version).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);

  it('init with observation inputs: a grid its conv layers fit trains; one they do not fit is refused naming convLayers', async () => {
    const host = new LearnerHost(nodeBackends);
    const grid = { ...good, observationInputs: [{ name: 'row', kind: 'grid', shape: [1, 3, 1] }], config: { ...good.config, convLayers: [{ filters: 2, kernel: 1, stride: 1 }] } } as LearnerSpec;
    await host.init(grid);
    expect(host.train(goodRollout()).version).toBe(1);
    await expect(host.init({ ...grid, config: good.config })).rejects.toThrow("PPOConfig.convLayers: convLayers[0].kernel 3 is larger than the 1×3 grid of grid 'row' [1, 3, 1]");
    await expect(host.init({ ...grid, observationInputs: [{ name: 'row', kind: 'grid', shape: [1, 2, 1] }] } as LearnerSpec)).rejects.toThrow('LearnerSpec.observationInputs: the inputs add up to 2 values, the observation has 3');
  });

  it('train with malformed rollouts: a clear error, weights untouched', async () => {
    const host = new LearnerHost(nodeBackends);
    await host.init(good);
    const before = host.getState();
    let ran = 0;
    fuzz('learner train (malformed rollouts)', 300, fc.property(
      fc.constantFrom(...ROLLOUT_FIELDS), junk, fc.option(fc.tuple(fc.constantFrom('observations', 'rewards', 'values', 'logProbs'), fc.nat(47), fc.constantFrom(NaN, Infinity, -Infinity))),
      (field, value, poison) => {
        ran++;
        const r = goodRollout() as unknown as Record<string, unknown>;
        r[field] = value;
        if (poison) { const a = r[poison[0]]; if (a instanceof Float32Array && a.length > 0) a[poison[1] % a.length] = poison[2]; }
        try {
          host.train(r as unknown as Rollout);
          // Only a value the learner can use gets here (e.g. masks: null, or numSteps unchanged).
        } catch (err) {
          expectClear(err);
        }
      },
    ));
    expect(ran).toBe(300);
    // A rejected rollout changed nothing; an accepted one made one version each.
    const after = host.getState();
    if (after.version === before.version) expect(after.params).toEqual(before.params);
    expect(after.params.every(Number.isFinite)).toBe(true);
  });

  it('raw messages at the guarded worker endpoint: answered or ignored, never a dead worker', async () => {
    const { port1, port2 } = new MessageChannel();
    const host = new LearnerHost(nodeBackends);
    const api = {
      init: (s: LearnerSpec) => host.init(s),
      train: (r: Rollout) => host.train(r),
      getState: () => host.getState(),
    };
    guardEndpoint(port2 as unknown as MessageEndpoint, Object.keys(api));
    Comlink.expose(api, port2 as unknown as Comlink.Endpoint);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    const remote = Comlink.wrap<typeof api>(port1 as unknown as Comlink.Endpoint);

    const message = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.record({
        id: fc.oneof(fc.uuid(), fc.constant(undefined)),
        type: fc.constantFrom('GET', 'SET', 'APPLY', 'CONSTRUCT', 'ENDPOINT', 'RELEASE', 'EVAL', 7),
        path: fc.oneof(fc.constant(['init']), fc.constant(['constructor', 'constructor']), fc.constant(['__proto__', 'polluted']), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), junk),
        argumentList: fc.oneof(fc.constant(undefined), junk, fc.array(fc.record({ type: fc.constantFrom('RAW', 'HANDLER'), value: junk, name: fc.constantFrom('proxy', 'throw') }), { maxLength: 2 })),
        value: junk,
      }, { requiredKeys: ['type'] }),
    );
    // Replies to our junk arrive on port1, where comlink's client ignores unknown ids.
    fuzz('worker endpoint (raw messages)', 300, fc.property(message, (m) => {
      try { port1.postMessage(m); } catch { /* not cloneable: cannot be sent at all */ }
    }));
    // Let every message be handled, then check the endpoint still serves a real call.
    await new Promise((r) => setTimeout(r, 200));
    const init = await remote.init(good);
    expect(init.version).toBe(0);
    expect((await remote.train(goodRollout())).version).toBe(1);
    process.off('uncaughtException', onUncaught);
    expect(uncaught).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A call to something that is not a method is answered with an error, not left hanging.
    await expect((remote as unknown as { constructor: () => Promise<unknown> }).constructor()).rejects.toThrow(/no such method/);
    port1.close();
  });
});
