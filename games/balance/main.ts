/** The balance page: one scene, three ways to drive it (train live, train fast, play by hand). */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import { $, FastRun, GamePanel, newPageState, playFastUpdate, shippedBrain } from '../page-kit.js';
import type { FastUpdate } from '../../sdk/runtime/fast-trainer.js';
import { BalanceScene, type BalanceSceneData } from './scene.js';
import type { Brain } from '../../sdk/io/brain.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

/** Read by the Playwright tests; also handy in the console. */
const page = {
  ...newPageState(),
  /** The plugin's own per-frame cost (acting, physics), apart from rendering. */
  frameWork: () => scene?.ppo.frameWorkStats() ?? null,
};
(globalThis as unknown as { __balance: typeof page }).__balance = page;

const params = new URLSearchParams(location.search);
const panel = new GamePanel(page);
const { setMode, fail } = panel;

const game = new Phaser.Game({
  type: Phaser.AUTO, width: 800, height: 450, parent: 'game', backgroundColor: '#0d1117', banner: false,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
});
game.scene.add('balance', BalanceScene, false);

const fastRun = new FastRun();
let scene: BalanceScene | null = null;

function startScene(data: BalanceSceneData): Promise<BalanceScene> {
  return new Promise((resolve) => {
    game.scene.stop('balance');
    game.scene.start('balance', { ...data, onReady: (s: BalanceScene) => { scene = s; page.returns = s.behavior.returns; resolve(s); } });
  });
}

async function trainLive(): Promise<void> {
  fastRun.stop();
  panel.resetMetrics();
  setMode('live');
  const s = await startScene({ behavior: { type: 'train', backend: panel.backendChoice }, speed: 4 });
  panel.follow(s.ppo.events);
}

async function trainFast(): Promise<void> {
  fastRun.stop();
  panel.resetMetrics();
  setMode('fast');
  const s = await startScene({ behavior: { type: 'inference' }, speed: 1 });
  const onUpdate = (u: FastUpdate) => {
    playFastUpdate(s.behavior, u);
    panel.showFastUpdate(u);
  };
  fastRun.start(new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'balance-fast' }), { copies: 16, backend: panel.backendChoice, seed: 1 }, onUpdate, fail);
}

async function heuristic(): Promise<void> {
  fastRun.stop();
  setMode('heuristic');
  await startScene({ behavior: { type: 'heuristic' } });
}

/** The brain the CLI trained for this page (see the game's README). */
const shipped = shippedBrain(manifestUrl, weightsUrl);

/** The shipped brain drives the eight carts: no training. */
async function watchTrained(): Promise<void> {
  fastRun.stop();
  setMode('watch');
  let brain: Brain;
  try {
    brain = await shipped();
  } catch (e) {
    fail(`cannot load the shipped brain: ${(e as Error).message}`);
    return;
  }
  // Another button may have been pressed while the brain loaded.
  if (page.mode !== 'watch') return;
  const s = await startScene({ behavior: { type: 'inference', brain } });
  s.ppo.events.on('error', (e: Error) => fail(e.message));
  page.watching = { policyVersion: brain.policyVersion, steps: brain.steps };
}

function stop(): void {
  fastRun.stop();
  scene?.behavior.stopTraining();
  setMode('stopped');
}

$('train-live').addEventListener('click', () => void trainLive());
$('train-fast').addEventListener('click', () => void trainFast());
$('watch').addEventListener('click', () => void watchTrained());
$('heuristic').addEventListener('click', () => void heuristic());
$('stop').addEventListener('click', stop);

const auto = params.get('autostart');
if (auto === 'live') void trainLive();
else if (auto === 'fast') void trainFast();
else if (auto === 'watch') void watchTrained();
else void heuristic();
