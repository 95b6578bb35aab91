/**
 * The platformer fixture as its page runs it, for e2e/platformer.spec.ts: the title scene first
 * (a key starts the level), then the level's foxes play the weights fast mode trains in a worker
 * on headless copies of the same level. `__platformer` reports the level, the updates and errors; `__platformerPolicy()` the foxes' policy version.
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import { FastTraining } from '../../sdk/phaser/fast-training.js';
import { TitleScene } from '../../test-fixtures/foreign-platformer/src/title-scene.js';
import { PLATFORMER_PHYSICS } from '../../test-fixtures/foreign-platformer/src/physics.js';
import type { LevelData } from '../../test-fixtures/foreign-platformer/src/level-scene.js';
import { ServedLevelScene } from './platformer-scene.js';

const state = { level: false, foxes: 0, steps: [] as number[], errors: [] as string[] };
(globalThis as unknown as { __platformer: typeof state }).__platformer = state;

class PageLevelScene extends ServedLevelScene {
  override create(data: LevelData = {}): void {
    // The foxes act (inference); only the worker learns.
    super.create({ ...data, mode: 'play' });
    state.level = true;
    state.foxes = this.foxes.length;
    const behavior = this.ppo.behavior('fox');
    const fast = new FastTraining(behavior, () => new Worker(new URL('./platformer.worker.ts', import.meta.url), { type: 'module' }));
    fast.start({
      seed: 1,
      backend: 'cpu',
      maxSteps: 2 * 1024,
      onUpdate: (metrics) => state.steps.push(metrics.step),
      onError: (message) => state.errors.push(message),
    });
    // The weights the foxes here act with (played from the frame after each update).
    (globalThis as unknown as { __platformerPolicy: () => number }).__platformerPolicy = () => behavior.runner.policyVersion;
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => fast.stop());
  }
}

new Phaser.Game({
  type: Phaser.CANVAS,
  parent: 'game',
  width: 320,
  height: 240,
  physics: PLATFORMER_PHYSICS,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
  scene: [TitleScene, PageLevelScene],
});
