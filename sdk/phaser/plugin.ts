/**
 * The Phaser scene plugin: runs agents inside a scene's game loop (live mode).
 *
 *   scene update → fixed steps: runner.tick() (observe, act) → world step → agents judge
 *   rollout full → transferred to the behavior's learner worker → new weights come back with a
 *   version number → swapped in at the start of a frame. The game loop never waits for training.
 *
 * Install it with a mapping, then use `this.ppo` in the scene:
 *
 * @example
 * new Phaser.Game({ plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] }, ... });
 * // in create():
 * const behavior = this.ppo.addBehavior({ name: 'balance', observationSize: 0, actionSpec: ActionSpec.discrete(2) });
 * behavior.addAgent(new BalanceAgent(sim, rng));
 * this.ppo.onFixedStep(() => { sim.step(); agent.judge(); });
 */
import Phaser from 'phaser';
import { Behavior, type BehaviorOptions } from './behavior.js';
import { Overlay } from './overlay.js';
import type { LiveMetrics } from './behavior.js';
import { recordBackend, recordError, recordMetrics, resetBehaviorLog } from './training-log.js';

export class PPOPlugin extends Phaser.Plugins.ScenePlugin {
  /** Fixed physics step in ms (Matter warns above 16.67). */
  stepMs = 1000 / 60;
  /** Fixed steps run per rendered frame at most: more means faster-than-real-time live training. */
  maxStepsPerFrame = 4;
  /** Fixed steps per 16.67 ms of wall time: 1 is real time; 4 plays (and learns) 4× faster. */
  speed = 1;
  /** Emits `metrics` (LiveMetrics) per learner update and `backend` (BackendReport) once per behavior. */
  readonly events = new Phaser.Events.EventEmitter();

  private readonly behaviors: Behavior[] = [];
  /** ms the plugin spent in each of the last 600 frames (agents, policy, physics callbacks). */
  private readonly frameWork = new Float64Array(600);
  private frames = 0;
  private fixedSteps: ((stepMs: number) => void)[] = [];
  private accumulator = 0;
  private overlay: Overlay | null = null;
  private logging = false;

  /**
   * Listens for the scene's whole life: Phaser emits `update` only while the scene runs, so the
   * handler survives a stop/start (a restart keeps stepping) and is removed in `destroy`.
   */
  override boot(): void {
    const events = this.systems!.events;
    events.on(Phaser.Scenes.Events.UPDATE, this.update, this);
    events.on(Phaser.Scenes.Events.SHUTDOWN, this.shutdown, this);
    events.once(Phaser.Scenes.Events.DESTROY, this.destroy, this);
  }

  /** Adds a behavior: one policy (and, in train mode, one learner worker) shared by its agents. */
  addBehavior(options: BehaviorOptions): Behavior {
    if (this.behaviors.some((b) => b.name === options.name)) throw new Error(`PPOPlugin: a behavior named "${options.name}" already exists in this scene`);
    const behavior = new Behavior(options, this.events);
    this.behaviors.push(behavior);
    resetBehaviorLog(options.name);
    this.logToPage();
    return behavior;
  }

  /** The behavior named `name`. */
  behavior(name: string): Behavior {
    const b = this.behaviors.find((x) => x.name === name);
    if (!b) throw new Error(`PPOPlugin: no behavior named "${name}"; have ${this.behaviors.map((x) => x.name).join(', ') || 'none'}`);
    return b;
  }

  /** Registers the scene's physics step, run once per fixed step after the agents act. */
  onFixedStep(step: (stepMs: number) => void): void {
    this.fixedSteps.push(step);
  }

  /** Shows behavior, backend, policy version, steps/s, mean return and a reward curve. */
  showOverlay(behaviorName?: string): void {
    this.overlay?.destroy();
    this.overlay = new Overlay(this.scene!, this.behavior(behaviorName ?? this.behaviors[0]?.name ?? ''));
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

  /** Records this run's events in the page's training log (what `phaser-ppo/testing` reads). */
  private logToPage(): void {
    if (this.logging) return;
    this.logging = true;
    this.events.on('metrics', (m: LiveMetrics) => recordMetrics(m));
    this.events.on('backend', (b: { behavior: string; backend: string; reason: string }) => recordBackend(b.behavior, b));
    this.events.on('error', (e: Error) => recordError(e.message));
  }

  /** Runs the fixed steps this frame owes; never blocks on training. */
  update(_time: number, delta: number): void {
    const started = performance.now();
    for (const b of this.behaviors) b.applyPendingWeights();
    // Clamp so a stalled tab does not replay seconds of physics in one frame.
    this.accumulator += Math.min(delta, 100) * this.speed;
    let steps = 0;
    while (this.accumulator >= this.stepMs && steps < this.maxStepsPerFrame) {
      for (const b of this.behaviors) b.tick();
      for (const step of this.fixedSteps) step(this.stepMs);
      this.accumulator -= this.stepMs;
      steps++;
    }
    if (steps === this.maxStepsPerFrame) this.accumulator = Math.min(this.accumulator, this.stepMs);
    this.overlay?.update();
    this.frameWork[this.frames++ % this.frameWork.length] = performance.now() - started;
  }

  /**
   * The scene stopped: release its behaviors (and their workers) and the listeners of this run;
   * the plugin stays ready for a restart.
   */
  shutdown(): void {
    this.events.removeAllListeners();
    this.logging = false;
    this.overlay?.destroy();
    this.overlay = null;
    for (const b of this.behaviors) b.dispose();
    this.behaviors.length = 0;
    this.fixedSteps = [];
    this.accumulator = 0;
  }

  override destroy(): void {
    this.shutdown();
    const events = this.systems?.events;
    events?.off(Phaser.Scenes.Events.UPDATE, this.update, this);
    events?.off(Phaser.Scenes.Events.SHUTDOWN, this.shutdown, this);
    events?.off(Phaser.Scenes.Events.DESTROY, this.destroy, this);
    super.destroy();
  }
}
