/**
 * Numerical fault guard for the learner: an update whose loss, gradient norm or weights go
 * non-finite is discarded, and the weights and optimizer state from before it come
 * back. A fault can come from the data (a reward of 1e38 from a physics glitch) or from the
 * compute engine; either way the weights a game acts with must never turn into NaN.
 *
 * The snapshot is three Float32Array copies of the parameter vector's size (~9k floats for a
 * 4-64-64-2 net: a few microseconds, against the milliseconds an update takes).
 */
import { PhaserPpoError } from '../core/errors.js';
import type { AdamState } from './adam.js';
import type { ActorCriticLayout } from './network.js';

/** Training stopped after `maxConsecutiveFaults` discarded updates in a row; the learner holds the last good weights. */
export class TrainingFaultError extends PhaserPpoError {
  override name = 'TrainingFaultError';
  constructor(readonly consecutive: number, readonly lastFault: string) {
    super(`training stopped: ${consecutive} updates in a row went non-finite and were discarded (last: ${lastFault}). `
      + 'The learner kept the last good weights. Look for huge or NaN rewards/observations, or lower learningRate / raise adamEps (PPOConfig).');
  }
}

/** Index of the first non-finite value in `a`, or -1. */
export function firstNonFinite(a: Float32Array): number {
  // Number.isFinite measured ~1.7× faster here than the x − x !== 0 trick (5 vs 8.6 µs for 9k floats).
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/** Where parameter `index` sits: `actor layer 1 W[3]`, `log-std[0]`, `critic layer 2 b[0]`. */
export function describeParam(layout: ActorCriticLayout, index: number): string {
  if (layout.logStd >= 0 && index >= layout.logStd && index < layout.logStd + layout.logStdSize) return `log-std[${index - layout.logStd}]`;
  for (const [net, stacks] of [['actor', layout.actorConv], ['critic', layout.criticConv]] as const) {
    for (const stack of stacks) {
      const name = layout.inputs[stack.input]!.name;
      for (let l = 0; l < stack.layers.length; l++) {
        const { w, b, kernel, inC, outC } = stack.layers[l]!;
        if (index >= w && index < b) return `${net} conv '${name}' layer ${l + 1} W[${index - w}] (of ${kernel}×${kernel}×${inC}×${outC})`;
        if (index >= b && index < b + outC) return `${net} conv '${name}' layer ${l + 1} b[${index - b}]`;
      }
    }
  }
  for (const [net, layers] of [['actor', layout.actor], ['critic', layout.critic]] as const) {
    for (let l = 0; l < layers.length; l++) {
      const { w, b, inSize, outSize } = layers[l]!;
      if (index >= w && index < b) return `${net} layer ${l + 1} W[${index - w}] (of ${inSize}×${outSize})`;
      if (index >= b && index < b + outSize) return `${net} layer ${l + 1} b[${index - b}]`;
    }
  }
  return `parameter ${index}`;
}

/** Counts faults and keeps the last good weights and optimizer state. */
export class FaultGuard {
  /** Discarded updates over the whole run. */
  total = 0;
  /** Discarded updates since the last good one. */
  consecutive = 0;
  private readonly params: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(size: number, readonly maxConsecutive: number) {
    this.params = new Float32Array(size);
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** Copies the state an update is about to change. */
  save(params: Float32Array, adam: AdamState): void {
    this.params.set(params);
    this.m.set(adam.m);
    this.v.set(adam.v);
    this.t = adam.t;
  }

  /** Puts back what {@link save} copied. */
  restore(params: Float32Array, adam: AdamState): void {
    params.set(this.params);
    adam.m.set(this.m);
    adam.v.set(this.v);
    adam.t = this.t;
  }

  /**
   * Names the first non-finite new weight, or returns null when all are finite. The Adam moments
   * are not scanned: the learner has already checked every minibatch's gradient norm, and
   * moments built from finite, norm-clipped gradients stay finite (scanning them too cost ~2×
   * more, ~30 µs, per update on a 4-64-64 net).
   */
  static checkState(layout: ActorCriticLayout, params: Float32Array): string | null {
    const i = firstNonFinite(params);
    return i >= 0 ? `weight ${describeParam(layout, i)} = ${params[i]}` : null;
  }

  /** Records a discarded update; throws {@link TrainingFaultError} once `maxConsecutive` happened in a row. */
  fault(what: string): void {
    this.total++;
    this.consecutive++;
    if (this.consecutive >= this.maxConsecutive) throw new TrainingFaultError(this.consecutive, what);
  }

  /** Records a good update. */
  ok(): void {
    this.consecutive = 0;
  }
}
