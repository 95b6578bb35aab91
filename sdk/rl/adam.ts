/**
 * Adam on one flat parameter vector with global gradient-norm clipping, as PyTorch's
 * `clip_grad_norm_` followed by `torch.optim.Adam` (bias-corrected, ε added to √v̂).
 * State is three Float32Arrays and a step count: plain data to checkpoint or send to a worker.
 *
 * The moment and parameter update runs on the WASM SIMD kernels where they instantiate
 * synchronously (Node, workers, a page after `preloadKernels()`), in float32 as PyTorch does:
 * ~10× less time than the JS loop, which divides and takes a square root per parameter in float64
 * (that loop was ~13% of a CartPole run's CPU time). Elsewhere, or with `simd: false`, the JS loop
 * runs. The two agree to float32 rounding, not bit for bit (adam.test.ts); each is deterministic.
 * The norm and the clipping stay in JS (float64 sum), identical on both paths.
 */
import { growMemoryTo, instantiateKernels, pad4, type Kernels } from './kernels/load.js';

export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  /** Steps taken (t in the bias corrections). */
  t: number;
}


/** The kernels and the four vectors (params, grads, m, v) in their memory; m and v live only there. */
class AdamKernels {
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Views of the params and grads slots, kept (a view per step would allocate). */
  private readonly p: Float32Array;
  private readonly g: Float32Array;
  private readonly at: { p: number; g: number; m: number; v: number };
  private readonly k: Kernels;
  private readonly padded: number;

  constructor(readonly size: number) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    this.k = instantiateKernels(memory);
    // Rounded up to whole f32x4 vectors; the padding holds zeros, whose update is zero.
    this.padded = pad4(size);
    const base = (this.k.heapBase() + 15) & ~15;
    const bytes = this.padded * 4;
    this.at = { p: base, g: base + bytes, m: base + 2 * bytes, v: base + 3 * bytes };
    // Grown once, here: the views below stay valid (growing would detach them).
    growMemoryTo(memory, base + 4 * bytes);
    const view = (at: number) => new Float32Array(memory.buffer, at, size);
    this.p = view(this.at.p);
    this.g = view(this.at.g);
    this.m = view(this.at.m);
    this.v = view(this.at.v);
  }

  step(params: Float32Array, grads: Float32Array, stepSize: number, sqrtBc2: number, eps: number, beta1: number, beta2: number): void {
    this.p.set(params);
    this.g.set(grads);
    const { p, g, m, v } = this.at;
    this.k.adam(p, g, m, v, this.padded, stepSize, sqrtBc2, eps, beta1, beta2);
    params.set(this.p);
  }
}

export class Adam {
  readonly state: AdamState;
  private readonly kernels: AdamKernels | null;

  /** `simd`: run the update on the WASM SIMD kernels where they load (default), or always in JS. */
  constructor(size: number, readonly eps = 1e-5, readonly beta1 = 0.9, readonly beta2 = 0.999, state?: AdamState, simd = true) {
    if (state && (state.m.length !== size || state.v.length !== size)) {
      throw new RangeError(`Adam state holds ${state.m.length} moments, the network has ${size} parameters`);
    }
    this.kernels = simd ? tryKernels(size) : null;
    if (this.kernels) {
      // The moments live in the kernels' memory; the state's arrays are views of them, so a
      // checkpoint copies them and a fault guard restores them in place, as with plain arrays.
      if (state) {
        this.kernels.m.set(state.m);
        this.kernels.v.set(state.v);
      }
      this.state = { m: this.kernels.m, v: this.kernels.v, t: state?.t ?? 0 };
    } else {
      this.state = state ?? { m: new Float32Array(size), v: new Float32Array(size), t: 0 };
    }
  }

  /** Where the update runs: the WASM SIMD kernels or plain JS. */
  get device(): 'kernels' | 'js' {
    return this.kernels ? 'kernels' : 'js';
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
    if (this.kernels) {
      this.kernels.step(params, grads, stepSize, sqrtBc2, eps, b1, b2);
      return norm;
    }
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

/** The kernels' Adam, or null where they cannot instantiate synchronously (a page's main thread before `preloadKernels()`). */
function tryKernels(size: number): AdamKernels | null {
  try {
    return new AdamKernels(size);
  } catch {
    return null;
  }
}
