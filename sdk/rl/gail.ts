/**
 * GAIL's discriminator (Ho & Ermon 2016, as ML-Agents' `gail` reward signal): a small MLP
 * (two tanh layers of `encodingSize`, one logit out) that learns to tell demonstration decisions
 * (label 1) from the policy's (label 0), in plain Float32Array loops (it is tiny next to the policy).
 *
 *   D(x)      = σ(ℓ(x))
 *   loss      = −mean_E log D(x_E) − mean_π log(1 − D(x_π))     (binary cross-entropy)
 *   ∂loss/∂ℓ  = (σ(ℓ) − 1)/B_E on demonstration rows, σ(ℓ)/B_π on policy rows
 *   reward(x) = −log(1 − D(x)) = softplus(ℓ(x))                  (high where the policy looks like the demos)
 *
 * The backward pass through the layers is written out by hand and checked against finite
 * differences in gail.test.ts. Input rows: the observation as the policy sees it (normalized),
 * followed by the action when `useActions`.
 */
import type { Rng } from '../core/rng.js';
import { Adam, type AdamState } from './adam.js';
// Layers as the policy's (network.ts): y = x·W + b, W row-major [in × out].
import type { LayerSlice } from './network.js';

/** softplus(x) = log(1 + eˣ), without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Parameters of a discriminator over `inputSize` values with two hidden layers of `encodingSize`. */
export function discriminatorSize(inputSize: number, encodingSize: number): number {
  return inputSize * encodingSize + encodingSize + encodingSize * encodingSize + encodingSize + encodingSize + 1;
}

/** A discriminator's weights and optimizer, as a checkpoint keeps them (copies). */
export interface DiscriminatorState {
  params: Float32Array;
  adam: AdamState;
}

export class Discriminator {
  readonly layers: readonly LayerSlice[];
  readonly params: Float32Array;
  private readonly adam: Adam;
  private capacity = 0;
  /** Activations per layer (input excluded) for the backward pass. */
  private acts: Float32Array[] = [];
  private readonly logits: Float32Array[] = [];
  private grads: Float32Array;
  private delta = new Float32Array(0);
  private below = new Float32Array(0);

  constructor(readonly inputSize: number, readonly encodingSize: number, rng: Rng) {
    const sizes = [inputSize, encodingSize, encodingSize, 1];
    const layers: LayerSlice[] = [];
    let offset = 0;
    for (let l = 0; l < 3; l++) {
      layers.push({ inSize: sizes[l]!, outSize: sizes[l + 1]!, w: offset, b: offset + sizes[l]! * sizes[l + 1]! });
      offset += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
    }
    this.layers = layers;
    this.params = new Float32Array(offset);
    // Scaled-uniform (Glorot) weights, zero biases: a discriminator needs no orthogonal init.
    for (const { inSize, outSize, w } of layers) {
      const a = Math.sqrt(6 / (inSize + outSize));
      for (let i = 0; i < inSize * outSize; i++) this.params[w + i] = (2 * rng.next() - 1) * a;
    }
    this.adam = new Adam(offset, 1e-8);
    this.grads = new Float32Array(offset);
  }

  /** Its weights and Adam state (copies). */
  getState(): DiscriminatorState {
    const { m, v, t } = this.adam.state;
    return { params: Float32Array.from(this.params), adam: { m: Float32Array.from(m), v: Float32Array.from(v), t } };
  }

  /** Puts back weights and Adam state from {@link getState} (a checkpoint's); sizes must match. */
  setState(state: DiscriminatorState): void {
    const n = this.params.length;
    if (state.params.length !== n || state.adam.m.length !== n || state.adam.v.length !== n) {
      throw new RangeError(`the saved GAIL discriminator has ${state.params.length} parameters, this one (${this.inputSize} inputs, encodingSize ${this.encodingSize}) has ${n}`);
    }
    this.params.set(state.params);
    // In place: the moments may live in the kernels' memory (adam.ts), viewed by the state's arrays.
    this.adam.state.m.set(state.adam.m);
    this.adam.state.v.set(state.adam.v);
    this.adam.state.t = state.adam.t;
  }

  /** The logits ℓ(x) of `batch` rows of `x` into `out`. Keeps the activations for {@link backward}. */
  forward(x: Float32Array, batch: number, out: Float32Array): void {
    this.reserve(batch);
    let input = x;
    for (let l = 0; l < 3; l++) {
      const { inSize, outSize, w, b } = this.layers[l]!;
      const y = l === 2 ? out : this.acts[l]!;
      for (let n = 0; n < batch; n++) {
        for (let j = 0; j < outSize; j++) {
          let z = this.params[b + j]!;
          for (let i = 0; i < inSize; i++) z += input[n * inSize + i]! * this.params[w + i * outSize + j]!;
          y[n * outSize + j] = l === 2 ? z : Math.tanh(z);
        }
      }
      input = y;
    }
  }

  /**
   * Adds ∂(Σ_n dLogit_n · ℓ(x_n))/∂params into `grads`, for the `x` of the last {@link forward}.
   */
  backward(x: Float32Array, batch: number, dLogit: Float32Array, grads: Float32Array): void {
    if (this.delta.length < batch * this.encodingSize) {
      this.delta = new Float32Array(batch * this.encodingSize);
      this.below = new Float32Array(batch * this.encodingSize);
    }
    let g: Float32Array = dLogit;
    for (let l = 2; l >= 0; l--) {
      const { inSize, outSize, w, b } = this.layers[l]!;
      const h = l === 0 ? x : this.acts[l - 1]!;
      for (let n = 0; n < batch; n++) {
        for (let j = 0; j < outSize; j++) {
          const gj = g[n * outSize + j]!;
          grads[b + j]! += gj;
          for (let i = 0; i < inSize; i++) grads[w + i * outSize + j]! += h[n * inSize + i]! * gj;
        }
      }
      if (l === 0) break;
      // Through W and the tanh below: δ_i = (Σ_j g_j W_ij)(1 − h_i²).
      const next = g === this.delta ? this.below : this.delta;
      for (let n = 0; n < batch; n++) {
        for (let i = 0; i < inSize; i++) {
          let s = 0;
          for (let j = 0; j < outSize; j++) s += g[n * outSize + j]! * this.params[w + i * outSize + j]!;
          const hi = h[n * inSize + i]!;
          next[n * inSize + i] = s * (1 - hi * hi);
        }
      }
      g = next;
    }
  }

  /** The GAIL reward −log(1 − D(x)) of `batch` rows into `out`. */
  reward(x: Float32Array, batch: number, out: Float32Array): void {
    this.forward(x, batch, out);
    for (let n = 0; n < batch; n++) out[n] = softplus(out[n]!);
  }

  /**
   * The binary cross-entropy of a batch of demonstration rows (label 1) and policy rows (label 0),
   * and its gradient added into `grads` (zeroed by the caller).
   */
  lossAndGrad(expert: Float32Array, nE: number, policy: Float32Array, nP: number, grads: Float32Array): number {
    let loss = 0;
    const sets: [Float32Array, number, number][] = [[expert, nE, 1], [policy, nP, 0]];
    for (const [x, n, label] of sets) {
      const logit = this.logitBuffer(label, n);
      this.forward(x, n, logit);
      for (let k = 0; k < n; k++) {
        const l = logit[k]!;
        // −log σ(l) = softplus(−l); −log(1 − σ(l)) = softplus(l).
        loss += (label === 1 ? softplus(-l) : softplus(l)) / n;
        logit[k] = (sigmoid(l) - label) / n;
      }
      this.backward(x, n, logit, grads);
    }
    return loss;
  }

  /** One Adam step on a demonstration batch and a policy batch; returns the loss before it. */
  train(expert: Float32Array, nE: number, policy: Float32Array, nP: number, learningRate: number): number {
    this.grads.fill(0);
    const loss = this.lossAndGrad(expert, nE, policy, nP, this.grads);
    this.adam.step(this.params, this.grads, learningRate, Infinity);
    return loss;
  }

  private logitBuffer(k: number, n: number): Float32Array {
    while (this.logits.length <= k) this.logits.push(new Float32Array(0));
    if (this.logits[k]!.length < n) this.logits[k] = new Float32Array(n);
    return this.logits[k]!;
  }

  private reserve(batch: number): void {
    if (batch <= this.capacity) return;
    this.capacity = batch;
    this.acts = [new Float32Array(batch * this.encodingSize), new Float32Array(batch * this.encodingSize)];
  }
}
