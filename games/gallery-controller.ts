/**
 * The gallery's controller: which game is open, the run in view (live, fast, inference,
 * heuristic) and its scene, your brain and the shipped ones, saving and loading brains, and the
 * page state the tests read. No DOM: it asks the panel for the user's choices through
 * {@link GalleryInputs} and tells it what changed through {@link GalleryView}
 * (games/gallery-panel.ts draws it).
 *
 * Page state for tests and the console: `window.__gallery`, also published as `window.__<game>`
 * for the game in view (the same object).
 */
import type Phaser from 'phaser';
import type { Brain } from '../sdk/io/brain.js';
import { deleteSavedBrain, listSavedBrains, loadBrainFromFiles, loadBrainFromUrl, saveBrainToUrl, type SavedBrainInfo } from '../sdk/io/brain.browser.js';
import { configFields, resolveConfig, type PPOConfig, type ResolvedConfig } from '../sdk/rl/config.js';
import type { FastUpdate } from '../sdk/runtime/fast-trainer.js';
import { evaluateGame, type Evaluation } from '../sdk/runtime/evaluate.js';
import type { BackendChoice } from '../sdk/runtime/learner-host.js';
import type { Behavior, LiveMetrics } from '../sdk/phaser/behavior.js';
import { MAX_LOGGED_UPDATES, recordBackend, resetBehaviorLog } from '../sdk/phaser/training-log.js';
import { hasScriptedHeuristic, type GalleryGame, type GameKey, type GameScene, type RunKind } from './gallery-game.js';
import { newPageState, shippedBrain, type Mode, type Shown } from './page-kit.js';
import { FastTraining, defaultFastWorkers } from '../sdk/phaser/fast-training.js';
import type { Validity } from './hyperparams.js';
import { GalleryDemos, type DemoState, type DemoView } from './gallery-demos.js';
import type { DemonstrationData } from '../sdk/io/demonstration-data.js';
import type { PretrainReport } from '../sdk/rl/behavioral-cloning.js';

/** Your brain: the one trained in this page, or loaded into it. */
export interface MineInfo {
  policyVersion: number;
  steps: number;
  source: 'trained live' | 'trained fast' | 'loaded';
  name: string;
  /**
   * Rivals mode's other behaviors, kept with your brain (chase: the runner that trained against
   * your pack): Inference with the rivals' brains plays them, and Rivals mode from your brain
   * continues them too.
   */
  rivals?: Record<string, { policyVersion: number; steps: number }>;
}

/** What the controller asks the panel: the user's current choices. */
export interface GalleryInputs {
  /** The learner backend for the next run. */
  backend(): BackendChoice;
  /** The player takes part (chase: "I am the runner"). */
  player(): boolean;
  /** Inference plays the other behaviors' shipped brains too (chase: the learned runner), for games with rivals. */
  rivalBrains(): boolean;
  /** Which brain Inference plays. */
  brainSource(): 'shipped' | 'mine';
  /** Where the next run starts from. */
  trainFrom(): 'scratch' | 'mine';
  /** The hyperparameter form, validated. */
  hyperparams(): Validity;
}

/** What the controller tells the panel (demonstrations: {@link DemoView}). */
export interface GalleryView extends DemoView {
  /** Another game was opened: its texts, its config in the form, the selects back to their defaults. */
  gameOpened(game: GalleryGame): void;
  mode(mode: Mode): void;
  /** A training run starts: the charts and numbers start over. */
  metricsReset(): void;
  /** One learner update of the run in view. */
  metrics(m: Shown, game: GalleryGame): void;
  /** The learner of the run in view reported its backend. */
  backendReported(b: { backend: string; reason: string }): void;
  /** Your brain, or the run it would come from, changed ({@link GalleryController.yours}). */
  mineChanged(): void;
  /** A brain plays in inference mode. */
  playing(brain: { policyVersion: number; steps: number }): void;
  /** Inference should play your brain from now on (one was just loaded). */
  brainSourceMine(): void;
  error(message: string): void;
  errorCleared(): void;
  /** A line about brains (saved, loaded, downloaded). */
  message(text: string): void;
  /** This game's brains in IndexedDB, newest first; `select` is the one to show. */
  saved(list: readonly SavedBrainInfo[], select?: string): void;
  /** Rivals mode: every behavior's ELO after the run's `updates`-th update. */
  ratings(updates: number, ratings: Readonly<Record<string, number>>): void;
  /** Fast mode replaced a dead worker. */
  fastRestarted(restarts: number, reason: string): void;
  /** Behaviour cloning pre-trained the run's policy on the demonstration (null: a new run starts). */
  pretrained(report: PretrainReport | null): void;
  /** The scene in view moved on: its status line needs refreshing (every {@link STATUS_TICKS} ticks, and when it starts). */
  sceneProgressed(scene: GameScene): void;
}

/** Ticks between refreshes of the status line: 4 a second of game time, counted in ticks so the text follows the game, not the clock. */
export const STATUS_TICKS = 15;

/** The page state: what the tests read as `window.__gallery` (and `window.__<game>`). */
export type GalleryState = ReturnType<typeof newPageState> & DemoState & {
  game: GameKey;
  /** Game ticks (fixed physics steps) the scenes in view have run since the page loaded: what tests wait on. */
  ticks: number;
  /** Decision steps (every agent of the behavior acts once) since the page loaded. */
  decisions: number;
  mine: MineInfo | null;
  /** This game's brains saved in IndexedDB, newest first. */
  saved: SavedBrainInfo[];
  /** Fast-mode workers replaced after dying in this run (each restarted from the last checkpoint). */
  fastRestarts: number;
  /**
   * Workers of the fast run in view: `fastWorkers` (the address's `workers=`, else one per core,
   * capped, at most the copies) for Train fast and Rivals; 1 for demonstrations, which train on one worker.
   */
  fastRunWorkers: number;
  /** The hyperparameter form's validity (the panel keeps it current). */
  hyperparams: Validity;
  /** Game-specific state (lander, chase: `tally`). */
  tally: unknown;
  /** Points in each chart, in the charts' order (the panel provides it). */
  chartPoints: () => number[];
  /** Points in the ELO chart's line of each behavior (the panel provides it). */
  eloPoints: () => Record<string, number>;
  /** The plugin's own per-frame cost (acting, physics), apart from rendering. */
  frameWork: () => ReturnType<GameScene['ppo']['frameWorkStats']> | null;
  /** Frames per second the game loop reaches now. */
  fps: () => number;
  /**
   * Your brain played headless (most likely actions, episodes seeded from `seed`): the same
   * numbers `npm run eval -- --brain … --seed` prints in Node for the same brain.
   */
  evaluateMine: (episodes: number, seed: number) => Evaluation | null;
  /** The demonstration in memory (recorded or loaded), for training from it (behaviour cloning). */
  demonstration: () => DemonstrationData | null;
  /**
   * Rivals mode's updates, every behavior's, oldest first (the recent {@link MAX_LOGGED_UPDATES}):
   * `metrics` holds the scene's own behavior's only (the pack's), as in fast mode.
   */
  rivals: RivalUpdate[];
  /**
   * The fast run's behaviour-cloning pre-training (Clone / Train fast from demos): its report and
   * the cloned weights' version. The scene starts over when they arrive; once `playing`, `returns`
   * holds only episodes the cloned policy played (and, with PPO, the updates after it).
   */
  pretrain: { report: PretrainReport; policyVersion: number; playing: boolean } | null;
};

/** One update of Rivals mode: which behavior trained, how far, and every behavior's ELO after it. */
export interface RivalUpdate {
  behavior: string;
  update: number;
  /** Transitions this behavior has trained. */
  step: number;
  returnMean: number;
  ratings: Record<string, number>;
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

export class GalleryController {
  readonly state: GalleryState;
  /** Recording, keeping and storing demonstrations of the game in view. */
  readonly demos: GalleryDemos;
  private current: GalleryGame;
  private sceneInView: GameScene | null = null;
  /** Fast mode's run in view (Train fast, Rivals), through the SDK's one fast-mode client. */
  private fast: FastTraining | null = null;
  /** Workers for Train fast (gallery.ts sets it from the address, else {@link defaultFastWorkers}). */
  fastWorkers = defaultFastWorkers();
  private readonly shipped: Map<GameKey, () => Promise<Brain>>;
  /** The other behaviors' shipped brains, by `<game>/<behavior>` (games with rivals). */
  private readonly shippedRivals = new Map<string, () => Promise<Brain>>();
  /** Your brain in memory (see {@link MineInfo}). */
  private myBrain: Brain | null = null;
  /** The other behaviors' brains of the Rivals run your brain came from, by behavior (else empty). */
  private myRivals = new Map<string, Brain>();
  /** The training run in view (live or fast) and its config: where "your brain" comes from next. */
  private run: { kind: 'live' | 'fast'; config: ResolvedConfig; rivals?: boolean } | null = null;

  constructor(
    private readonly phaser: Phaser.Game,
    private readonly games: Readonly<Record<GameKey, GalleryGame>>,
    private readonly inputs: GalleryInputs,
    private readonly view: GalleryView,
  ) {
    this.current = games.balance;
    for (const gg of Object.values(games)) phaser.scene.add(gg.key, gg.scene, false);
    this.shipped = new Map(Object.values(games).map((gg) => [gg.key, shippedBrain(gg.shipped.manifestUrl, gg.shipped.weightsUrl)]));
    for (const gg of Object.values(games)) {
      for (const [name, urls] of Object.entries(gg.rivals?.shipped ?? {})) this.shippedRivals.set(`${gg.key}/${name}`, shippedBrain(urls.manifestUrl, urls.weightsUrl));
    }
    this.state = {
      ...newPageState(),
      game: 'balance',
      ticks: 0,
      decisions: 0,
      mine: null,
      saved: [],
      fastRestarts: 0,
      fastRunWorkers: 0,
      hyperparams: { valid: true, error: null, overrides: {} },
      tally: null,
      chartPoints: () => [],
      eloPoints: () => ({}),
      frameWork: () => this.sceneInView?.ppo.frameWorkStats() ?? null,
      fps: () => phaser.loop.actualFps,
      evaluateMine: (episodes, seed) => (this.myBrain ? evaluateGame(this.current.headless, this.myBrain, { episodes, seed }) : null),
      recording: null,
      demo: null,
      savedDemos: [],
      demonstration: () => this.demos.data,
      rivals: [],
      pretrain: null,
    };
    this.demos = new GalleryDemos(this.state, view, (m) => this.fail(m));
    (globalThis as unknown as Record<string, unknown>).__gallery = this.state;
  }

  /** The game open now. */
  get game(): GalleryGame {
    return this.current;
  }

  /** The scene in view, once started. */
  get scene(): GameScene | null {
    return this.sceneInView;
  }

  isGame(key: string | null): key is GameKey {
    return key !== null && key in this.games;
  }

  /**
   * The "yours" choice of the selects: your brain, and the run in view's newest update when one is
   * training (picking "yours" then takes its newest weights).
   */
  yours(): { mine: MineInfo | null; run: Shown | undefined } {
    const training = this.run && (this.state.mode === 'live' || this.state.mode === 'fast' || this.state.mode === 'rivals');
    return { mine: this.state.mine, run: training ? this.state.metrics.at(-1) : undefined };
  }

  /** Records an error in the page state and shows it. */
  fail(message: string): void {
    this.state.errors.push(message);
    this.view.error(message);
  }

  // -------------------------------------------------------------------------------------------
  // Picking a game

  /** Opens a game: the run in view ends, the panel starts over with the game's config and brains. */
  async openGame(key: GameKey, autostart: string | null): Promise<void> {
    const g = globalThis as unknown as Record<string, unknown>;
    this.stopFast();
    this.run = null;
    if (this.sceneInView) this.phaser.scene.stop(this.current.key);
    this.sceneInView = null;
    for (const k of Object.keys(this.games)) delete g[`__${k}`];
    this.current = this.games[key];
    const s = this.state;
    s.game = key;
    g[`__${key}`] = s;
    s.tally = null;
    s.returns = [];
    s.errors = [];
    this.myBrain = null;
    this.myRivals = new Map();
    s.mine = null;
    this.view.gameOpened(this.current);
    this.demos.gameOpened(key);
    this.view.mineChanged();
    this.view.errorCleared();
    this.view.message('');
    this.resetMetrics();
    void this.refreshSaved();
    if (autostart === 'live') await this.trainLive();
    else if (autostart === 'fast') await this.trainFast();
    else if (autostart === 'rivals' && this.current.rivals) await this.trainRivals();
    else if (autostart === 'watch') await this.watch();
    else await this.heuristic();
  }

  // -------------------------------------------------------------------------------------------
  // Behavior types

  async trainLive(): Promise<void> {
    const begun = await this.beginTraining('live');
    if (!begun) return;
    const { from, config, gg } = begun;
    this.run = { kind: 'live', config: runConfig(from, config, gg, { numEnvs: gg.liveAgents }) };
    const s = await this.startScene('live', { type: 'train', backend: this.inputs.backend(), config, ...(from ? { brain: from } : {}) });
    s.ppo.events.on('metrics', (m: LiveMetrics) => this.show(m));
    s.ppo.events.on('backend', (b: { backend: string; reason: string }) => this.showBackend(b));
  }

  /**
   * Fast mode in a worker, the scene playing its newest weights. `demos`: from the demonstration in
   * memory, cloned first (behaviour cloning; a run resumed from your brain is not cloned again):
   * `'train'` then trains with PPO, `'clone'` stops there (the cloned policy plays, nothing more learns).
   */
  async trainFast(demos: 'train' | 'clone' | null = null): Promise<void> {
    const data = demos ? this.demos.data : null;
    if (demos && !data) {
      this.demos.needData();
      return;
    }
    const begun = await this.beginTraining('fast');
    if (!begun) return;
    const { from, config, gg } = begun;
    const seed = 1;
    this.run = { kind: 'fast', config: runConfig(from, config, gg, { numEnvs: gg.fast.copies, seed }) };
    this.state.pretrain = null;
    this.view.pretrained(null);
    let s = await this.startScene('fast', { type: 'inference' });
    if (this.state.mode !== 'fast') return;
    // While the scene starts over for the cloned policy, updates are held (FastTraining keeps the
    // newest) and played in the new scene once it is there.
    let restarting = false;
    const show = (u: FastUpdate) => {
      if (!this.state.backend) {
        this.showBackend({ backend: u.backend, reason: u.backendReason });
        recordBackend(gg.key, { backend: u.backend, reason: u.backendReason });
      }
      // Update 0 (the cloned weights) is no PPO update: no point on the curves.
      if (u.update === 0) return;
      // The page state keeps the numbers, not each update's weights (5,000 updates of them would stay alive).
      const { params: _params, observationStats: _stats, ...numbers } = u;
      this.show(numbers);
    };
    const fast = this.newFast((name) => (!restarting && name === s.behavior.name ? s.behavior : null), gg.fastWorker);
    const onUpdate = (u: FastUpdate) => {
      if (u.pretrain) {
        const pretrain = { report: u.pretrain, policyVersion: u.policyVersion, playing: false };
        this.state.pretrain = pretrain;
        this.view.pretrained(u.pretrain);
        // Episodes begun by the untrained weights would blur what cloning did: the scene starts over.
        restarting = true;
        void this.startScene('fast', { type: 'inference' }).then((scene) => {
          restarting = false;
          if (this.state.mode !== 'fast' || this.run === null || this.fast !== fast) return;
          s = scene;
          fast.replay();
          const last = fast.last;
          if (last) show(last);
          pretrain.playing = true;
        });
        return;
      }
      if (!restarting) show(u);
    };
    // A resumed run keeps going past the budget by as much again; cloning alone trains no PPO update.
    const maxSteps = demos === 'clone' ? 0 : (from?.steps ?? 0) + gg.fast.maxSteps;
    this.state.fastRestarts = 0;
    // Demonstrations (cloning, BC / GAIL) train on one worker; self-play and curricula on every one.
    const workers = data ? 1 : Math.min(this.fastWorkers, gg.fast.copies);
    this.state.fastRunWorkers = workers;
    fast.start({
      copies: gg.fast.copies, backend: this.inputs.backend(), seed, maxSteps, config, workers, ...(from ? { brain: from } : {}),
      // Named in the brain's config by its IndexedDB key once saved or loaded (the worker adds the hash).
      ...(data ? { demonstrations: { data, ...(this.state.demo?.key ? { source: `indexeddb://${this.state.demo.key}` } : {}) } } : {}),
      onUpdate: (_m, u) => onUpdate(u), onError: (m) => this.fail(m), onRestart: (reason, n) => this.fastRestarted(reason, n),
    });
    if (data && from) this.view.demoMessage('resumed from your brain: it is not cloned again; PPO also learns from the demonstration only with behavioralCloning or gail in its config');
  }

  /**
   * Rivals (games with {@link GalleryGame.rivals}): every behavior learns against the others in a
   * worker, each on its own config's schedule (the worker stops when all are done); the scene
   * plays each behavior's newest weights. The page's metrics and your brain are the scene's own
   * behavior's (chase: the pack); `state.rivals` logs every update with the ELO of all.
   * The hyperparameter form is not applied: it sizes one behavior, and the rivals each keep their own.
   */
  async trainRivals(): Promise<void> {
    const rivals = this.current.rivals;
    if (!rivals) {
      this.fail(`${this.current.title} has no rivals to train: it has one behavior (train it live or fast)`);
      return;
    }
    const begun = await this.beginTraining('rivals');
    if (!begun) return;
    const { from, gg } = begun;
    const seed = 1;
    this.run = { kind: 'fast', config: runConfig(from, {}, gg, { numEnvs: gg.fast.copies, seed }), rivals: true };
    this.state.rivals = [];
    const s = await this.startScene('rivals', { type: 'inference' }, false, {});
    if (this.state.mode !== 'rivals') return;
    const own = rivals.behaviors[0];
    const fast = this.newFast((name) => rivals.behaviorOf(s, name), rivals.fastWorker);
    const onUpdate = (u: FastUpdate) => {
      if (!rivals.behaviorOf(s, u.behavior)) {
        this.fail(`rivals: the scene has no behavior "${u.behavior}" (its rivals: ${rivals.behaviors.join(', ')})`);
        return;
      }
      const log = this.state.rivals;
      log.push({ behavior: u.behavior, update: u.update, step: u.step, returnMean: u.returnMean, ratings: { ...(u.ratings ?? {}) } });
      if (log.length > MAX_LOGGED_UPDATES) log.splice(0, log.length - MAX_LOGGED_UPDATES);
      this.view.ratings(log.length, u.ratings ?? {});
      if (u.behavior !== own) return;
      if (!this.state.backend) {
        this.showBackend({ backend: u.backend, reason: u.backendReason });
        recordBackend(gg.key, { backend: u.backend, reason: u.backendReason });
      }
      const { params: _params, observationStats: _stats, ...numbers } = u;
      this.show(numbers);
    };
    this.state.fastRestarts = 0;
    // Every behavior's rollouts are joined from all the workers' copies, each learner trains once.
    const workers = Math.min(this.fastWorkers, rivals.copies);
    this.state.fastRunWorkers = workers;
    // From your brain: the pack and the runner it trained against both continue.
    const others = from ? [...this.myRivals.values()] : [];
    fast.start({
      copies: rivals.copies, backend: this.inputs.backend(), seed, untilDone: true, workers, ...(from ? { brain: from } : {}), ...(others.length > 0 ? { brains: others } : {}),
      onUpdate: (_m, u) => onUpdate(u), onError: (m) => this.fail(m), onRestart: (reason, n) => this.fastRestarted(reason, n),
    });
  }

  /** A new fast-mode run in view (the last one stops). */
  private newFast(behaviorOf: (name: string) => Behavior | null, makeWorker: () => Worker): FastTraining {
    this.stopFast();
    this.fast = new FastTraining(behaviorOf, makeWorker);
    return this.fast;
  }

  private stopFast(): void {
    this.fast?.stop();
  }

  private fastRestarted(reason: string, restarts: number): void {
    this.state.fastRestarts = restarts;
    this.view.fastRestarted(restarts, reason);
  }

  /** Inference: the shipped brain, or yours, acts; nothing learns. */
  async watch(): Promise<void> {
    await this.endRun();
    this.view.errorCleared();
    this.setMode('watch');
    const source = this.inputs.brainSource() === 'mine' && this.myBrain ? 'mine' : 'shipped';
    let brain: Brain;
    try {
      brain = source === 'mine' ? this.myBrain! : await this.shipped.get(this.current.key)!();
    } catch (e) {
      this.fail(`cannot load the shipped brain of ${this.current.title}: ${(e as Error).message}`);
      return;
    }
    // The other sides' brains too, when asked (chase: the learned runner instead of the script):
    // with your brain, the rivals it trained with where it has them, else the shipped ones.
    let rivals: Record<string, Brain> | undefined;
    const gg = this.current;
    if (gg.rivals && this.inputs.rivalBrains()) {
      rivals = {};
      try {
        for (const name of Object.keys(gg.rivals.shipped)) {
          const mine = source === 'mine' ? this.myRivals.get(name) : undefined;
          rivals[name] = mine ?? await this.shippedRivals.get(`${gg.key}/${name}`)!();
        }
      } catch (e) {
        this.fail(`cannot load the shipped rival brains of ${gg.title}: ${(e as Error).message}`);
        return;
      }
    }
    // Another button may have been pressed while the brains loaded.
    if (this.state.mode !== 'watch') return;
    await this.startScene('watch', { type: 'inference', brain }, false, rivals);
    this.state.watching = { policyVersion: brain.policyVersion, steps: brain.steps, source };
    this.view.playing(brain);
  }

  /** Heuristic: the agents' `heuristic()` drives them (the keyboard; chase: a scripted pursuit). */
  async heuristic(): Promise<void> {
    await this.endRun();
    this.view.errorCleared();
    this.setMode('heuristic');
    await this.startScene('heuristic', { type: 'heuristic' });
  }

  /**
   * Heuristic mode, recording from the start: the keyboard plays, or (`script`) the game's scripted
   * heuristic. Each whole episode is recorded; Stop recording (or any other mode) keeps them.
   */
  async record(how: 'keys' | 'script'): Promise<void> {
    const scripted = how === 'script';
    if (scripted && !hasScriptedHeuristic(this.current)) {
      this.fail(`${this.current.title} has no scripted heuristic to record: record yourself with the keys`);
      return;
    }
    await this.endRun();
    this.view.errorCleared();
    this.setMode('heuristic');
    const scene = await this.startScene('heuristic', { type: 'heuristic', record: true }, scripted);
    this.demos.recordingStarted(scene, scripted ? 'scripted heuristic' : 'keyboard');
  }

  /** Stops recording; the scene plays on in heuristic mode. */
  stopRecording(): void {
    this.demos.take(this.sceneInView);
  }

  async stop(): Promise<void> {
    await this.endRun();
    this.sceneInView?.behavior.stopTraining();
    this.setMode('stopped');
  }

  // -------------------------------------------------------------------------------------------
  // Save, download, load

  async refreshSaved(select?: string): Promise<void> {
    try {
      this.state.saved = (await listSavedBrains()).filter((b) => b.env === this.current.key);
    } catch (e) {
      this.state.saved = [];
      this.view.message(`saved brains unavailable: ${(e as Error).message}`);
    }
    this.view.saved(this.state.saved, select);
  }

  async saveToIndexedDB(): Promise<void> {
    const brain = await this.brainToKeep();
    if (!brain) return;
    const key = `${this.current.key}/v${brain.policyVersion}-${stamp()}`;
    try {
      await saveBrainToUrl(brain, `indexeddb://${key}`);
      this.view.message(`saved in this browser as ${key}`);
      await this.refreshSaved(key);
    } catch (e) {
      this.fail(`save failed: ${(e as Error).message}`);
    }
  }

  async download(): Promise<void> {
    const brain = await this.brainToKeep();
    if (!brain) return;
    const name = `${this.current.key}-v${brain.policyVersion}`;
    try {
      await saveBrainToUrl(brain, `downloads://${name}`);
      this.view.message(`downloaded ${name}.json and ${name}.weights.bin`);
    } catch (e) {
      this.fail(`download failed: ${(e as Error).message}`);
    }
  }

  /** Loads the brain saved in IndexedDB under `key` as yours, and plays it. */
  loadFromIndexedDB(key: string): Promise<void> {
    return key ? this.adopt(() => loadBrainFromUrl(`indexeddb://${key}`), key) : Promise.resolve();
  }

  async deleteFromIndexedDB(key: string): Promise<void> {
    if (!key) return;
    await deleteSavedBrain(key).catch((e: Error) => this.fail(`delete failed: ${e.message}`));
    this.view.message(`deleted ${key}`);
    await this.refreshSaved();
  }

  /** Loads a brain from its files (the manifest and its weights) as yours, and plays it. */
  loadFromFiles(files: readonly File[]): Promise<void> {
    if (!files.length) return Promise.resolve();
    const name = files.find((f) => f.name.endsWith('.json'))?.name ?? files[0]!.name;
    return this.adopt(() => loadBrainFromFiles([...files]), name);
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private setMode(mode: Mode): void {
    this.state.mode = mode;
    this.state.watching = null;
    this.view.mode(mode);
  }

  private resetMetrics(): void {
    this.state.metrics = [];
    this.state.backend = null;
    this.view.metricsReset();
  }

  private show(m: Shown): void {
    const metrics = this.state.metrics;
    metrics.push(m);
    // An hour-long run keeps its recent updates, not an ever-growing array (the charts thin theirs).
    if (metrics.length > MAX_LOGGED_UPDATES) metrics.splice(0, metrics.length - MAX_LOGGED_UPDATES);
    this.view.metrics(m, this.current);
    // Self-play (one behavior, live or fast): the learner's ELO on the ELO chart. Rivals mode charts every behavior's ratings itself.
    if (m.elo !== undefined && m.ratings === undefined && m.update !== undefined) this.view.ratings(m.update, { [`${this.current.key} (learning)`]: m.elo });
    this.view.mineChanged();
  }

  private showBackend(b: { backend: string; reason: string }): void {
    this.state.backend = b;
    this.view.backendReported(b);
  }

  /** Starts the game's scene; `rivals`: every behavior in it, in inference (with these brains). */
  private startScene(kind: RunKind, behavior: Parameters<GalleryGame['sceneData']>[0]['behavior'], scripted = false, rivals?: Readonly<Record<string, Brain>>): Promise<GameScene> {
    const gg = this.current;
    const s = this.state;
    return new Promise((resolve) => {
      // Each button begins a new run (its own chart, counts and returns): PPOPlugin would carry a
      // behavior declared the same way (same type, config, brain) over a plain restart.
      (this.phaser.scene.getScene(gg.key) as GameScene | null)?.ppo?.disposeBehaviors();
      this.phaser.scene.stop(gg.key);
      this.phaser.scene.start(gg.key, gg.sceneData({
        kind, behavior, player: this.inputs.player(), scripted, ...(rivals ? { rivals: { brains: rivals } } : {}),
        onReady: (scene) => {
          this.sceneInView = scene;
          s.returns = scene.behavior.returns;
          Object.assign(s, gg.extraState(scene));
          // Counted across scenes, so a test's budget spans a mode switch.
          const runner = scene.behavior.runner;
          const decisionsBefore = s.decisions;
          this.view.sceneProgressed(scene);
          scene.ppo.onFixedStep(() => {
            s.ticks++;
            s.decisions = decisionsBefore + runner.decisions;
            if (s.ticks % STATUS_TICKS === 0) this.view.sceneProgressed(scene);
          });
          scene.ppo.events.on('error', (e: Error) => this.fail(e.message));
          resolve(scene);
        },
      }));
    });
  }

  /**
   * The brain of the training run in view, as it is now: a live behavior's (with its training
   * state, where the SDK provides `Behavior.brain()`), or fast mode's newest update.
   */
  private async captureRun(): Promise<Brain | null> {
    const scene = this.sceneInView;
    if (!this.run || !scene) return null;
    if (this.run.kind === 'fast') {
      // The worker's checkpoint carries the optimizer state (a resume continues exactly); the newest
      // update's weights serve when the worker has already gone. In Rivals mode only the scene's own behavior is yours.
      return this.fast ? this.fast.brain(this.run.config, scene.behavior.name) : null;
    }
    return scene.behavior.latest ? scene.behavior.brain() : null;
  }

  /**
   * Rivals mode's other behaviors as they are now (chase: the runner), with their training state:
   * the worker's current brains, else their newest checkpoints (a worker that has gone).
   */
  private async captureRivals(): Promise<Map<string, Brain>> {
    const scene = this.sceneInView;
    const kept = new Map<string, Brain>();
    if (!this.run?.rivals || !scene) return kept;
    for (const name of this.current.rivals?.behaviors ?? []) {
      if (name === scene.behavior.name) continue;
      // The worker's brain with its training state while it lives, else the newest update's weights.
      const brain = this.fast ? await this.fast.brain(undefined, name) : null;
      if (brain) kept.set(name, brain);
    }
    return kept;
  }

  /** Keeps the run's brain as yours (called before a run is replaced or stopped); Rivals mode's other sides with it. */
  private async keepRun(): Promise<void> {
    const kind = this.run?.kind;
    const read = async () => ({ brain: await this.captureRun(), rivals: await this.captureRivals() });
    const got = await read().catch((e: Error) => {
      this.fail(`cannot read the trained brain: ${e.message}`);
      return null;
    });
    if (got?.brain && kind) this.setMine(got.brain, kind === 'live' ? 'trained live' : 'trained fast', `${this.current.key} v${got.brain.policyVersion}`, got.rivals);
  }

  /** `rivals`: the other behaviors' brains that came with it (Rivals mode); none for any other brain. */
  private setMine(brain: Brain, source: MineInfo['source'], name: string, rivals: ReadonlyMap<string, Brain> = new Map()): void {
    this.myBrain = brain;
    this.myRivals = new Map(rivals);
    this.state.mine = {
      policyVersion: brain.policyVersion, steps: brain.steps, source, name,
      ...(rivals.size > 0 ? { rivals: Object.fromEntries([...rivals].map(([n, b]) => [n, { policyVersion: b.policyVersion, steps: b.steps }])) } : {}),
    };
    this.view.mineChanged();
  }

  private get training(): boolean {
    return this.run !== null && (this.state.mode === 'live' || this.state.mode === 'fast' || this.state.mode === 'rivals');
  }

  /** Ends the run in view: fast mode's worker goes, a live learner is released. */
  private async endRun(): Promise<void> {
    // A recording in progress is kept (its whole episodes) before its scene goes.
    this.demos.take(this.sceneInView);
    if (this.training) await this.keepRun();
    this.stopFast();
    this.run = null;
    this.view.mineChanged();
  }

  /** The next run's config overrides from the form, or null (and a message) while it is invalid. */
  private nextConfig(resuming: boolean): Partial<PPOConfig> | null {
    const v = this.inputs.hyperparams();
    if (!v.valid) {
      this.fail(`fix the hyperparameters first: ${v.error}`);
      return null;
    }
    // A resumed brain keeps its network: its layer widths are not the form's to change.
    if (resuming) {
      const { hiddenSizes: _h, ...rest } = v.overrides;
      return rest;
    }
    return v.overrides;
  }

  /**
   * What both Train buttons do first: check the form, end the run in view, start a fresh curve.
   * Returns the brain to resume from (or null), the form's overrides, and the game; null while the
   * form is invalid.
   */
  private async beginTraining(kind: 'live' | 'fast' | 'rivals'): Promise<{ from: Brain | null; config: Partial<PPOConfig>; gg: GalleryGame } | null> {
    if (!this.nextConfig(false)) return null;
    await this.endRun();
    const from = this.inputs.trainFrom() === 'mine' ? this.myBrain : null;
    const config = this.nextConfig(from !== null)!;
    this.view.errorCleared();
    this.resetMetrics();
    resetBehaviorLog(this.current.key);
    this.setMode(kind);
    return { from, config, gg: this.current };
  }

  /** Your brain, fresh from the run in view when one is training. */
  private async mine(): Promise<Brain | null> {
    if (this.training) await this.keepRun();
    return this.myBrain;
  }

  private async brainToKeep(): Promise<Brain | null> {
    const brain = await this.mine();
    if (!brain) this.view.message('no brain of yours yet: train one (live or fast), or load one');
    return brain;
  }

  /** Takes a loaded brain as yours (when it is this game's) and plays it. */
  private async adopt(load: () => Promise<Brain>, name: string): Promise<void> {
    let brain: Brain;
    try {
      brain = await load();
    } catch (e) {
      this.fail(`cannot load ${name}: ${(e as Error).message}`);
      return;
    }
    if (brain.env !== this.current.key) {
      this.fail(`${name} is a brain for "${brain.env}", not for ${this.current.title}: open that game to use it`);
      return;
    }
    await this.endRun();
    this.setMine(brain, 'loaded', name);
    this.view.message(`loaded ${name} (v${brain.policyVersion}): it plays now; "Train from: your brain" resumes from it`);
    this.view.brainSourceMine();
    await this.watch();
  }
}

/** The config a run trains with: the game's, then the resumed brain's, then the form's. */
function runConfig(from: Brain | null, config: Partial<PPOConfig>, gg: GalleryGame, columns: Partial<PPOConfig>): ResolvedConfig {
  return resolveConfig({ ...gg.headless.config, ...(from ? configFields(from.config) : {}), ...config, ...columns });
}
