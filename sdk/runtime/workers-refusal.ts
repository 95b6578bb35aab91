/**
 * What the page's actor workers (fast-actors.ts) cannot train; Node's (parallel-trainer.ts) train
 * it all. Its own module: the page cannot load Node's.
 */
import { resolveConfig, type PPOConfig } from '../rl/config.js';
import { Curriculum } from './curriculum.js';
import type { EnvironmentParameters } from './env-params.js';
import type { HeadlessGame } from './game.js';

/**
 * Why `game` cannot train on the page's actor workers (fast mode's `workers`): several behaviors,
 * self-play or a curriculum; null when it can. Node's actor workers (`train --workers N`,
 * ParallelTrainer) train all three. The sentence names what to change (`fix`).
 */
export function workersRefusal(game: HeadlessGame, config: Partial<PPOConfig>, environmentParameters?: EnvironmentParameters, fix = 'use workers: 1'): string | null {
  if (game.behaviors.length !== 1) return `the game "${game.name}" has ${game.behaviors.length} behaviors (${game.behaviors.map((b) => `"${b.name}"`).join(', ')}); the page's actor workers train one learning behavior: ${fix}`;
  for (const b of game.behaviors) {
    if (resolveConfig({ selfPlay: config.selfPlay ?? b.config.selfPlay ?? null }).selfPlay) return `the behavior "${b.name}" trains with self-play (config.selfPlay); the page's actor workers do not: ${fix}`;
  }
  const curriculum = new Curriculum({ ...game.environmentParameters, ...environmentParameters }, game.behaviors.map((b) => b.name), 1);
  if (curriculum.names.length > 0) return `the game "${game.name}" trains with a curriculum (${curriculum.names.join(', ')}); the page's actor workers do not: ${fix}`;
  return null;
}
