/**
 * Arcade Physics on the plugin's fixed step. Phaser steps an Arcade world on the render loop, by
 * wall time (as many steps of `1 / fps` as the frame's delta holds): agents would then see a
 * world that moved 0, 1 or 2 steps between decisions, and a fast-mode copy would not repeat a page
 * run. {@link ArcadeStepping} unhooks the world from the loop and steps it exactly once per fixed
 * step of the plugin instead, between the agents' actions and the scene's `onFixedStep` callbacks:
 *
 *   agents act → Arcade world: one step of 1 / fps s → the scene's onFixedStep callbacks
 *
 * A scene that steps Arcade itself sets Phaser's `customUpdate: true` in its Arcade config; the
 * plugin then leaves the world alone. Used by PPOPlugin (page) and the headless copies' plugin.
 */
import { EnvError } from '../core/errors.js';

/** The parts of Phaser's `ArcadePhysics` scene plugin (`this.physics`) read here. */
interface ArcadePhysicsLike {
  readonly world?: ArcadeWorldLike | null;
  readonly config?: { readonly customUpdate?: boolean } | null;
  disableUpdate(): void;
}

/** The parts of Phaser's Arcade `World` read here. */
interface ArcadeWorldLike {
  readonly fps: number;
  /** One step of `1 / fps` s, then the bodies' post-step (Phaser ≥ 3.70). */
  singleStep(): void;
}

/** Plugin stepMs and Arcade fps agree when their steps differ by less than this (ms): 1000 / 60 is not exact. */
const STEP_TOLERANCE_MS = 1e-6;

export class ArcadeStepping {
  private constructor(readonly world: ArcadeWorldLike) {}

  /**
   * Takes over stepping the scene's Arcade world, if it has one and the game does not step it
   * itself (`customUpdate: true`): the world stops stepping on the render loop. Call it once the
   * scene's `create` has run (Phaser hooks the world to the loop as the scene starts, and the scene
   * may change the world's fps in `create`). Null when there is nothing to step.
   */
  static take(scene: unknown): ArcadeStepping | null {
    const physics = (scene as { physics?: ArcadePhysicsLike } | null)?.physics;
    const world = physics?.world;
    if (!physics || !world || typeof world.singleStep !== 'function' || typeof physics.disableUpdate !== 'function') return null;
    if (physics.config?.customUpdate === true) return null;
    physics.disableUpdate();
    return new ArcadeStepping(world);
  }

  /** One Arcade step (of `1 / fps` s): once per fixed step of the plugin, after the agents act. */
  step(): void {
    this.world.singleStep();
  }

  /**
   * Why the world's step and the plugin's disagree, or null when they agree: each fixed step of
   * `stepMs` moves Arcade's bodies by `1000 / fps` ms, so with other values the game runs at
   * another speed than the page's clock and the run's settings say.
   */
  private mismatch(stepMs: number): string | null {
    const arcadeMs = 1000 / this.world.fps;
    if (Math.abs(arcadeMs - stepMs) < STEP_TOLERANCE_MS) return null;
    return `the Arcade world steps ${round(arcadeMs)} ms (physics.arcade.fps ${round(this.world.fps)}) but the plugin's fixed step is ${round(stepMs)} ms (stepMs): ` +
      `each fixed step moves the bodies by ${round(arcadeMs)} ms`;
  }

  /** The page's warning (code `arcade-fps`) when fps and `stepMs` disagree, or null. */
  fpsWarning(stepMs: number): string | null {
    const why = this.mismatch(stepMs);
    if (!why) return null;
    return `PPOPlugin: ${why}. Set physics: { arcade: { fps: ${round(1000 / stepMs)} } } in the game config, ` +
      `or the plugin's stepMs to ${round(1000 / this.world.fps)} (plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { stepMs } }] }).`;
  }

  /**
   * Throws when fps and `stepMs` disagree in a headless copy (`label` names it): a run must not
   * train at a speed the page does not play at. Copies step the game's own stepMs (sceneGame's
   * `plugin`, or the scene's `physics.ppo`), as the page does.
   */
  refuseFpsMismatch(label: string, stepMs: number): void {
    const why = this.mismatch(stepMs);
    if (why) {
      throw new EnvError(`${label}: ${why}, so a run would train the game at another speed than the page plays it. ` +
        `Set physics: { default: 'arcade', arcade: { fps: ${round(1000 / stepMs)} } } in sceneGame's options (and the page's game config), ` +
        `or the plugin's stepMs to ${round(1000 / this.world.fps)} (sceneGame's plugin: { stepMs }, as the page's plugin data).`);
    }
  }
}

function round(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
