/**
 * The weights a behavior acts with: checked against its spec, copied in (the caller may transfer
 * or reuse its array), versioned, and the forward pass ({@link Policy}) over them sized to the
 * batch. Swapping weights never allocates once the first ones are in.
 */
import { EnvError } from '../core/errors.js';
import type { ActionDistribution } from '../rl/distributions.js';
import { Policy } from '../rl/policy.js';
import { describeInput } from '../rl/conv.js';
import type { BehaviorSpec } from './behavior-spec.js';

export class ActingWeights {
  /** Version of the weights acting now (0 until set). */
  version = 0;
  private params: Float32Array | null = null;
  private policy: Policy | null = null;
  private capacity = 1;

  /** `behavior` names the behavior in messages. */
  constructor(readonly behavior: string, private readonly dist: ActionDistribution, private readonly hiddenSizes: readonly number[]) {}

  /** Whether weights are set. */
  get ready(): boolean {
    return this.policy !== null;
  }

  /** The forward pass over the current weights, for up to the reserved number of rows. */
  get forward(): Policy {
    if (!this.policy) throw new EnvError(`behavior '${this.behavior}': no weights yet (setParams or a policy provider gives them)`);
    return this.policy;
  }

  /** Throws unless `params` and `version` fit `spec`: the count its layout needs, a non-negative integer version. */
  check(params: Float32Array, version: number, spec: BehaviorSpec): void {
    const { layout } = spec;
    if (!(params instanceof Float32Array) || params.length !== layout.size) {
      const conv = layout.hasConv ? `, conv layers over ${layout.inputs.filter((i) => i.kind === 'grid').map(describeInput).join(', ')}` : '';
      throw new EnvError(`behavior '${this.behavior}': weights have ${params?.length} parameters, but observationSize ${spec.observationSize}, ${spec.actionSpec} and hiddenSizes [${this.hiddenSizes.join(', ')}]${conv} need ${layout.size}`);
    }
    if (!Number.isSafeInteger(version) || version < 0) throw new EnvError(`behavior '${this.behavior}': weights version must be a non-negative integer, got ${version}`);
  }

  /** Copies checked weights (see {@link check}) in; they act from the next decision on. */
  set(params: Float32Array, version: number, spec: BehaviorSpec): void {
    if (!this.params) this.params = new Float32Array(spec.layout.size);
    this.params.set(params);
    this.version = version;
    if (!this.policy) this.policy = new Policy(spec.layout, this.dist, this.params, this.capacity);
    else this.policy.paramsChanged();
  }

  /** Sizes the forward pass for `capacity` rows (one per agent). */
  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    if (this.policy) this.policy = new Policy(this.policy.layout, this.dist, this.params!, capacity);
  }
}
