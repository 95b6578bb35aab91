/** Maze as the gallery shows it (see games/gallery-game.ts): the NPCs that see the tilemap as a grid. */
import type { GalleryGame, GameScene } from '../gallery-game.js';
import { MazeScene, ROOMS, type MazeSceneData } from './scene.js';
import { MAZE_RANDOM, mazeGame } from './headless.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

const tallyOf = (scene: GameScene) => (scene as MazeScene).tally;

export const mazeGallery: GalleryGame = {
  key: 'maze',
  title: 'Maze',
  blurb: 'Six rooms on Phaser tilemaps, a new level every episode: each NPC walks a tile at a time to the exit (gold). It sees the tilemap as a grid centred on itself (walls and exit). +1 at the exit, −0.01 a move; an episode is cut after 40 moves.',
  shows: ['tilemap grid sensor', 'seeded levels', 'discrete moves'],
  keys: '↑ ↓ ← → walk',
  scene: MazeScene,
  headless: mazeGame,
  sceneData: (req): MazeSceneData => ({
    behavior: req.behavior,
    // A move per fixed step: 7.5 a second to watch and to walk by keys, 60 a second to train live.
    speed: req.kind === 'live' ? 1 : 0.125,
    // One room when a human walks it: six would all follow the same keys.
    ...(req.kind === 'heuristic' ? { rooms: 1 } : {}),
    onReady: req.onReady,
  }),
  liveAgents: ROOMS,
  shipped: { manifestUrl, weightsUrl },
  fastWorker: () => new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'maze-fast' }),
  fast: { copies: 16, maxSteps: 300_000 },
  returnDigits: 2,
  scores: { random: MAZE_RANDOM, solved: mazeGame.solvedAt },
  // Both objects are the scene's own, updated in place: the page publishes them once per scene start.
  extraState: (scene) => ({ tally: tallyOf(scene), walker: (scene as MazeScene).walker }),
  statusLine: (scene) => {
    const t = tallyOf(scene);
    const n = t.exits + t.timeouts;
    return n ? `${n} episodes · ${t.exits} reached the exit (${Math.round((100 * t.exits) / n)}%) · ${t.timeouts} ran out of moves` : 'no episode finished yet';
  },
};
