/**
 * What the gallery page builds on, apart from its layout: its state object for Playwright, playing fast-mode weights in the visible scene, the shipped brain,
 * and a brain made from a fast-mode update.
 */
import type { Behavior, LiveMetrics } from '../sdk/phaser/behavior.js';
import type { FastUpdate } from '../sdk/runtime/fast-trainer.js';
import { brainOf, type Brain } from '../sdk/io/brain.js';
import { Box } from '../sdk/core/spaces.js';
import type { ResolvedConfig } from '../sdk/rl/config.js';
import { RunningMeanStd } from '../sdk/rl/normalizer.js';
import { recordMetrics } from '../sdk/phaser/training-log.js';
import { loadShippedBrain } from './shipped-brain.js';

/** What drives the visible behavior: the panel's behavior types, plus before the first and after Stop. */
export type Mode = 'idle' | 'live' | 'fast' | 'watch' | 'heuristic' | 'stopped';
export type Shown = Pick<LiveMetrics, 'policyVersion' | 'step' | 'returnMean' | 'episodeLength' | 'sps' | 'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFraction' | 'policyLag' | 'backend'>;

/** The state the page publishes (read by the Playwright tests; handy in the console). */
export interface PageState {
  mode: Mode;
  metrics: Shown[];
  backend: null | { backend: string; reason: string };
  errors: string[];
  /** Finished episodes' returns of the NPCs in view (the current scene's behavior, the last 200). */
  returns: number[];
  /** The brain acting in inference mode once its scene runs; null in the other modes. */
  watching: null | { policyVersion: number; steps: number; source: 'shipped' | 'mine' };
}

export function newPageState(): PageState {
  return { mode: 'idle', metrics: [], backend: null, errors: [], returns: [], watching: null };
}

export const $ = <T extends HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the gallery page has no element #${id}`);
  return el as T;
};

/**
 * Plays a fast-mode update in the visible scene: its weights (with the normalizer's statistics)
 * act from the next frame, and the overlay shows its metrics. Returns the statistics.
 */
export function playFastUpdate(behavior: Behavior, u: FastUpdate): RunningMeanStd | null {
  const stats = u.observationStats ? RunningMeanStd.fromJSON(u.observationStats) : null;
  behavior.setWeights(u.params, u.policyVersion, stats);
  behavior.latest = { ...u, behavior: behavior.name, updateMs: NaN, droppedRollouts: 0 };
  // The overlay names the learner the weights come from: the fast trainer's, in its worker.
  behavior.backend ??= { backend: u.backend, reason: u.backendReason, timings: {} };
  // Tests (phaser-ppo/testing) read fast runs from the same log as live ones.
  recordMetrics(behavior.latest);
  return stats;
}

/**
 * A fast-mode update as a brain for inference (and to save): the weights and statistics it
 * carries, with the sizes of the visible behavior (the same agent definition) and the run's config.
 */
export function brainFromUpdate(behavior: Behavior, config: ResolvedConfig, u: FastUpdate): Brain {
  const spec = behavior.runner.spec;
  if (!spec) throw new Error(`behavior "${behavior.name}" has no agents yet: its sizes are unknown`);
  return brainOf({
    name: behavior.name, observationSpace: Box(-Infinity, Infinity, spec.observationSize), actionSpace: spec.actionSpace, config,
    observationStats: u.observationStats, steps: u.step, source: { params: u.params, version: u.policyVersion },
  });
}

/** The brain the CLI trained for a page, fetched on first use and kept (a failed fetch is retried next time). */
export function shippedBrain(manifestUrl: string, weightsUrl: string): () => Promise<Brain> {
  let loading: Promise<Brain> | null = null;
  return () => {
    loading ??= loadShippedBrain(manifestUrl, weightsUrl).catch((e: unknown) => {
      loading = null;
      throw e;
    });
    return loading;
  };
}
