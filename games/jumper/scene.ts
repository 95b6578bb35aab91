/**
 * Jumper in Phaser: lanes of JumperWorlds, each with its jumper, driven by the one `jumper`
 * behavior through the PPO plugin, which runs the fixed steps; the scene draws. The gap each round
 * is the behavior's environment parameter `gapWidth` (the default curriculum widens it as the
 * jumpers learn). Its headless copies (headless.ts) are this scene itself, one lane each, booted
 * by sceneGame, whose `behavior.params` are the run's.
 */
import Phaser from 'phaser';
import type { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { Behavior, BehaviorOptions } from '../../sdk/phaser/behavior.js';
import type { EnvParams } from '../../sdk/runtime/env-params.js';
import { Rng } from '../../sdk/core/rng.js';
import { JUMPER_ACTIONS, JUMPER_CONFIG, JUMPER_OBSERVATIONS, JumperAgent } from './agent.js';
import { JUMPER_CURRICULUM } from './curriculum.js';
import { JUMPER, JumperWorld } from './sim.js';

/** Lanes in the page. */
export const LANES = 4;

/** What the page passes to the scene through `scene.start('jumper', data)`. */
export interface JumperSceneData {
  behavior: Omit<BehaviorOptions, 'name' | 'observationSize' | 'actionSpec'>;
  /** Fixed steps per 1/60 s of wall time. */
  speed?: number;
  /** Lanes; default {@link LANES}. A headless copy runs one. */
  lanes?: number;
  /** Lane i's jumper is seeded `seed + i` and named `jumper-<firstLane + i>`: defaults 1000 and 0. */
  seed?: number;
  firstLane?: number;
  onReady?: (scene: JumperScene) => void;
}

export class JumperScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  worlds: JumperWorld[] = [];
  agents: JumperAgent[] = [];
  behavior!: Behavior;
  /**
   * The lesson in view, refreshed each frame: the curriculum's (`training`: live training, or the
   * fast run whose weights play here) with its index, and the gap of the first lane's round.
   */
  readonly lessonInView = { training: false, lesson: 0, gap: 0 };
  private gfx!: Phaser.GameObjects.Graphics;
  private keys: Phaser.Types.Input.Keyboard.CursorKeys | undefined;

  constructor() {
    super('jumper');
  }

  create(data: JumperSceneData): void {
    this.cameras.main.setBackgroundColor('#0d1117');
    this.gfx = this.add.graphics();
    this.behavior = this.ppo.addBehavior({
      name: 'jumper', observationSize: JUMPER_OBSERVATIONS, actionSpec: JUMPER_ACTIONS, environmentParameters: JUMPER_CURRICULUM, ...data.behavior,
      config: { ...JUMPER_CONFIG, ...data.behavior.config },
    });
    this.worlds = [];
    this.agents = [];
    const lanes = data.lanes ?? LANES;
    const seed = data.seed ?? 1000;
    const first = data.firstLane ?? 0;
    const params = this.lessonParams();
    for (let i = 0; i < lanes; i++) {
      const world = new JumperWorld();
      const agent = new JumperAgent(world, params, new Rng(seed + i), `jumper-${first + i}`);
      this.worlds.push(world);
      this.agents.push(agent);
      this.behavior.addAgent(agent);
    }
    this.ppo.speed = data.speed ?? 1;
    this.ppo.onFixedStep(() => {
      for (let i = 0; i < this.worlds.length; i++) {
        this.worlds[i]!.step();
        this.agents[i]!.judge();
      }
    });
    this.keys = this.input.keyboard?.createCursorKeys();
    // Phaser's shutdown does not remove a scene's own listeners: without the off, every restart adds one more.
    this.events.on(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.UPDATE, this.readKeys, this));
    this.ppo.showOverlay('jumper');
    data.onReady?.(this);
  }

  /**
   * The parameters the jumpers read: the behavior's own (its curriculum in live training; the
   * run's in a headless copy), except that a view playing weights trained elsewhere (fast mode)
   * plays the lesson those weights were trained in, which their metrics carry.
   */
  private lessonParams(): EnvParams {
    const own = this.behavior.params;
    return {
      get: (name) => {
        const m = this.behavior.latest;
        const trained = this.behavior.runner?.type !== 'train' ? m?.envParams?.[name] : undefined;
        return trained ?? own.get(name);
      },
      lesson: (name) => own.lesson(name),
      get names() {
        return own.names;
      },
    };
  }


  /** ← → run, ↑ jumps, for every jumper (they act only where the behavior is `heuristic`). */
  private readKeys(): void {
    const keys = this.keys;
    if (!keys) return;
    const move = keys.up.isDown ? 2 : keys.left.isDown ? 0 : keys.right.isDown ? 1 : null;
    for (const a of this.agents) a.humanMove = move;
  }

  override update(): void {
    const m = this.behavior.latest;
    const v = this.lessonInView;
    // A headless copy's behavior has no runner of its own (the collector runs the agents).
    v.training = this.behavior.runner?.type === 'train' || m?.lessons !== undefined;
    v.lesson = m?.lessons?.gapWidth ?? this.behavior.params.lesson('gapWidth');
    v.gap = this.worlds[0]?.gap ?? 0;
    const g = this.gfx;
    g.clear();
    // The overlay panel owns the top-left corner; the lanes are stacked on the right of it.
    const left = 232;
    const laneH = this.scale.height / Math.max(1, this.worlds.length);
    const scale = Math.min((this.scale.width - left) / JUMPER.width, laneH / JUMPER.height) * 0.95;
    this.worlds.forEach((w, i) => {
      const X = (x: number) => left + x * scale;
      const Y = (y: number) => i * laneH + (y - JUMPER.groundY + JUMPER.height * 0.6) * scale * 0.9;
      g.fillStyle(0x30363d, 1).fillRect(X(0), Y(JUMPER.groundY), JUMPER.gapStart * scale, JUMPER.groundDepth * scale * 0.3);
      g.fillRect(X(w.farEdge), Y(JUMPER.groundY), (JUMPER.width - w.farEdge) * scale, JUMPER.groundDepth * scale * 0.3);
      g.lineStyle(2, 0x3fb950, 1).lineBetween(X(w.flagX), Y(JUMPER.groundY), X(w.flagX), Y(JUMPER.groundY - 40));
      g.fillStyle(w.reached ? 0x3fb950 : 0x58a6ff, 1).fillCircle(X(w.ball.position.x), Y(w.ball.position.y), Math.max(2, JUMPER.radius * scale));
    });
  }
}
