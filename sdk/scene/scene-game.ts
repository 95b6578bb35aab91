/**
 * Fast mode on the game's own Phaser scene: {@link sceneGame} turns a scene class, unchanged, into
 * a {@link HeadlessGame}. Each copy is a `Phaser.HEADLESS` game stepped by hand (no renderer, no
 * requestAnimationFrame): the scene's `create` runs as in the page, its `this.ppo` is a headless
 * stand-in that hands the scene's agents to the one collector, and one tick of the copy is what
 * one fixed step is in the page: one step of its Arcade world if it has one (../phaser/arcade-step.ts),
 * the scene's `onFixedStep` callbacks (its physics and rules), then one Phaser frame (`update`,
 * timers, tweens, Matter's own stepping when `autoUpdate` is on).
 *
 * Works in Node (the CLI, tests) and in a module worker (fast mode): the shim imported first
 * (./phaser-shim.ts) gives Phaser the little of a page it needs to boot without one.
 */
import { ShimImage } from './phaser-shim.js';
import Phaser from 'phaser';
import type { Agent } from '../adapter/agent.js';
import { EnvError } from '../core/errors.js';
import type { BehaviorOptions } from '../phaser/behavior.js';
import { resolvePluginSettings, type PPOPluginSettings } from '../phaser/settings.js';
import type { PPOConfig } from '../rl/config.js';
import type { CopyContext, GameBehavior, HeadlessCopy, OneBehaviorGame } from '../runtime/game.js';
import type { EnvironmentParameters } from '../runtime/env-params.js';
import { assetSource, type AssetOptions } from './asset-source.js';
import { HEADLESS_HOSTS, HeadlessPPOPlugin, type HeadlessHost } from './headless-plugin.js';
import { directMatterClock, type MatterWithClock } from './matter-clock.js';

// Phaser's own Matter reads its clock through `window`, which is the shim's Proxy in Node and
// workers (~4% of a Matter game's training in chase's profile): every copy's world reads
// performance.now() directly, the clock a page's Matter reads anyway.
directMatterClock((Phaser.Physics.Matter as unknown as { Matter: MatterWithClock }).Matter);

/** A scene class as `new Phaser.Game({ scene })` takes it. */
export type SceneClass = new (...args: never[]) => Phaser.Scene;

/** What {@link sceneGame} needs besides the scene: what the page's game config and page say. */
export interface SceneGameOptions {
  /** The scene, unchanged: the class the page gives `new Phaser.Game({ scene })`. */
  scene: SceneClass;
  /** The game's name (runs, brains' `env` when it has one behavior); default the scene's key. */
  name?: string;
  /** Copies fast mode and the CLI run when not told otherwise. */
  copies: number;
  /**
   * The page's `physics` game config (gravity and the rest). Default
   * `{ default: 'matter', matter: { autoUpdate: false } }`: the scene steps its world in `onFixedStep`.
   */
  physics?: Phaser.Types.Core.PhysicsConfig;
  /**
   * The page's PPOPlugin settings: the plugin's `data` in its game config
   * (`plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data }] }`). Its
   * `stepMs` is each copy's fixed step, as in the page (a scene's own `physics.ppo` overrides it,
   * as in the page); `speed` and `maxStepsPerFrame` pace a page's frames and mean nothing headless.
   * Default: the plugin's defaults (`stepMs` 1000/60).
   */
  plugin?: PPOPluginSettings;
  /**
   * The page's other scenes that `scene` launches or starts by key (a HUD run in parallel with
   * `this.scene.launch('Hud')`): each copy holds them, not started, so they run there as in the
   * page. A key a copy does not hold is skipped, with one warning that names it.
   */
  scenes?: readonly SceneClass[];
  /** The game's size, as in the page's config (scenes that place things by it). Default 800 × 600. */
  width?: number;
  height?: number;
  /** The data the scene's `create(data)` gets in copy `index` (what the page passes to `scene.start`). */
  data?: (index: number, seed: number) => object | undefined;
  /**
   * The game's environment parameters and their defaults (constants, samplers, curricula), merged
   * over the ones the scene's behaviors declare (`addBehavior({ environmentParameters })`). The
   * copies' `behavior.params` read the run's values (a run's `environmentParameters` replace these
   * parameter by parameter), and their lessons move on as the headless run trains.
   */
  environmentParameters?: EnvironmentParameters;
  /** Config overrides (merged over what the scene's `addBehavior` gives), for every behavior. */
  config?: Partial<PPOConfig>;
  /** Mean return that counts as solved, for every behavior (see `behaviors` for one each). */
  solvedAt?: number;
  /**
   * Per behavior name: its own config overrides and solved score, and whether its agents'
   * `heuristic` plays by itself (a script, not the keyboard: what `phaser-ppo record` can record).
   */
  behaviors?: Readonly<Record<string, { config?: Partial<PPOConfig>; solvedAt?: number; scriptedHeuristic?: boolean }>>;
  /** Where copies read the files the scene's `preload` queues (Node: default `public/` of the game's package, then the package folder). */
  assets?: AssetOptions;
}

/**
 * A scene's game as fast mode, evaluation and the CLI see it. The behavior fields on the game
 * itself (`observationSize`, `actionSpec`, `config`, `solvedAt`) are its first behavior's.
 */
export interface SceneGame extends OneBehaviorGame {
  /** The scene class its copies run. */
  readonly scene: SceneClass;
}

/** One booted copy: the Phaser game, its scene and its `this.ppo`. */
interface BootedCopy {
  game: Phaser.Game;
  scene: Phaser.Scene;
  plugin: HeadlessPPOPlugin;
}

const RENDERER_HINT = 'A headless copy runs Phaser.HEADLESS: it has no renderer (this.game.renderer is null), so render textures, ' +
  'shaders, filters/FX, DOM elements and anything drawn to read back are unavailable; guard such code with `if (this.game.renderer)`. ' +
  'Files queued in `preload` are read at once (images are never decoded: their textures have the real size and blank pixels; audio is silent).';

/**
 * Boots one headless copy of `scene` and starts it with `data`; `host` receives its behaviors
 * and agents. Errors name the scene and say what a headless copy cannot do.
 */
function bootCopy(options: SceneGameOptions, label: string, seed: number, data: object | undefined, host: HeadlessHost): BootedCopy {
  const g = globalThis as { Image?: unknown; __phaserPpoShim?: boolean };
  // In a page (evaluation on the main thread) the copy borrows the shim's Image while it boots: the
  // real one would load the default textures a task later, and createCopy must return a started scene.
  const page = !g.__phaserPpoShim;
  const pageImage = g.Image;
  if (page) g.Image = ShimImage;
  let game: Phaser.Game;
  try {
    game = newHeadlessGame(options, seed, page);
  } finally {
    if (page) g.Image = pageImage;
  }
  return startScene(game, options, label, data, host);
}

function newHeadlessGame(options: SceneGameOptions, seed: number, page: boolean): Phaser.Game {
  return new Phaser.Game({
    type: Phaser.HEADLESS,
    width: options.width ?? 800,
    height: options.height ?? 600,
    banner: false,
    audio: { noAudio: true },
    // The loop is put to sleep at once: the copy is stepped by hand, never by a timer.
    fps: { forceSetTimeOut: true },
    seed: [String(seed)],
    physics: options.physics ?? { default: 'matter', matter: { autoUpdate: false } },
    // Its own key: Phaser caches scene plugins by key for every game of the page, and a page's game has PPOPlugin under 'PPOPlugin'.
    // Its data is the page's plugin data: the copy's plugin reads its settings from it as PPOPlugin does.
    plugins: { scene: [{ key: 'PhaserPpoHeadlessPlugin', plugin: HeadlessPPOPlugin, mapping: 'ppo', data: options.plugin }] },
    scene: [],
    // In a page, a copy must not listen to the player's keys and pointer; without a page the shim's listeners hear nothing.
    ...(page ? { input: { keyboard: false, mouse: false, touch: false, gamepad: false } } : {}),
  });
}

function startScene(game: Phaser.Game, options: SceneGameOptions, label: string, data: object | undefined, host: HeadlessHost): BootedCopy {
  game.loop.sleep();
  if (!game.isRunning) {
    game.destroy(false, false);
    throw new EnvError(`${label}: Phaser did not boot synchronously (its default textures did not load at once): import phaser-ppo/scene, whose shim stands in for a page's Image, before phaser`);
  }
  HEADLESS_HOSTS.set(game, host);
  let scene: Phaser.Scene;
  try {
    for (const other of options.scenes ?? []) game.scene.add('', other as unknown as Phaser.Types.Scenes.SceneType, false);
    scene = game.scene.add('', options.scene as unknown as Phaser.Types.Scenes.SceneType, true, data) as Phaser.Scene;
  } catch (err) {
    destroyCopy(game);
    // The loader's errors (a missing or refused file) already name the copy, the file and the fix.
    if (err instanceof EnvError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new EnvError(`${label}: the scene threw while it was created headless: ${message}. ${RENDERER_HINT}`, { cause: err });
  }
  if (scene.sys.settings.status !== Phaser.Scenes.RUNNING) {
    destroyCopy(game);
    throw new EnvError(`${label}: the scene did not reach create() at once (status ${scene.sys.settings.status}): it waits for files queued in preload. ${RENDERER_HINT}`);
  }
  const plugin = (scene as unknown as { ppo?: unknown }).ppo;
  if (!(plugin instanceof HeadlessPPOPlugin)) {
    destroyCopy(game);
    throw new EnvError(`${label}: the scene has no \`this.ppo\` from the headless plugin; sceneGame installs it with mapping 'ppo', so the scene must use \`this.ppo\` (as with PPOPlugin's mapping: 'ppo')`);
  }
  return { game, scene, plugin };
}

function destroyCopy(game: Phaser.Game): void {
  // Phaser 4's TextureManager.destroy calls stamp.destroy(), and the stamp only exists with a renderer.
  const textures = game.textures as unknown as { stamp?: { destroy(): void } };
  if (!textures.stamp) textures.stamp = { destroy() {} };
  game.destroy(false, false);
  // Phaser destroys on its next step.
  game.headlessStep(0, 0);
}

/** Refuses `plugin` settings the page's PPOPlugin would refuse, naming sceneGame's option (before any copy boots). */
function checkPluginSettings(name: string, plugin: unknown): void {
  try {
    resolvePluginSettings(plugin);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new EnvError(`sceneGame "${name}": plugin: ${message.replace(/^PPOPlugin settings: /, '')} (the page's PPOPlugin data: stepMs, speed, maxStepsPerFrame, trainingLog)`);
  }
}

/** Throws when Matter's world also steps on its own besides the scene's fixed step (it would step twice per tick). */
function checkMatter(label: string, copy: BootedCopy): void {
  const world = (copy.scene as { matter?: { world?: { autoUpdate?: boolean; localWorld?: { bodies?: readonly unknown[] } } } }).matter?.world;
  if (copy.plugin.fixedSteps.length > 0 && world?.autoUpdate === true && (world.localWorld?.bodies?.length ?? 0) > 0) {
    throw new EnvError(`${label}: Matter's world steps on its own (autoUpdate is true) and the scene also runs fixed steps (this.ppo.onFixedStep): ` +
      `the world would move twice per tick. Set physics: { matter: { autoUpdate: false } } (sceneGame's \`physics\` and the page's game config), or this.matter.world.autoUpdate = false in create().`);
  }
}

/**
 * The game of a Phaser scene, unchanged: each copy boots the scene in `Phaser.HEADLESS` (in Node
 * or a worker), the agents it adds through `this.ppo.addBehavior(...).addAgent(...)` join the
 * collector, and each tick runs its `this.ppo.onFixedStep` callbacks and one Phaser frame. The
 * behaviors (sizes, actions, config) are the ones the scene declares: one copy is booted to read
 * them the first time they are asked for.
 *
 * @example
 * // src/scene-game.ts: `npx phaser-ppo train src/scene-game.ts`, and the fast worker's game
 * import { sceneGame } from 'phaser-ppo/scene';
 * import { ReachScene } from './reach-scene.js';
 *
 * export default sceneGame({
 *   scene: ReachScene, copies: 1, solvedAt: 1.0,
 *   physics: { default: 'matter', matter: { gravity: { x: 0, y: 0 }, autoUpdate: false } },
 * });
 */
export function sceneGame(options: SceneGameOptions): SceneGame {
  const { scene } = options;
  if (typeof scene !== 'function') throw new EnvError(`sceneGame: \`scene\` must be a Phaser.Scene class, got ${typeof scene}`);
  if (!Number.isInteger(options.copies) || options.copies < 1) throw new EnvError(`sceneGame(${scene.name}): copies must be a positive integer, got ${options.copies}`);
  const name = options.name ?? sceneKey(scene);
  checkPluginSettings(name, options.plugin);
  const assets = assetSource(options.assets);
  /** Scene keys a copy was asked to start and does not hold: warned about once per game. */
  const missingScenes = new Set<string>();
  let declared: GameBehavior[] | null = null;
  let declaredParams: EnvironmentParameters = {};

  /** Boots one copy to read the behaviors the scene adds (and checks each gets an agent). */
  const behaviors = (): GameBehavior[] => {
    if (declared) return declared;
    const found: BehaviorOptions[] = [];
    const agents = new Map<string, number>();
    const label = `sceneGame "${name}"`;
    const copy = bootCopy(options, label, 0, options.data?.(0, 0), {
      label,
      assets,
      behaviorAdded: (o) => found.push(o),
      addAgent: (b, _agent) => agents.set(b, (agents.get(b) ?? 0) + 1),
      removeAgent: () => false,
    });
    destroyCopy(copy.game);
    if (found.length === 0) {
      // A menu that starts the level (scene.start('Level')) adds no behavior: a copy never leaves the scene it boots.
      throw new EnvError(`${label}: the scene added no behavior in create(); call this.ppo.addBehavior({ name, observationSize, actionSpec }) and add its agents. `
        + 'A title or menu scene that starts the game\'s scene? Give sceneGame the scene whose create() adds the agents: a copy boots only that scene, with create(data) from sceneGame\'s data(index, seed)');
    }
    for (const b of found) {
      if (!agents.get(b.name)) throw new EnvError(`${label}: the scene added no agent to behavior "${b.name}" in create(); headless copies need each behavior's agents when they are built (behavior.addAgent(agent))`);
    }
    // One set for the game (the collector's curriculum): each behavior's, then the game's own.
    declaredParams = Object.assign({}, ...found.map((b) => b.environmentParameters ?? {}), options.environmentParameters);
    declared = found.map((b) => {
      const own = options.behaviors?.[b.name];
      const solvedAt = own?.solvedAt ?? options.solvedAt;
      return {
        name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec,
        config: { ...b.config, ...options.config, ...own?.config },
        ...(solvedAt !== undefined ? { solvedAt } : {}),
        ...(own?.scriptedHeuristic ? { scriptedHeuristic: true } : {}),
      };
    });
    return declared;
  };

  const game: SceneGame = {
    scene,
    name,
    copies: options.copies,
    get behaviors() {
      return behaviors();
    },
    get observationSize() {
      return behaviors()[0]!.observationSize;
    },
    get actionSpec() {
      return behaviors()[0]!.actionSpec;
    },
    get config() {
      return behaviors()[0]!.config;
    },
    get scriptedHeuristic() {
      return behaviors()[0]!.scriptedHeuristic ?? false;
    },
    get environmentParameters() {
      behaviors();
      return declaredParams;
    },
    get solvedAt() {
      // Given, it needs no boot: a page reads it when its modules load.
      return options.solvedAt ?? behaviors()[0]!.solvedAt ?? NaN;
    },
    createCopy(index: number, seed: number, ctx: CopyContext): HeadlessCopy {
      const label = `sceneGame "${name}" copy ${index}`;
      /** This run's agents of the scene, by behavior. */
      const joined: { behavior: string; agent: Agent }[] = [];
      /**
       * The agents of a run that shut down (a restart on game over): the new run's agents of the
       * same behavior take their places, so the episode that ended closes and the rollout
       * recording it is kept; those left over leave once the frame is done.
       */
      const leaving: { behavior: string; agent: Agent }[] = [];
      const copy = bootCopy(options, label, seed * 1000 + index, options.data?.(index, seed), {
        label,
        assets,
        params: ctx.params,
        behaviorAdded: () => {},
        addAgent: (behavior, agent) => {
          const seat = leaving.findIndex((l) => l.behavior === behavior);
          const old = seat >= 0 ? leaving.splice(seat, 1)[0]!.agent : null;
          if (!old || !ctx.replaceAgent?.(old, agent)) {
            if (old) ctx.removeAgent(old);
            ctx.addAgent(behavior, agent);
          }
          joined.push({ behavior, agent });
        },
        removeAgent: (agent) => {
          const i = joined.findIndex((j) => j.agent === agent);
          if (i >= 0) joined.splice(i, 1);
          return ctx.removeAgent(agent);
        },
      });
      skipMissingScenes(copy.game, `sceneGame "${name}"`, sceneKey(scene), missingScenes);
      checkMatter(label, copy);
      copy.plugin.arcade?.refuseFpsMismatch(label, copy.plugin.stepMs);
      copy.scene.events.on(Phaser.Scenes.Events.SHUTDOWN, () => {
        leaving.push(...joined);
        joined.length = 0;
        copy.plugin.reset();
      });
      const leave = (): void => {
        for (const l of leaving) ctx.removeAgent(l.agent);
        leaving.length = 0;
      };
      const { game: phaser, plugin } = copy;
      const fixed = plugin.fixedSteps;
      let time = 0;
      return {
        step() {
          const ms = plugin.stepMs;
          plugin.arcade?.step();
          for (let i = 0; i < fixed.length; i++) fixed[i]!(ms);
          time += ms;
          phaser.headlessStep(time, ms);
          if (leaving.length > 0) leave();
          if (copy.scene.sys.settings.status >= Phaser.Scenes.SHUTDOWN) throw sceneLeft(label, copy.scene);
          followCameras(copy.scene);
        },
      };
    },
  };
  return game;
}

/**
 * The scene shut down without starting again (`this.scene.start('Title')` on game over, or
 * `this.scene.stop()`): a copy holds only this scene, so its agents are gone for good. Said at
 * once, rather than a run that goes on with fewer agents (or none) and never ends.
 */
function sceneLeft(label: string, scene: Phaser.Scene): EnvError {
  const key = scene.sys.settings.key;
  return new EnvError(`${label}: the scene "${key}" stopped (this.scene.start of another scene, or this.scene.stop()), and a headless copy runs only "${key}": its agents left the run. `
    + `Begin the next round with this.scene.restart(data) (the copy adds the new agents), and go to other scenes (a title, a game-over screen) only in the page: if (this.game.renderer) this.scene.start('Title')`);
}

/**
 * A copy holds only the game's scene (and `scenes`): starting or launching another key (a HUD) is
 * skipped, as Phaser does, but said once with the fix instead of Phaser's "Scene key not found" on
 * every restart.
 */
function skipMissingScenes(game: Phaser.Game, label: string, own: string, warned: Set<string>): void {
  const manager = game.scene;
  const start = manager.start;
  manager.start = function startHeld(this: Phaser.Scenes.SceneManager, key: string | Phaser.Scene, data?: object) {
    if (typeof key !== 'string' || manager.getScene(key)) return start.call(this, key, data);
    if (!warned.has(key)) {
      warned.add(key);
      console.warn(`${label}: the scene started "${key}" (this.scene.launch or start), which its headless copies do not hold, so "${key}" does not run there (a copy boots only "${own}"). `
        + `To run it in the copies too (a HUD, a scene with game rules), give sceneGame its class: sceneGame({ scene, scenes: [...] }); to keep it out of them, start it only in the page: if (this.game.renderer) this.scene.launch('${key}')`);
    }
    return manager;
  } as typeof manager.start;
}

/**
 * Phaser moves a camera (startFollow, bounds, worldView) when it renders, which a copy never does:
 * done here each tick, so game rules that read `cameras.main.worldView` or `scrollX` see what the page sees.
 */
function followCameras(scene: Phaser.Scene): void {
  const cameras = scene.cameras.cameras;
  for (let i = 0; i < cameras.length; i++) cameras[i]!.preRender();
}

/** The key a scene class gives itself (`super('key')`), read from a throwaway instance. */
function sceneKey(scene: SceneClass): string {
  try {
    const key = (new scene() as Phaser.Scene).sys.settings.key;
    if (key) return key;
  } catch {
    // A scene whose constructor needs arguments: fall back to its class name.
  }
  return scene.name || 'scene';
}
