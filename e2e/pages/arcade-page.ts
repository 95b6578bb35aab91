/**
 * The Arcade catch scene (sdk/scene/test-arcade-scene.ts) live in a real Phaser game, for
 * e2e/arcade.spec.ts: PPOPlugin steps the Arcade world once per fixed step on the page's frames.
 * Query: `type` (the behavior's type, default train), `fps` (the Arcade world's, default 60: 30
 * disagrees with stepMs), `speed` (the plugin's, default 4).
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { BehaviorType } from '../../sdk/adapter/behavior-spec.js';
import { CATCH, CatchScene } from '../../sdk/scene/test-arcade-scene.js';

const params = new URLSearchParams(location.search);

const game = new Phaser.Game({
  type: Phaser.CANVAS, width: CATCH.width, height: CATCH.height, parent: 'game', banner: false,
  physics: { default: 'arcade', arcade: { fps: Number(params.get('fps') ?? 60), gravity: { x: 0, y: 0 } } },
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { speed: Number(params.get('speed') ?? 4), maxStepsPerFrame: 8 } }] },
});
game.events.once(Phaser.Core.Events.READY, () => {
  game.scene.add('arcade-catch', CatchScene, true, { seed: 1, type: (params.get('type') ?? 'train') as BehaviorType });
});

const page = {
  /** This run's frames, fixed steps and Arcade world steps so far. */
  steps: () => {
    const scene = game.scene.getScene('arcade-catch') as CatchScene | null;
    return scene ? { frames: scene.frames, fixedSteps: scene.fixedSteps, worldSteps: scene.worldSteps } : null;
  },
};
(globalThis as unknown as Record<string, unknown>).__arcadePage = page;
