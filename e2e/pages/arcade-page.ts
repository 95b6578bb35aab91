/**
 * The Arcade catch scene (sdk/scene/test-arcade-scene.ts) live in a real Phaser game, for
 * e2e/arcade.spec.ts: PPOPlugin steps the Arcade world once per fixed step on the page's frames.
 * Query: `type` (the behavior's type, default train), `fps` (the Arcade world's, default 60: 30
 * disagrees with stepMs), `speed` (the plugin's, default 4), `mode=fast` (fast mode: the scene's
 * headless copies train in a worker, their weights act in the scene, whose behavior is inference).
 */
import Phaser from 'phaser';
import { FastTraining } from '../../sdk/phaser/fast-training.js';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { BehaviorType } from '../../sdk/adapter/behavior-spec.js';
import { CATCH, CatchScene } from '../../sdk/scene/test-arcade-scene.js';

const params = new URLSearchParams(location.search);
const fast = params.get('mode') === 'fast';

const game = new Phaser.Game({
  type: Phaser.CANVAS, width: CATCH.width, height: CATCH.height, parent: 'game', banner: false,
  physics: { default: 'arcade', arcade: { fps: Number(params.get('fps') ?? 60), gravity: { x: 0, y: 0 } } },
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { speed: Number(params.get('speed') ?? 4), maxStepsPerFrame: 8 } }] },
});
game.events.once(Phaser.Core.Events.READY, () => {
  const type = fast ? 'inference' : ((params.get('type') ?? 'train') as BehaviorType);
  const scene = game.scene.add('arcade-catch', CatchScene, true, { seed: 1, type }) as CatchScene;
  if (fast) {
    const training = new FastTraining(scene.ppo.behavior('catch'), () => new Worker(new URL('./arcade-fast.worker.ts', import.meta.url), { type: 'module', name: 'arcade-fast' }));
    training.start({ seed: 1, backend: 'auto', maxSteps: 65_536 });
  }
});

const page = {
  /** This run's frames, fixed steps and Arcade world steps so far. */
  steps: () => {
    const scene = game.scene.getScene('arcade-catch') as CatchScene | null;
    return scene ? { frames: scene.frames, fixedSteps: scene.fixedSteps, worldSteps: scene.worldSteps, catches: scene.catches } : null;
  },
};
(globalThis as unknown as Record<string, unknown>).__arcadePage = page;
