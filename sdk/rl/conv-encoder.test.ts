import { describe, it, expect } from 'vitest';
import { Policy } from './policy.js';
import { ActionDistribution } from './distributions.js';
import { ActorCriticLayout, assembleMlpInput, forwardMlp, widestLayer } from './network.js';
import { convForward, convOutSize } from './conv.js';
import { Discrete } from '../core/spaces.js';
import { Rng } from '../core/rng.js';

describe('Policy with conv encoders', () => {
  // A vector input between two grids: the MLP input interleaves them in declaration order.
  const inputs = [
    { name: 'map', kind: 'grid', shape: [7, 7, 4] },
    { name: 'pos', kind: 'vector', size: 3 },
    { name: 'near', kind: 'grid', shape: [5, 6, 2] },
  ] as const;
  const convLayers = [{ filters: 8, kernel: 3, stride: 1 }, { filters: 6, kernel: 2, stride: 2 }];
  const obsSize = 7 * 7 * 4 + 3 + 5 * 6 * 2;
  const dist = new ActionDistribution(Discrete(5));
  const layout = new ActorCriticLayout(obsSize, [32], dist.outputSize, false, { inputs, convLayers });
  const rng = new Rng(3);
  const params = layout.initialize(rng, 0);
  for (let i = 0; i < params.length; i++) params[i]! += 0.05 * rng.normal();
  const B = 5;
  const obs = Float32Array.from({ length: B * obsSize }, () => (rng.next() < 0.4 ? 1 : 0));

  /** The actor's logits and the critic's values composed by hand from conv.ts and forwardMlp. */
  function composed(): { logits: Float32Array; values: Float32Array } {
    const run = (stacks: typeof layout.actorConv, mlp: typeof layout.actor, width: number) => {
      const outs = stacks.map((s) => {
        const acts = s.layers.map((L) => new Float32Array(B * convOutSize(L)));
        convForward(params, s.layers, obs, obsSize, s.xOffset, B, acts);
        return acts[acts.length - 1]!;
      });
      const x = new Float32Array(B * layout.mlpInputSize);
      assembleMlpInput(layout, obs, B, outs, x);
      const w = widestLayer(mlp);
      const out = new Float32Array(B * width);
      forwardMlp(params, mlp, x, B, out, [new Float32Array(B * w), new Float32Array(B * w)]);
      return out;
    };
    return { logits: run(layout.actorConv, layout.actor, dist.outputSize), values: run(layout.criticConv, layout.critic, 1) };
  }

  it('JS: the values and greedy log-probs of conv.ts + the MLP composed by hand, bit for bit', () => {
    expect(layout.hasConv).toBe(true);
    const policy = new Policy(layout, dist, params, 8, 'js');
    const values = new Float32Array(B);
    policy.values(obs, B, values);
    const want = composed();
    expect(values).toEqual(want.values);
    const actions = new Float32Array(B);
    const logProbs = new Float32Array(B);
    policy.act(obs, B, null, null, actions, logProbs, null);
    for (let n = 0; n < B; n++) {
      const row = Array.from(want.logits.subarray(n * 5, n * 5 + 5));
      expect(actions[n], `greedy action of row ${n}`).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('kernels: agree with JS to float32 rounding (values, greedy actions and their log-probs)', () => {
    const js = new Policy(layout, dist, params, 8, 'js');
    const wasm = new Policy(layout, dist, params, 8, 'kernels');
    expect(wasm.forward).toBe('kernels');
    const [vj, vk] = [new Float32Array(B), new Float32Array(B)];
    js.values(obs, B, vj);
    wasm.values(obs, B, vk);
    const [aj, ak, lj, lk] = [new Float32Array(B), new Float32Array(B), new Float32Array(B), new Float32Array(B)];
    js.act(obs, B, null, null, aj, lj, null);
    wasm.act(obs, B, null, null, ak, lk, null);
    for (let n = 0; n < B; n++) {
      expect(Math.abs(vk[n]! - vj[n]!), `value ${n}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(vj[n]!)));
      expect(ak[n], `action ${n}`).toBe(aj[n]);
      expect(Math.abs(lk[n]! - lj[n]!), `log-prob ${n}`).toBeLessThan(1e-5);
    }
    // Weights changed in place act from the next call on, on both sides.
    const bias = layout.criticConv[0]!.layers[0]!.b;
    params[bias]! += 0.5;
    js.values(obs, B, vj);
    wasm.values(obs, B, vk);
    const bumped = composed().values;
    params[bias]! -= 0.5;
    expect(vj).toEqual(bumped);
    expect(vj).not.toEqual(composed().values);
    for (let n = 0; n < B; n++) expect(Math.abs(vk[n]! - vj[n]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(vj[n]!)));
  });
});
