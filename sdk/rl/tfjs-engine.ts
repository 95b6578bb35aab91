/**
 * The tfjs compute engine: forward and hand-derived backward of the actor and critic MLPs.
 *
 * Why not tf.variableGrads + tf.train.adam: for NPC-sized nets tfjs spends its time dispatching
 * kernels, not computing (one autograd update at minibatch 128 runs ~480 kernels). Here a
 * minibatch costs ~60 kernels: only plain 2-D matMuls without transpose flags (the XNNPACK fast
 * path of tfjs-wasm; transposed operands are transposed in JS on upload or by one transpose
 * kernel), one concat, one readback, and the optimizer on the flat vector in JS (adam.ts).
 *
 * Grid inputs' conv stacks (conv.ts) run as tf.conv2d + bias + ReLU, their backward pass by hand
 * too (tfjs-conv.ts), from d loss/d the stack's output that the MLP backward gives (dz₀·W₀ᵀ on
 * the stack's columns).
 */
import * as tf from '@tensorflow/tfjs';
import type { ComputeEngine, ForwardResult } from './engine.js';
import { isDeviceName, type DeviceName } from './metrics.js';
import type { ActorCriticLayout, LayerSlice } from './network.js';
import type { ConvStack } from './conv.js';
import { convStackBackward, convStackForward, uploadConvLayers, type ConvLayerTensors } from './tfjs-conv.js';

interface LayerTensors { w: tf.Tensor2D; wT: tf.Tensor2D; b: tf.Tensor1D }
/** One net's conv stacks' weights and, after forward, each stack's [grid, h1, ..., hL] ([B, H, W, C] each). */
interface ConvNetTensors { stacks: { stack: ConvStack; layers: ConvLayerTensors[] }[]; acts: tf.Tensor4D[][] }

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
      stacks: stacks.map((stack) => ({ stack, layers: uploadConvLayers(params, stack.layers) })),
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
      return convStackForward(tf.slice(x, [0, stack.xOffset], [B, inH * inW * inC]).reshape([B, inH, inW, inC]), layers);
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
    // The MLP input's gradient (no tanh below it), then each stack's own columns through its layers.
    const dIn = tf.matMul(g, layers[0]!.wT);
    const B = dIn.shape[0];
    const convPieces = conv.stacks.flatMap(({ stack, layers: convLayers }, k) => {
      const last = stack.layers[stack.layers.length - 1]!;
      const dOut = tf.slice(dIn, [0, stack.mlpOffset], [B, stack.outSize]).reshape([B, last.outH, last.outW, last.outC]) as tf.Tensor4D;
      return convStackBackward(conv.acts[k]!, convLayers, dOut);
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

function tfjsDevice(backend: string): DeviceName {
  if (!isDeviceName(backend) || backend === 'wasm-simd') {
    throw new RangeError(`TfjsEngine: the active tfjs backend is ${JSON.stringify(backend)}; the learner runs on webgl, webgpu, wasm or cpu (call tf.setBackend first)`);
  }
  return backend;
}
