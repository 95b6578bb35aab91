/**
 * The actor and critic MLPs as one flat Float32Array of parameters: separate networks (no shared
 * trunk, as CleanRL), tanh hidden layers, orthogonal init with gains √2 (hidden), 0.01 (policy
 * head) and 1 (value head), zero biases (PPO.md, "Implementation details that matter").
 *
 * With grid inputs each net first runs a conv stack per grid (conv.ts); the flat order is then
 * [actor conv stacks][actor MLP][log-std][critic conv stacks][critic MLP], and without grids it
 * is exactly the old [actor MLP][log-std][critic MLP], so older brains keep their layout.
 *
 * Weights are row-major `[in × out]`, so a layer is `y = x·W + b`. One flat vector is what
 * crosses a worker boundary, what Adam updates and what a brain file stores.
 */
import type { Rng } from '../core/rng.js';
import {
  convLayerSlices, convOutSize, convStackSize, describeInput, inputSize, observationSizeOf,
  type ConvLayerConfig, type ConvStack, type MlpInputPart, type ObservationInput,
} from './conv.js';
import { checkNetwork, valueHeadsOf, type PPOConfig } from './config.js';

export interface LayerSlice {
  readonly inSize: number;
  readonly outSize: number;
  /** Offset of W (inSize × outSize, row-major) in the flat parameter vector. */
  readonly w: number;
  /** Offset of b (outSize). */
  readonly b: number;
}

/**
 * The conv encoder of a layout: the behavior's observation inputs and the conv layers every grid
 * input gets. No grid input, or no conv layers, gives the plain MLP layout (grids flattened in).
 */
export interface EncoderSpec {
  readonly inputs: readonly ObservationInput[];
  readonly convLayers: readonly ConvLayerConfig[];
}

export class ActorCriticLayout {
  readonly actor: readonly LayerSlice[];
  readonly critic: readonly LayerSlice[];
  /** Offset of the Gaussian log-std vector, or -1 for discrete actions. */
  readonly logStd: number;
  readonly logStdSize: number;
  /** Total number of parameters. */
  readonly size: number;
  /** The observation's named inputs (one vector `observation` when none were declared). */
  readonly inputs: readonly ObservationInput[];
  /** The conv layers each grid input gets ([] when there are none or no grid inputs). */
  readonly convLayers: readonly ConvLayerConfig[];
  /** Conv stacks of the actor and of the critic, one per grid input in order ([] without conv). */
  readonly actorConv: readonly ConvStack[];
  readonly criticConv: readonly ConvStack[];
  /** How the MLP input row is assembled from the observation row and the conv outputs (same for both nets; `conv` indexes the net's stacks). */
  readonly mlpInput: readonly MlpInputPart[];
  /** Width of the MLP input row (= observationSize without conv). */
  readonly mlpInputSize: number;
  /** Flat-parameter ranges: the actor's (conv stacks and MLP, before the log-std) and the critic's (to the end). */
  readonly actorEnd: number;
  readonly criticStart: number;
  /**
   * The critic's outputs: one value per reward signal (the extrinsic value is output 0). 1 unless
   * a reward signal of its own discount (GAIL's `gamma`) asks for a second head.
   */
  readonly valueHeads: number;

  /**
   * `logStd`: the Gaussian log-std vector's size, or true for one per actor output (all-continuous
   * actions), false/0 for none. `encoder`: the observation's inputs and conv layers; the inputs'
   * sizes must add up to `observationSize`. `valueHeads`: the critic's outputs (≥ 1).
   */
  constructor(readonly observationSize: number, readonly hiddenSizes: readonly number[], readonly actorOutputSize: number, logStd: boolean | number,
    encoder?: EncoderSpec, valueHeads = 1) {
    if (!Number.isSafeInteger(valueHeads) || valueHeads < 1) throw new RangeError(`ActorCriticLayout: valueHeads must be a positive integer, got ${valueHeads}`);
    this.valueHeads = valueHeads;
    this.inputs = encoder?.inputs ?? [{ name: 'observation', kind: 'vector', size: observationSize }];
    if (observationSizeOf(this.inputs) !== observationSize) {
      throw new RangeError(`ActorCriticLayout: the inputs (${this.inputs.map(describeInput).join(', ')}) add up to ${observationSizeOf(this.inputs)} values, observationSize is ${observationSize}`);
    }
    const hasGrid = this.inputs.some((i) => i.kind === 'grid');
    this.convLayers = hasGrid && encoder ? encoder.convLayers.map((l) => ({ ...l })) : [];
    // The MLP input: runs of the observation row, and each grid's conv output where there are conv layers.
    const parts: MlpInputPart[] = [];
    let x = 0;
    let m = 0;
    let stackCount = 0;
    for (const input of this.inputs) {
      const size = inputSize(input);
      if (input.kind === 'grid' && this.convLayers.length > 0) {
        const outSize = convStackSize(input.shape, this.convLayers).outSize;
        parts.push({ conv: stackCount++, xOffset: x, size: outSize, mlpOffset: m });
        m += outSize;
      } else if (parts.length > 0 && parts[parts.length - 1]!.conv < 0) {
        const last = parts.pop()!;
        parts.push({ ...last, size: last.size + size });
        m += size;
      } else {
        parts.push({ conv: -1, xOffset: x, size, mlpOffset: m });
        m += size;
      }
      x += size;
    }
    this.mlpInput = parts;
    this.mlpInputSize = m;

    let offset = 0;
    const stacks = (): ConvStack[] => {
      const out: ConvStack[] = [];
      let xOffset = 0;
      this.inputs.forEach((input, index) => {
        if (input.kind === 'grid' && this.convLayers.length > 0) {
          const layers = convLayerSlices(input.shape, this.convLayers, offset);
          const last = layers[layers.length - 1]!;
          offset = last.b + last.outC;
          out.push({ input: index, xOffset, layers, outSize: convOutSize(last), mlpOffset: parts.find((p) => p.conv === out.length)!.mlpOffset });
        }
        xOffset += inputSize(input);
      });
      return out;
    };
    const mlp = (outSize: number): LayerSlice[] => {
      const sizes = [m, ...hiddenSizes, outSize];
      const layers: LayerSlice[] = [];
      for (let l = 0; l < sizes.length - 1; l++) {
        const inSize = sizes[l]!;
        const out = sizes[l + 1]!;
        layers.push({ inSize, outSize: out, w: offset, b: offset + inSize * out });
        offset += inSize * out + out;
      }
      return layers;
    };
    this.actorConv = stacks();
    this.actor = mlp(actorOutputSize);
    this.actorEnd = offset;
    this.logStdSize = logStd === true ? actorOutputSize : logStd === false ? 0 : logStd;
    this.logStd = this.logStdSize > 0 ? offset : -1;
    offset += this.logStdSize;
    this.criticStart = offset;
    this.criticConv = stacks();
    this.critic = mlp(valueHeads);
    this.size = offset;
  }

  /** Whether the networks have conv stacks. */
  get hasConv(): boolean {
    return this.actorConv.length > 0;
  }

  /** The layout for an action distribution's output and log-std sizes (hybrid actions have a log-std only for their continuous part). */
  static forDistribution(observationSize: number, hiddenSizes: readonly number[], dist: { outputSize: number; logStdSize: number }, encoder?: EncoderSpec,
    valueHeads = 1): ActorCriticLayout {
    return new ActorCriticLayout(observationSize, hiddenSizes, dist.outputSize, dist.logStdSize, encoder, valueHeads);
  }

  /**
   * The layout a behavior's inputs (one vector of `observationSize` when undefined) and a config build, checked first ({@link checkNetwork}: conv
   * kernels that fit the grids, the parameter cap); throws a ConfigError naming the field.
   */
  static forBehavior(observationSize: number, inputs: readonly ObservationInput[] | undefined, config: Pick<PPOConfig, 'hiddenSizes' | 'convLayers'> & Partial<Pick<PPOConfig, 'gail'>>,
    dist: { outputSize: number; logStdSize: number }): ActorCriticLayout {
    const all = inputs ?? [{ name: 'observation', kind: 'vector', size: observationSize }];
    let layout: ActorCriticLayout | undefined;
    checkNetwork(config, all, () => (layout = ActorCriticLayout.forDistribution(observationSize, config.hiddenSizes, dist, { inputs: all, convLayers: config.convLayers },
      valueHeadsOf({ gail: config.gail ?? null }))).size);
    return layout!;
  }

  /** Fresh parameters: orthogonal weights (conv kernels over their [k·k·inC × outC] matrix, gain √2), zero biases, log-std at `initLogStd`. */
  initialize(rng: Rng, initLogStd: number): Float32Array {
    const params = new Float32Array(this.size);
    const initConv = (stacks: readonly ConvStack[]) => {
      for (const stack of stacks) {
        for (const L of stack.layers) orthogonal(rng, L.kernel * L.kernel * L.inC, L.outC, Math.SQRT2, params, L.w);
      }
    };
    const init = (layers: readonly LayerSlice[], headGain: number) => {
      layers.forEach((layer, l) => {
        const gain = l === layers.length - 1 ? headGain : Math.SQRT2;
        orthogonal(rng, layer.inSize, layer.outSize, gain, params, layer.w);
      });
    };
    // Layout order, so a layout without conv draws exactly the numbers it always did.
    initConv(this.actorConv);
    init(this.actor, 0.01);
    initConv(this.criticConv);
    init(this.critic, 1);
    if (this.logStd >= 0) params.fill(initLogStd, this.logStd, this.logStd + this.logStdSize);
    return params;
  }
}

/**
 * Assembles the MLP input rows (`batch` × layout.mlpInputSize) from observation rows and the
 * net's conv outputs (`convOut[k]`: stack k's last activations, batch × its outSize).
 */
export function assembleMlpInput(layout: ActorCriticLayout, obs: Float32Array, batch: number, convOut: readonly Float32Array[], out: Float32Array): void {
  const { mlpInput, mlpInputSize, observationSize } = layout;
  for (const part of mlpInput) {
    const { conv, xOffset, size, mlpOffset } = part;
    for (let n = 0; n < batch; n++) {
      const src = conv < 0 ? obs : convOut[conv]!;
      const s = conv < 0 ? n * observationSize + xOffset : n * size;
      const d = n * mlpInputSize + mlpOffset;
      for (let i = 0; i < size; i++) out[d + i] = src[s + i]!;
    }
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
 * tanh(x) ≈ x·P(x²)/Q(x²) on x clamped to ±7.905: the rational approximation of Eigen's
 * generic_fast_tanh_float, the same one the WASM kernels' forward uses (kernels/assembly/mlp.ts),
 * here in float64. Max abs error 2.4e-7 against Math.tanh after rounding to float32 (at most a few
 * float32 ulps; network.test.ts measures it); ~3× cheaper than Math.tanh, which V8 calls out to
 * instead of inlining. Plain arithmetic, so unlike Math.tanh (whose last bit each engine chooses)
 * it gives the same bits in every browser. A NaN stays NaN.
 */
export function tanh(x: number): number {
  const c = x > 7.90531110763549805 ? 7.90531110763549805 : x < -7.90531110763549805 ? -7.90531110763549805 : x;
  const y = c * c;
  const p = ((((((-2.76076847742355e-16 * y + 2.00018790482477e-13) * y - 8.60467152213735e-11) * y
    + 5.12229709037114e-8) * y + 1.48572235717979e-5) * y + 6.37261928875436e-4) * y + 4.89352455891786e-3) * c;
  const q = ((1.19825839466702e-6 * y + 1.18534705686654e-4) * y + 2.268434632439e-3) * y + 4.89352518554385e-3;
  return p / q;
}

/**
 * y = MLP(x) for a batch, {@link tanh} on hidden layers, linear head. `scratch` holds two buffers of at
 * least batch × (widest layer) floats; the result is written to `out` (batch × outSize).
 *
 * This is the acting hot path (one call per env step), so it is register-blocked: two rows × four
 * outputs accumulate in locals while the inputs stream by, each weight read once per two rows.
 * Sums accumulate in float64 (JS numbers) in input order and are rounded to float32 once, when
 * stored: a float32 × float32 product is exact in float64, so each output is at least as exact
 * as a float32 accumulator's and no `Math.fround` runs per multiply-add (it cost ~1/3 of acting).
 * JS float64 arithmetic is IEEE-exact with no fused multiply-add, so the bits are the same in
 * Node and in every browser for the same inputs.
 */
export function forwardMlp(params: Float32Array, layers: readonly LayerSlice[], x: Float32Array, batch: number,
  out: Float32Array, scratch: [Float32Array, Float32Array]): void {
  let input = x;
  for (let l = 0; l < layers.length; l++) {
    const { inSize, outSize, w, b } = layers[l]!;
    const last = l === layers.length - 1;
    const y = last ? out : scratch[l % 2]!;
    for (let n = 0; n < batch; n += 2) {
      // An odd last row is computed twice (both "rows" are the same one): same values, one loop.
      const m = n + 1 < batch ? n + 1 : n;
      const x0 = n * inSize;
      const x1 = m * inSize;
      const y0 = n * outSize;
      const y1 = m * outSize;
      let j = 0;
      for (; j + 4 <= outSize; j += 4) {
        let a0 = params[b + j]!, a1 = params[b + j + 1]!, a2 = params[b + j + 2]!, a3 = params[b + j + 3]!;
        let c0 = a0, c1 = a1, c2 = a2, c3 = a3;
        for (let i = 0, r = w + j; i < inSize; i++, r += outSize) {
          const xa = input[x0 + i]!;
          const xb = input[x1 + i]!;
          const w0 = params[r]!, w1 = params[r + 1]!, w2 = params[r + 2]!, w3 = params[r + 3]!;
          a0 += xa * w0; a1 += xa * w1; a2 += xa * w2; a3 += xa * w3;
          c0 += xb * w0; c1 += xb * w1; c2 += xb * w2; c3 += xb * w3;
        }
        if (last) {
          y[y0 + j] = a0; y[y0 + j + 1] = a1; y[y0 + j + 2] = a2; y[y0 + j + 3] = a3;
          y[y1 + j] = c0; y[y1 + j + 1] = c1; y[y1 + j + 2] = c2; y[y1 + j + 3] = c3;
        } else {
          y[y0 + j] = tanh(a0); y[y0 + j + 1] = tanh(a1); y[y0 + j + 2] = tanh(a2); y[y0 + j + 3] = tanh(a3);
          y[y1 + j] = tanh(c0); y[y1 + j + 1] = tanh(c1); y[y1 + j + 2] = tanh(c2); y[y1 + j + 3] = tanh(c3);
        }
      }
      for (; j < outSize; j++) {
        let a = params[b + j]!;
        let c = a;
        for (let i = 0, r = w + j; i < inSize; i++, r += outSize) {
          const wr = params[r]!;
          a += input[x0 + i]! * wr;
          c += input[x1 + i]! * wr;
        }
        y[y0 + j] = last ? a : tanh(a);
        y[y1 + j] = last ? c : tanh(c);
      }
    }
    input = y;
  }
}

/** The widest layer of `layers`, for sizing {@link forwardMlp}'s scratch buffers. */
export function widestLayer(layers: readonly LayerSlice[]): number {
  return Math.max(...layers.map((l) => l.outSize), ...layers.map((l) => l.inSize));
}
