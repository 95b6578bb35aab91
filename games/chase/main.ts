/**
 * The chase page: one arena, three ways to drive the chasers (train live, train fast, play against
 * them). The arrow keys take over the runner in every mode.
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import { $, FastRun, GamePanel, newPageState, playFastUpdate, shippedBrain } from '../page-kit.js';
import type { FastUpdate } from '../../sdk/runtime/fast-trainer.js';
import { RunningMeanStd } from '../../sdk/rl/normalizer.js';
import { ChaseScene, type ChaseSceneData, type ChaseTally } from './scene.js';
import type { Brain } from '../../sdk/io/brain.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

/**
 * Read by the Playwright tests; also handy in the console. `tally` counts the rounds of the visible
 * arena; `chasers` says what drives them in play mode.
 */
const page = {
  ...newPageState(),
  tally: null as ChaseTally | null, chasers: 'scripted' as 'scripted' | 'trained' | 'shipped' | 'learning',
};
(globalThis as unknown as { __chase: typeof page }).__chase = page;

const params = new URLSearchParams(location.search);
const panel = new GamePanel(page, 2);
const { setMode, fail } = panel;

const game = new Phaser.Game({
  type: Phaser.AUTO, width: 800, height: 450, parent: 'game', backgroundColor: '#0d1117', banner: false,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
});
game.scene.add('chase', ChaseScene, false);

const fastRun = new FastRun();
let scene: ChaseScene | null = null;
/** The newest weights fast mode produced: what the chasers play with in play mode. */
let trained: { params: Float32Array; version: number; stats: RunningMeanStd | null } | null = null;

function setChasers(who: typeof page.chasers): void {
  page.chasers = who;
  $('chasers').textContent = who === 'scripted' ? 'scripted pursuit' : who === 'trained' ? `trained brain v${trained?.version ?? 0}` : who === 'shipped' ? 'shipped brain' : 'learning';
}

function startScene(data: ChaseSceneData): Promise<ChaseScene> {
  return new Promise((resolve) => {
    game.scene.stop('chase');
    game.scene.start('chase', { ...data, onReady: (s: ChaseScene) => { scene = s; page.returns = s.behavior.returns; page.tally = s.tally; resolve(s); } });
  });
}

async function trainLive(): Promise<void> {
  fastRun.stop();
  panel.resetMetrics();
  setMode('live');
  setChasers('learning');
  const s = await startScene({ behavior: { type: 'train', backend: panel.backendChoice }, speed: 4 });
  panel.follow(s.ppo.events);
}

async function trainFast(): Promise<void> {
  fastRun.stop();
  panel.resetMetrics();
  setMode('fast');
  setChasers('learning');
  const s = await startScene({ behavior: { type: 'inference' }, speed: 1 });
  const onUpdate = (u: FastUpdate) => {
    trained = { params: u.params, version: u.policyVersion, stats: playFastUpdate(s.behavior, u) };
    panel.showFastUpdate(u);
  };
  // 16 copies = 4 packs of 4; stop at the step budget the config's schedule spans.
  fastRun.start(new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'chase-fast' }), { copies: 16, backend: panel.backendChoice, seed: 1, maxSteps: 240_000 }, onUpdate, fail);
}

/** You run; the chasers play the newest fast-mode weights, or the scripted pursuit before any. */
async function play(): Promise<void> {
  fastRun.stop();
  setMode('heuristic');
  const weights = trained;
  setChasers(weights ? 'trained' : 'scripted');
  const s = await startScene({ behavior: { type: weights ? 'inference' : 'heuristic' }, player: true });
  if (weights) s.behavior.setWeights(weights.params, weights.version, weights.stats);
}

/** The brain the CLI trained for this page (see the game's README). */
const shipped = shippedBrain(manifestUrl, weightsUrl);

/** The shipped brain drives the NPCs: four chasers hunting at once, no training. */
async function watchTrained(): Promise<void> {
  fastRun.stop();
  setMode('watch');
  setChasers('shipped');
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
$('heuristic').addEventListener('click', () => void play());
$('stop').addEventListener('click', stop);

const auto = params.get('autostart');
if (auto === 'live') void trainLive();
else if (auto === 'fast') void trainFast();
else if (auto === 'watch') void watchTrained();
else {
  // Before you press a key the runner is scripted: the page opens on a chase, not a standstill.
  setMode('heuristic');
  setChasers('scripted');
  void startScene({ behavior: { type: 'heuristic' } });
}
