/**
 * The foreign-game fixture in a page, for e2e/foreign-assets.spec.ts: the scene loads its files as
 * any page game does, and fast mode trains it in a worker whose headless copies load the same
 * files from this page's server. `__foreign` reports the fast-mode updates and errors.
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import { FastTraining } from '../../sdk/phaser/fast-training.js';
import { ServedWalkerScene } from './foreign-scene.js';

const state = { steps: [] as number[], errors: [] as string[], level: null as unknown };
(globalThis as unknown as { __foreign: typeof state }).__foreign = state;

class PageWalkerScene extends ServedWalkerScene {
  override behaviorType = 'inference' as const;
  override create(): void {
    super.create();
    state.level = this.cache.json.get('level');
    const fast = new FastTraining(this.ppo.behavior('walker'), () => new Worker(new URL('./foreign.worker.ts', import.meta.url), { type: 'module' }));
    fast.start({
      seed: 1,
      backend: 'cpu',
      maxSteps: 4 * 2 * 64,
      onUpdate: (metrics) => state.steps.push(metrics.step),
      onError: (message) => state.errors.push(message),
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => fast.stop());
  }
}

new Phaser.Game({
  type: Phaser.CANVAS,
  parent: 'game',
  width: 128,
  height: 64,
  scene: PageWalkerScene,
  // The fixture's sound is a stand-in file no browser decodes; this page is about the files the game reads.
  audio: { noAudio: true },
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
});
