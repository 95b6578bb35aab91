import { describe, it, expect } from 'vitest';
import { Rng } from '../core/rng.js';
import { convBackward, convForward, convScratchSize, convStackProblem, convOutSize, type ConvLayerSlice, type ObservationInput } from './conv.js';
import { ActorCriticLayout, assembleMlpInput } from './network.js';
import { convForwardReference } from './conv-reference.js';
import { describeParam } from './fault-guard.js';

const inputs: ObservationInput[] = [
  { name: 'self', kind: 'vector', size: 3 },
  { name: 'map', kind: 'grid', shape: [5, 6, 2] },
  { name: 'goal', kind: 'vector', size: 2 },
];
const convLayers = [{ filters: 4, kernel: 3, stride: 1 }, { filters: 3, kernel: 2, stride: 2 }];

describe('ActorCriticLayout with conv stacks', () => {
  it('places actor conv, actor MLP, log-std, critic conv, critic MLP in that order, with the contract sizes', () => {
    const layout = new ActorCriticLayout(65, [8], 2, true, { inputs, convLayers });
    const [c0, c1] = layout.actorConv[0]!.layers;
    // 5×6×2 → 3×4×4 → 1×2×3 (floor((3 − 2)/2) + 1 = 1, floor((4 − 2)/2) + 1 = 2).
    expect(c0).toEqual({ inH: 5, inW: 6, inC: 2, outH: 3, outW: 4, outC: 4, kernel: 3, stride: 1, w: 0, b: 72 });
    expect(c1).toEqual({ inH: 3, inW: 4, inC: 4, outH: 1, outW: 2, outC: 3, kernel: 2, stride: 2, w: 76, b: 124 });
    expect(layout.actorConv[0]!.outSize).toBe(6);
    expect(layout.actorConv[0]!.xOffset).toBe(3);
    expect(layout.mlpInputSize).toBe(3 + 6 + 2);
    expect(layout.mlpInput).toEqual([
      { conv: -1, xOffset: 0, size: 3, mlpOffset: 0 },
      { conv: 0, xOffset: 3, size: 6, mlpOffset: 3 },
      { conv: -1, xOffset: 63, size: 2, mlpOffset: 9 },
    ]);
    expect(layout.actor[0]!.w).toBe(127);
    expect(layout.actor[0]!.inSize).toBe(11);
    expect(layout.logStd).toBe(layout.actorEnd);
    expect(layout.criticStart).toBe(layout.actorEnd + 2);
    expect(layout.criticConv[0]!.layers[0]!.w).toBe(layout.criticStart);
    expect(layout.critic[0]!.w).toBe(layout.criticStart + 127);
    expect(layout.size).toBe(layout.criticStart + 127 + 11 * 8 + 8 + 8 + 1);
  });

  it('without grid inputs or conv layers is the plain MLP layout, with the same initial weights', () => {
    const plain = new ActorCriticLayout(65, [8], 2, true);
    const flat = new ActorCriticLayout(65, [8], 2, true, { inputs, convLayers: [] });
    expect(flat.hasConv).toBe(false);
    expect(flat.size).toBe(plain.size);
    expect(flat.mlpInput).toEqual([{ conv: -1, xOffset: 0, size: 65, mlpOffset: 0 }]);
    expect(flat.initialize(new Rng(3), -0.5)).toEqual(plain.initialize(new Rng(3), -0.5));
    expect(plain.criticStart).toBe(plain.critic[0]!.w);
  });

  it('refuses inputs that do not add up to the observation size', () => {
    expect(() => new ActorCriticLayout(64, [8], 2, true, { inputs, convLayers })).toThrow(/add up to 65 values, observationSize is 64/);
  });

  it('initializes conv kernels orthogonally with gain √2 over [k·k·inC × outC], zero biases', () => {
    const layout = new ActorCriticLayout(65, [8], 2, false, { inputs, convLayers });
    const params = layout.initialize(new Rng(1), 0);
    const L = layout.criticConv[0]!.layers[0]!;
    const rows = L.kernel * L.kernel * L.inC;
    for (let a = 0; a < L.outC; a++) {
      for (let c = 0; c < L.outC; c++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += params[L.w + r * L.outC + a]! * params[L.w + r * L.outC + c]!;
        expect(dot).toBeCloseTo(a === c ? 2 : 0, 5);
      }
      expect(params[L.b + a]).toBe(0);
    }
  });

  it('assembles the MLP input from vector slices and conv outputs in declaration order', () => {
    const layout = new ActorCriticLayout(65, [8], 2, false, { inputs, convLayers });
    const obs = Float32Array.from({ length: 2 * 65 }, (_, i) => i);
    const conv = [Float32Array.from({ length: 2 * 6 }, (_, i) => 1000 + i)];
    const out = new Float32Array(2 * 11);
    assembleMlpInput(layout, obs, 2, conv, out);
    expect([...out]).toEqual([0, 1, 2, 1000, 1001, 1002, 1003, 1004, 1005, 63, 64, 65, 66, 67, 1006, 1007, 1008, 1009, 1010, 1011, 128, 129]);
  });
});

describe('describeParam with conv stacks', () => {
  it('names the net, the grid input and the layer of a conv parameter', () => {
    const layout = new ActorCriticLayout(65, [8], 2, true, { inputs, convLayers });
    expect(describeParam(layout, 5)).toBe("actor conv 'map' layer 1 W[5] (of 3×3×2×4)");
    expect(describeParam(layout, layout.criticStart + 73)).toBe("critic conv 'map' layer 1 b[1]");
    expect(describeParam(layout, layout.actor[0]!.w)).toBe('actor layer 1 W[0] (of 11×8)');
  });
});

describe('convStackProblem', () => {
  it('names the layer whose kernel does not fit or whose output collapses', () => {
    expect(convStackProblem([5, 6, 2], convLayers, 'convLayers')).toBeNull();
    expect(convStackProblem([2, 6, 1], convLayers, 'convLayers')).toMatch(/convLayers\[0\]\.kernel 3 is larger than the 2×6 grid/);
    expect(convStackProblem([3, 3, 1], convLayers, 'convLayers')).toMatch(/convLayers\[1\]\.kernel 2 is larger than the 1×1 output of layer 0/);
  });
});

describe('convForward / convBackward (plain TS)', () => {
  it('match the float64 reference on odd shapes, strides and a row stride with an offset', () => {
    const rng = new Rng(4);
    for (let t = 0; t < 12; t++) {
      const shape: [number, number, number] = [3 + rng.int(5), 3 + rng.int(5), 1 + rng.int(3)];
      const layersCfg = [{ filters: 1 + rng.int(5), kernel: 1 + rng.int(3), stride: 1 + rng.int(2) }, { filters: 1 + rng.int(4), kernel: 1, stride: 1 }];
      if (convStackProblem(shape, layersCfg, 'c')) continue;
      const gridSize = shape[0] * shape[1] * shape[2];
      const layout = new ActorCriticLayout(gridSize + 3, [4], 2, false, { inputs: [{ name: 'v', kind: 'vector', size: 3 }, { name: 'g', kind: 'grid', shape }], convLayers: layersCfg });
      const params = layout.initialize(rng, 0);
      for (let i = 0; i < params.length; i++) params[i]! += 0.1 * rng.normal();
      const layers = layout.actorConv[0]!.layers;
      // Positive biases keep most ReLUs alive, so the gradients are not all zero.
      for (const L of layers) for (let c = 0; c < L.outC; c++) params[L.b + c]! += 0.5;
      const B = 1 + rng.int(4);
      const stride = layout.observationSize;
      const x = Float32Array.from({ length: B * stride }, () => rng.normal());
      const acts = layers.map((L) => new Float32Array(B * convOutSize(L)));
      convForward(params, layers, x, stride, 3, B, acts);
      const last = layers[layers.length - 1]!;
      const dOut = Float32Array.from({ length: B * convOutSize(last) }, () => rng.normal());
      const ref = convForwardReference(params, layers, x, stride, 3, B).at(-1)!;
      // d(Σ dOut·out)/dθ by central differences of the float64 reference.
      const gRef = new Float64Array(params.length);
      const p64 = Float64Array.from(params);
      const lossAt = () => { const o = convForwardReference(p64, layers, x, stride, 3, B).at(-1)!; let s = 0; for (let i = 0; i < o.length; i++) s += o[i]! * dOut[i]!; return s; };
      const first = layers[0]!.w;
      const end = last.b + last.outC;
      for (let i = first; i < end; i++) {
        const keep = p64[i]!;
        p64[i] = keep + 1e-6; const up = lossAt();
        p64[i] = keep - 1e-6; const down = lossAt();
        p64[i] = keep;
        gRef[i] = (up - down) / 2e-6;
      }
      const out = acts[acts.length - 1]!;
      for (let i = 0; i < ref.length; i++) expect(out[i]).toBeCloseTo(ref[i]!, 5);
      const grads = new Float32Array(params.length);
      const size = convScratchSize(layers, B);
      convBackward(params, layers, x, stride, 3, B, acts, dOut, grads, [new Float32Array(size), new Float32Array(size)]);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < params.length; i++) { worst = Math.max(worst, Math.abs(grads[i]! - gRef[i]!)); scale = Math.max(scale, Math.abs(gRef[i]!)); }
      expect(scale).toBeGreaterThan(0);
      expect(worst / scale).toBeLessThan(1e-4);
    }
  });
});
