/**
 * Chase in Phaser: one arena and a pack of chasers (ChasePack) driven by one shared behavior through
 * the PPO plugin, with every chaser's rays drawn. The runner is scripted until the player presses
 * an arrow key; from then on the keys steer it. With the `runner` option the runner is an agent
 * too (a RunnerAgent on the same ChasePack, behavior `runner`: a learned runner in inference, the
 * script in heuristic mode). The plugin runs the fixed steps; the scene draws. Its headless copies
 * (headless.ts: `chaseGame`, and `chaseRivalsGame` with the `runner` option) are this scene, one
 * arena each.
 */
import Phaser from 'phaser';
import type Matter from 'matter-js';
import type { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { Behavior, BehaviorOptions } from '../../sdk/phaser/behavior.js';
import { RayDebug } from '../../sdk/phaser/ray-debug.js';
import { CHASE_ACTIONS, CHASE_CONFIG, CHASE_OBSERVATIONS, type ChaserAgent } from './agent.js';
import { CHASE } from './sim.js';
import { CHASE_PACK, ChasePack } from './pack.js';
import { RUNNER_ACTIONS, RUNNER_CONFIG, RUNNER_OBSERVATIONS } from './runner.js';

/** A behavior's options as the page gives them (the scene knows its sizes). */
export type ChaseBehaviorOptions = Omit<BehaviorOptions, 'name' | 'observationSize' | 'actionSpec'>;

/** What the page passes to the scene through `scene.start('chase', data)`. */
export interface ChaseSceneData {
  behavior: ChaseBehaviorOptions;
  /**
   * The runner is an agent of the behavior `runner` with these options (e.g. inference with a
   * runner brain, or weights from the rivals' fast mode); without it the runner is scripted.
   */
  runner?: ChaseBehaviorOptions;
  /** Fixed steps per 1/60 s of wall time (4 = learn 4× faster than real time). */
  speed?: number;
  /** The player steers the runner from the start (otherwise from the first arrow key). */
  player?: boolean;
  /** The arena's seed (its chasers' follow from it), and the first chaser's number in their names: defaults 1000 and 0. */
  seed?: number;
  firstChaser?: number;
  /** The runner agent's name (with the `runner` option); default `runner`. Headless copies number theirs. */
  runnerName?: string;
  onReady?: (scene: ChaseScene) => void;
}

/** Rounds seen in the view: how they ended, and who ran. */
export interface ChaseTally {
  catches: number;
  timeouts: number;
  /** Ticks of the rounds that ended in a catch, summed (mean = catchTicks / catches). */
  catchTicks: number;
  /** Who runs: the script, the player, or the runner behavior's brain (`runner` option). */
  runner: 'script' | 'player' | 'brain';
}

export class ChaseScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  pack!: ChasePack;
  behavior!: Behavior;
  /** The runner's behavior when the runner is an agent (the `runner` option), else null. */
  runnerBehavior: Behavior | null = null;
  tally: ChaseTally = { catches: 0, timeouts: 0, catchTicks: 0, runner: 'script' };
  private gfx!: Phaser.GameObjects.Graphics;
  private rays!: RayDebug;
  private label!: Phaser.GameObjects.Text;
  private keys: Phaser.Types.Input.Keyboard.CursorKeys | undefined;

  constructor() {
    super('chase');
  }

  get agents(): readonly ChaserAgent[] {
    return this.pack.agents;
  }

  create(data: ChaseSceneData): void {
    this.cameras.main.setBackgroundColor('#0d1117');
    this.gfx = this.add.graphics();
    // Sampled actions by default: a chaser that always takes its likeliest move can stall against
    // a wall with the runner out of sight; the policy's own randomness gets it going again.
    this.behavior = this.ppo.addBehavior({
      name: 'chase', observationSize: CHASE_OBSERVATIONS, actionSpec: CHASE_ACTIONS, inferenceAction: 'sample',
      ...data.behavior, config: { ...CHASE_CONFIG, ...data.behavior.config },
    });
    this.pack = new ChasePack(data.seed ?? 1000);
    const first = data.firstChaser ?? 0;
    for (let i = 0; i < CHASE_PACK; i++) this.behavior.addAgent(this.pack.addChaser(`chaser-${first + i}`));
    const arena = this.pack.arena;
    this.runnerBehavior = null;
    if (data.runner) {
      // The runner's own sampled actions too: the rivals' runner learned with them.
      this.runnerBehavior = this.ppo.addBehavior({
        name: 'runner', observationSize: RUNNER_OBSERVATIONS, actionSpec: RUNNER_ACTIONS, inferenceAction: 'sample',
        ...data.runner, config: { ...RUNNER_CONFIG, ...data.runner.config },
      });
      this.runnerBehavior.addAgent(this.pack.addRunner(data.runnerName ?? 'runner'));
    }
    arena.runnerControl = data.player ? 'player' : 'script';
    this.tally = { catches: 0, timeouts: 0, catchTicks: 0, runner: arena.runnerControl };
    this.ppo.speed = data.speed ?? 1;
    this.ppo.onFixedStep(() => {
      const before = arena.caught;
      this.pack.step();
      // The runner agent's actions steer it (not the script, not the keys): the brain runs.
      if (arena.runnerControl === 'agent') this.tally.runner = 'brain';
      if (!before && arena.caught) {
        this.tally.catches++;
        this.tally.catchTicks += arena.ticks;
      } else if (!arena.caught && this.agents[0]!.stepCount === this.agents[0]!.maxSteps) this.tally.timeouts++;
    });
    this.keys = this.input.keyboard?.createCursorKeys();
    // Phaser's shutdown does not remove a scene's own listeners: without the off, every restart adds one more.
    this.events.on(Phaser.Scenes.Events.UPDATE, this.readKeys, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.UPDATE, this.readKeys, this));
    this.rays = new RayDebug(this, this.agents.map((a) => a.eyes), { tagColors: { runner: 0xf85149, wall: 0x484f58 }, missColor: 0x21262d, blockColor: 0x1f6feb, alpha: 0.45 });
    this.label = this.add.text(CHASE.left + 8, CHASE.bottom - 20, '', { fontFamily: 'monospace', fontSize: '12px', color: '#8b949e' }).setDepth(600);
    this.ppo.showOverlay('chase');
    data.onReady?.(this);
  }

  /** The arrow keys steer the runner; the first press takes it over from the script. */
  private readKeys(): void {
    const keys = this.keys;
    if (!keys) return;
    const arena = this.pack.arena;
    const x = (keys.right.isDown ? 1 : 0) - (keys.left.isDown ? 1 : 0);
    const y = (keys.down.isDown ? 1 : 0) - (keys.up.isDown ? 1 : 0);
    if ((x !== 0 || y !== 0) && arena.runnerControl !== 'player') {
      arena.runnerControl = 'player';
      this.tally.runner = 'player';
    }
    arena.playerInput.x = x;
    arena.playerInput.y = y;
  }

  override update(): void {
    // A headless copy (fast mode, the CLI) shows nothing: drawing there only costs training time.
    if (!this.game.renderer) return;
    const g = this.gfx;
    const arena = this.pack.arena;
    g.clear();
    g.fillStyle(0x161b22, 1).fillRect(CHASE.left, CHASE.top, CHASE.right - CHASE.left, CHASE.bottom - CHASE.top);
    for (const wall of arena.walls) this.fillBody(wall, 0x30363d, 1);
    this.rays.draw();
    const rp = arena.runner.position;
    const you = arena.runnerControl === 'player';
    const who = you ? 'you' : this.tally.runner;
    g.fillStyle(arena.caught ? 0x8b949e : you ? 0xd29922 : 0xf85149, 1).fillCircle(rp.x, rp.y, CHASE.runnerRadius);
    arena.chasers.forEach((c, i) => {
      const p = c.body.position;
      g.fillStyle(c.dashing > 0 ? 0xa5d6ff : 0x58a6ff, 1).fillCircle(p.x, p.y, CHASE.chaserRadius);
      // A ring while the dash is ready (the action mask allows it).
      if (arena.canDash(i)) g.lineStyle(2, 0x3fb950, 1).strokeCircle(p.x, p.y, CHASE.chaserRadius + 3);
    });
    const t = this.tally;
    const mean = t.catches ? (t.catchTicks / t.catches / 60).toFixed(1) : '–';
    this.label.setText(`round ${arena.round} · ${t.catches} caught (mean ${mean} s) · ${t.timeouts} escaped · runner: ${who}`);
  }

  private fillBody(body: Matter.Body, color: number, alpha: number): void {
    const g = this.gfx;
    g.fillStyle(color, alpha).beginPath();
    body.vertices.forEach((p, k) => (k === 0 ? g.moveTo(p.x, p.y) : g.lineTo(p.x, p.y)));
    g.closePath().fillPath();
  }
}
