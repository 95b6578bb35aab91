/**
 * What `this.ppo` is inside a headless copy of a scene ({@link sceneGame}): the same surface the
 * scene uses in the page (`addBehavior`, `behavior`, `onFixedStep`, `showOverlay`, `speed`,
 * `events`), but nothing here acts or learns. `addBehavior` hands the scene's agents to the one
 * collector (through the copy's `CopyContext`); the collector ticks them, then the copy steps the
 * scene's Arcade world (../phaser/arcade-step.ts) and runs its fixed-step callbacks once per tick.
 * No learner, no overlay, no timing of frames.
 */
import './phaser-shim.js';
import Phaser from 'phaser';
import type { Agent } from '../adapter/agent.js';
import { ArcadeStepping } from '../phaser/arcade-step.js';
import type { Behavior, BehaviorOptions } from '../phaser/behavior.js';
import type { PPOEventEmitter } from '../phaser/events.js';
import type { OverlayOptions } from '../phaser/overlay.js';
import { DEFAULT_PPO_PLUGIN_SETTINGS, scenePluginSettings } from '../phaser/settings.js';
import { Curriculum } from '../runtime/curriculum.js';
import type { EnvParams } from '../runtime/env-params.js';
import { assetSource, type AssetSource } from './asset-source.js';
import { headlessLoader } from './headless-loader.js';
import { tweensOnFrameDelta } from './tween-clock.js';

/** Where a headless copy's behaviors send their agents, and what it learns of them. */
export interface HeadlessHost {
  /** The scene called `addBehavior(options)`. */
  behaviorAdded(options: BehaviorOptions): void;
  addAgent(behavior: string, agent: Agent): void;
  removeAgent(agent: Agent): boolean;
  /**
   * The run's environment parameters (the collector's `ctx.params`: its curriculum): what the
   * scene's `behavior.params` reads in a copy. Absent while sceneGame boots a copy only to read the
   * behaviors: each behavior then reads its own declared `environmentParameters`.
   */
  params?: EnvParams;
  /** Names the copy in errors. */
  label?: string;
  /** Where the copy reads the files its scene loads (one per scene game: files are read once). */
  assets?: AssetSource;
}

/** The game each headless copy's plugin reports to (set by sceneGame before the scene starts). */
export const HEADLESS_HOSTS = new WeakMap<Phaser.Game, HeadlessHost>();

/**
 * A behavior of a headless copy: agents go to the collector's runner of the same name. The other
 * members of the page's `Behavior` (weights, brains, metrics) belong to the page and throw here.
 */
class HeadlessBehavior {
  readonly returns: number[] = [];
  recentReturnMean = NaN;
  failure = null;
  latest = null;
  backend = null;

  /** The run's environment parameters: the same `behavior.params.get(name)` the scene reads in the page. */
  readonly params: EnvParams;

  constructor(options: BehaviorOptions, private readonly host: HeadlessHost) {
    this.name = options.name;
    this.params = host.params ?? new Curriculum(options.environmentParameters ?? {}, [options.name], 0);
  }

  readonly name: string;

  addAgent(agent: Agent): void {
    this.host.addAgent(this.name, agent);
  }

  removeAgent(agent: Agent): boolean {
    return this.host.removeAgent(agent);
  }

  get episodeCount(): number {
    return 0;
  }
}

/**
 * `this.ppo` in a headless copy; see the module comment. `sceneGame` installs it (mapping `ppo`);
 * the scene's code is the same as with PPOPlugin in the page.
 *
 * @example
 * // in the scene's create(), unchanged: headless, the agents go to the trainer's collector
 * const behavior = this.ppo.addBehavior({ name: 'reach', observationSize: 2, actionSpec: ActionSpec.discrete(3) });
 * behavior.addAgent(new ReachAgent(this, ball, seed));
 * this.ppo.onFixedStep((ms) => { this.matter.world.step(ms); agent.judge(); });
 */
export class HeadlessPPOPlugin extends Phaser.Plugins.ScenePlugin {
  /** The copy's fixed step (ms): the game's own, read as PPOPlugin reads it (sceneGame's `plugin`, the scene's `physics.ppo`). */
  stepMs = DEFAULT_PPO_PLUGIN_SETTINGS.stepMs;
  maxStepsPerFrame = DEFAULT_PPO_PLUGIN_SETTINGS.maxStepsPerFrame;
  /** Ignored headless: a copy steps once per tick of the collector. */
  speed = DEFAULT_PPO_PLUGIN_SETTINGS.speed;
  readonly events: PPOEventEmitter = new Phaser.Events.EventEmitter();
  /** The scene's `onFixedStep` callbacks, in the order it registered them. */
  readonly fixedSteps: ((stepMs: number) => void)[] = [];
  private readonly behaviors: HeadlessBehavior[] = [];
  /** The scene's Arcade world, stepped once per tick before the fixed steps (null: none, or `customUpdate`). */
  arcade: ArcadeStepping | null = null;
  private tweenClock: { undo(): void } | null = null;

  /**
   * Files queued in `preload` are read at once (./headless-loader.ts): the copy starts in the same
   * call. Tweens run on the copy's ticks, not on wall time (./tween-clock.ts).
   */
  override boot(): void {
    this.systems!.events.on(Phaser.Scenes.Events.START, this.start, this);
    this.tweenClock = tweensOnFrameDelta(this.systems!);
    const load = (this.systems as { load?: Phaser.Loader.LoaderPlugin } | null)?.load;
    const host = HEADLESS_HOSTS.get(this.game!);
    if (load) headlessLoader(load, host?.label ?? `sceneGame scene "${this.systems!.settings.key}"`, host?.assets ?? assetSource());
  }

  private host(): HeadlessHost {
    const host = this.game ? HEADLESS_HOSTS.get(this.game) : undefined;
    if (!host) throw new Error('HeadlessPPOPlugin: this game was not started by sceneGame (phaser-ppo/scene); in a page, install PPOPlugin');
    return host;
  }

  addBehavior(options: BehaviorOptions): Behavior {
    if (this.behaviors.some((b) => b.name === options.name)) throw new Error(`PPOPlugin: a behavior named "${options.name}" already exists in this scene`);
    const host = this.host();
    host.behaviorAdded(options);
    const behavior = new HeadlessBehavior(options, host);
    this.behaviors.push(behavior);
    // The scene holds it as a Behavior; it uses addAgent and removeAgent (see HeadlessBehavior).
    return behavior as unknown as Behavior;
  }

  behavior(name: string): Behavior {
    const b = this.behaviors.find((x) => x.name === name);
    if (!b) throw new Error(`PPOPlugin: no behavior named "${name}"; have ${this.behaviors.map((x) => x.name).join(', ') || 'none'}`);
    return b as unknown as Behavior;
  }

  onFixedStep(step: (stepMs: number) => void): void {
    this.fixedSteps.push(step);
  }

  /**
   * Each start of the scene (before its `create`): reads the settings as PPOPlugin does, so the
   * copy steps the game's own `stepMs`; once `create` has run, the copy steps its Arcade world.
   */
  override start(): void {
    const sys = this.systems!;
    const settings = scenePluginSettings(sys, this.constructor);
    this.stepMs = settings.stepMs;
    this.speed = settings.speed;
    this.maxStepsPerFrame = settings.maxStepsPerFrame;
    sys.events.once(Phaser.Scenes.Events.CREATE, this.takeArcade, this);
  }

  private takeArcade(): void {
    this.arcade = ArcadeStepping.take(this.scene);
  }

  /** The scene shut down (a restart follows, or its end): its behaviors and fixed steps go, as PPOPlugin's do. */
  reset(): void {
    this.behaviors.length = 0;
    this.fixedSteps.length = 0;
    this.arcade = null;
    this.systems?.events.off(Phaser.Scenes.Events.CREATE, this.takeArcade, this);
  }

  /** The copy is destroyed: the listener `boot` added goes with it. */
  override destroy(): void {
    this.systems?.events.off(Phaser.Scenes.Events.START, this.start, this);
    this.tweenClock?.undo();
    super.destroy();
  }

  /**
   * PPOPlugin's way to begin the next run afresh: nothing to dispose in a copy (the trainer owns
   * the learning), so a restart after it hands the agents' seats on as ever.
   */
  disposeBehaviors(): void {}

  /** Nothing to show headless. */
  showOverlay(_behaviorName?: string, _options?: OverlayOptions): void {}

  frameWorkStats(): { p50: number; p99: number; max: number; frames: number } {
    return { p50: NaN, p99: NaN, max: NaN, frames: 0 };
  }
}
