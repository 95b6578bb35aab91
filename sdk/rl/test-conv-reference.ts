/**
 * The actor-critic with conv stacks in float64: the yardstick the conv tests (engines, acting,
 * finite differences) share. Plain loops straight from the contract; slow, obvious. Test-only.
 */
import { convOutSize, type ConvLayerSlice, type ConvStack } from './conv.js';
import type { ActorCriticLayout, LayerSlice } from './network.js';

/** A conv stack's output (post-ReLU, HWC) for B rows: row n's grid at x[n·xStride + xOffset ..]. */
export function convReference(params: ArrayLike<number>, layers: readonly ConvLayerSlice[], x: ArrayLike<number>, xStride: number, xOffset: number, B: number): Float64Array {
  const first = layers[0]!;
  const gridSize = first.inH * first.inW * first.inC;
  let input = new Float64Array(B * gridSize);
  for (let n = 0; n < B; n++) for (let i = 0; i < gridSize; i++) input[n * gridSize + i] = x[n * xStride + xOffset + i]!;
  for (const L of layers) {
    const inSize = L.inH * L.inW * L.inC;
    const outSize = convOutSize(L);
    const out = new Float64Array(B * outSize);
    for (let n = 0; n < B; n++) for (let oy = 0; oy < L.outH; oy++) for (let ox = 0; ox < L.outW; ox++) for (let oc = 0; oc < L.outC; oc++) {
      let s = params[L.b + oc]!;
      for (let ky = 0; ky < L.kernel; ky++) for (let kx = 0; kx < L.kernel; kx++) for (let ic = 0; ic < L.inC; ic++) {
        s += input[n * inSize + ((oy * L.stride + ky) * L.inW + ox * L.stride + kx) * L.inC + ic]!
          * params[L.w + ((ky * L.kernel + kx) * L.inC + ic) * L.outC + oc]!;
      }
      out[n * outSize + (oy * L.outW + ox) * L.outC + oc] = Math.max(0, s);
    }
    input = out;
  }
  return input;
}

function mlpReference(params: ArrayLike<number>, layers: readonly LayerSlice[], x: Float64Array, B: number): Float64Array {
  let h = x;
  layers.forEach(({ inSize, outSize, w, b }, l) => {
    const y = new Float64Array(B * outSize);
    for (let n = 0; n < B; n++) {
      for (let j = 0; j < outSize; j++) {
        let z = params[b + j]!;
        for (let i = 0; i < inSize; i++) z += h[n * inSize + i]! * params[w + i * outSize + j]!;
        y[n * outSize + j] = l === layers.length - 1 ? z : Math.tanh(z);
      }
    }
    h = y;
  });
  return h;
}

/** One net (actor or critic) of `layout` in float64: conv stacks, MLP input assembly, MLP. */
export function netReference(layout: ActorCriticLayout, params: ArrayLike<number>, net: 'actor' | 'critic', obs: ArrayLike<number>, B: number): Float64Array {
  const stacks: readonly ConvStack[] = net === 'actor' ? layout.actorConv : layout.criticConv;
  const outs = stacks.map((s) => convReference(params, s.layers, obs, layout.observationSize, s.xOffset, B));
  const m = layout.mlpInputSize;
  const x = new Float64Array(B * m);
  for (const part of layout.mlpInput) {
    for (let n = 0; n < B; n++) {
      for (let i = 0; i < part.size; i++) {
        x[n * m + part.mlpOffset + i] = part.conv < 0 ? obs[n * layout.observationSize + part.xOffset + i]! : outs[part.conv]![n * part.size + i]!;
      }
    }
  }
  return mlpReference(params, net === 'actor' ? layout.actor : layout.critic, x, B);
}
