import { describe, it, expect } from 'vitest';
import { ActorCriticLayout, forwardMlp, widestLayer, type LayerSlice } from './network.js';
import { Rng } from '../core/rng.js';

/** The plain triple loop forwardMlp was before it was register-blocked: the bits to keep. */
function naiveForward(params: Float32Array, layers: readonly LayerSlice[], x: Float32Array, batch: number, out: Float32Array): void {
  let input = x;
  layers.forEach(({ inSize, outSize, w, b }, l) => {
    const last = l === layers.length - 1;
    const y = last ? out : new Float32Array(batch * outSize);
    for (let n = 0; n < batch; n++) {
      for (let j = 0; j < outSize; j++) y[n * outSize + j] = params[b + j]!;
      for (let i = 0; i < inSize; i++) {
        const xi = input[n * inSize + i]!;
        for (let j = 0; j < outSize; j++) y[n * outSize + j]! += xi * params[w + i * outSize + j]!;
      }
      if (!last) for (let j = 0; j < outSize; j++) y[n * outSize + j] = Math.tanh(y[n * outSize + j]!);
    }
    input = y;
  });
}

describe('forwardMlp', () => {
  it('gives the same bits as the plain triple loop on odd sizes, odd batches and zero inputs', () => {
    const rng = new Rng(9);
    for (let t = 0; t < 60; t++) {
      const obs = 1 + rng.int(9);
      const hidden = Array.from({ length: 1 + rng.int(3) }, () => 1 + rng.int(70));
      const layout = new ActorCriticLayout(obs, hidden, 1 + rng.int(6), rng.int(2) === 1);
      const params = layout.initialize(rng, 0);
      for (let i = 0; i < params.length; i++) params[i]! += rng.normal();
      const batch = 1 + rng.int(9);
      const x = Float32Array.from({ length: batch * obs }, () => (rng.int(5) === 0 ? 0 : 2 * rng.normal()));
      const width = Math.max(widestLayer(layout.actor), widestLayer(layout.critic));
      for (const layers of [layout.actor, layout.critic]) {
        const outSize = layers[layers.length - 1]!.outSize;
        const expected = new Float32Array(batch * outSize);
        const actual = new Float32Array(batch * outSize);
        naiveForward(params, layers, x, batch, expected);
        forwardMlp(params, layers, x, batch, actual, [new Float32Array(batch * width), new Float32Array(batch * width)]);
        expect(actual).toEqual(expected);
      }
    }
  });
});
