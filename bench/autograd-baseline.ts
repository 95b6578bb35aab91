/**
 * The "before" of the tfjs engine, for the benchmark only: the same actor-critic minibatch update
 * written the textbook way (tf.variableGrads over the whole PPO loss, global-norm clip,
 * tf.train.adam). Measured side by side with the hand-derived engine.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActorCriticLayout, LayerSlice } from '../sdk/rl/network.js';

export class AutogradUpdate {
  private readonly vars: tf.Variable[];
  private readonly actor: { w: tf.Variable; b: tf.Variable }[];
  private readonly critic: { w: tf.Variable; b: tf.Variable }[];
  private readonly opt = tf.train.adam(2.5e-4, 0.9, 0.999, 1e-5);

  constructor(layout: ActorCriticLayout, params: Float32Array) {
    const make = (layers: readonly LayerSlice[]) => layers.map(({ inSize, outSize, w, b }) => ({
      w: tf.variable(tf.tensor2d(params.slice(w, w + inSize * outSize), [inSize, outSize])),
      b: tf.variable(tf.tensor1d(params.slice(b, b + outSize))),
    }));
    this.actor = make(layout.actor);
    this.critic = make(layout.critic);
    this.vars = [...this.actor, ...this.critic].flatMap((l) => [l.w, l.b]);
  }

  /** One clipped-PPO minibatch step on a discrete policy. */
  step(obs: tf.Tensor2D, actions: tf.Tensor1D, oldLogProb: tf.Tensor1D, adv: tf.Tensor1D, returns: tf.Tensor1D, oldValues: tf.Tensor1D): void {
    tf.tidy(() => {
      const mlp = (layers: { w: tf.Variable; b: tf.Variable }[]) => {
        let h: tf.Tensor = obs;
        layers.forEach(({ w, b }, l) => {
          const z = tf.add(tf.matMul(h, w), b);
          h = l === layers.length - 1 ? z : tf.tanh(z);
        });
        return h as tf.Tensor2D;
      };
      const { grads } = tf.variableGrads(() => {
        const logits = mlp(this.actor);
        const logp = tf.logSoftmax(logits);
        const n = logits.shape[1]!;
        const newLogProb = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(actions, 'int32'), n)), 1);
        const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
        const ratio = tf.exp(tf.sub(newLogProb, oldLogProb));
        const mean = tf.mean(adv);
        const normAdv = tf.div(tf.sub(adv, mean), tf.add(tf.sqrt(tf.div(tf.sum(tf.square(tf.sub(adv, mean))), adv.shape[0] - 1)), 1e-8));
        const pg = tf.mean(tf.maximum(tf.mul(tf.neg(normAdv), ratio), tf.mul(tf.neg(normAdv), tf.clipByValue(ratio, 0.8, 1.2))));
        const v = tf.squeeze(mlp(this.critic), [1]);
        const vClipped = tf.add(oldValues, tf.clipByValue(tf.sub(v, oldValues), -0.2, 0.2));
        const vLoss = tf.mul(0.5, tf.mean(tf.maximum(tf.square(tf.sub(v, returns)), tf.square(tf.sub(vClipped, returns)))));
        return tf.add(tf.sub(pg, tf.mul(0.01, tf.mean(entropy))), tf.mul(0.5, vLoss)) as tf.Scalar;
      }, this.vars);
      const list = Object.values(grads);
      const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(1, tf.div(0.5, tf.add(norm, 1e-6)));
      this.opt.applyGradients(Object.entries(grads).map(([name, g]) => ({ name, tensor: tf.mul(g, scale) })));
    });
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
    this.opt.dispose();
  }
}
