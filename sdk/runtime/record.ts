/**
 * Headless recording: plays a game through the {@link Collector} with every behavior acting by its
 * agents' `heuristic` (a script), and records one behavior's decisions as a demonstration. What
 * `phaser-ppo record` runs; a page records live through `Behavior.startRecording` instead.
 */
import type { Agent } from '../adapter/agent.js';
import { BehaviorRunner, type RecordingCounts } from '../adapter/runner.js';
import { PhaserPpoError } from '../core/errors.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import { resolveConfig } from '../rl/config.js';
import { Collector } from './collector.js';
import { behaviorOf, type HeadlessGame } from './game.js';

export interface RecordOptions {
  /** Whole episodes to record. */
  episodes: number;
  /** Copy `i` is built with `createCopy(i, seed)`: the same seed records the same episodes. */
  seed: number;
  /** The behavior to record. Default: the game's first. */
  behavior?: string;
  /** Copies of the game's world. Default 1. */
  copies?: number;
  /** An episode that reaches this many ticks is ended there (a heuristic that never finishes would hang). Default 100,000. */
  maxEpisodeTicks?: number;
  /** Called after each recorded episode with the counts so far. */
  onEpisode?: (counts: Readonly<RecordingCounts>) => void;
}

const DEFAULT_MAX_EPISODE_TICKS = 100_000;

/**
 * Records `options.episodes` whole episodes of a behavior played by its scripted heuristic.
 * Throws a clear error for a behavior the game does not mark `scriptedHeuristic` (its heuristic
 * reads the keyboard, or it has none).
 *
 * @example
 * const demo = recordGame(landerGame, { episodes: 10, seed: 1 });
 * saveDemonstration('demos/lander', demo, { recordedBy: 'heuristic' });
 */
export function recordGame(game: HeadlessGame, options: RecordOptions): DemonstrationData {
  const { episodes, seed } = options;
  if (!Number.isInteger(episodes) || episodes < 1) throw new PhaserPpoError(`record: episodes must be a positive integer, got ${episodes}`);
  const cap = options.maxEpisodeTicks ?? DEFAULT_MAX_EPISODE_TICKS;
  if (!Number.isInteger(cap) || cap < 1) throw new PhaserPpoError(`record: maxEpisodeTicks must be a positive integer, got ${cap}`);
  const name = options.behavior ?? game.behaviors[0]?.name ?? '';
  const behavior = behaviorOf(game, name);
  if (!behavior.scriptedHeuristic) {
    const scripted = game.behaviors.filter((b) => b.scriptedHeuristic).map((b) => `"${b.name}"`);
    // Say what to change, where: most games have no script, and a keyboard heuristic needs a player.
    throw new PhaserPpoError(`record: behavior "${name}" of the game "${game.name}" is not marked as a scripted heuristic, so there is nothing to play headless.`
      + (scripted.length ? ` Behaviors that can be recorded: ${scripted.join(', ')}.` : '')
      + ` To record "${name}" here, give its agents a heuristic(out) that decides by itself (a script, not the keyboard) and mark it in the game's headless module:`
      + ` sceneGame({ ..., behaviors: { ${JSON.stringify(name)}: { scriptedHeuristic: true } } }) (a hand-built HeadlessGame: scriptedHeuristic: true on the behavior).`
      + ` A player at the keyboard is recorded in the page instead: behavior.startRecording().`);
  }
  const collector = new Collector(game, {
    copies: options.copies ?? 1,
    seed,
    runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config) }),
  });
  const runner = collector.runner(name);
  runner.startRecording({ maxEpisodes: episodes, ...(options.onEpisode ? { onEpisode: options.onEpisode } : {}) });
  const agents: readonly Agent[] = collector.members.get(name)!;
  while (runner.recordingCounts!.episodes < episodes) {
    if (agents.length === 0) throw new PhaserPpoError(`record: every agent of behavior "${name}" has left the game "${game.name}" after ${runner.recordingCounts!.episodes} of ${episodes} episodes`);
    collector.tick();
    for (let i = 0; i < agents.length; i++) if (agents[i]!.stepCount >= cap) agents[i]!.endEpisode();
  }
  return runner.stopRecording();
}
