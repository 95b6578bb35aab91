import type { UpdateStats } from './learner.js';

/** The learner's compute engine: hand-written WebAssembly SIMD kernels, or TensorFlow.js. */
export type EngineName = 'kernels' | 'tfjs';

/**
 * What the engine computes on: a tfjs backend (`webgl`, `webgpu`, `wasm`, `cpu`), or `wasm-simd`
 * for the kernels engine.
 */
export type DeviceName = 'wasm-simd' | 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/** Where a learner runs: the engine, and the device it computes on (two fields, never one word). */
export interface EngineDevice {
  engine: EngineName;
  device: DeviceName;
}

const ENGINES: ReadonlySet<string> = new Set<EngineName>(['kernels', 'tfjs']);
const DEVICES: ReadonlySet<string> = new Set<DeviceName>(['wasm-simd', 'wasm', 'cpu', 'webgl', 'webgpu']);

/** Whether `name` is an {@link EngineName}. */
export function isEngineName(name: unknown): name is EngineName {
  return typeof name === 'string' && ENGINES.has(name);
}

/** Whether `name` is a {@link DeviceName}. */
export function isDeviceName(name: unknown): name is DeviceName {
  return typeof name === 'string' && DEVICES.has(name);
}

/**
 * Engine and device of a metrics record, also of one written before they were separate fields:
 * then `backend` held `kernels`/`wasm-simd` (the kernels engine) or a tfjs backend, and `engine`
 * may be missing. Throws a RangeError naming the field when neither form is readable.
 */
export function engineDeviceOf(record: { engine?: unknown; device?: unknown; backend?: unknown }): EngineDevice {
  const device = record.device ?? (record.backend === 'kernels' ? 'wasm-simd' : record.backend);
  if (!isDeviceName(device)) {
    throw new RangeError(`metrics: device must be one of ${[...DEVICES].join(', ')} (or an old record's backend, also kernels), got ${JSON.stringify(record.device ?? record.backend) ?? 'nothing'}`);
  }
  const engine = record.engine ?? (device === 'wasm-simd' ? 'kernels' : 'tfjs');
  if (!isEngineName(engine)) throw new RangeError(`metrics: engine must be kernels or tfjs, got ${JSON.stringify(engine) ?? 'nothing'}`);
  return { engine, device };
}

/** Where a run stands after an update: transitions, time, and the last 20 finished episodes. */
export interface RunProgress {
  /** 1-based index of this update. */
  update: number;
  /** Transitions (decisions over all envs or agents) consumed so far. */
  step: number;
  /** Seconds since training started. */
  time: number;
  /** Episodes finished so far. */
  episodes: number;
  /** Mean return of the last 20 finished episodes (NaN before the first one ends). */
  returnMean: number;
  returnMin: number;
  returnMax: number;
  /** Mean length of the last 20 finished episodes, in transitions (decisions). */
  episodeLength: number;
  /** Transitions per second over the whole run so far (acting + learning). */
  sps: number;
}

/** Diagnostics for one learner update: one line of `metrics.jsonl`, one point on the charts. */
export interface UpdateMetrics extends RunProgress, UpdateStats, EngineDevice, LessonProgressMetrics {
  /**
   * This behavior's ELO after this update's games: with self-play (`config.selfPlay`) the learning
   * policy's; in a game of several behaviors, its rating against the others.
   */
  elo?: number;
  /** In a game of several behaviors: every behavior's ELO after this update. */
  ratings?: Record<string, number>;
  /** Self-play only: the team learning now, and the ELO of the snapshot the other teams play. */
  learningTeam?: number;
  opponentElo?: number;
}

/** In a run with environment parameters: where each one's curriculum is, after this update's check. */
export interface LessonProgressMetrics {
  /** Each parameter's current lesson (0-based; 0 for a parameter without a curriculum). */
  lessons?: Record<string, number>;
  /** Each parameter's latest value (the last one a copy drew; its lesson's centre before any draw). */
  envParams?: Record<string, number>;
}
