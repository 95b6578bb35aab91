/**
 * The Phaser scene plugin: runs agents inside a scene's game loop (live mode).
 *
 *   scene update → fixed steps: runner.tick() (observe, act) → Arcade step (./arcade-step.ts) →
 *   onFixedStep callbacks (a Matter world step, agents judge)
 *   rollout full → transferred to the behavior's learner worker → new weights come back with a
 *   version number → swapped in at the start of a frame. The game loop never waits for training.
 *
 * Its life follows Phaser's own scene plugins (MatterPhysics): `boot` once, `start` hooks the
 * scene's UPDATE and `once(SHUTDOWN)` each time the scene starts, `shutdown` unhooks them and
 * parks the run's behaviors, `destroy` releases everything. A restart (`this.scene.restart()` on
 * game over: a shutdown, then a start before the game's step ends) hands each parked behavior
 * that the new run declares again compatibly back to it, learner and rollout included
 * (./behavior-restart.ts); the others are disposed after the new run's `create`, or at the end of
 * the game step when the scene does not start again.
 *
 * Install it with a mapping, then use `this.ppo` in the scene:
 *
 * @example
 * new Phaser.Game({
 *   physics: { default: 'matter', matter: { autoUpdate: false } },
 *   plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { speed: 4 } }] },
 *   // ...
 * });
 * // in create():
 * const behavior = this.ppo.addBehavior({ name: 'balance', observationSize: 0, actionSpec: ActionSpec.discrete(2) });
 * behavior.addAgent(new BalanceAgent(sim, rng));
 * this.ppo.onFixedStep((ms) => { this.matter.world.step(ms); agent.judge(); });
 */
import Phaser from 'phaser';
import { ArcadeStepping } from './arcade-step.js';
import { Behavior, liveConfig, type BehaviorOptions } from './behavior.js';
import { ParkedBehaviors } from './behavior-restart.js';
import { Overlay, type OverlayOptions } from './overlay.js';
import { BehaviorError, type PPOEventEmitter } from './events.js';
import { DEFAULT_PPO_PLUGIN_SETTINGS, scenePluginSettings, type PPOPluginSettings } from './settings.js';
import { enableTrainingLog, recordBackend, recordError, recordMetrics, recordWarning, resetBehaviorLog, testingFlags } from './training-log.js';

export class PPOPlugin extends Phaser.Plugins.ScenePlugin {
  /** Fixed physics step in ms; see {@link PPOPluginSettings.stepMs}. */
  stepMs = DEFAULT_PPO_PLUGIN_SETTINGS.stepMs;
  /** Fixed steps run per rendered frame at most; see {@link PPOPluginSettings.maxStepsPerFrame}. */
  maxStepsPerFrame = DEFAULT_PPO_PLUGIN_SETTINGS.maxStepsPerFrame;
  /** Fixed steps per `stepMs` of wall time; see {@link PPOPluginSettings.speed}. */
  speed = DEFAULT_PPO_PLUGIN_SETTINGS.speed;
  /** The plugin's events, typed by name: see `PPO_EVENTS` and `PPOEventMap` (events.ts). Listeners are removed when the scene shuts down. */
  readonly events: PPOEventEmitter = new Phaser.Events.EventEmitter();

  private readonly behaviors: Behavior[] = [];
  /** The previous run's behaviors, between a shutdown and the next run's `create` (see ./behavior-restart.ts). */
  private readonly parked = new ParkedBehaviors();
  /** ms the plugin spent in each of the last 600 frames (agents, policy, physics callbacks). */
  private readonly frameWork = new Float64Array(600);
  private frames = 0;
  private fixedSteps: ((stepMs: number) => void)[] = [];
  private accumulator = 0;
  private overlay: Overlay | null = null;
  /** Set when a fixed-step callback threw: the scene's state is not to be trusted, so nothing steps until it restarts. */
  private halted = false;
  /** Whether this run has looked at Matter's `autoUpdate` yet (checked once per run). */
  private checkedMatter = false;
  /** The scene's Arcade world, stepped once per fixed step (null: no Arcade, or the game steps it: `customUpdate`). */
  private arcade: ArcadeStepping | null = null;

  /** Runs once, when the scene is created (not on restarts): listens for the scene's starts and its end. */
  override boot(): void {
    const events = this.systems!.events;
    events.on(Phaser.Scenes.Events.START, this.start, this);
    events.once(Phaser.Scenes.Events.DESTROY, this.destroy, this);
  }

  /**
   * Runs each time the scene starts (Phaser calls it before the scene's `create`): reads the
   * settings and hooks the scene's UPDATE and SHUTDOWN for this run.
   */
  override start(): void {
    const sys = this.systems!;
    const settings = scenePluginSettings(sys, this.constructor);
    this.stepMs = settings.stepMs;
    this.speed = settings.speed;
    this.maxStepsPerFrame = settings.maxStepsPerFrame;
    if (settings.trainingLog) enableTrainingLog();
    this.halted = false;
    this.checkedMatter = false;
    this.logToPage();
    // A restart: the parked behaviors wait for this run's create instead.
    this.game?.events.off(Phaser.Core.Events.POST_STEP, this.releaseParked, this);
    sys.events.on(Phaser.Scenes.Events.UPDATE, this.update, this);
    sys.events.once(Phaser.Scenes.Events.CREATE, this.created, this);
    sys.events.once(Phaser.Scenes.Events.SHUTDOWN, this.shutdown, this);
  }

  /**
   * After the scene's `create`: the previous run's behaviors that it did not declare again are
   * disposed, and the agents of those it did that no new agent replaced leave. Then the plugin
   * steps the scene's Arcade world on the fixed step from now on, and warns (code `arcade-fps`)
   * when the world's fps does not match `stepMs`.
   */
  private created(): void {
    this.parked.releaseAll();
    for (const b of this.behaviors) b.dropPredecessors();
    this.arcade = ArcadeStepping.take(this.scene);
    const warning = this.arcade?.fpsWarning(this.stepMs);
    if (warning) this.events.emit('warning', { code: 'arcade-fps', message: warning });
  }

  /** The scene shut down and did not start again within the game step: its parked behaviors are disposed. */
  private releaseParked(): void {
    this.parked.releaseAll();
  }

  /**
   * Adds a behavior: one policy (and, in train mode, one learner worker) shared by its agents.
   * After a restart of the scene, the previous run's behavior of this name goes on instead (its
   * learner, weights, statistics, episode counts and rollout), when declared with the same type,
   * sizes, config, backend, environment parameters and brain; declared otherwise, it is disposed
   * with a warning (code `behavior-redeclared`) naming what differs, and a new one starts.
   */
  addBehavior(options: BehaviorOptions): Behavior {
    if (this.behaviors.some((b) => b.name === options.name)) throw new Error(`PPOPlugin: a behavior named "${options.name}" already exists in this scene`);
    // A test measuring the random baseline (phaser-ppo/testing's randomBaseline) asked for this one untrained.
    const untrained = testingFlags().randomBaseline?.includes(options.name) === true;
    const declared = untrained ? { ...options, untrained: true } : options;
    const kept = this.parked.claim({ options: declared, config: liveConfig(declared) }, (name, differences) => this.events.emit('warning', {
      code: 'behavior-redeclared',
      message: `PPOPlugin: the restarted scene declares behavior "${name}" differently (${differences.join('; ')}): ` +
        `what it learned is disposed and it starts afresh. Declare it as before to keep learning across restarts.`,
    }));
    if (kept) {
      kept.redeclared(declared);
      this.behaviors.push(kept);
      return kept;
    }
    const behavior = new Behavior(declared, this.events);
    this.behaviors.push(behavior);
    resetBehaviorLog(options.name);
    return behavior;
  }

  /**
   * Disposes every behavior of this scene now, learner workers included, so that the next start
   * of the scene begins afresh: for a page that restarts a scene to begin a new run (a settings
   * panel), where a restart would otherwise carry compatible behaviors over.
   */
  disposeBehaviors(): void {
    for (const b of this.behaviors) b.dispose();
    this.behaviors.length = 0;
    this.parked.releaseAll();
  }

  /** The behavior named `name`. */
  behavior(name: string): Behavior {
    const b = this.behaviors.find((x) => x.name === name);
    if (!b) throw new Error(`PPOPlugin: no behavior named "${name}"; have ${this.behaviors.map((x) => x.name).join(', ') || 'none'}`);
    return b;
  }

  /** Registers the scene's physics step, run once per fixed step after the agents act; cleared when the scene shuts down. */
  onFixedStep(step: (stepMs: number) => void): void {
    this.fixedSteps.push(step);
  }

  /** Shows behavior, backend, policy version, steps/s, mean return and a reward curve; `options` places the panel (default top-left). */
  showOverlay(behaviorName?: string, options?: OverlayOptions): void {
    this.overlay?.destroy();
    this.overlay = new Overlay(this.scene!, this.behavior(behaviorName ?? this.behaviors[0]?.name ?? ''), options);
  }

  /**
   * p50/p99/max of the ms this plugin spent per frame over the last 600 frames: the game loop's
   * cost of acting, physics callbacks included, apart from rendering.
   */
  frameWorkStats(): { p50: number; p99: number; max: number; frames: number } {
    const n = Math.min(this.frames, this.frameWork.length);
    const sorted = Array.from(this.frameWork.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))] ?? NaN;
    return { p50: at(0.5), p99: at(0.99), max: sorted[n - 1] ?? NaN, frames: n };
  }

  /**
   * Records this run's events in the page's training log (what `phaser-ppo/testing` reads); the
   * log's functions do nothing unless it is enabled. Errors and warnings also go to the console:
   * the plugin catches what the game loop throws, so nobody else would print it.
   */
  private logToPage(): void {
    this.events.on('metrics', recordMetrics);
    this.events.on('backend', (b) => recordBackend(b.behavior, b));
    this.events.on('error', (e) => {
      recordError(e.message);
      console.error(e);
    });
    this.events.on('warning', (w) => {
      recordWarning(w.message);
      console.warn(w.message);
    });
  }

  /** Runs the fixed steps this frame owes; never blocks on training. */
  update(_time: number, delta: number): void {
    if (this.halted) return;
    const started = performance.now();
    if (!this.checkedMatter && this.fixedSteps.length > 0) this.checkMatter();
    for (const b of this.behaviors) b.applyPendingWeights();
    // Clamp so a stalled tab does not replay seconds of physics in one frame.
    this.accumulator += Math.min(delta, 100) * this.speed;
    let steps = 0;
    while (this.accumulator >= this.stepMs && steps < this.maxStepsPerFrame) {
      for (let i = 0; i < this.behaviors.length; i++) {
        const b = this.behaviors[i]!;
        // An agent hook that throws stops its own behavior; the others play on.
        try {
          b.tick();
        } catch (err) {
          b.fail(err, 'agent');
        }
      }
      try {
        this.arcade?.step();
        for (let i = 0; i < this.fixedSteps.length; i++) this.fixedSteps[i]!(this.stepMs);
      } catch (err) {
        this.halt(err);
        return;
      }
      this.accumulator -= this.stepMs;
      steps++;
    }
    if (steps === this.maxStepsPerFrame) this.accumulator = Math.min(this.accumulator, this.stepMs);
    this.overlay?.update();
    this.frameWork[this.frames++ % this.frameWork.length] = performance.now() - started;
  }

  /**
   * A fixed-step callback threw (typically the game's rules: `addReward(NaN)` in a judge): the
   * plugin cannot tell which behavior's state it broke, so every behavior stops and nothing steps
   * until the scene restarts. The error is emitted once, for the page's log and the console.
   */
  private halt(cause: unknown): void {
    this.halted = true;
    const message = cause instanceof Error ? cause.message : String(cause);
    const error = new BehaviorError(`PPOPlugin stopped stepping the scene: the scene's fixed step (onFixedStep) threw: ${message}`, null, 'fixed-step', { cause });
    for (const b of this.behaviors) b.stopTraining();
    this.events.emit('error', error);
  }

  /**
   * Warns, once per run, when Matter's world also steps on its own besides the fixed step: it then
   * moves between the agents' decisions without them, and faster than `speed` says.
   */
  private checkMatter(): void {
    this.checkedMatter = true;
    // `matter` is Phaser's MatterPhysics scene plugin, absent when the game has no Matter physics;
    // an empty world (a game that simulates elsewhere) stepping on its own does no harm.
    const world = (this.scene as { matter?: { world?: { autoUpdate?: boolean; localWorld?: { bodies?: readonly unknown[] } } } } | null)?.matter?.world;
    if (world?.autoUpdate === true && (world.localWorld?.bodies?.length ?? 0) > 0) {
      this.events.emit('warning', {
        code: 'matter-auto-update',
        message: `PPOPlugin: Matter's world steps on its own (autoUpdate is true) while the plugin runs fixed steps (onFixedStep): ` +
          `the world moves more often than the agents see it. Set physics: { matter: { autoUpdate: false } } in the game config, or this.matter.world.autoUpdate = false in create().`,
      });
    }
  }

  /**
   * The scene stopped: unhook this run's listeners and park its behaviors for a restart (see
   * {@link addBehavior}); when the scene does not start again within this game step, they are
   * disposed (learner workers included) at its end.
   */
  shutdown(): void {
    const events = this.systems?.events;
    events?.off(Phaser.Scenes.Events.UPDATE, this.update, this);
    events?.off(Phaser.Scenes.Events.CREATE, this.created, this);
    events?.off(Phaser.Scenes.Events.SHUTDOWN, this.shutdown, this);
    this.events.removeAllListeners();
    this.overlay?.destroy();
    this.overlay = null;
    this.parked.park(this.behaviors);
    this.behaviors.length = 0;
    if (this.parked.size > 0) this.game?.events.once(Phaser.Core.Events.POST_STEP, this.releaseParked, this);
    this.fixedSteps = [];
    this.arcade = null;
    this.accumulator = 0;
  }

  /** The scene is destroyed: shut down, then let go of the scene. */
  override destroy(): void {
    this.shutdown();
    this.game?.events.off(Phaser.Core.Events.POST_STEP, this.releaseParked, this);
    this.parked.releaseAll();
    this.systems?.events.off(Phaser.Scenes.Events.START, this.start, this);
    this.systems?.events.off(Phaser.Scenes.Events.DESTROY, this.destroy, this);
    super.destroy();
  }
}
