/** Plays a brain in a game (agents, not an Env) with fixed weights and reports the returns. */
import { BehaviorRunner } from '../adapter/runner.js';
import { policyFromBrain, type Brain } from '../io/brain.js';
import type { HeadlessGame } from './fast-trainer.js';

export interface GameEvaluation {
  episodes: number;
  returns: number[];
  lengths: number[];
}

/**
 * Runs one headless copy of `game` with `brain` in inference mode (deterministic actions unless
 * `sample`) until `episodes` episodes have ended. Copy `i`'s episodes are seeded from `seed`.
 */
export function evaluateGame(game: HeadlessGame, brain: Brain, episodes: number, seed: number, sample = false): GameEvaluation {
  // Validates sizes against the brain before anything runs.
  policyFromBrain(brain, 1);
  const copy = game.createCopy(0, seed);
  const returns: number[] = [];
  const lengths: number[] = [];
  const runner = new BehaviorRunner({
    name: game.name, observationSize: game.observationSize, actionSpec: game.actionSpec, type: 'inference', config: brain.config,
    inferenceAction: sample ? 'sample' : 'mode', onEpisodeEnd: (e) => { returns.push(e.return); lengths.push(e.ticks); },
  }, () => ({ params: brain.params, version: brain.policyVersion, observationStats: brain.observationStats }));
  runner.addAgent(copy.agent);
  // An episode that never ends would hang: cap the ticks generously.
  const maxTicks = 1_000_000 * episodes;
  for (let t = 0; returns.length < episodes && t < maxTicks; t++) {
    runner.tick();
    copy.step();
  }
  return { episodes: returns.length, returns, lengths };
}
