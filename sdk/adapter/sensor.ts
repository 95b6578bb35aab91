/**
 * Sensors: reusable pieces of an agent's observation. The runner writes an agent's observation
 * row as `[collectObservations values..., sensor 0, sensor 1, ...]`, sensors in the order they
 * were added, so the layout the network sees never depends on iteration order of a map.
 */
import { EnvError } from '../core/errors.js';

/**
 * A fixed-size block of observation values.
 *
 * `write` must not change the sensor's state: the runner may call it more than once per decision
 * (for the last observation of an ending episode, then the first of the next). A sensor that
 * keeps history does its bookkeeping in `advance`, which the runner calls once per decision just
 * before `write`.
 */
export interface Sensor {
  /** Named in error messages; unique within an agent is kindest. */
  readonly name: string;
  /** Number of values `write` writes. */
  readonly size: number;
  /**
   * `[rows, cols, channels]` for a grid written channels-last, row-major (rows·cols·channels =
   * size): the behavior's observation gets a grid input here, which the network encodes with conv
   * layers. Absent: plain values.
   */
  readonly shape?: readonly [number, number, number];
  /** Writes `size` values into `out[offset..]`. */
  write(out: Float32Array, offset: number): void;
  /** Forgets per-episode state; called when an episode begins. */
  reset(): void;
  /** Called once per decision, before `write` (optional). */
  advance?(): void;
}

function checkSize(what: string, size: number): void {
  if (!Number.isInteger(size) || size <= 0) throw new EnvError(`${what}: size must be a positive integer, got ${size}`);
}

/**
 * A sensor holding values the game sets, e.g. from an event handler rather than from
 * `collectObservations`. Reset to zeros when an episode begins.
 *
 * @example
 * const goal = new VectorSensor('goal', 2);
 * agent.addSensor(goal);
 * goal.set([dx, dy]); // whenever the goal moves
 */
export class VectorSensor implements Sensor {
  private readonly values: Float32Array;

  constructor(readonly name: string, readonly size: number) {
    checkSize(`VectorSensor('${name}')`, size);
    this.values = new Float32Array(size);
  }

  /** Replaces the values (exactly `size` of them). */
  set(values: ArrayLike<number>): void {
    if (values.length !== this.size) throw new EnvError(`VectorSensor('${this.name}').set: got ${values.length} values, expected ${this.size}`);
    for (let i = 0; i < this.size; i++) this.values[i] = values[i]!;
  }

  write(out: Float32Array, offset: number): void {
    out.set(this.values, offset);
  }

  reset(): void {
    this.values.fill(0);
  }
}

/**
 * The last `k` observations of `inner`, newest first: `[now, 1 decision ago, ..., k−1 ago]`
 * (size `k × inner.size`). History advances once per decision and is zeros after a reset, so the
 * first decision of an episode sees `[now, 0, 0, ...]`. Do not also add `inner` to the agent: it
 * would be advanced twice.
 *
 * @example agent.addSensor(new StackingSensor(new BodyStateSensor('ball', ball), 3))
 */
export class StackingSensor implements Sensor {
  readonly name: string;
  readonly size: number;
  private readonly history: Float32Array;

  constructor(readonly inner: Sensor, readonly k: number, name = `${inner.name}×${k}`) {
    if (!Number.isInteger(k) || k < 1) throw new EnvError(`StackingSensor('${inner.name}'): k must be a positive integer, got ${k}`);
    this.name = name;
    this.size = k * inner.size;
    this.history = new Float32Array(this.size);
  }

  advance(): void {
    this.inner.advance?.();
    this.history.copyWithin(this.inner.size, 0, this.size - this.inner.size);
    this.inner.write(this.history, 0);
  }

  write(out: Float32Array, offset: number): void {
    out.set(this.history, offset);
  }

  reset(): void {
    this.history.fill(0);
    this.inner.reset();
  }
}
