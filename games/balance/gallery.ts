/** Balance as the gallery shows it (see games/gallery-game.ts). */
import type { GalleryGame } from '../gallery-game.js';
import { BalanceScene, LANES, type BalanceSceneData } from './scene.js';
import { balanceGame } from './headless.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

export const balanceGallery: GalleryGame = {
  key: 'balance',
  title: 'Balance',
  blurb: 'Eight carts, one brain: each NPC pushes its cart left or right to keep the pole up. +1 per tick upright; an episode ends when the pole passes 12° or the cart leaves the track, and is cut at 500 ticks.',
  shows: ['discrete actions', 'body-state sensors', '8 agents, one brain'],
  keys: '← → push every cart',
  scene: BalanceScene,
  headless: balanceGame,
  sceneData: (req): BalanceSceneData => ({
    behavior: req.behavior,
    // Live training runs 4 fixed steps per frame: it learns in a minute rather than four.
    speed: req.kind === 'live' ? 4 : 1,
    onReady: req.onReady,
  }),
  liveAgents: LANES,
  shipped: { manifestUrl, weightsUrl },
  fastWorker: () => new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'balance-fast' }),
  fast: { copies: 16, maxSteps: 300_000 },
  returnDigits: 1,
  scores: { random: 27, solved: balanceGame.solvedAt },
  extraState: () => ({}),
  statusLine: (scene) => {
    const r = scene.behavior.returns;
    const last = r.slice(-8);
    return r.length ? `${r.length} episodes · last ${last.length}: mean ${(last.reduce((a, b) => a + b, 0) / last.length).toFixed(0)} ticks upright` : 'no episode finished yet';
  },
};
