/**
 * The gallery's panel: the DOM of index.html and nothing else. It draws what the controller
 * (games/gallery-controller.ts) tells it, answers its questions about the user's choices, and
 * turns clicks into the controller's calls.
 *
 * Stable data-testids (Playwright specs drive the page with these):
 * - game tabs: `game-balance`, `game-lander`, `game-chase`, `game-sumo`, `game-jumper`, `game-maze`
 * - behavior: `train-live`, `train-fast`, `train-rivals` (shown for games with rivals: chase),
 *   `watch` (inference), `heuristic`, `stop`;
 *   `brain-source` (select: `shipped` | `mine`), `train-from` (select: `scratch` | `mine`),
 *   `backend-select`, `player` (checkbox, chase: you are the runner), `rival-brains` (checkbox,
 *   games with rivals: Inference plays the other sides' shipped brains, chase's learned runner)
 * - status: `mode`, `backend`, `version`, `return`, `mine` (your brain), `status-line`, `error`
 * - hyperparameters: `hp-form`, `hp-<PPOConfig field>` (inputs), `hp-error`, `hp-reset`
 * - brain: `save-idb`, `download`, `load-file` (file input), `saved-list` (select), `load-idb`,
 *   `delete-idb`, `brain-message`
 * - demonstrations: `record-keys`, `record-script`, `record-stop`, `demo-episodes`, `demo-steps`,
 *   `demo-return`, `demo-save`, `demo-download`, `demo-list` (select), `demo-load`, `demo-file`
 *   (file input), `demo-message`, `demo-clone` (fast mode: behaviour cloning only),
 *   `demo-train-fast` (fast mode: cloning, then PPO), `demo-bc` (cloning's report)
 * - charts: `charts`, `chart-<metric>` (returnMean, episodeLength, policyLoss, valueLoss, entropy,
 *   approxKl, clipFraction, sps), `chart-elo` (Rivals mode: a line per behavior)
 */
import type { SavedBrainInfo } from '../sdk/io/brain.browser.js';
import type { SavedDemonstrationInfo } from '../sdk/io/demonstration.browser.js';
import type { DemonstrationSummary } from '../sdk/io/demonstration.js';
import type { PretrainReport } from '../sdk/rl/behavioral-cloning.js';
import type { BackendChoice } from '../sdk/runtime/learner-host.js';
import { hasScriptedHeuristic, type GalleryGame, type GameKey, type GameScene } from './gallery-game.js';
import type { GalleryController, GalleryInputs, GalleryView } from './gallery-controller.js';
import { $, type Mode, type Shown } from './page-kit.js';
import { createEloChart, createMetricCharts } from './charts.js';
import { HyperparamForm, type Validity } from './hyperparams.js';

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const FIX_FIRST = ' (fix the hyperparameters first)';

export class GalleryPanel implements GalleryInputs, GalleryView {
  private controller: GalleryController | null = null;
  private readonly charts = createMetricCharts($('charts'));
  private readonly elo = createEloChart($('charts'));
  private readonly hp: HyperparamForm;

  constructor() {
    this.hp = new HyperparamForm($<HTMLFormElement>('hp-form'), $('hp-error'), (v) => this.hyperparamsChanged(v));
    // Phaser captures the arrow keys and space on the window (preventDefault): keys typed into the
    // panel's fields stop here, before its window listener, so they edit the field and steer nothing.
    for (const type of ['keydown', 'keyup'] as const) {
      window.addEventListener(type, (e) => {
        const t = e.target;
        if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) e.stopPropagation();
      }, { capture: true });
    }
  }

  /**
   * Wires the panel to its controller: the buttons, the tabs (`open` picks a game), and the
   * status line, refreshed a few times a second.
   */
  attach(controller: GalleryController, open: (key: GameKey) => void): void {
    this.controller = controller;
    controller.state.chartPoints = () => this.charts.points();
    controller.state.eloPoints = () => this.elo.points();
    const c = controller;
    const on = (id: string, f: () => Promise<void>) => $(id).addEventListener('click', () => void f().catch((e: Error) => c.fail(e.message)));
    on('train-live', () => c.trainLive());
    on('train-fast', () => c.trainFast());
    on('train-rivals', () => c.trainRivals());
    on('watch', () => c.watch());
    on('heuristic', () => c.heuristic());
    on('stop', () => c.stop());
    on('save-idb', () => c.saveToIndexedDB());
    on('download', () => c.download());
    on('load-idb', () => c.loadFromIndexedDB($<HTMLSelectElement>('saved-list').value));
    on('delete-idb', () => c.deleteFromIndexedDB($<HTMLSelectElement>('saved-list').value));
    on('record-keys', () => c.record('keys'));
    on('record-script', () => c.record('script'));
    on('record-stop', async () => c.stopRecording());
    on('demo-clone', () => c.trainFast('clone'));
    on('demo-train-fast', () => c.trainFast('train'));
    on('demo-save', () => c.demos.save());
    on('demo-download', () => c.demos.download());
    on('demo-load', () => c.demos.load($<HTMLSelectElement>('demo-list').value));
    $('demo-file').addEventListener('change', () => {
      const input = $<HTMLInputElement>('demo-file');
      const files = [...(input.files ?? [])];
      input.value = '';
      void c.demos.loadFiles(files);
    });
    $('load-file').addEventListener('change', () => {
      const input = $<HTMLInputElement>('load-file');
      const files = [...(input.files ?? [])];
      input.value = '';
      void c.loadFromFiles(files);
    });
    $('hp-reset').addEventListener('click', () => this.hp.load(c.game));
    for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
      a.addEventListener('click', (e) => {
        const key = a.dataset.game ?? null;
        if (!c.isGame(key) || e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault();
        if (key !== c.state.game) open(key);
      });
    }
  }

  private get c(): GalleryController {
    if (!this.controller) throw new Error('the gallery panel is not attached to its controller yet');
    return this.controller;
  }

  // --- GalleryInputs

  backend(): BackendChoice {
    return $<HTMLSelectElement>('backend').value as BackendChoice;
  }

  /** Preselects the learner backend (the URL's `backend=`). */
  setBackend(choice: string): void {
    $<HTMLSelectElement>('backend').value = choice;
  }

  player(): boolean {
    return $<HTMLInputElement>('player').checked;
  }

  rivalBrains(): boolean {
    return $<HTMLInputElement>('rival-brains').checked;
  }

  brainSource(): 'shipped' | 'mine' {
    return $<HTMLSelectElement>('brain-source').value === 'mine' ? 'mine' : 'shipped';
  }

  trainFrom(): 'scratch' | 'mine' {
    return $<HTMLSelectElement>('train-from').value === 'mine' ? 'mine' : 'scratch';
  }

  hyperparams(): Validity {
    return this.hp.validate();
  }

  // --- GalleryView

  gameOpened(gg: GalleryGame): void {
    $<HTMLSelectElement>('brain-source').value = 'shipped';
    $<HTMLSelectElement>('train-from').value = 'scratch';
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
    const script = $<HTMLButtonElement>('record-script');
    script.disabled = !hasScriptedHeuristic(gg);
    script.title = hasScriptedHeuristic(gg) ? "Record the game's scripted heuristic playing (heuristic mode)" : `${gg.title} has no scripted heuristic: record yourself with the keys`;
    $('train-rivals').hidden = !gg.rivals;
    $('rival-brains-label').hidden = !gg.rivals;
    $('rival-brains-text').textContent = gg.rivals?.label ?? '';
    if (!gg.rivals) $<HTMLInputElement>('rival-brains').checked = false;
    this.hp.load(gg);
  }

  mode(mode: Mode): void {
    $('mode').textContent = mode === 'watch' ? 'inference' : mode;
    for (const [id, m] of [['train-live', 'live'], ['train-fast', 'fast'], ['train-rivals', 'rivals'], ['watch', 'watch'], ['heuristic', 'heuristic']] as const) $(id).classList.toggle('active', mode === m);
  }

  metricsReset(): void {
    this.charts.reset();
    this.elo.reset();
    for (const id of ['m-version', 'm-step', 'm-return', 'backend-used']) $(id).textContent = '–';
    $('backend-reason').textContent = '';
  }

  metrics(m: Shown, gg: GalleryGame): void {
    this.charts.push(m);
    $('m-version').textContent = `v${m.policyVersion}`;
    $('m-step').textContent = m.step.toLocaleString('en-US');
    $('m-return').textContent = fmt(m.returnMean, gg.returnDigits);
  }

  ratings(updates: number, ratings: Readonly<Record<string, number>>): void {
    this.elo.push(updates, ratings);
  }

  backendReported(b: { backend: string; reason: string }): void {
    $('backend-used').textContent = b.backend;
    $('backend-reason').textContent = b.reason;
    $('backend-reason').title = b.reason;
  }

  mineChanged(): void {
    const { mine: m, run: last } = this.c.yours();
    $('mine').textContent = m ? `${m.name} · v${m.policyVersion} · ${m.steps.toLocaleString('en-US')} steps (${m.source})` : 'none yet';
    for (const id of ['brain-source', 'train-from']) {
      const opt = $<HTMLSelectElement>(id).querySelector<HTMLOptionElement>('option[value="mine"]')!;
      opt.disabled = !m && !last;
      opt.textContent = last ? `yours (this run, v${last.policyVersion})` : m ? `yours (v${m.policyVersion})` : 'yours';
    }
  }

  playing(brain: { policyVersion: number; steps: number }): void {
    $('m-version').textContent = `v${brain.policyVersion}`;
    $('m-step').textContent = brain.steps.toLocaleString('en-US');
  }

  brainSourceMine(): void {
    $<HTMLSelectElement>('brain-source').value = 'mine';
  }

  error(message: string): void {
    const el = $('error');
    el.hidden = false;
    el.textContent = message;
  }

  errorCleared(): void {
    $('error').hidden = true;
  }

  message(text: string): void {
    $('brain-message').textContent = text;
  }

  saved(list: readonly SavedBrainInfo[], select?: string): void {
    const el = $<HTMLSelectElement>('saved-list');
    el.replaceChildren(...(list.length ? list.map((b) => new Option(`${b.key.replace(/^[^/]*\//, '')} · v${b.policyVersion}`, b.key)) : [new Option('no saved brains', '')]));
    el.disabled = $<HTMLButtonElement>('load-idb').disabled = $<HTMLButtonElement>('delete-idb').disabled = !list.length;
    if (select) el.value = select;
  }

  demoCounts(counts: DemonstrationSummary | null, recording: boolean): void {
    $('demo-episodes').textContent = String(counts?.episodes ?? 0);
    $('demo-steps').textContent = (counts?.steps ?? 0).toLocaleString('en-US');
    $('demo-return').textContent = counts && counts.episodes > 0 ? fmt(counts.meanReturn, this.c.game.returnDigits) : '–';
    $('record-stop').classList.toggle('active', recording);
  }

  demosSaved(list: readonly SavedDemonstrationInfo[], select?: string): void {
    const el = $<HTMLSelectElement>('demo-list');
    el.replaceChildren(...(list.length ? list.map((d) => new Option(`${d.key.replace(/^[^/]*\//, '')} · ${d.episodes} ep · ${fmt(d.meanReturn, 1)}`, d.key)) : [new Option('no saved demonstrations', '')]));
    el.disabled = $<HTMLButtonElement>('demo-load').disabled = !list.length;
    if (select) el.value = select;
  }

  demoMessage(text: string): void {
    $('demo-message').textContent = text;
  }

  pretrained(report: PretrainReport | null): void {
    const el = $('demo-bc');
    if (!report) {
      el.textContent = '';
      return;
    }
    // Held-out episodes when the demonstration has two or more, else the rows it was fitted on.
    const on = report.heldOut ? `held-out ${report.heldOutRows.toLocaleString('en-US')} decisions` : `training ${report.trainRows.toLocaleString('en-US')} decisions (no held-out episode)`;
    const stats = report.heldOut ?? report.train;
    const parts = [`NLL ${fmt(stats.nll, 3)}`];
    if (Number.isFinite(stats.accuracy)) parts.push(`accuracy ${(stats.accuracy * 100).toFixed(1)}%`);
    if (Number.isFinite(stats.meanAbsError)) parts.push(`mean |error| ${fmt(stats.meanAbsError, 3)}`);
    el.textContent = `cloned in ${report.epochs} epochs; on ${on}: ${parts.join(' · ')}`;
  }

  fastRestarted(restarts: number, reason: string): void {
    $('backend-reason').textContent = `fast-mode worker restarted from its last checkpoint (${restarts}×; ${reason})`;
  }

  sceneProgressed(scene: GameScene): void {
    const c = this.c;
    $('status-line').textContent = c.game.statusLine(scene);
    // Without a learner, the return shown is the NPCs' in view (the last 20 episodes).
    const s = c.state;
    if ((s.mode === 'watch' || s.mode === 'heuristic') && s.returns.length) {
      const last = s.returns.slice(-20);
      $('m-return').textContent = fmt(last.reduce((a, b) => a + b, 0) / last.length, c.game.returnDigits);
    }
  }

  // --- Internals

  private hyperparamsChanged(v: Validity): void {
    if (this.controller) this.controller.state.hyperparams = v;
    for (const id of ['train-live', 'train-fast', 'train-rivals', 'demo-clone', 'demo-train-fast']) {
      const b = $<HTMLButtonElement>(id);
      const title = b.title.endsWith(FIX_FIRST) ? b.title.slice(0, -FIX_FIRST.length) : b.title;
      b.disabled = !v.valid;
      b.title = v.valid ? title : `${title}${FIX_FIRST}`;
    }
    if (!v.valid) $<HTMLDetailsElement>('hp-box').open = true;
  }
}
