/**
 * The tfjs compute engine: forward and hand-derived backward of the actor and critic MLPs.
 *
 * Why not tf.variableGrads + tf.train.adam: for NPC-sized nets tfjs spends its time dispatching
 * kernels, not computing (one autograd update at minibatch 128 runs ~480 kernels). Here a
 * minibatch costs ~60 kernels: only plain 2-D matMuls without transpose flags (the XNNPACK fast
 * path of tfjs-wasm; transposed operands are transposed in JS on upload or by one transpose
 * kernel), one concat, one readback, and the optimizer on the flat vector in JS (adam.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ComputeEngine, ForwardResult } from './engine.js';
import { isDeviceName, type DeviceName } from './metrics.js';
import type { ActorCriticLayout, LayerSlice } from './network.js';

interface LayerTensors { w: tf.Tensor2D; wT: tf.Tensor2D; b: tf.Tensor1D }

export class TfjsEngine implements ComputeEngine {
  readonly name = 'tfjs';
  /** The active tfjs backend, checked first (before any tensor is made). */
  readonly device: DeviceName = tfjsDevice(tf.getBackend());
  private actor: LayerTensors[] = [];
  private critic: LayerTensors[] = [];
  /** Inputs and hidden activations of the last forward pass: [x, h1, ..., hL] per network. */
  private actorActs: tf.Tensor2D[] = [];
  private criticActs: tf.Tensor2D[] = [];
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
  }

  forward(obs: Float32Array, batch: number): ForwardResult {
    if (this.actor.length === 0) throw new Error('TfjsEngine.forward: call setParams first');
    this.disposeActs();
    this.batch = batch;
    const x = tf.tensor2d(obs.subarray(0, batch * this.layout.observationSize), [batch, this.layout.observationSize]);
    this.actorActs = this.forwardNet(x, this.actor);
    this.criticActs = this.forwardNet(x, this.critic);
    const actorOut = this.actorActs.pop()!;
    const valueOut = this.criticActs.pop()!;
    const result = { actorOut: actorOut.dataSync() as Float32Array, values: valueOut.dataSync() as Float32Array };
    actorOut.dispose();
    valueOut.dispose();
    return result;
  }

  backward(dActorOut: Float32Array, dValues: Float32Array, grads: Float32Array): void {
    const B = this.batch;
    const { layout } = this;
    const flat = tf.tidy(() => {
      const pieces = [
        ...this.backwardNet(tf.tensor2d(dActorOut.subarray(0, B * layout.actorOutputSize), [B, layout.actorOutputSize]), this.actor, this.actorActs),
        ...this.backwardNet(tf.tensor2d(dValues.subarray(0, B), [B, 1]), this.critic, this.criticActs),
      ];
      return tf.concat(pieces.map((p) => p.reshape([-1])));
    });
    const data = flat.dataSync() as Float32Array;
    flat.dispose();
    const actorEnd = layout.actor[layout.actor.length - 1]!;
    const actorSize = actorEnd.b + actorEnd.outSize;
    const criticStart = layout.critic[0]!.w;
    grads.set(data.subarray(0, actorSize), 0);
    grads.set(data.subarray(actorSize), criticStart);
  }

  dispose(): void {
    this.disposeActs();
    this.disposeParams();
    this.one.dispose();
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

  /** Gradients [dW1, db1, ..., dWL, dbL] in layout order. Call inside tf.tidy. */
  private backwardNet(dOut: tf.Tensor2D, layers: LayerTensors[], acts: tf.Tensor2D[]): tf.Tensor[] {
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
    return pieces.reverse();
  }

  private disposeActs(): void {
    // acts[0] (the input) is shared by both networks.
    const all = new Set([...this.actorActs, ...this.criticActs]);
    for (const t of all) t.dispose();
    this.actorActs = [];
    this.criticActs = [];
  }

  private disposeParams(): void {
    for (const { w, wT, b } of [...this.actor, ...this.critic]) {
      w.dispose();
      wT.dispose();
      b.dispose();
    }
    this.actor = [];
    this.critic = [];
  }
}

function tfjsDevice(backend: string): DeviceName {
  if (!isDeviceName(backend) || backend === 'wasm-simd') {
    throw new RangeError(`TfjsEngine: the active tfjs backend is ${JSON.stringify(backend)}; the learner runs on webgl, webgpu, wasm or cpu (call tf.setBackend first)`);
  }
  return backend;
}
