/**
 * Adam on one flat parameter vector with global gradient-norm clipping, as PyTorch's
 * `clip_grad_norm_` followed by `torch.optim.Adam` (bias-corrected, ε added to √v̂).
 * State is three Float32Arrays and a step count: plain data to checkpoint or send to a worker.
 */

export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  /** Steps taken (t in the bias corrections). */
  t: number;
}

export class Adam {
  readonly state: AdamState;

  constructor(size: number, readonly eps = 1e-5, readonly beta1 = 0.9, readonly beta2 = 0.999, state?: AdamState) {
    if (state && (state.m.length !== size || state.v.length !== size)) {
      throw new RangeError(`Adam state holds ${state.m.length} moments, the network has ${size} parameters`);
    }
    this.state = state ?? { m: new Float32Array(size), v: new Float32Array(size), t: 0 };
  }

  /**
   * Scales `grads` in place so their global L2 norm is at most `maxNorm`, then takes one Adam
   * step on `params`. Returns the norm before clipping.
   */
  step(params: Float32Array, grads: Float32Array, lr: number, maxNorm: number): number {
    let sq = 0;
    for (let i = 0; i < grads.length; i++) sq += grads[i]! * grads[i]!;
    const norm = Math.sqrt(sq);
    const clip = maxNorm / (norm + 1e-6);
    if (clip < 1) for (let i = 0; i < grads.length; i++) grads[i]! *= clip;

    const { m, v } = this.state;
    const t = ++this.state.t;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = lr / (1 - b1 ** t);
    const sqrtBc2 = Math.sqrt(1 - b2 ** t);
    const eps = this.eps;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = b1 * m[i]! + (1 - b1) * g;
      const vi = b2 * v[i]! + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i]! -= (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
    }
    return norm;
  }
}
