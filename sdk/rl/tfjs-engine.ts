/**
 * The tfjs compute engine: forward and hand-derived backward of the actor and critic MLPs.
 *
 * Why not tf.variableGrads + tf.train.adam: for NPC-sized nets tfjs spends its time dispatching
 * kernels, not computing (one autograd update at minibatch 128 runs ~480 kernels). Here a
 * minibatch costs ~60 kernels: only plain 2-D matMuls without transpose flags (the XNNPACK fast
 * path of tfjs-wasm; transposed operands are transposed in JS on upload or by one transpose
 * kernel), one concat, one readback, and the optimizer on the flat vector in JS (adam.ts).
 *
 * Grid inputs' conv stacks (conv.ts) run as tf.conv2d + bias + ReLU. Their backward pass is by
 * hand too, from d loss/d the stack's output that the MLP backward gives (dz₀·W₀ᵀ on the stack's
 * columns): the input gradient by tf.conv2dTranspose, the filter gradient as patchesᵀ·dz over
 * k² strided slices (im2col), because tfjs-wasm has no Conv2DBackpropFilter kernel (so
 * tf.grads through conv2d fails there).
 */
import * as tf from '@tensorflow/tfjs';
import type { ComputeEngine, ForwardResult } from './engine.js';
import { isDeviceName, type DeviceName } from './metrics.js';
import type { ActorCriticLayout, LayerSlice } from './network.js';
import type { ConvLayerSlice, ConvStack } from './conv.js';

interface LayerTensors { w: tf.Tensor2D; wT: tf.Tensor2D; b: tf.Tensor1D }
/** A conv layer's filter [k, k, inC, outC] (tf.conv2d's layout, the flat vector's too) and bias. */
interface ConvTensors { slice: ConvLayerSlice; w: tf.Tensor4D; b: tf.Tensor1D }
/** One net's conv stacks' weights and, after forward, each stack's [grid, h1, ..., hL] ([B, H, W, C] each). */
interface ConvNetTensors { stacks: { stack: ConvStack; layers: ConvTensors[] }[]; acts: tf.Tensor4D[][] }

export class TfjsEngine implements ComputeEngine {
  readonly name = 'tfjs';
  /** The active tfjs backend, checked first (before any tensor is made). */
  readonly device: DeviceName = tfjsDevice(tf.getBackend());
  private actor: LayerTensors[] = [];
  private critic: LayerTensors[] = [];
  /** Inputs and hidden activations of the last forward pass: [x, h1, ..., hL] per network. */
  private actorActs: tf.Tensor2D[] = [];
  private criticActs: tf.Tensor2D[] = [];
  private actorConv: ConvNetTensors = { stacks: [], acts: [] };
  private criticConv: ConvNetTensors = { stacks: [], acts: [] };
  private batch = 0;
  private readonly one = tf.keep(tf.scalar(1));

  constructor(readonly layout: ActorCriticLayout) {}

  setParams(params: Float32Array): void {
    this.disposeParams();
    const upload = (layers: readonly LayerSlice[]) => layers.map(({ inSize, outSize, w, b }) => {
      const wData = params.subarray(w, w + inSize * outSize);
      const wT = new Float32Array(inSize * outSize);
      for (let i = 0; i < inSize; i++) for (let j = 0; j < outSize; j++) wT[j * inSize + i] = wData[i * outSize + j]!;
      return {
        w: tf.tensor2d(wData, [inSize, outSize]),
        wT: tf.tensor2d(wT, [outSize, inSize]),
        b: tf.tensor1d(params.subarray(b, b + outSize)),
      };
    });
    this.actor = upload(this.layout.actor);
    this.critic = upload(this.layout.critic);
    // The last forward pass's activations stay with their net (disposed by the next forward).
    const uploadConv = (stacks: readonly ConvStack[], acts: tf.Tensor4D[][]): ConvNetTensors => ({
      acts,
      stacks: stacks.map((stack) => ({
        stack,
        layers: stack.layers.map((slice) => ({
          slice,
          w: tf.tensor4d(params.subarray(slice.w, slice.b), [slice.kernel, slice.kernel, slice.inC, slice.outC]),
          b: tf.tensor1d(params.subarray(slice.b, slice.b + slice.outC)),
        })),
      })),
    });
    this.actorConv = uploadConv(this.layout.actorConv, this.actorConv.acts);
    this.criticConv = uploadConv(this.layout.criticConv, this.criticConv.acts);
  }

  forward(obs: Float32Array, batch: number): ForwardResult {
    if (this.actor.length === 0) throw new Error('TfjsEngine.forward: call setParams first');
    this.disposeActs();
    this.batch = batch;
    const x = tf.tensor2d(obs.subarray(0, batch * this.layout.observationSize), [batch, this.layout.observationSize]);
    if (this.layout.hasConv) {
      this.actorActs = this.forwardNet(this.encode(x, this.actorConv), this.actor);
      this.criticActs = this.forwardNet(this.encode(x, this.criticConv), this.critic);
      x.dispose();
    } else {
      this.actorActs = this.forwardNet(x, this.actor);
      this.criticActs = this.forwardNet(x, this.critic);
    }
    const actorOut = this.actorActs.pop()!;
    const criticOut = this.criticActs.pop()!;
    // Head-major (ForwardResult.values): one head's [B, 1] is already that order.
    const valueOut = this.layout.valueHeads > 1 ? tf.tidy(() => criticOut.transpose()) : criticOut;
    const result = { actorOut: actorOut.dataSync() as Float32Array, values: valueOut.dataSync() as Float32Array };
    actorOut.dispose();
    criticOut.dispose();
    if (valueOut !== criticOut) valueOut.dispose();
    return result;
  }

  backward(dActorOut: Float32Array, dValues: Float32Array, grads: Float32Array): void {
    const B = this.batch;
    const { layout } = this;
    const H = layout.valueHeads;
    if (dValues.length < B * H) throw new RangeError(`TfjsEngine.backward: dValues has ${dValues.length} entries, ${B} rows × ${H} value heads need ${B * H}`);
    const flat = tf.tidy(() => {
      const pieces = [
        ...this.backwardNet(tf.tensor2d(dActorOut.subarray(0, B * layout.actorOutputSize), [B, layout.actorOutputSize]), this.actor, this.actorActs, this.actorConv),
        ...this.backwardNet((H > 1 ? tf.tensor2d(dValues.subarray(0, B * H), [H, B]).transpose() : tf.tensor2d(dValues.subarray(0, B), [B, 1])), this.critic, this.criticActs, this.criticConv),
      ];
      return tf.concat(pieces.map((p) => p.reshape([-1])));
    });
    const data = flat.dataSync() as Float32Array;
    flat.dispose();
    // [actor conv, actor MLP] then [critic conv, critic MLP]: the layout around the log-std slot.
    const actorSize = layout.actorEnd;
    grads.set(data.subarray(0, actorSize), 0);
    grads.set(data.subarray(actorSize), layout.criticStart);
  }

  dispose(): void {
    this.disposeActs();
    this.disposeParams();
    this.one.dispose();
  }

  /**
   * The MLP input rows of a net with conv stacks: each stack's grid sliced from `x` (kept in
   * `net.grids` for backward), conv layers, and the parts concatenated in declaration order.
   */
  private encode(x: tf.Tensor2D, net: ConvNetTensors): tf.Tensor2D {
    const B = x.shape[0];
    net.acts = net.stacks.map(({ stack, layers }) => tf.tidy(() => {
      const { inH, inW, inC } = stack.layers[0]!;
      const acts = [tf.slice(x, [0, stack.xOffset], [B, inH * inW * inC]).reshape([B, inH, inW, inC]) as tf.Tensor4D];
      for (const { slice, w, b } of layers) {
        acts.push(tf.relu(tf.add(tf.conv2d(acts[acts.length - 1]!, w, slice.stride, 'valid'), b)) as tf.Tensor4D);
      }
      return acts;
    }));
    return tf.tidy(() => {
      const parts = this.layout.mlpInput.map((part) => {
        if (part.conv < 0) return tf.slice(x, [0, part.xOffset], [B, part.size]);
        const acts = net.acts[part.conv]!;
        return acts[acts.length - 1]!.reshape([B, part.size]);
      });
      return (parts.length === 1 ? parts[0]! : tf.concat(parts, 1)) as tf.Tensor2D;
    });
  }

  /** Returns [x, h1, ..., h_{L-1}, out]; the caller owns them all. */
  private forwardNet(x: tf.Tensor2D, layers: LayerTensors[]): tf.Tensor2D[] {
    return tf.tidy(() => {
      const acts: tf.Tensor2D[] = [x];
      let h = x;
      layers.forEach(({ w, b }, l) => {
        const z = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
        h = l === layers.length - 1 ? z : tf.tanh(z);
        acts.push(h);
      });
      return acts;
    });
  }

  /** Gradients [conv stacks' W, b per layer..., dW1, db1, ..., dWL, dbL] in layout order. Call inside tf.tidy. */
  private backwardNet(dOut: tf.Tensor2D, layers: LayerTensors[], acts: tf.Tensor2D[], conv: ConvNetTensors): tf.Tensor[] {
    const pieces: tf.Tensor[] = [];
    let g = dOut;
    for (let l = layers.length - 1; l >= 0; l--) {
      const input = acts[l]!;
      pieces.push(tf.sum(g, 0));
      pieces.push(tf.matMul(tf.transpose(input), g));
      if (l > 0) {
        // tanh'(z) = 1 − h².
        const dh = tf.matMul(g, layers[l]!.wT);
        g = tf.mul(dh, tf.sub(this.one, tf.square(input)));
      }
    }
    pieces.reverse();
    if (conv.stacks.length === 0) return pieces;
    // The MLP input's gradient (no tanh below it), then each stack's own columns through tf.grads.
    const dIn = tf.matMul(g, layers[0]!.wT);
    const B = dIn.shape[0];
    const convPieces: tf.Tensor[] = [];
    conv.stacks.forEach(({ stack, layers: convLayers }, k) => {
      const last = stack.layers[stack.layers.length - 1]!;
      let g4 = tf.slice(dIn, [0, stack.mlpOffset], [B, stack.outSize]).reshape([B, last.outH, last.outW, last.outC]) as tf.Tensor4D;
      const acts = conv.acts[k]!;
      const stackPieces: tf.Tensor[] = [];
      for (let l = convLayers.length - 1; l >= 0; l--) {
        const { slice, w } = convLayers[l]!;
        // ReLU'(z) from the stored output: 1 where it is > 0.
        const dz = tf.mul(g4, tf.step(acts[l + 1]!)) as tf.Tensor4D;
        const dzRows = dz.reshape([-1, slice.outC]) as tf.Tensor2D;
        stackPieces.push(tf.sum(dzRows, 0));
        stackPieces.push(tf.matMul(tf.transpose(patches(acts[l]!, slice)), dzRows));
        if (l > 0) g4 = tf.conv2dTranspose(dz, w, [B, slice.inH, slice.inW, slice.inC], slice.stride, 'valid');
      }
      convPieces.push(...stackPieces.reverse());
    });
    return [...convPieces, ...pieces];
  }

  private disposeActs(): void {
    // acts[0] (the input) is shared by both networks.
    const all = new Set<tf.Tensor>([...this.actorActs, ...this.criticActs, ...this.actorConv.acts.flat(), ...this.criticConv.acts.flat()]);
    for (const t of all) t.dispose();
    this.actorActs = [];
    this.criticActs = [];
    this.actorConv.acts = [];
    this.criticConv.acts = [];
  }

  private disposeParams(): void {
    for (const { w, wT, b } of [...this.actor, ...this.critic]) {
      w.dispose();
      wT.dispose();
      b.dispose();
    }
    this.actor = [];
    this.critic = [];
    for (const { layers } of [...this.actorConv.stacks, ...this.criticConv.stacks]) {
      for (const { w, b } of layers) {
        w.dispose();
        b.dispose();
      }
    }
    this.actorConv = { stacks: [], acts: this.actorConv.acts };
    this.criticConv = { stacks: [], acts: this.criticConv.acts };
  }
}

/**
 * im2col: the layer's input patches as rows [B·outH·outW, k·k·inC], columns in (ky, kx, ic)
 * order, the filter's row order, so patchesᵀ·dz is d loss/d W in the flat layout.
 */
function patches(input: tf.Tensor4D, slice: ConvLayerSlice): tf.Tensor2D {
  const { kernel: k, stride: s, outH, outW, inC } = slice;
  const B = input.shape[0];
  const cols: tf.Tensor4D[] = [];
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      cols.push(tf.stridedSlice(input, [0, ky, kx, 0], [B, ky + s * (outH - 1) + 1, kx + s * (outW - 1) + 1, inC], [1, s, s, 1]) as tf.Tensor4D);
    }
  }
  return (cols.length === 1 ? cols[0]! : tf.concat(cols, 3)).reshape([B * outH * outW, k * k * inC]) as tf.Tensor2D;
}

function tfjsDevice(backend: string): DeviceName {
  if (!isDeviceName(backend) || backend === 'wasm-simd') {
    throw new RangeError(`TfjsEngine: the active tfjs backend is ${JSON.stringify(backend)}; the learner runs on webgl, webgpu, wasm or cpu (call tf.setBackend first)`);
  }
  return backend;
}
