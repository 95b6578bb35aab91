/** Lander as the gallery shows it (see games/gallery-game.ts). */
import type { GalleryGame, GameScene } from '../gallery-game.js';
import { LanderScene, type LanderSceneData } from './scene.js';
import { landerGame } from './headless.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

const tallyOf = (scene: GameScene) => (scene as LanderScene).tally;

export const landerGallery: GalleryGame = {
  key: 'lander',
  title: 'Lander',
  blurb: 'Continuous control: six crafts (one brain, parallel worlds) throttle two engines each to come to rest softly on the green pad. +100 for resting on the pad, −100 for a crash, potential-based shaping on the way down.',
  shows: ['continuous actions', 'shaped reward', 'fly it with the keyboard'],
  keys: '↑ both engines · ← → one engine (turn)',
  scene: LanderScene,
  headless: landerGame,
  sceneData: (req): LanderSceneData => ({
    behavior: req.behavior,
    speed: req.kind === 'live' ? 4 : 1,
    // One craft when a human flies it: six would all follow the same keys. The autopilot flies six.
    ...(req.kind === 'heuristic' && !req.scripted ? { crafts: 1 } : {}),
    ...(req.scripted ? { pilot: 'autopilot' as const } : {}),
    onReady: req.onReady,
  }),
  liveAgents: 6,
  shipped: { manifestUrl, weightsUrl },
  fastWorker: () => new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'lander-fast' }),
  fast: { copies: 8, maxSteps: 300_000 },
  returnDigits: 1,
  scores: { random: -162, solved: landerGame.solvedAt },
  extraState: (scene) => ({ tally: tallyOf(scene) }),
  statusLine: (scene) => {
    const t = tallyOf(scene);
    return `${t.landed} landed · ${t.crashed} crashed · ${t.landedOffPad} off the pad · ${t.timeout} timed out`;
  },
};
