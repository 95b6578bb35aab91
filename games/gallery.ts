/**
 * The gallery page (root index.html): pick a game, watch it, train it (live or fast), switch its
 * behavior between train / inference / heuristic, chart the learner, tune the next run, and save,
 * download and load brains. One Phaser game holds the three scenes; the panel is shared.
 *
 * URL: `?game=balance|lander|chase` (default balance), `&autostart=live|fast|watch|heuristic`,
 * `&backend=auto|kernels|webgl|wasm|cpu`.
 *
 * Page state for tests and the console: `window.__gallery`, also published as `window.__<game>`
 * for the game in view (the same object).
 *
 * Stable data-testids (Playwright specs drive the page with these):
 * - game tabs: `game-balance`, `game-lander`, `game-chase`
 * - behavior: `train-live`, `train-fast`, `watch` (inference), `heuristic`, `stop`;
 *   `brain-source` (select: `shipped` | `mine`), `train-from` (select: `scratch` | `mine`),
 *   `backend-select`, `player` (checkbox, chase: you are the runner)
 * - status: `mode`, `backend`, `version`, `return`, `mine` (your brain), `status-line`, `error`
 * - hyperparameters: `hp-form`, `hp-<PPOConfig field>` (inputs), `hp-error`, `hp-reset`
 * - brain: `save-idb`, `download`, `load-file` (file input), `saved-list` (select), `load-idb`,
 *   `delete-idb`, `brain-message`
 * - charts: `charts`, `chart-<metric>` (returnMean, episodeLength, policyLoss, valueLoss, entropy,
 *   approxKl, clipFraction, sps)
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../sdk/phaser/plugin.js';
import type { Brain } from '../sdk/io/brain.js';
import { deleteSavedBrain, listSavedBrains, loadBrainFromFiles, loadBrainFromUrl, saveBrainToUrl, type SavedBrainInfo } from '../sdk/io/brain.browser.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../sdk/rl/config.js';
import type { FastUpdate } from '../sdk/runtime/fast-trainer.js';
import { evaluateGame, type Evaluation } from '../sdk/runtime/evaluate.js';
import type { BackendChoice } from '../sdk/runtime/learner-host.js';
import type { LiveMetrics } from '../sdk/phaser/behavior.js';
import { MAX_LOGGED_UPDATES, recordBackend, resetBehaviorLog } from '../sdk/phaser/training-log.js';
import type { GalleryGame, GameKey, GameScene, RunKind } from './gallery-game.js';
import { $, brainFromUpdate, newPageState, playFastUpdate, shippedBrain, type Mode, type Shown } from './page-kit.js';
import { FastRun } from '../sdk/runtime/fast-run.js';
import { createMetricCharts } from './charts.js';
import { HyperparamForm, type Validity } from './hyperparams.js';
import { balanceGallery } from './balance/gallery.js';
import { landerGallery } from './lander/gallery.js';
import { chaseGallery } from './chase/gallery.js';

const GAMES: Record<GameKey, GalleryGame> = { balance: balanceGallery, lander: landerGallery, chase: chaseGallery };
const isGameKey = (k: string | null): k is GameKey => k !== null && k in GAMES;

/** Your brain: the one trained in this page, or loaded into it. */
interface MineInfo { policyVersion: number; steps: number; source: 'trained live' | 'trained fast' | 'loaded'; name: string }

const state = {
  ...newPageState(),
  game: 'balance' as GameKey,
  mine: null as MineInfo | null,
  /** This game's brains saved in IndexedDB, newest first. */
  saved: [] as SavedBrainInfo[],
  /** Fast-mode workers replaced after dying in this run (each restarted from the last checkpoint). */
  fastRestarts: 0,
  hyperparams: { valid: true, error: null, overrides: {} } as Validity,
  /** Game-specific state (lander, chase: `tally`). */
  tally: null as unknown,
  /** Points in each chart, in the charts' order. */
  chartPoints: (): number[] => charts.points(),
  /** The plugin's own per-frame cost (acting, physics), apart from rendering. */
  frameWork: () => scene?.ppo.frameWorkStats() ?? null,
  /** Frames per second the game loop reaches now. */
  fps: () => phaser.loop.actualFps,
  /**
   * Your brain played headless (most likely actions, episodes seeded from `seed`): the same
   * numbers `npm run eval -- --brain … --seed` prints in Node for the same brain.
   */
  evaluateMine: (episodes: number, seed: number): Evaluation | null => (myBrain ? evaluateGame(current.headless, myBrain, { episodes, seed }) : null),
};
export type GalleryState = typeof state;
const g = globalThis as unknown as Record<string, unknown>;
g.__gallery = state;

const params = new URLSearchParams(location.search);
const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

// ---------------------------------------------------------------------------------------------
// Panel

const charts = createMetricCharts($('charts'));
const hp = new HyperparamForm($<HTMLFormElement>('hp-form'), $('hp-error'), (v) => {
  state.hyperparams = v;
  for (const id of ['train-live', 'train-fast']) {
    const b = $<HTMLButtonElement>(id);
    b.disabled = !v.valid;
    b.title = v.valid ? b.title.replace(/ \(fix the hyperparameters first\)$/, '') : `${b.title.replace(/ \(fix the hyperparameters first\)$/, '')} (fix the hyperparameters first)`;
  }
  if (!v.valid) ($<HTMLDetailsElement>('hp-box')).open = true;
});
if (params.get('backend')) $<HTMLSelectElement>('backend').value = params.get('backend')!;
const backendChoice = () => $<HTMLSelectElement>('backend').value as BackendChoice;

function setMode(mode: Mode): void {
  state.mode = mode;
  state.watching = null;
  $('mode').textContent = mode === 'watch' ? 'inference' : mode;
  for (const [id, m] of [['train-live', 'live'], ['train-fast', 'fast'], ['watch', 'watch'], ['heuristic', 'heuristic']] as const) $(id).classList.toggle('active', mode === m);
}

function fail(message: string): void {
  state.errors.push(message);
  const el = $('error');
  el.hidden = false;
  el.textContent = message;
}

function clearError(): void {
  $('error').hidden = true;
}

function tell(message: string): void {
  $('brain-message').textContent = message;
}

function resetMetrics(): void {
  state.metrics = [];
  state.backend = null;
  charts.reset();
  for (const id of ['m-version', 'm-step', 'm-return', 'backend-used']) $(id).textContent = '–';
  $('backend-reason').textContent = '';
}

function show(m: Shown): void {
  state.metrics.push(m);
  // An hour-long run keeps its recent updates, not an ever-growing array (the charts thin theirs).
  if (state.metrics.length > MAX_LOGGED_UPDATES) state.metrics.splice(0, state.metrics.length - MAX_LOGGED_UPDATES);
  charts.push(m);
  $('m-version').textContent = `v${m.policyVersion}`;
  $('m-step').textContent = m.step.toLocaleString('en-US');
  $('m-return').textContent = fmt(m.returnMean, game().returnDigits);
  showMine();
}

function showBackend(b: { backend: string; reason: string }): void {
  state.backend = b;
  $('backend-used').textContent = b.backend;
  $('backend-reason').textContent = b.reason;
  $('backend-reason').title = b.reason;
}

function showMine(): void {
  const m = state.mine;
  $('mine').textContent = m ? `${m.name} · v${m.policyVersion} · ${m.steps.toLocaleString('en-US')} steps (${m.source})` : 'none yet';
  // A training run with an update already is your brain-to-be: picking it takes its newest weights.
  const last = run && (state.mode === 'live' || state.mode === 'fast') ? state.metrics.at(-1) : undefined;
  for (const id of ['brain-source', 'train-from']) {
    const opt = $<HTMLSelectElement>(id).querySelector<HTMLOptionElement>('option[value="mine"]')!;
    opt.disabled = !m && !last;
    opt.textContent = last ? `yours (this run, v${last.policyVersion})` : m ? `yours (v${m.policyVersion})` : 'yours';
  }
}

// ---------------------------------------------------------------------------------------------
// The game and its scene

const phaser = new Phaser.Game({
  type: Phaser.AUTO, width: 800, height: 450, parent: 'game', backgroundColor: '#0d1117', banner: false,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
});
for (const gg of Object.values(GAMES)) phaser.scene.add(gg.key, gg.scene, false);
// Phaser captures the arrow keys and space on the window (preventDefault): keys typed into the
// panel's fields stop here, before its window listener, so they edit the field and steer nothing.
for (const type of ['keydown', 'keyup'] as const) {
  window.addEventListener(type, (e) => {
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) e.stopPropagation();
  }, { capture: true });
}

let current: GalleryGame = GAMES.balance;
const game = () => current;
let scene: GameScene | null = null;
const fastRun = new FastRun();
const shipped = new Map<GameKey, () => Promise<Brain>>(Object.values(GAMES).map((gg) => [gg.key, shippedBrain(gg.shipped.manifestUrl, gg.shipped.weightsUrl)]));
/** Your brain in memory (see {@link MineInfo}). */
let myBrain: Brain | null = null;
/** The training run in view (live or fast) and its config: where "your brain" comes from next. */
let run: { kind: 'live' | 'fast'; config: ResolvedConfig } | null = null;

function startScene(kind: RunKind, behavior: Parameters<GalleryGame['sceneData']>[0]['behavior']): Promise<GameScene> {
  const gg = game();
  return new Promise((resolve) => {
    phaser.scene.stop(gg.key);
    phaser.scene.start(gg.key, gg.sceneData({
      kind, behavior, player: $<HTMLInputElement>('player').checked,
      onReady: (s) => {
        scene = s;
        state.returns = s.behavior.returns;
        Object.assign(state, gg.extraState(s));
        s.ppo.events.on('error', (e: Error) => fail(e.message));
        resolve(s);
      },
    }));
  });
}

// The scene's status changes every step; the text only needs refreshing a few times a second.
setInterval(() => {
  if (!scene) return;
  $('status-line').textContent = game().statusLine(scene);
  // Without a learner, the return shown is the NPCs' in view (the last 20 episodes).
  if ((state.mode === 'watch' || state.mode === 'heuristic') && state.returns.length) {
    const last = state.returns.slice(-20);
    $('m-return').textContent = fmt(last.reduce((a, b) => a + b, 0) / last.length, game().returnDigits);
  }
}, 250);

// ---------------------------------------------------------------------------------------------
// Your brain: captured from the run in view before it is torn down

/**
 * The brain of the training run in view, as it is now: a live behavior's (with its training state,
 * where the SDK provides `Behavior.brain()`), or fast mode's newest update.
 */
async function captureRun(): Promise<Brain | null> {
  if (!run || !scene) return null;
  if (run.kind === 'fast') {
    // The worker's checkpoint carries the optimizer state (a resume continues exactly); the newest
    // update's weights serve when the worker has already gone.
    const u = fastRun.last;
    return (await fastRun.brain()) ?? (u ? brainFromUpdate(scene.behavior, run.config, u) : null);
  }
  return scene.behavior.latest ? scene.behavior.brain() : null;
}

/** Keeps the run's brain as yours (called before a run is replaced or stopped). */
async function keepRun(): Promise<void> {
  const kind = run?.kind;
  const brain = await captureRun().catch((e: Error) => {
    fail(`cannot read the trained brain: ${e.message}`);
    return null;
  });
  if (brain && kind) setMine(brain, kind === 'live' ? 'trained live' : 'trained fast', `${game().key} v${brain.policyVersion}`);
}

function setMine(brain: Brain, source: MineInfo['source'], name: string): void {
  myBrain = brain;
  state.mine = { policyVersion: brain.policyVersion, steps: brain.steps, source, name };
  showMine();
}

/** Your brain, fresh from the run in view when one is training. */
async function mine(): Promise<Brain | null> {
  if (run && (state.mode === 'live' || state.mode === 'fast')) await keepRun();
  return myBrain;
}

// ---------------------------------------------------------------------------------------------
// Behavior types

/** Ends the run in view: fast mode's worker goes, a live learner is released. */
async function endRun(): Promise<void> {
  if (run && (state.mode === 'live' || state.mode === 'fast')) await keepRun();
  fastRun.stop();
  run = null;
  showMine();
}

/** The next run's config overrides from the form, or null (and a message) while it is invalid. */
function nextConfig(resuming: boolean): Partial<PPOConfig> | null {
  const v = hp.validate();
  if (!v.valid) {
    fail(`fix the hyperparameters first: ${v.error}`);
    return null;
  }
  // A resumed brain keeps its network: its layer widths are not the form's to change.
  if (resuming) {
    const { hiddenSizes: _h, ...rest } = v.overrides;
    return rest;
  }
  return v.overrides;
}

/** The brain to resume from, when "Train from" says yours. */
function resumeBrain(): Brain | null {
  return $<HTMLSelectElement>('train-from').value === 'mine' ? myBrain : null;
}

/**
 * What both Train buttons do first: check the form, end the run in view, start a fresh curve.
 * Returns the brain to resume from (or null), the form's overrides, and the game; null while the
 * form is invalid.
 */
async function beginTraining(kind: 'live' | 'fast'): Promise<{ from: Brain | null; config: Partial<PPOConfig>; gg: GalleryGame } | null> {
  if (!nextConfig(false)) return null;
  await endRun();
  const from = resumeBrain();
  const config = nextConfig(from !== null)!;
  clearError();
  resetMetrics();
  resetBehaviorLog(game().key);
  setMode(kind);
  return { from, config, gg: game() };
}

/** The config a run trains with: the game's, then the resumed brain's, then the form's. */
function runConfig(from: Brain | null, config: Partial<PPOConfig>, gg: GalleryGame, columns: Partial<PPOConfig>): ResolvedConfig {
  return resolveConfig({ ...gg.headless.config, ...(from ? configFields(from.config) : {}), ...config, ...columns });
}

async function trainLive(): Promise<void> {
  const begun = await beginTraining('live');
  if (!begun) return;
  const { from, config, gg } = begun;
  run = { kind: 'live', config: runConfig(from, config, gg, { numEnvs: gg.liveAgents }) };
  const s = await startScene('live', { type: 'train', backend: backendChoice(), config, ...(from ? { brain: from } : {}) });
  s.ppo.events.on('metrics', (m: LiveMetrics) => show(m));
  s.ppo.events.on('backend', (b: { backend: string; reason: string }) => showBackend(b));
}

async function trainFast(): Promise<void> {
  const begun = await beginTraining('fast');
  if (!begun) return;
  const { from, config, gg } = begun;
  const seed = 1;
  run = { kind: 'fast', config: runConfig(from, config, gg, { numEnvs: gg.fast.copies, seed }) };
  const s = await startScene('fast', { type: 'inference' });
  if (state.mode !== 'fast') return;
  const onUpdate = (u: FastUpdate) => {
    if (!state.backend) {
      showBackend({ backend: u.backend, reason: u.backendReason });
      recordBackend(gg.key, { backend: u.backend, reason: u.backendReason });
    }
    playFastUpdate(s.behavior, u);
    show(u);
  };
  // A resumed run keeps going past the budget by as much again.
  const maxSteps = (from?.steps ?? 0) + gg.fast.maxSteps;
  state.fastRestarts = 0;
  const onRestart = (reason: string) => {
    state.fastRestarts = fastRun.restarts;
    $('backend-reason').textContent = `fast-mode worker restarted from its last checkpoint (${fastRun.restarts}×; ${reason})`;
  };
  fastRun.start(gg.fastWorker, { copies: gg.fast.copies, backend: backendChoice(), seed, maxSteps, config, ...(from ? { brain: from } : {}) }, onUpdate, fail, onRestart);
}

/** Inference: the shipped brain, or yours, acts; nothing learns. */
async function watch(): Promise<void> {
  await endRun();
  clearError();
  setMode('watch');
  const source = $<HTMLSelectElement>('brain-source').value === 'mine' && myBrain ? 'mine' : 'shipped';
  let brain: Brain;
  try {
    brain = source === 'mine' ? myBrain! : await shipped.get(game().key)!();
  } catch (e) {
    fail(`cannot load the shipped brain of ${game().title}: ${(e as Error).message}`);
    return;
  }
  // Another button may have been pressed while the brain loaded.
  if (state.mode !== 'watch') return;
  await startScene('watch', { type: 'inference', brain });
  state.watching = { policyVersion: brain.policyVersion, steps: brain.steps, source };
  $('m-version').textContent = `v${brain.policyVersion}`;
  $('m-step').textContent = brain.steps.toLocaleString('en-US');
}

/** Heuristic: the agents' `heuristic()` drives them (the keyboard; chase: a scripted pursuit). */
async function heuristic(): Promise<void> {
  await endRun();
  clearError();
  setMode('heuristic');
  await startScene('heuristic', { type: 'heuristic' });
}

async function stop(): Promise<void> {
  await endRun();
  scene?.behavior.stopTraining();
  setMode('stopped');
}

// ---------------------------------------------------------------------------------------------
// Save, download, load

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

async function refreshSaved(select?: string): Promise<void> {
  try {
    state.saved = (await listSavedBrains()).filter((b) => b.env === game().key);
  } catch (e) {
    state.saved = [];
    tell(`saved brains unavailable: ${(e as Error).message}`);
  }
  const list = $<HTMLSelectElement>('saved-list');
  list.replaceChildren(...(state.saved.length ? state.saved.map((b) => new Option(`${b.key.replace(/^[^/]*\//, '')} · v${b.policyVersion}`, b.key)) : [new Option('no saved brains', '')]));
  list.disabled = $<HTMLButtonElement>('load-idb').disabled = $<HTMLButtonElement>('delete-idb').disabled = !state.saved.length;
  if (select) list.value = select;
}

async function brainToKeep(): Promise<Brain | null> {
  const brain = await mine();
  if (!brain) tell('no brain of yours yet: train one (live or fast), or load one');
  return brain;
}

async function saveToIndexedDB(): Promise<void> {
  const brain = await brainToKeep();
  if (!brain) return;
  const key = `${game().key}/v${brain.policyVersion}-${stamp()}`;
  try {
    await saveBrainToUrl(brain, `indexeddb://${key}`);
    tell(`saved in this browser as ${key}`);
    await refreshSaved(key);
  } catch (e) {
    fail(`save failed: ${(e as Error).message}`);
  }
}

async function download(): Promise<void> {
  const brain = await brainToKeep();
  if (!brain) return;
  const name = `${game().key}-v${brain.policyVersion}`;
  try {
    await saveBrainToUrl(brain, `downloads://${name}`);
    tell(`downloaded ${name}.json and ${name}.weights.bin`);
  } catch (e) {
    fail(`download failed: ${(e as Error).message}`);
  }
}

/** Takes a loaded brain as yours (when it is this game's) and plays it. */
async function adopt(load: () => Promise<Brain>, name: string): Promise<void> {
  let brain: Brain;
  try {
    brain = await load();
  } catch (e) {
    fail(`cannot load ${name}: ${(e as Error).message}`);
    return;
  }
  if (brain.env !== game().key) {
    fail(`${name} is a brain for "${brain.env}", not for ${game().title}: open that game to use it`);
    return;
  }
  await endRun();
  setMine(brain, 'loaded', name);
  tell(`loaded ${name} (v${brain.policyVersion}): it plays now; "Train from: your brain" resumes from it`);
  $<HTMLSelectElement>('brain-source').value = 'mine';
  await watch();
}

function loadFromIndexedDB(): Promise<void> {
  const key = $<HTMLSelectElement>('saved-list').value;
  return key ? adopt(() => loadBrainFromUrl(`indexeddb://${key}`), key) : Promise.resolve();
}

async function deleteFromIndexedDB(): Promise<void> {
  const key = $<HTMLSelectElement>('saved-list').value;
  if (!key) return;
  await deleteSavedBrain(key).catch((e: Error) => fail(`delete failed: ${e.message}`));
  tell(`deleted ${key}`);
  await refreshSaved();
}

function loadFromFiles(): Promise<void> {
  const input = $<HTMLInputElement>('load-file');
  const files = [...(input.files ?? [])];
  input.value = '';
  if (!files.length) return Promise.resolve();
  const name = files.find((f) => f.name.endsWith('.json'))?.name ?? files[0]!.name;
  return adopt(() => loadBrainFromFiles(files), name);
}

// ---------------------------------------------------------------------------------------------
// Picking a game

function showGame(gg: GalleryGame): void {
  document.title = `${gg.title} · phaser-ppo`;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
    const on = a.dataset.game === gg.key;
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('blurb').textContent = gg.blurb;
  $('keys').textContent = gg.keys;
  $('shows').replaceChildren(...gg.shows.map((s) => Object.assign(document.createElement('li'), { textContent: s })));
  $('player-label').hidden = !gg.playerLabel;
  $('player-text').textContent = gg.playerLabel ?? '';
  if (!gg.playerLabel) $<HTMLInputElement>('player').checked = false;
}

/** Opens a game: the run in view ends, the panel starts over with the game's config and brains. */
async function openGame(key: GameKey, autostart: string | null): Promise<void> {
  fastRun.stop();
  run = null;
  if (scene) phaser.scene.stop(current.key);
  scene = null;
  for (const k of Object.keys(GAMES)) delete g[`__${k}`];
  current = GAMES[key];
  state.game = key;
  const url = new URL(location.href);
  if (url.searchParams.get('game') !== key) {
    url.searchParams.set('game', key);
    history.replaceState(null, '', url);
  }
  g[`__${key}`] = state;
  state.tally = null;
  state.returns = [];
  state.errors = [];
  myBrain = null;
  state.mine = null;
  $<HTMLSelectElement>('brain-source').value = 'shipped';
  $<HTMLSelectElement>('train-from').value = 'scratch';
  showMine();
  clearError();
  tell('');
  resetMetrics();
  showGame(current);
  hp.load(current);
  void refreshSaved();
  if (autostart === 'live') await trainLive();
  else if (autostart === 'fast') await trainFast();
  else if (autostart === 'watch') await watch();
  else await heuristic();
}

for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
  a.addEventListener('click', (e) => {
    const key = a.dataset.game ?? null;
    if (!isGameKey(key) || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    if (key === state.game) return;
    const url = new URL(location.href);
    url.searchParams.set('game', key);
    url.searchParams.delete('autostart');
    history.pushState(null, '', url);
    void openGame(key, null);
  });
}
window.addEventListener('popstate', () => {
  const key = new URLSearchParams(location.search).get('game');
  void openGame(isGameKey(key) ? key : 'balance', null);
});

const on = (id: string, f: () => Promise<void>) => $(id).addEventListener('click', () => void f().catch((e: Error) => fail(e.message)));
on('train-live', trainLive);
on('train-fast', trainFast);
on('watch', watch);
on('heuristic', heuristic);
on('stop', stop);
on('save-idb', saveToIndexedDB);
on('download', download);
on('load-idb', loadFromIndexedDB);
on('delete-idb', deleteFromIndexedDB);
$('load-file').addEventListener('change', () => void loadFromFiles());
$('hp-reset').addEventListener('click', () => hp.load(game()));

const first = params.get('game');
void openGame(isGameKey(first) ? first : 'balance', params.get('autostart')).then(() => {
  if (first !== null && !isGameKey(first)) fail(`no game "${first}" here: showing Balance (games: ${Object.keys(GAMES).join(', ')})`);
});
