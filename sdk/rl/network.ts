/**
 * The actor and critic MLPs as one flat Float32Array of parameters: separate networks (no shared
 * trunk, as CleanRL), tanh hidden layers, orthogonal init with gains √2 (hidden), 0.01 (policy
 * head) and 1 (value head), zero biases (PPO.md, "Implementation details that matter").
 *
 * Weights are row-major `[in × out]`, so a layer is `y = x·W + b`. One flat vector is what
 * crosses a worker boundary, what Adam updates and what a brain file stores.
 */
import type { Rng } from '../core/rng.js';

export interface LayerSlice {
  readonly inSize: number;
  readonly outSize: number;
  /** Offset of W (inSize × outSize, row-major) in the flat parameter vector. */
  readonly w: number;
  /** Offset of b (outSize). */
  readonly b: number;
}

export class ActorCriticLayout {
  readonly actor: readonly LayerSlice[];
  readonly critic: readonly LayerSlice[];
  /** Offset of the Gaussian log-std vector, or -1 for discrete actions. */
  readonly logStd: number;
  readonly logStdSize: number;
  /** Total number of parameters. */
  readonly size: number;

  constructor(readonly observationSize: number, readonly hiddenSizes: readonly number[], readonly actorOutputSize: number, continuous: boolean) {
    let offset = 0;
    const mlp = (outSize: number): LayerSlice[] => {
      const sizes = [observationSize, ...hiddenSizes, outSize];
      const layers: LayerSlice[] = [];
      for (let l = 0; l < sizes.length - 1; l++) {
        const inSize = sizes[l]!;
        const out = sizes[l + 1]!;
        layers.push({ inSize, outSize: out, w: offset, b: offset + inSize * out });
        offset += inSize * out + out;
      }
      return layers;
    };
    this.actor = mlp(actorOutputSize);
    this.logStdSize = continuous ? actorOutputSize : 0;
    this.logStd = continuous ? offset : -1;
    offset += this.logStdSize;
    this.critic = mlp(1);
    this.size = offset;
  }

  /** Fresh parameters: orthogonal weights, zero biases, log-std at `initLogStd`. */
  initialize(rng: Rng, initLogStd: number): Float32Array {
    const params = new Float32Array(this.size);
    const init = (layers: readonly LayerSlice[], headGain: number) => {
      layers.forEach((layer, l) => {
        const gain = l === layers.length - 1 ? headGain : Math.SQRT2;
        orthogonal(rng, layer.inSize, layer.outSize, gain, params, layer.w);
      });
    };
    init(this.actor, 0.01);
    init(this.critic, 1);
    if (this.logStd >= 0) params.fill(initLogStd, this.logStd, this.logStd + this.logStdSize);
    return params;
  }
}

/**
 * Writes a `rows × cols` matrix with orthonormal columns (or rows, whichever is fewer) times
 * `gain` into `out[offset..]`, as torch.nn.init.orthogonal_: Gram–Schmidt on a Gaussian matrix
 * in float64 (the same as QR with the sign of diag(R) made positive).
 */
export function orthogonal(rng: Rng, rows: number, cols: number, gain: number, out: Float32Array, offset: number): void {
  const long = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  const q = new Float64Array(long * short); // column j at q[j*long ...]
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < short; j++) {
    const col = j * long;
    // Two passes of modified Gram–Schmidt keep the columns orthogonal to float64 precision.
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < long; i++) dot += q[col + i]! * q[k * long + i]!;
        for (let i = 0; i < long; i++) q[col + i]! -= dot * q[k * long + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < long; i++) norm += q[col + i]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < long; i++) q[col + i]! /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: column c of Q is column c of W; otherwise W is Qᵀ.
      const v = rows >= cols ? q[c * long + r]! : q[r * long + c]!;
      out[offset + r * cols + c] = gain * v;
    }
  }
}

/**
 * y = MLP(x) for a batch, tanh on hidden layers, linear head. `scratch` holds two buffers of at
 * least batch × (widest layer) floats; the result is written to `out` (batch × outSize).
 */
export function forwardMlp(params: Float32Array, layers: readonly LayerSlice[], x: Float32Array, batch: number,
  out: Float32Array, scratch: [Float32Array, Float32Array]): void {
  let input = x;
  for (let l = 0; l < layers.length; l++) {
    const { inSize, outSize, w, b } = layers[l]!;
    const last = l === layers.length - 1;
    const y = last ? out : scratch[l % 2]!;
    for (let n = 0; n < batch; n++) {
      const xo = n * inSize;
      const yo = n * outSize;
      for (let j = 0; j < outSize; j++) y[yo + j] = params[b + j]!;
      for (let i = 0; i < inSize; i++) {
        const xi = input[xo + i]!;
        if (xi === 0) continue;
        const row = w + i * outSize;
        for (let j = 0; j < outSize; j++) y[yo + j]! += xi * params[row + j]!;
      }
      if (!last) for (let j = 0; j < outSize; j++) y[yo + j] = Math.tanh(y[yo + j]!);
    }
    input = y;
  }
}

/** The widest layer of `layers`, for sizing {@link forwardMlp}'s scratch buffers. */
export function widestLayer(layers: readonly LayerSlice[]): number {
  return Math.max(...layers.map((l) => l.outSize), ...layers.map((l) => l.inSize));
}
