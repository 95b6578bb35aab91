/**
 * Recorded decisions of one behavior, in memory: what behaviour cloning and GAIL learn from.
 * Rows are decisions in recording order; episodes are contiguous.
 */
import type { Space } from '../core/spaces.js';

export interface DemonstrationData {
  /** The behavior whose agents were recorded (a brain's `env`). */
  behavior: string;
  /** Values per observation row, raw (not normalized): what `collectObservations` + sensors wrote. */
  observationSize: number;
  /** The behavior's action space, as brains record it. */
  actionSpace: Space;
  /** Decisions recorded. */
  steps: number;
  /** steps × observationSize, raw. */
  observations: Float32Array;
  /** steps × actionSize(actionSpace): discrete choices as integers, continuous values as taken (clipped to the spec). */
  actions: Float32Array;
  /** steps × (sum of discrete branch sizes), 1 = allowed; null when nothing was masked. */
  masks: Uint8Array | null;
  /** Reward of each decision. */
  rewards: Float32Array;
  /** How the episode stood after each decision: 0 continuing, 1 terminated, 2 truncated. */
  ends: Uint8Array;
}
