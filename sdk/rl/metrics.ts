import type { UpdateStats } from './learner.js';

/** Where a run stands after an update: steps, time, and the last 20 finished episodes. */
export interface RunProgress {
  /** 1-based index of this update. */
  update: number;
  /** Environment steps (transitions over all envs or agents) consumed so far. */
  step: number;
  /** Seconds since training started. */
  time: number;
  /** Episodes finished so far. */
  episodes: number;
  /** Mean return of the last 20 finished episodes (NaN before the first one ends). */
  returnMean: number;
  returnMin: number;
  returnMax: number;
  /** Mean length of the last 20 finished episodes. */
  episodeLength: number;
  /** Environment steps per second over the whole run so far (acting + learning). */
  sps: number;
}

/** Diagnostics for one learner update: one line of `metrics.jsonl`, one point on the charts. */
export interface UpdateMetrics extends RunProgress, UpdateStats {
  /** The learner's compute engine: `tfjs` or `kernels` (WebAssembly SIMD). */
  engine: string;
  /** The device the engine computes on: the tfjs backend (`wasm`, `cpu`, `webgl`, ...), or `wasm-simd`. */
  backend: string;
}
