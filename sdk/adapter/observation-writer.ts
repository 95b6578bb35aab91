/**
 * How `Agent.collectObservations` hands values to the runner. Values go straight into the
 * behavior's batch row (no per-agent arrays); the runner checks the count and finiteness after
 * the call, so one bad value is reported once, with its index.
 */
import { EnvError } from '../core/errors.js';

/** Appends observation values, in a fixed order, for one decision. */
export interface ObservationWriter {
  /**
   * Appends one value.
   * @example obs.add(this.body.position.x / WORLD_WIDTH)
   */
  add(x: number): void;
  /**
   * Appends every value of `xs`.
   * @example obs.addArray([dx, dy])
   */
  addArray(xs: ArrayLike<number>): void;
  /**
   * Appends `n` values: 1 at `index`, 0 elsewhere.
   * @example obs.addOneHot(this.weapon, 3)
   */
  addOneHot(index: number, n: number): void;
}

/** The runner's {@link ObservationWriter}: writes into `out[offset..offset+capacity)` and counts. */
export class ObservationRowWriter implements ObservationWriter {
  /** Values appended since {@link reset}; may exceed capacity (the excess is not written). */
  count = 0;
  private out: Float32Array = new Float32Array(0);
  private offset = 0;
  private capacity = 0;
  /** `behavior 'b', agent 'a'`, for messages. */
  private who = '';

  reset(out: Float32Array, offset: number, capacity: number, who: string): void {
    this.out = out;
    this.offset = offset;
    this.capacity = capacity;
    this.who = who;
    this.count = 0;
  }

  add(x: number): void {
    if (this.count < this.capacity) this.out[this.offset + this.count] = x;
    this.count++;
  }

  addArray(xs: ArrayLike<number>): void {
    for (let i = 0; i < xs.length; i++) this.add(xs[i]!);
  }

  addOneHot(index: number, n: number): void {
    if (!Number.isInteger(n) || n <= 0) throw new EnvError(`${this.who}: addOneHot(${index}, ${n}): n must be a positive integer`);
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new EnvError(`${this.who}: addOneHot(${index}, ${n}): index must be an integer in [0, ${n}) (observation index ${this.count})`);
    }
    for (let j = 0; j < n; j++) this.add(j === index ? 1 : 0);
  }
}
