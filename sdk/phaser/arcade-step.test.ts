/**
 * PPOPlugin (the page's plugin) with an Arcade world: it steps the world once per fixed step, at
 * any speed and frame rate, and says when the world's fps and its stepMs disagree. The game is
 * Phaser.HEADLESS in Node (the shim stands in for the page), stepped frame by frame by hand.
 */
import '../scene/phaser-shim.js';
import { afterEach, describe, expect, it } from 'vitest';
import Phaser from 'phaser';
import type { WarningEvent } from './events.js';
import { PPOPlugin } from './plugin.js';

/** A scene with one moving Arcade body and no agents: what the plugin does to the world alone. */
class DriftScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  body!: Phaser.Physics.Arcade.Body;
  /** The body's x each time a fixed step ran (this run). */
  seen: number[] = [];
  warnings: WarningEvent[] = [];
  /** This run's Arcade world steps. */
  worldSteps = 0;
  constructor() {
    super('drift');
  }
  create(): void {
    this.seen = [];
    this.warnings = [];
    this.worldSteps = 0;
    const world = this.physics.world;
    const count = () => { this.worldSteps++; };
    world.on(Phaser.Physics.Arcade.Events.WORLD_STEP, count);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => world.off(Phaser.Physics.Arcade.Events.WORLD_STEP, count));
    this.ppo.events.on('warning', (w) => this.warnings.push(w));
    const box = this.add.rectangle(100, 100, 10, 10);
    this.physics.add.existing(box);
    this.body = box.body as Phaser.Physics.Arcade.Body;
    this.body.setVelocity(50, 0);
    this.ppo.onFixedStep(() => this.seen.push(this.body.center.x));
  }
}

const games: Phaser.Game[] = [];
afterEach(() => {
  for (const g of games.splice(0)) g.destroy(false, false);
});

/**
 * A page-like game with PPOPlugin at `speed`, steps of 20 ms (exact in floating point: a 1000 / 60
 * accumulator may fall a hair short of a step) and an Arcade world; returns the started scene.
 */
function page(speed: number, arcade: Phaser.Types.Physics.Arcade.ArcadeWorldConfig): DriftScene {
  const game = new Phaser.Game({
    type: Phaser.HEADLESS, banner: false, audio: { noAudio: true }, fps: { forceSetTimeOut: true }, scene: [],
    physics: { default: 'arcade', arcade },
    plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { speed, stepMs: 20, maxStepsPerFrame: 8 } }] },
  });
  game.loop.sleep();
  games.push(game);
  return game.scene.add('drift', DriftScene, true) as DriftScene;
}

/** Runs `frames` frames of `deltaMs` each. */
function frames(scene: DriftScene, count: number, deltaMs: number): void {
  const game = scene.game;
  for (let i = 0; i < count; i++) game.headlessStep(game.loop.time + deltaMs, deltaMs);
}

describe('PPOPlugin steps an Arcade world once per fixed step', () => {
  it('at speed 4, four Arcade steps per frame, each before the fixed-step callbacks', () => {
    const scene = page(4, { fps: 50 });
    frames(scene, 3, 20);
    // 50 px/s, 1/50 s per Arcade step: 1 px per fixed step, 12 fixed steps.
    expect(scene.seen.map((x) => Math.round((x - 100) * 1000) / 1000)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(scene.warnings).toEqual([]);
  });

  it('on a 144 Hz screen at speed 1: the world moves exactly one Arcade step per fixed step', () => {
    const scene = page(1, { fps: 50 });
    frames(scene, 144, 1000 / 144);
    expect(scene.seen.length).toBeGreaterThanOrEqual(49);
    expect(scene.seen.length).toBeLessThanOrEqual(50);
    expect(scene.body.center.x - 100).toBeCloseTo(scene.seen.length, 6);
  });

  it('after a restart (a new Arcade world, hooked to the loop again by Phaser): still one Arcade step per fixed step', () => {
    const scene = page(4, { fps: 50 });
    frames(scene, 2, 20);
    scene.scene.restart();
    frames(scene, 1, 20);
    const before = scene.seen.length;
    frames(scene, 3, 20);
    expect(scene.seen.length - before).toBe(12);
    expect(scene.worldSteps).toBe(scene.seen.length);
    expect(scene.body.center.x - 100).toBeCloseTo(scene.seen.length, 6);
  });

  it("leaves a world the game steps itself alone (Phaser's customUpdate)", () => {
    const scene = page(4, { fps: 50, customUpdate: true });
    frames(scene, 3, 20);
    expect(scene.seen).toHaveLength(12);
    expect(scene.body.center.x).toBe(100);
  });

  it("warns (code arcade-fps) when the world's fps disagrees with stepMs, naming both", () => {
    const scene = page(1, { fps: 25 });
    expect(scene.warnings).toHaveLength(1);
    expect(scene.warnings[0]!.code).toBe('arcade-fps');
    expect(scene.warnings[0]!.message).toMatch(/PPOPlugin: the Arcade world steps 40 ms \(physics\.arcade\.fps 25\) but the plugin's fixed step is 20 ms \(stepMs\).*fps: 50 \} \}.*stepMs to 40/);
  });
});
