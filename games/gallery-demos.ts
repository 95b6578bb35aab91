/**
 * The gallery's demonstrations: recording the behavior in view (the keyboard or the game's
 * scripted heuristic), the demonstration kept in memory (what behaviour cloning would train from),
 * and saving, downloading and loading it (IndexedDB survives a reload). No DOM: the panel shows
 * what {@link DemoView} is told. The controller starts the recording scene and hands it here.
 */
import type { DemonstrationData } from '../sdk/io/demonstration-data.js';
import { summarizeDemonstration, type DemonstrationSummary } from '../sdk/io/demonstration.js';
import { listSavedDemonstrations, loadDemonstrationFromFiles, loadDemonstrationFromUrl, saveDemonstrationToUrl, type SavedDemonstrationInfo } from '../sdk/io/demonstration.browser.js';
import type { DemoEpisodeEvent } from '../sdk/phaser/events.js';
import type { GameKey, GameScene } from './gallery-game.js';

/** The demonstration in memory, as the page shows it. */
export interface DemoInfo extends DemonstrationSummary {
  source: 'recorded' | 'loaded';
  /** The key it was saved or loaded under, if any. */
  key: string | null;
}

/** What the page state publishes about demonstrations (read by the tests). */
export interface DemoState {
  /** Counts of the recording in progress, or null when not recording. */
  recording: DemonstrationSummary | null;
  /** The demonstration in memory. */
  demo: DemoInfo | null;
  /** This game's demonstrations saved in IndexedDB, newest first. */
  savedDemos: SavedDemonstrationInfo[];
}

export interface DemoView {
  /** The counts to show: the recording's while recording, else the demonstration's in memory. */
  demoCounts(counts: DemonstrationSummary | null, recording: boolean): void;
  demosSaved(list: readonly SavedDemonstrationInfo[], select?: string): void;
  demoMessage(text: string): void;
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

export class GalleryDemos {
  /** The demonstration in memory: what Clone and Train fast from demos use. */
  data: DemonstrationData | null = null;
  private game: GameKey = 'balance';
  private recordedBy = '';

  constructor(private readonly state: DemoState, private readonly view: DemoView, private readonly fail: (message: string) => void) {}

  /** Another game is open: its demonstrations, none in memory. */
  gameOpened(key: GameKey): void {
    this.game = key;
    this.data = null;
    this.state.demo = null;
    this.state.recording = null;
    this.view.demoCounts(null, false);
    this.view.demoMessage('');
    void this.refresh();
  }

  /** A scene recording from its start (behavior option `record`): counts follow its episodes. */
  recordingStarted(scene: GameScene, recordedBy: string): void {
    this.recordedBy = recordedBy;
    this.state.recording = { episodes: 0, steps: 0, meanReturn: 0 };
    this.view.demoCounts(this.state.recording, true);
    this.view.demoMessage(`recording (${recordedBy}): every whole episode counts`);
    scene.ppo.events.on('demo-episode', (e: DemoEpisodeEvent) => {
      this.state.recording = { episodes: e.episodes, steps: e.steps, meanReturn: e.meanReturn };
      this.view.demoCounts(this.state.recording, true);
    });
  }

  /** Stops the scene's recording, if any, and keeps what it recorded (whole episodes) in memory. */
  take(scene: GameScene | null): void {
    if (!scene || !scene.behavior.recording) return;
    const data = scene.behavior.stopRecording();
    this.state.recording = null;
    if (data.steps === 0) {
      this.view.demoCounts(this.state.demo, false);
      this.view.demoMessage('recording stopped before a whole episode: nothing kept');
      return;
    }
    this.keep(data, 'recorded', null);
    this.view.demoMessage(`kept ${this.state.demo!.episodes} recorded episodes (${this.recordedBy}): save or download them`);
  }

  async save(): Promise<void> {
    const data = this.needData();
    if (!data) return;
    const key = `${this.game}/demo-${this.state.demo!.episodes}ep-${stamp()}`;
    try {
      await saveDemonstrationToUrl(data, `indexeddb://${key}`, { recordedBy: this.recordedBy || 'gallery' });
      this.state.demo = { ...this.state.demo!, key };
      this.view.demoMessage(`saved in this browser as ${key}`);
      await this.refresh(key);
    } catch (e) {
      this.fail(`saving the demonstration failed: ${(e as Error).message}`);
    }
  }

  async download(): Promise<void> {
    const data = this.needData();
    if (!data) return;
    const name = `${this.game}-demo-${this.state.demo!.episodes}ep`;
    try {
      await saveDemonstrationToUrl(data, `downloads://${name}`, { recordedBy: this.recordedBy || 'gallery' });
      this.view.demoMessage(`downloaded ${name}.json and ${name}.demo.bin`);
    } catch (e) {
      this.fail(`downloading the demonstration failed: ${(e as Error).message}`);
    }
  }

  /** Loads a saved demonstration into memory. */
  async load(key: string): Promise<void> {
    if (!key) return;
    try {
      this.keep(await loadDemonstrationFromUrl(`indexeddb://${key}`), 'loaded', key);
      this.view.demoMessage(`loaded ${key}`);
    } catch (e) {
      this.fail(`cannot load the demonstration ${key}: ${(e as Error).message}`);
    }
  }

  /** Loads a demonstration from its picked files (the manifest and its data file) into memory. */
  async loadFiles(files: readonly File[]): Promise<void> {
    if (!files.length) return;
    const name = files.find((f) => f.name.endsWith('.json'))?.name ?? files[0]!.name;
    try {
      const data = await loadDemonstrationFromFiles([...files]);
      if (data.behavior !== this.game) {
        this.fail(`${name} is a demonstration of "${data.behavior}", not of this game (${this.game}): open that game to use it`);
        return;
      }
      this.keep(data, 'loaded', null);
      this.view.demoMessage(`loaded ${name}`);
    } catch (e) {
      this.fail(`cannot load ${name}: ${(e as Error).message}`);
    }
  }

  async refresh(select?: string): Promise<void> {
    try {
      this.state.savedDemos = (await listSavedDemonstrations()).filter((d) => d.behavior === this.game);
    } catch (e) {
      this.state.savedDemos = [];
      this.view.demoMessage(`saved demonstrations unavailable: ${(e as Error).message}`);
    }
    this.view.demosSaved(this.state.savedDemos, select);
  }

  private keep(data: DemonstrationData, source: DemoInfo['source'], key: string | null): void {
    this.data = data;
    this.state.demo = { ...summarizeDemonstration(data), source, key };
    this.view.demoCounts(this.state.demo, false);
  }

  /** The demonstration in memory, or null with a message saying how to get one. */
  needData(): DemonstrationData | null {
    if (!this.data) this.view.demoMessage('no demonstration yet: record one (keys or script), or load one');
    return this.data;
  }
}
