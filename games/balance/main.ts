/** The balance page: one scene, three ways to drive it (train live, train fast, play by hand). */
import Phaser from 'phaser';
import * as Comlink from 'comlink';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { LiveMetrics } from '../../sdk/phaser/behavior.js';
import type { FastUpdate } from '../../sdk/runtime/fast-trainer.js';
import type { BackendChoice } from '../../sdk/runtime/learner-host.js';
import { RunningMeanStd } from '../../sdk/rl/normalizer.js';
import { BalanceScene, type BalanceSceneData } from './scene.js';
import type { FastWorkerApi } from '../../sdk/runtime/fast-worker.js';
import type { Brain } from '../../sdk/io/brain.js';
import { loadShippedBrain } from '../shipped-brain.js';
import { createMetricCharts } from '../charts.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

type Mode = 'idle' | 'live' | 'fast' | 'watch' | 'heuristic' | 'stopped';
type Shown = Pick<LiveMetrics, 'policyVersion' | 'step' | 'returnMean' | 'sps' | 'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFraction' | 'policyLag' | 'backend'>;

/** Read by the Playwright tests; also handy in the console. */
const page = {
  mode: 'idle' as Mode, metrics: [] as Shown[], backend: null as null | { backend: string; reason: string }, errors: [] as string[],
  /** Finished episodes' returns of the NPCs in view (the current scene's behavior, the last 200). */
  returns: [] as number[],
  /** The shipped brain once its scene runs (Watch trained); null in the other modes. */
  watching: null as null | { policyVersion: number; steps: number },
  /** The plugin's own per-frame cost (acting, physics), apart from rendering. */
  frameWork: () => scene?.ppo.frameWorkStats() ?? null,
};
(globalThis as unknown as { __balance: typeof page }).__balance = page;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const charts = createMetricCharts($<HTMLCanvasElement>('chart-return'), $<HTMLCanvasElement>('chart-entropy'));
const params = new URLSearchParams(location.search);
if (params.get('backend')) $<HTMLSelectElement>('backend').value = params.get('backend')!;

const game = new Phaser.Game({
  type: Phaser.AUTO, width: 800, height: 450, parent: 'game', backgroundColor: '#0d1117', banner: false,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
});
game.scene.add('balance', BalanceScene, false);

let fast: Comlink.Remote<FastWorkerApi> | null = null;
let fastWorker: Worker | null = null;
let scene: BalanceScene | null = null;

function setMode(mode: Mode): void {
  page.mode = mode;
  page.watching = null;
  $('mode').textContent = mode;
  for (const [id, m] of [['train-live', 'live'], ['train-fast', 'fast'], ['watch', 'watch'], ['heuristic', 'heuristic']] as const) $(id).classList.toggle('active', mode === m);
}

function fail(message: string): void {
  page.errors.push(message);
  const el = $('error');
  el.hidden = false;
  el.textContent = message;
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
function show(m: Shown): void {
  page.metrics.push(m);
  charts.push(m);
  $('m-version').textContent = `v${m.policyVersion}`;
  $('m-step').textContent = m.step.toLocaleString('en-US');
  $('m-return').textContent = fmt(m.returnMean, 1);
  $('m-sps').textContent = fmt(m.sps, 0);
  $('m-pg').textContent = fmt(m.policyLoss);
  $('m-vf').textContent = fmt(m.valueLoss);
  $('m-ent').textContent = fmt(m.entropy);
  $('m-kl').textContent = fmt(m.approxKl, 4);
  $('m-clip').textContent = fmt(m.clipFraction);
  $('m-lag').textContent = String(m.policyLag);
}

function showBackend(b: { backend: string; reason: string }): void {
  page.backend = b;
  $('backend-used').textContent = b.backend;
  $('backend-reason').textContent = b.reason;
}

function startScene(data: BalanceSceneData): Promise<BalanceScene> {
  return new Promise((resolve) => {
    game.scene.stop('balance');
    game.scene.start('balance', { ...data, onReady: (s: BalanceScene) => { scene = s; page.returns = s.behavior.returns; resolve(s); } });
  });
}

function stopFast(): void {
  void fast?.stop();
  fastWorker?.terminate();
  fast = null;
  fastWorker = null;
}

const backendChoice = () => $<HTMLSelectElement>('backend').value as BackendChoice;

async function trainLive(): Promise<void> {
  stopFast();
  page.metrics = [];
  charts.reset();
  setMode('live');
  const s = await startScene({ behavior: { type: 'train', backend: backendChoice() }, speed: 4 });
  s.ppo.events.on('metrics', (m: LiveMetrics) => show(m));
  s.ppo.events.on('backend', (b: { backend: string; reason: string }) => showBackend(b));
  s.ppo.events.on('error', (e: Error) => fail(e.message));
}

async function trainFast(): Promise<void> {
  stopFast();
  page.metrics = [];
  charts.reset();
  setMode('fast');
  const s = await startScene({ behavior: { type: 'inference' }, speed: 1 });
  fastWorker = new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'balance-fast' });
  fastWorker.addEventListener('error', (e) => fail(`fast-mode worker failed: ${e.message}`));
  fast = Comlink.wrap<FastWorkerApi>(fastWorker);
  const onUpdate = (u: FastUpdate) => {
    if (!page.backend) showBackend({ backend: u.backend, reason: u.backendReason });
    s.behavior.setWeights(u.params, u.policyVersion, u.observationStats ? RunningMeanStd.fromJSON(u.observationStats) : null);
    s.behavior.latest = { ...u, behavior: 'balance', updateMs: NaN, droppedRollouts: 0 };
    show({ ...u, policyLag: u.policyLag });
  };
  fast.train({ copies: 16, backend: backendChoice(), seed: 1 }, Comlink.proxy(onUpdate)).catch((e: Error) => fail(`fast mode: ${e.message}`));
}

async function heuristic(): Promise<void> {
  stopFast();
  setMode('heuristic');
  await startScene({ behavior: { type: 'heuristic' } });
}

/** Loaded on first use and kept: the brain the CLI trained for this page (see the game's README). */
let shipped: Promise<Brain> | null = null;

/** The shipped brain drives the eight carts: no training. */
async function watchTrained(): Promise<void> {
  stopFast();
  setMode('watch');
  let brain: Brain;
  try {
    brain = await (shipped ??= loadShippedBrain(manifestUrl, weightsUrl));
  } catch (e) {
    shipped = null;
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
  stopFast();
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
