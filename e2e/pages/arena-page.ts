/**
 * The arena fixture as its page runs it, for e2e/arena.spec.ts: the ship plays the weights fast
 * mode trains in a worker on headless copies of the arena, and the scene restarts on game over.
 * One FastTraining serves the page across restarts (the README's pattern for such a scene): it
 * finds the current run's behavior through a function (null while the scene restarts), and each
 * new run replays the newest weights. `__arena` reports runs, updates and errors; `policy()` the
 * ship's policy version, `gameOver()` ends the game as three bat hits do.
 *
 * With `?live`, the ship trains live instead (the plugin's learner worker, at speed 4): each game
 * over restarts the scene, and the restarted scene's `addBehavior` gets the same behavior back,
 * learner and version included. `live` records, per run, whether its behavior is the first run's
 * and the policy version when the run began and when it ended.
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { Behavior } from '../../sdk/phaser/behavior.js';
import { FastTraining } from '../../sdk/phaser/fast-training.js';
import type { ArenaData } from '../../test-fixtures/foreign-arena/src/arena-scene.js';
import { HudScene } from '../../test-fixtures/foreign-arena/src/hud-scene.js';
import { ARENA_PHYSICS } from '../../test-fixtures/foreign-arena/src/physics.js';
import { ServedArenaScene } from './arena-scene.js';

const LIVE = new URLSearchParams(location.search).has('live');
const state = {
  runs: 0, steps: [] as number[], errors: [] as string[], policy: () => 0, gameOver: () => {},
  live: [] as { sameBehavior: boolean; versionAtStart: number; versionAtEnd: number }[],
};
(globalThis as unknown as { __arena: typeof state }).__arena = state;
/** The behavior of the scene's current run (null while it restarts), and the page's one fast-mode run. */
const page: { behavior: Behavior | null; fast: FastTraining | null; first: Behavior | null } = { behavior: null, fast: null, first: null };

class PageArenaScene extends ServedArenaScene {
  override create(data: ArenaData = {}): void {
    if (LIVE) {
      this.createLive(data);
      return;
    }
    // The ship acts (inference); only the worker learns.
    super.create({ ...data, mode: 'play' });
    state.runs++;
    const behavior = this.ppo.behavior('pilot');
    page.behavior = behavior;
    if (!page.fast) {
      page.fast = new FastTraining(() => page.behavior, () => new Worker(new URL('./arena.worker.ts', import.meta.url), { type: 'module' }));
      page.fast.start({
        seed: 1,
        backend: 'cpu',
        maxSteps: 6 * 256,
        onUpdate: (metrics) => state.steps.push(metrics.step),
        onError: (message) => state.errors.push(message),
      });
    } else {
      page.fast.replay();
    }
    state.policy = () => behavior.runner.policyVersion;
    state.gameOver = () => { for (let hp = this.registry.get('hp') as number; hp > 0; hp--) this.hitPlayer(); };
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => { page.behavior = null; });
  }

  /** Live training: the ship learns in the plugin's learner worker, across the scene's restarts. */
  private createLive(data: ArenaData): void {
    super.create({ ...data, mode: 'train' });
    state.runs++;
    const behavior = this.ppo.behavior('pilot');
    page.first ??= behavior;
    const run = { sameBehavior: behavior === page.first, versionAtStart: behavior.runner.policyVersion, versionAtEnd: NaN };
    state.live.push(run);
    this.ppo.events.on('error', (e) => state.errors.push(e.message));
    state.policy = () => behavior.runner.policyVersion;
    state.gameOver = () => { for (let hp = this.registry.get('hp') as number; hp > 0; hp--) this.hitPlayer(); };
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => { run.versionAtEnd = behavior.runner.policyVersion; });
  }
}

new Phaser.Game({
  type: Phaser.CANVAS,
  parent: 'game',
  width: 800,
  height: 600,
  physics: ARENA_PHYSICS,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', ...(LIVE ? { data: { speed: 4 } } : {}) }] },
  scene: [PageArenaScene, HudScene],
});
