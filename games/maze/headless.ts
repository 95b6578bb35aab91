/**
 * Maze without a view, for fast mode, tests and the CLI (`npm run train -- maze`): each copy is
 * the game's own scene (MazeScene) booted headless by sceneGame, with one room; copy i's levels
 * are drawn by `Rng(seed × 1000 + i)`, so a run's levels follow its seed. `mazeGame` is the NPC
 * that sees the tilemap as a grid; `mazeRaysGame` the same NPC with 8 rays instead.
 */
import { sceneGame, type SceneGame } from '../../sdk/scene/scene-game.js';
import type { MazeEyes } from './agent.js';
import { MazeScene, MAZE_BEHAVIOR, type MazeSceneData } from './scene.js';

/** Mean return that counts as solved: the exit in ~10 moves nearly every episode. */
export const MAZE_SOLVED = 0.8;
/** Measured (README, bench/maze.ts): a uniformly random walk reaches the exit in 10% of episodes, mean return ≈ -0.29. */
export const MAZE_RANDOM = -0.29;

function mazeSceneGame(eyes: MazeEyes): SceneGame {
  return sceneGame({
    scene: MazeScene,
    name: MAZE_BEHAVIOR[eyes],
    // 16 copies × 1 room: the rollout's 16 columns.
    copies: 16,
    data: (index, seed): MazeSceneData => ({ behavior: {}, eyes, rooms: 1, seed: seed * 1000 + index, firstRoom: index }),
    // The rules step on the scene's onFixedStep; the scene has no physics world.
    physics: {},
    solvedAt: MAZE_SOLVED,
  });
}

export const mazeGame = mazeSceneGame('grid');
export const mazeRaysGame = mazeSceneGame('rays');

export default mazeGame;
