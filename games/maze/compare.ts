/**
 * Grid against rays, as the learning test and the bench measure it: the same game, actions,
 * rewards, config, seed and step budget for both NPCs; only how they see the level differs. Each
 * trains headless (FastTrainer), then its brain plays fresh levels through the one evaluation
 * (`evaluateGame`, most likely actions); the untrained grid brain, sampling its near-uniform
 * policy, gives the random walk's score on the same levels.
 */
import { FastTrainer } from '../../sdk/runtime/fast-trainer.js';
import { evaluateGame, type Evaluation } from '../../sdk/runtime/evaluate.js';
import type { BackendSelector } from '../../sdk/runtime/learner-host.js';
import type { Brain } from '../../sdk/io/brain.js';
import type { PPOConfig } from '../../sdk/rl/config.js';
import type { SceneGame } from '../../sdk/scene/scene-game.js';
import { mazeGame, mazeRaysGame } from './headless.js';

export interface EyesScore {
  /** Mean return over the evaluated episodes (+1 at the exit, -0.01 a move). */
  returnMean: number;
  /** Share of the evaluated episodes that reached the exit. */
  exitRate: number;
  episodes: number;
  /** Transitions trained (0 for the random walk). */
  trained: number;
  brain: Brain | null;
}

export interface EyesComparison {
  grid: EyesScore;
  rays: EyesScore;
  random: EyesScore;
}

export interface CompareOptions {
  /** Transitions each NPC trains. */
  budget: number;
  /** Training seed; the evaluation plays the levels of `evalSeed`. */
  seed: number;
  evalSeed: number;
  /** Evaluated episodes per NPC. */
  episodes: number;
  /** How the trained brains act in the evaluation (default `mode`, the most likely move). */
  action?: 'mode' | 'sample';
  /** Config overrides for both NPCs (the same for each). */
  config?: Partial<PPOConfig>;
  backends: BackendSelector;
  backend?: 'kernels' | 'wasm' | 'cpu';
  /** Called after each update of either NPC (progress, curves). */
  onUpdate?: (eyes: 'grid' | 'rays', step: number, returnMean: number) => void;
}

/** An evaluation as a score: mean return and exit rate. */
export function score(e: Evaluation, trained: number, brain: Brain | null): EyesScore {
  // An episode that reached the exit is the only kind that terminates; the others hit the move limit.
  return { returnMean: e.returnMean, exitRate: e.terminated / e.episodes, episodes: e.episodes, trained, brain };
}

/** Trains one NPC headless on `o.budget` transitions (FastTrainer, `o.config`); its brain before and after. */
export async function train(game: SceneGame, eyes: 'grid' | 'rays', o: CompareOptions): Promise<{ brain: Brain; untrained: Brain; steps: number }> {
  const trainer = new FastTrainer(game, o.backends, { seed: o.seed, backend: o.backend ?? 'kernels', ...(o.config ? { config: o.config } : {}) });
  await trainer.start();
  const untrained = trainer.brain();
  let steps = 0;
  await trainer.run((u) => {
    steps = u.step;
    o.onUpdate?.(eyes, u.step, u.returnMean);
  }, { maxSteps: o.budget });
  return { brain: trainer.brain(), untrained, steps };
}

/** Trains both NPCs on the same budget and seed and scores them and the random walk on the same levels. */
export async function compareEyes(o: CompareOptions): Promise<EyesComparison> {
  const evalOpts = { episodes: o.episodes, seed: o.evalSeed, copies: 8, action: o.action ?? 'mode' };
  const grid = await train(mazeGame, 'grid', o);
  const rays = await train(mazeRaysGame, 'rays', o);
  return {
    grid: score(evaluateGame(mazeGame, grid.brain, evalOpts), grid.steps, grid.brain),
    rays: score(evaluateGame(mazeRaysGame, rays.brain, evalOpts), rays.steps, rays.brain),
    random: score(evaluateGame(mazeGame, grid.untrained, { ...evalOpts, action: 'sample' }), 0, null),
  };
}
