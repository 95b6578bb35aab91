/**
 * The runner of a behavior that plays without learning: its agents act by a brain's fixed weights
 * (inference) or, with no brain, by their `heuristic`. Evaluation plays every behavior this way;
 * fast mode plays its fixed opponents this way.
 */
import { BehaviorRunner, type AgentEpisode } from '../adapter/runner.js';
import { assertBrainFits, type Brain } from '../io/brain.js';
import { resolveConfig } from '../rl/config.js';
import type { GameBehavior, HeadlessGame } from './game.js';

export interface PlayingRunnerOptions {
  /** `mode` (default): the most likely actions; `sample`: sampled (seeded) actions. */
  action?: 'mode' | 'sample';
  onEpisodeEnd?: (episode: AgentEpisode) => void;
}

/** A runner for `behavior` of `game` acting by `brain` (a revived brain), or by heuristic when `brain` is null. */
export function playingRunner(game: HeadlessGame, behavior: GameBehavior, brain: Brain | null, options: PlayingRunnerOptions = {}): BehaviorRunner {
  const { onEpisodeEnd } = options;
  if (!brain) {
    return new BehaviorRunner({
      name: behavior.name, observationSize: behavior.observationSize, actionSpec: behavior.actionSpec, type: 'heuristic', config: resolveConfig(behavior.config),
      ...(onEpisodeEnd ? { onEpisodeEnd } : {}),
    });
  }
  return new BehaviorRunner({
    name: behavior.name, observationSize: behavior.observationSize, actionSpec: behavior.actionSpec, type: 'inference', config: brain.config,
    inferenceAction: options.action ?? 'mode', ...(onEpisodeEnd ? { onEpisodeEnd } : {}),
  }, (spec) => {
    // Sizes are checked against the brain before anything acts.
    assertBrainFits(brain, spec.observationSize, spec.actionSpace, `behavior "${behavior.name}" of the game "${game.name}"`, spec.observationInputs);
    return { params: brain.params, version: brain.policyVersion, observationStats: brain.observationStats };
  });
}
