/** The lander page: one scene, three ways to drive it (train live, train fast, fly by hand). */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import { $, FastRun, GamePanel, newPageState, playFastUpdate, shippedBrain } from '../page-kit.js';
import type { FastUpdate } from '../../sdk/runtime/fast-trainer.js';
import { LanderScene, type LanderSceneData, type LanderTally } from './scene.js';
import type { Brain } from '../../sdk/io/brain.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

/** Read by the Playwright tests; also handy in the console. `tally` counts episode ends in the visible scene. */
const page = {
  ...newPageState(),
  tally: null as LanderTally | null,
};
(globalThis as unknown as { __lander: typeof page }).__lander = page;

const params = new URLSearchParams(location.search);
const panel = new GamePanel(page);
const { setMode, fail } = panel;

const game = new Phaser.Game({
  type: Phaser.AUTO, width: 800, height: 450, parent: 'game', backgroundColor: '#0d1117', banner: false,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
});
game.scene.add('lander', LanderScene, false);

const fastRun = new FastRun();
let scene: LanderScene | null = null;

// The scene's tally changes every step; the text only needs refreshing a few times a second.
setInterval(() => {
  const t = page.tally;
  $('tally').textContent = t ? `${t.landed} landed · ${t.crashed} crashed · ${t.landedOffPad} off the pad · ${t.timeout} timed out` : '–';
}, 250);

function startScene(data: LanderSceneData): Promise<LanderScene> {
  return new Promise((resolve) => {
    game.scene.stop('lander');
    game.scene.start('lander', { ...data, onReady: (s: LanderScene) => { scene = s; page.returns = s.behavior.returns; page.tally = s.tally; resolve(s); } });
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
  // Stop at the step budget the config's schedule spans: past it the learning rate is 0.
  fastRun.start(new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'lander-fast' }), { copies: 8, backend: panel.backendChoice, seed: 1, maxSteps: 300_000 }, onUpdate, fail);
}

async function heuristic(): Promise<void> {
  fastRun.stop();
  setMode('heuristic');
  await startScene({ behavior: { type: 'heuristic' }, crafts: 1 });
}

/** The brain the CLI trained for this page (see the game's README). */
const shipped = shippedBrain(manifestUrl, weightsUrl);

/** The shipped brain drives the NPCs: six crafts landing at once, no training. */
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
