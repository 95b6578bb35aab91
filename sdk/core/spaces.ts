/**
 * Observation and action spaces. Plain JSON-serializable data so a brain file can carry them.
 */
import { EnvError } from './errors.js';
import type { Rng } from './rng.js';

/** `n` choices, actions are integers in `[0, n)`. */
export interface DiscreteSpace { readonly kind: 'discrete'; readonly n: number }
/** Several independent discrete choices; branch `i` takes integers in `[0, nvec[i])`. */
export interface MultiDiscreteSpace { readonly kind: 'multiDiscrete'; readonly nvec: readonly number[] }
/** A flat vector of reals with per-dimension bounds (may be ±Infinity for observations). */
export interface BoxSpace { readonly kind: 'box'; readonly size: number; readonly low: readonly number[]; readonly high: readonly number[] }
/**
 * Continuous and discrete actions at once (e.g. steer and throttle, plus fire yes/no). An action
 * row is `[continuous..., discrete...]`: `continuous.size` reals, then one integer per branch.
 */
export interface HybridSpace { readonly kind: 'hybrid'; readonly continuous: BoxSpace; readonly discrete: MultiDiscreteSpace }
export type Space = DiscreteSpace | MultiDiscreteSpace | BoxSpace | HybridSpace;

/**
 * An action as an environment receives it: a number for `Discrete`, a Float32Array
 * (integers for `MultiDiscrete`, reals for `Box`, reals then integers for `Hybrid`) otherwise.
 */
export type Action = number | Float32Array;

function isPositiveInt(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

/** A space with `n` choices. @example Discrete(2) // left or right */
export function Discrete(n: number): DiscreteSpace {
  if (!isPositiveInt(n)) throw new EnvError(`Discrete(n): n must be a positive integer, got ${n}`);
  return Object.freeze({ kind: 'discrete', n });
}

/** Independent discrete branches. @example MultiDiscrete([3, 2]) // move: 3 ways, jump: yes/no */
export function MultiDiscrete(nvec: readonly number[]): MultiDiscreteSpace {
  if (nvec.length === 0) throw new EnvError('MultiDiscrete(nvec): nvec must have at least one branch');
  nvec.forEach((n, i) => {
    if (!isPositiveInt(n)) throw new EnvError(`MultiDiscrete(nvec): nvec[${i}] must be a positive integer, got ${n}`);
  });
  return Object.freeze({ kind: 'multiDiscrete', nvec: Object.freeze([...nvec]) });
}

/**
 * A real vector with bounds. Scalar bounds are broadcast to `size` (default: the length of an array
 * bound, else 1); bounds may be ±Infinity.
 * @example Box(-1, 1, 3)
 * @example Box([-4.8, -Infinity], [4.8, Infinity])
 */
export function Box(low: number | readonly number[], high: number | readonly number[], size?: number): BoxSpace {
  const arrayLength = Array.isArray(low) ? low.length : Array.isArray(high) ? high.length : undefined;
  const n = size ?? arrayLength ?? 1;
  if (!isPositiveInt(n)) throw new EnvError(`Box: size must be a positive integer, got ${n}`);
  const expand = (name: string, bound: number | readonly number[]): readonly number[] => {
    if (typeof bound === 'number') return new Array<number>(n).fill(bound);
    if (bound.length !== n) throw new EnvError(`Box: ${name} has length ${bound.length}, expected ${n}`);
    return [...bound];
  };
  const lo = expand('low', low);
  const hi = expand('high', high);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    if (Number.isNaN(l) || Number.isNaN(h)) throw new EnvError(`Box: bound ${i} is NaN (low ${l}, high ${h})`);
    if (l > h) throw new EnvError(`Box: low[${i}] = ${l} is greater than high[${i}] = ${h}`);
  }
  return Object.freeze({ kind: 'box', size: n, low: Object.freeze(lo), high: Object.freeze(hi) });
}

/**
 * Continuous and discrete actions together; the row is `[continuous..., discrete...]`.
 * @example Hybrid(Box(-1, 1, 2), MultiDiscrete([2])) // steer and throttle, and fire or not
 */
export function Hybrid(continuous: BoxSpace, discrete: MultiDiscreteSpace): HybridSpace {
  if (continuous?.kind !== 'box') throw new EnvError(`Hybrid(continuous, discrete): continuous must be a Box, got ${JSON.stringify(continuous)}`);
  if (discrete?.kind !== 'multiDiscrete') throw new EnvError(`Hybrid(continuous, discrete): discrete must be a MultiDiscrete, got ${JSON.stringify(discrete)}`);
  return Object.freeze({ kind: 'hybrid', continuous, discrete });
}

/** Width of one action row in a flat actions array: 1, `nvec.length`, `size`, or their sum for `Hybrid`. */
export function actionSize(space: Space): number {
  switch (space.kind) {
    case 'discrete': return 1;
    case 'multiDiscrete': return space.nvec.length;
    case 'box': return space.size;
    case 'hybrid': return space.continuous.size + space.discrete.nvec.length;
  }
}

/** Short form for messages: `Discrete(2)`, `MultiDiscrete([3,2])`, `Box(3)`, `Hybrid(Box(2),MultiDiscrete([2]))`. */
export function spaceToString(space: Space): string {
  switch (space.kind) {
    case 'discrete': return `Discrete(${space.n})`;
    case 'multiDiscrete': return `MultiDiscrete([${space.nvec.join(',')}])`;
    case 'box': return `Box(${space.size})`;
    case 'hybrid': return `Hybrid(${spaceToString(space.continuous)},${spaceToString(space.discrete)})`;
  }
}

/** Whether two spaces have the same kind, sizes and bounds. */
export function spacesEqual(a: Space, b: Space): boolean {
  const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  if (a.kind === 'discrete' && b.kind === 'discrete') return a.n === b.n;
  if (a.kind === 'multiDiscrete' && b.kind === 'multiDiscrete') return same(a.nvec, b.nvec);
  if (a.kind === 'box' && b.kind === 'box') return a.size === b.size && same(a.low, b.low) && same(a.high, b.high);
  if (a.kind === 'hybrid' && b.kind === 'hybrid') return spacesEqual(a.continuous, b.continuous) && spacesEqual(a.discrete, b.discrete);
  return false;
}

/**
 * Writes a random action for `space` into `out` at `offset` (as Gymnasium's `sample`: uniform where
 * bounded, exponential where bounded on one side, normal where unbounded).
 */
export function sampleSpace(space: Space, rng: Rng, out: Float32Array, offset = 0): void {
  switch (space.kind) {
    case 'discrete':
      out[offset] = rng.int(space.n);
      return;
    case 'multiDiscrete':
      space.nvec.forEach((n, i) => { out[offset + i] = rng.int(n); });
      return;
    case 'box':
      for (let i = 0; i < space.size; i++) {
        const lo = space.low[i]!;
        const hi = space.high[i]!;
        const exponential = () => -Math.log(1 - rng.next());
        if (Number.isFinite(lo) && Number.isFinite(hi)) out[offset + i] = rng.uniform(lo, hi);
        else if (Number.isFinite(lo)) out[offset + i] = lo + exponential();
        else if (Number.isFinite(hi)) out[offset + i] = hi - exponential();
        else out[offset + i] = rng.normal();
      }
      return;
    case 'hybrid':
      sampleSpace(space.continuous, rng, out, offset);
      sampleSpace(space.discrete, rng, out, offset + space.continuous.size);
  }
}

/**
 * Copies `rows` action rows from `actions` into `out`, clipping the continuous part (a Box, or a
 * Hybrid's continuous dimensions, which come first in a row) to its bounds. The game gets the
 * clipped action; the learner keeps the unclipped sample (PPO.md, "Continuous actions").
 */
export function clipActions(space: Space, actions: Float32Array, rows: number, out: Float32Array): void {
  const box = space.kind === 'box' ? space : space.kind === 'hybrid' ? space.continuous : null;
  const width = actionSize(space);
  out.set(actions.subarray(0, rows * width));
  if (!box) return;
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < box.size; d++) {
      const i = r * width + d;
      out[i] = Math.min(Math.max(actions[i]!, box.low[d]!), box.high[d]!);
    }
  }
}
