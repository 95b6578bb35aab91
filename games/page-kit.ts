/**
 * What the gallery page builds on, apart from its layout: its state object for Playwright and the
 * shipped brain. Playing fast-mode updates in the scene is the SDK's (`sdk/phaser/fast-training.ts`).
 */
import type { LiveMetrics } from '../sdk/phaser/behavior.js';
import type { Brain } from '../sdk/io/brain.js';
import { loadShippedBrain } from './shipped-brain.js';

/** What drives the visible behavior: the panel's behavior types, plus before the first and after Stop. */
export type Mode = 'idle' | 'live' | 'fast' | 'rivals' | 'watch' | 'heuristic' | 'stopped';
export type Shown = Pick<LiveMetrics, 'policyVersion' | 'step' | 'returnMean' | 'episodeLength' | 'sps' | 'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFraction' | 'policyLag' | 'backend'>
  & Partial<Pick<LiveMetrics, 'update' | 'elo' | 'learningTeam' | 'lessons' | 'envParams'>> & { ratings?: Record<string, number> };

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
