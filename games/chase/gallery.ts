/** Chase as the gallery shows it (see games/gallery-game.ts). */
import type { GalleryGame, GameScene } from '../gallery-game.js';
import { ChaseScene, type ChaseSceneData } from './scene.js';
import { chaseGame, chaseRivalsGame } from './headless.js';
import { CHASE_PACK } from './pack.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';
import runnerManifestUrl from './runner/brain.json?url';
import runnerWeightsUrl from './runner/weights.bin?url';

/** The runner's behavior in the scene, when it has one (Rivals mode). */
const runnerOf = (scene: GameScene) => (scene as ChaseScene).runnerBehavior;
const tallyOf = (scene: GameScene) => (scene as ChaseScene).tally;

export const chaseGallery: GalleryGame = {
  key: 'chase',
  title: 'Chase',
  blurb: 'A pack of four chasers (one brain) hunts a runner through an arena it sees only by rays; a dash is masked out while it cools down. +10 to the chaser that catches the runner, −0.01 per tick, +0.01 per px it closes in; rounds last 15 s. Steer the runner with the arrow keys at any time.',
  shows: ['many NPCs, one brain', 'ray-cast sensors', 'action masking (dash cooldown)'],
  keys: '← ↑ → ↓ you steer the runner (any mode)',
  playerLabel: 'I am the runner',
  scene: ChaseScene,
  headless: chaseGame,
  sceneData: (req): ChaseSceneData => ({
    behavior: req.behavior,
    speed: req.kind === 'live' ? 4 : 1,
    player: req.player,
    ...(req.rivals ? { runner: { type: 'inference' as const, ...(req.rivals.brains.runner ? { brain: req.rivals.brains.runner } : {}) } } : {}),
    onReady: req.onReady,
  }),
  liveAgents: CHASE_PACK,
  shipped: { manifestUrl, weightsUrl },
  fastWorker: () => new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'chase-fast' }),
  // 4 copies, each an arena with its pack of 4.
  fast: { copies: 4, maxSteps: 240_000 },
  // Rivals: the pack and a learning runner (chaseRivalsGame), each on its own schedule (240,000 and 60,000 transitions).
  rivals: {
    fastWorker: () => new Worker(new URL('./rivals.worker.ts', import.meta.url), { type: 'module', name: 'chase-rivals' }),
    copies: chaseRivalsGame.copies,
    // Named here: reading chaseRivalsGame.behaviors boots a headless copy of the scene, which a page need not do at load.
    behaviors: ['chase', 'runner'],
    behaviorOf: (scene, name) => (name === 'runner' ? runnerOf(scene) : name === 'chase' ? scene.behavior : null),
    shipped: { runner: { manifestUrl: runnerManifestUrl, weightsUrl: runnerWeightsUrl } },
    label: 'learned runner (Inference)',
  },
  returnDigits: 2,
  scores: { random: -9.4, solved: chaseGame.solvedAt },
  extraState: (scene) => ({ tally: tallyOf(scene) }),
  statusLine: (scene) => {
    const t = tallyOf(scene);
    const mean = t.catches ? (t.catchTicks / t.catches / 60).toFixed(1) : '–';
    return `${t.catches} caught (mean ${mean} s) · ${t.timeouts} escaped · runner: ${t.runner === 'player' ? 'you' : t.runner}`;
  },
};
