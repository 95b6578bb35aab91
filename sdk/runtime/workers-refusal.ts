/**
 * What actor workers cannot train, in Node (parallel-trainer.ts) and in the page (fast-actors.ts):
 * one module both load (the page cannot load Node's).
 */
import { resolveConfig, type PPOConfig } from '../rl/config.js';
import { Curriculum } from './curriculum.js';
import type { EnvironmentParameters } from './env-params.js';
import type { HeadlessGame } from './game.js';

/**
 * Why `game` cannot train with the page's actor workers (`page`: several behaviors, self-play, a
 * curriculum), or null when it can; Node's train them all (null). The sentence names what to
 * change (`fix`: the page's option).
 */
export function workersRefusal(game: HeadlessGame, config: Partial<PPOConfig>, environmentParameters?: EnvironmentParameters, fix = 'use --workers 1', page = false): string | null {
  if (page && game.behaviors.length !== 1) return `the game "${game.name}" has ${game.behaviors.length} behaviors (${game.behaviors.map((b) => `"${b.name}"`).join(', ')}); the page's actor workers train one learning behavior: ${fix}`;
  if (!page) return null;
  for (const b of game.behaviors) {
    if (resolveConfig({ selfPlay: config.selfPlay ?? b.config.selfPlay ?? null }).selfPlay) return `the behavior "${b.name}" trains with self-play (config.selfPlay); the page's actor workers do not: ${fix}`;
  }
  const curriculum = new Curriculum({ ...game.environmentParameters, ...environmentParameters }, game.behaviors.map((b) => b.name), 1);
  if (curriculum.names.length > 0) return `the game "${game.name}" trains with a curriculum (${curriculum.names.join(', ')}); the page's actor workers do not: ${fix}`;
  return null;
}
