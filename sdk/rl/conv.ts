/**
 * Structured observations and the conv encoder of grid inputs (issue 16; the contract is shared
 * with the AssemblyScript conv kernels).
 *
 * An observation row stays ONE flat Float32Array (rollouts, normalizer and workers are
 * unchanged); a behavior's {@link ObservationInput} list says which slice of the row is which
 * input, in declaration order. A grid input is channels-last and row-major, value(row, col, ch)
 * at (row·cols + col)·channels + ch: exactly what GridSensor and TilemapGridSensor write.
 *
 * Each grid input gets its own stack of conv layers (square kernel, stride, 'valid' padding,
 * ReLU after every layer), in the actor and in the critic separately (no shared trunk, like the
 * MLPs). The MLP's input is the concatenation, in declaration order, of the vector inputs as
 * they are and each grid's flattened (HWC) conv output.
 *
 * {@link convForward} and {@link convBackward} are the plain-TS reference the kernels engine and
 * plain-JS acting run; float32 results from float64 sums (as forwardMlp).
 */

/** A slice of the observation row the network reads as plain numbers. */
export interface VectorInput {
  readonly name: string;
  readonly kind: 'vector';
  readonly size: number;
}

/** A slice of the observation row that is a grid, HWC row-major: `[rows, cols, channels]`. */
export interface GridInput {
  readonly name: string;
  readonly kind: 'grid';
  readonly shape: readonly [number, number, number];
}

/** One named part of a behavior's observation row. */
export type ObservationInput = VectorInput | GridInput;

/** One conv layer's settings (`PPOConfig.convLayers`): output channels, square kernel side, stride. */
export interface ConvLayerConfig {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
}

/** One conv layer placed in the flat parameter vector. Weights are `[kh][kw][inC][outC]` row-major (tf.conv2d's filter layout), then bias `[outC]`. */
export interface ConvLayerSlice {
  readonly inH: number; readonly inW: number; readonly inC: number;
  readonly outH: number; readonly outW: number; readonly outC: number;
  readonly kernel: number; readonly stride: number;
  /** Offset of W (kernel·kernel·inC·outC) in the flat params. */
  readonly w: number;
  /** Offset of b (outC). */
  readonly b: number;
}

/** One grid input's conv stack in one network (actor or critic). */
export interface ConvStack {
  /** Index of the grid in the behavior's inputs. */
  readonly input: number;
  /** Offset of the grid in the observation row. */
  readonly xOffset: number;
  readonly layers: readonly ConvLayerSlice[];
  /** Floats of the last layer's output (outH·outW·outC). */
  readonly outSize: number;
  /** Where that output goes in the MLP input row. */
  readonly mlpOffset: number;
}

/**
 * A run of the MLP input row: `size` floats at `mlpOffset`, copied from the observation row at
 * `xOffset` (`conv` -1: vector inputs, and grids when there are no conv layers) or the output of
 * conv stack `conv` (an index into the net's stacks).
 */
export interface MlpInputPart {
  readonly conv: number;
  readonly xOffset: number;
  readonly size: number;
  readonly mlpOffset: number;
}

/** Input names: letters, digits, `_`, `-`, `.`, 1 to 64 characters (they name inputs in messages and brain files). */
export const INPUT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Floats an input occupies in the observation row. */
export function inputSize(input: ObservationInput): number {
  return input.kind === 'vector' ? input.size : input.shape[0] * input.shape[1] * input.shape[2];
}

/** The observation row's size: the sum of the inputs' sizes. */
export function observationSizeOf(inputs: readonly ObservationInput[]): number {
  let n = 0;
  for (const input of inputs) n += inputSize(input);
  return n;
}

/** A short text of an input, for messages: `grid 'map' [9, 9, 3]` or `vector 'obs' (4)`. */
export function describeInput(input: ObservationInput): string {
  return input.kind === 'grid' ? `grid '${input.name}' [${input.shape.join(', ')}]` : `vector '${input.name}' (${input.size})`;
}

/** Side of a 'valid' conv's output: floor((in − k)/s) + 1, or ≤ 0 when the kernel does not fit. */
export function convOutSide(inSide: number, kernel: number, stride: number): number {
  return Math.floor((inSide - kernel) / stride) + 1;
}

/**
 * Why `layers` cannot run over a `[rows, cols, channels]` grid (a kernel larger than what reaches
 * it, an output side collapsing to 0), or null when they can. `field` prefixes the message.
 */
export function convStackProblem(shape: readonly [number, number, number], layers: readonly ConvLayerConfig[], field: string): string | null {
  let [h, w] = shape;
  for (let l = 0; l < layers.length; l++) {
    const { kernel, stride } = layers[l]!;
    if (kernel > h || kernel > w) {
      return `${field}[${l}].kernel ${kernel} is larger than the ${h}×${w} ${l === 0 ? 'grid' : `output of layer ${l - 1}`}`;
    }
    h = convOutSide(h, kernel, stride);
    w = convOutSide(w, kernel, stride);
    if (h < 1 || w < 1) return `${field}[${l}] leaves an output of ${h}×${w}`;
  }
  return null;
}

/** Parameters and output size of one conv stack over `shape` (call {@link convStackProblem} first). */
export function convStackSize(shape: readonly [number, number, number], layers: readonly ConvLayerConfig[]): { params: number; outSize: number } {
  let [h, w, c] = shape;
  let params = 0;
  for (const { filters, kernel, stride } of layers) {
    params += kernel * kernel * c * filters + filters;
    h = convOutSide(h, kernel, stride);
    w = convOutSide(w, kernel, stride);
    c = filters;
  }
  return { params, outSize: h * w * c };
}

/** Places a conv stack over `shape` at `offset` in the flat params; returns its slices (offset past them = last.b + last.outC). */
export function convLayerSlices(shape: readonly [number, number, number], layers: readonly ConvLayerConfig[], offset: number): ConvLayerSlice[] {
  let [inH, inW, inC] = shape;
  let at = offset;
  return layers.map(({ filters, kernel, stride }) => {
    const outH = convOutSide(inH, kernel, stride);
    const outW = convOutSide(inW, kernel, stride);
    const slice: ConvLayerSlice = { inH, inW, inC, outH, outW, outC: filters, kernel, stride, w: at, b: at + kernel * kernel * inC * filters };
    at = slice.b + filters;
    inH = outH; inW = outW; inC = filters;
    return slice;
  });
}

/** Floats of a conv layer's output per row. */
export function convOutSize(layer: ConvLayerSlice): number {
  return layer.outH * layer.outW * layer.outC;
}

/**
 * Runs a conv stack on `batch` rows: row n's grid is at `x[n·xStride + xOffset ..]`. Writes each
 * layer's post-ReLU activations into `acts[l]` (batch × outH·outW·outC, HWC); the last is the
 * encoder's output. Sums in float64 from the bias, rounded to float32 once. Allocates nothing.
 */
export function convForward(params: Float32Array, layers: readonly ConvLayerSlice[], x: Float32Array, xStride: number, xOffset: number,
  batch: number, acts: Float32Array[]): void {
  for (let l = 0; l < layers.length; l++) {
    const { inW, inC, outH, outW, outC, kernel, stride, w, b } = layers[l]!;
    const input = l === 0 ? x : acts[l - 1]!;
    const inRow = l === 0 ? xStride : layers[l - 1]!.outH * inW * inC;
    const inBase = l === 0 ? xOffset : 0;
    const out = acts[l]!;
    const outRow = outH * outW * outC;
    const kRow = kernel * inC; // contiguous floats of one kernel row in the input
    for (let n = 0; n < batch; n++) {
      const xn = n * inRow + inBase;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const o = n * outRow + (oy * outW + ox) * outC;
          const corner = xn + (oy * stride * inW + ox * stride) * inC;
          for (let oc = 0; oc < outC; oc++) {
            let s = params[b + oc]!;
            for (let ky = 0; ky < kernel; ky++) {
              const xr = corner + ky * inW * inC;
              const wr = w + ky * kRow * outC + oc;
              for (let i = 0; i < kRow; i++) s += input[xr + i]! * params[wr + i * outC]!;
            }
            out[o + oc] = s > 0 ? s : 0;
          }
        }
      }
    }
  }
}

/** Floats each of {@link convBackward}'s two scratch buffers needs for `batch` rows. */
export function convScratchSize(layers: readonly ConvLayerSlice[], batch: number): number {
  let m = 0;
  for (const L of layers) m = Math.max(m, convOutSize(L), L.inH * L.inW * L.inC);
  return batch * m;
}

/**
 * Backpropagates `dOut` (d loss / d the last layer's post-ReLU output, batch × its size) through
 * the stack whose forward pass left `acts`, and ADDS d loss/d W, b into `grads` (same offsets as
 * `params`; zero them first). No input gradient: grids are observations. `scratch`: two buffers
 * of {@link convScratchSize} floats. Allocates nothing.
 */
export function convBackward(params: Float32Array, layers: readonly ConvLayerSlice[], x: Float32Array, xStride: number, xOffset: number,
  batch: number, acts: readonly Float32Array[], dOut: Float32Array, grads: Float32Array, scratch: [Float32Array, Float32Array]): void {
  let g: Float32Array = dOut;
  for (let l = layers.length - 1; l >= 0; l--) {
    const { inW, inC, outH, outW, outC, kernel, stride, w, b } = layers[l]!;
    const outRow = outH * outW * outC;
    // dz = g ⊙ ReLU'(z), with z > 0 ⇔ the stored activation > 0.
    const dz = scratch[l % 2]!;
    const a = acts[l]!;
    for (let i = 0, n = batch * outRow; i < n; i++) dz[i] = a[i]! > 0 ? g[i]! : 0;
    const input = l === 0 ? x : acts[l - 1]!;
    const inRow = l === 0 ? xStride : layers[l - 1]!.outH * inW * inC;
    const inBase = l === 0 ? xOffset : 0;
    const dIn = l > 0 ? scratch[(l + 1) % 2]! : null;
    if (dIn) dIn.fill(0, 0, batch * inRow);
    const kRow = kernel * inC;
    for (let n = 0; n < batch; n++) {
      const xn = n * inRow + inBase;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const o = n * outRow + (oy * outW + ox) * outC;
          const corner = xn + (oy * stride * inW + ox * stride) * inC;
          const dCorner = n * inRow + (oy * stride * inW + ox * stride) * inC;
          for (let oc = 0; oc < outC; oc++) {
            const d = dz[o + oc]!;
            if (d === 0) continue;
            grads[b + oc]! += d;
            for (let ky = 0; ky < kernel; ky++) {
              const xr = corner + ky * inW * inC;
              const wr = w + ky * kRow * outC + oc;
              for (let i = 0; i < kRow; i++) grads[wr + i * outC]! += input[xr + i]! * d;
              if (dIn) {
                const dr = dCorner + ky * inW * inC;
                for (let i = 0; i < kRow; i++) dIn[dr + i]! += params[wr + i * outC]! * d;
              }
            }
          }
        }
      }
    }
    if (dIn) g = dIn;
  }
}

/** Largest number of inputs an observation may declare (messages and brain files stay readable). */
export const MAX_INPUTS = 256;

/**
 * Why `v` is not a usable observation-input list for rows of `observationSize` values (for
 * worker messages and brain files, which arrive as plain data), or null when it is. Names must be
 * unique: brains match inputs by name.
 */
export function observationInputsProblem(v: unknown, observationSize: number): string | null {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_INPUTS) return `expected 1 to ${MAX_INPUTS} inputs { name, kind: 'vector', size } or { name, kind: 'grid', shape: [rows, cols, channels] }`;
  const names = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const input = v[i] as Record<string, unknown> | null;
    if (typeof input !== 'object' || input === null) return `[${i}]: expected an object, got ${input === null ? 'null' : typeof input}`;
    const { name, kind } = input;
    if (typeof name !== 'string' || name.length === 0 || name.length > 256) return `[${i}].name: expected a string of 1 to 256 characters`;
    if (names.has(name)) return `[${i}].name: '${name}' is used twice; input names must be unique`;
    names.add(name);
    const positive = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 1 && x <= 2 ** 24;
    if (kind === 'vector') {
      if (!positive(input.size)) return `[${i}].size (input '${name}'): expected a positive integer, got ${String(input.size)}`;
      if (Object.keys(input).some((k) => k !== 'name' && k !== 'kind' && k !== 'size')) return `[${i}] (input '${name}'): a vector input has only name, kind and size`;
    } else if (kind === 'grid') {
      const shape = input.shape;
      if (!Array.isArray(shape) || shape.length !== 3 || !shape.every(positive)) return `[${i}].shape (input '${name}'): expected [rows, cols, channels], three positive integers`;
      if (Object.keys(input).some((k) => k !== 'name' && k !== 'kind' && k !== 'shape')) return `[${i}] (input '${name}'): a grid input has only name, kind and shape`;
    } else {
      return `[${i}].kind (input '${name}'): expected 'vector' or 'grid', got ${JSON.stringify(kind) ?? String(kind)}`;
    }
  }
  const total = observationSizeOf(v as ObservationInput[]);
  if (total !== observationSize) return `the inputs add up to ${total} values, the observation has ${observationSize}`;
  return null;
}

/** A deep copy of checked inputs (so a caller's arrays cannot change them later). */
export function copyInputs(inputs: readonly ObservationInput[]): ObservationInput[] {
  return inputs.map((i) => (i.kind === 'grid' ? { name: i.name, kind: 'grid', shape: [i.shape[0], i.shape[1], i.shape[2]] } : { name: i.name, kind: 'vector', size: i.size }));
}

/**
 * Why a brain's inputs do not fit a behavior's (naming the first input that differs), or null.
 * The sizes may agree while shapes differ: a 4×8 grid is not an 8×4 one.
 */
export function inputsMismatch(brain: readonly ObservationInput[], behavior: readonly ObservationInput[]): string | null {
  const n = Math.max(brain.length, behavior.length);
  for (let i = 0; i < n; i++) {
    const a = brain[i];
    const b = behavior[i];
    if (!a) return `the behavior has input ${describeInput(b!)} (input ${i}) that the brain lacks`;
    if (!b) return `the brain has input ${describeInput(a)} (input ${i}) that the behavior lacks`;
    if (a.name !== b.name || a.kind !== b.kind || inputSize(a) !== inputSize(b)
      || (a.kind === 'grid' && b.kind === 'grid' && a.shape.some((x, k) => x !== b.shape[k]))) {
      return `input ${i} is ${describeInput(a)} in the brain but ${describeInput(b)} in the behavior`;
    }
  }
  return null;
}
