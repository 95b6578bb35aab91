/**
 * The gallery page (root index.html): pick a game, watch it, train it (live or fast), switch its
 * behavior between train / inference / heuristic, chart the learner, tune the next run, and save,
 * download and load brains. One Phaser game holds the three scenes; the panel is shared.
 *
 * This entry wires the two halves and the address bar: games/gallery-controller.ts (runs, brains,
 * modes and the page state the tests read; no DOM) and games/gallery-panel.ts (the DOM only).
 *
 * URL: `?game=balance|lander|chase|sumo|jumper|maze` (default balance), `&autostart=live|fast|watch|heuristic`,
 * `&backend=auto|kernels|webgpu|webgl|wasm|cpu`, `&workers=N` (fast mode's workers; default one per core, at most 4).
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../sdk/phaser/plugin.js';
import type { GalleryGame, GameKey } from './gallery-game.js';
import { GalleryController } from './gallery-controller.js';
import { GalleryPanel } from './gallery-panel.js';
import { balanceGallery } from './balance/gallery.js';
import { landerGallery } from './lander/gallery.js';
import { chaseGallery } from './chase/gallery.js';
import { sumoGallery } from './sumo/gallery.js';
import { jumperGallery } from './jumper/gallery.js';
import { mazeGallery } from './maze/gallery.js';

const GAMES: Record<GameKey, GalleryGame> = { balance: balanceGallery, lander: landerGallery, chase: chaseGallery, sumo: sumoGallery, jumper: jumperGallery, maze: mazeGallery };

const phaser = new Phaser.Game({
  type: Phaser.AUTO, width: 800, height: 450, parent: 'game', backgroundColor: '#0d1117', banner: false,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
});
const panel = new GalleryPanel();
const controller = new GalleryController(phaser, GAMES, panel, panel);

/** Opens a game and keeps the address bar's `game=` in step (replacing the entry: no history step). */
function open(key: GameKey, autostart: string | null): Promise<void> {
  const url = new URL(location.href);
  if (url.searchParams.get('game') !== key) {
    url.searchParams.set('game', key);
    history.replaceState(null, '', url);
  }
  return controller.openGame(key, autostart);
}

panel.attach(controller, (key) => {
  // A tab is a history step; the autostart of the address it came from is not carried over.
  const url = new URL(location.href);
  url.searchParams.set('game', key);
  url.searchParams.delete('autostart');
  history.pushState(null, '', url);
  void open(key, null);
});
window.addEventListener('popstate', () => {
  const key = new URLSearchParams(location.search).get('game');
  void open(controller.isGame(key) ? key : 'balance', null);
});

const params = new URLSearchParams(location.search);
const backend = params.get('backend');
if (backend) panel.setBackend(backend);
const workers = params.get('workers');
const workersOk = workers === null || (Number.isInteger(Number(workers)) && Number(workers) >= 1 && Number(workers) <= 16);
if (workers !== null && workersOk) controller.fastWorkers = Number(workers);
const first = params.get('game');
void open(controller.isGame(first) ? first : 'balance', params.get('autostart')).then(() => {
  if (first !== null && !controller.isGame(first)) controller.fail(`no game "${first}" here: showing Balance (games: ${Object.keys(GAMES).join(', ')})`);
  if (!workersOk) controller.fail(`workers=${workers}: give a whole number of fast-mode workers from 1 to 16 (default ${controller.fastWorkers}: one per core, at most 4)`);
});
