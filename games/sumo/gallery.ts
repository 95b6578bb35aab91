/** Sumo as the gallery shows it (see games/gallery-game.ts): live and fast training with self-play. */
import type { GalleryGame, GameScene } from '../gallery-game.js';
import { RINGS, SumoScene, type SumoSceneData } from './scene.js';
import { sumoGame } from './headless.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

const tallyOf = (scene: GameScene) => (scene as SumoScene).tally;

export const sumoGallery: GalleryGame = {
  key: 'sumo',
  title: 'Sumo',
  blurb: 'Self-play: one brain wrestles itself in four rings. Whoever leaves the ring first loses (+1 win, −1 loss, at the end only). Trained, one side learns while the other plays a snapshot of its past self; the learning side changes now and then, and the ELO chart follows the learner.',
  shows: ['self-play', 'snapshot pool and ELO', 'two teams, one brain'],
  keys: 'arrows push every blue wrestler',
  scene: SumoScene,
  headless: sumoGame,
  sceneData: (req): SumoSceneData => ({
    behavior: req.behavior,
    // Live training runs 4 fixed steps per frame.
    speed: req.kind === 'live' ? 4 : 1,
    onReady: req.onReady,
  }),
  // With self-play only the learning team's wrestlers fill rollouts: one per ring.
  liveAgents: RINGS,
  shipped: { manifestUrl, weightsUrl },
  fastWorker: () => new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'sumo-fast' }),
  fast: { copies: 16, maxSteps: 204_800 },
  returnDigits: 2,
  // Against itself the mean return hovers near 0 however well it plays: ELO measures progress.
  scores: { random: 0, solved: NaN },
  extraState: (scene) => ({ tally: tallyOf(scene) }),
  statusLine: (scene) => {
    const t = tallyOf(scene);
    const elo = scene.behavior.latest?.elo;
    return `${t.blue} blue wins · ${t.red} red wins · ${t.draw} draws${elo !== undefined ? ` · ELO ${elo.toFixed(0)} (team ${scene.behavior.latest?.learningTeam ?? 0} learns)` : ''}`;
  },
};
