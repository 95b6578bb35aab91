/**
 * A new user's Arcade platformer (test-fixtures/foreign-platformer) in headless copies: the Tiled
 * layer collides by its tile property, the scene's timer fires, the camera follows the player as
 * in the page, and a scene that leaves for another one (a title, a game-over screen: not in a
 * copy) is named at once instead of running on without its agents.
 */
import './phaser-shim.js';
import { describe, expect, it } from 'vitest';
import { Curriculum } from '../runtime/curriculum.js';
import type { CopyContext } from '../runtime/game.js';
import { sceneGame } from './scene-game.js';
import type { Fox } from '../../test-fixtures/foreign-platformer/src/fox.js';
import { LevelScene } from '../../test-fixtures/foreign-platformer/src/level-scene.js';
import { TitleScene } from '../../test-fixtures/foreign-platformer/src/title-scene.js';
import { PLATFORMER_PHYSICS } from '../../test-fixtures/foreign-platformer/src/physics.js';

/** The page's 320 × 240 game; the files from the fixture's public/ (the CLI finds them by itself). */
const platformer = sceneGame({ scene: LevelScene, copies: 1, width: 320, height: 240, physics: PLATFORMER_PHYSICS, solvedAt: 3, assets: { root: 'test-fixtures/foreign-platformer/public' } });

function boot() {
  const foxes: Fox[] = [];
  const ctx: CopyContext = { params: new Curriculum({}, [], 1), addAgent: (_b, a) => { foxes.push(a as Fox); }, removeAgent: () => true };
  const copy = platformer.createCopy(0, 1, ctx);
  const scene = foxes[0]!.sprite.scene as LevelScene;
  return { copy, scene, foxes, run: (ticks: number) => { for (let i = 0; i < ticks; i++) copy.step(); } };
}

describe('sceneGame: an Arcade platformer on a Tiled map', () => {
  it('a fox dropped above the floor lands on the collision layer and stays; the slimes\' timer fires', () => {
    const { scene, foxes, run } = boot();
    const fox = foxes[0]!;
    fox.sprite.setPosition(280, 150);
    (fox.sprite.body as Phaser.Physics.Arcade.Body).reset(280, 150);
    run(120);
    // Row 13's top is y 208: a 16 px sprite stands with its centre at 200.
    expect(fox.sprite.y).toBeCloseTo(200, 3);
    expect((fox.sprite.body as Phaser.Physics.Arcade.Body).blocked.down).toBe(true);
    // Every 1.5 s of fixed steps each grounded slime hops: 120 ticks are 2 s.
    expect(scene.hops).toBeGreaterThan(0);
  });

  it('the camera follows the player as in the page (scroll, clamped to the map\'s bounds)', () => {
    const { scene, run } = boot();
    run(2);
    expect(scene.cameras.main.scrollX).toBe(0);
    scene.player.setPosition(600, 200);
    run(2);
    // A 640 px map in a 320 px view: the follow is clamped at 320. It stayed 0: a copy never renders.
    expect(scene.cameras.main.scrollX).toBe(320);
    expect(scene.cameras.main.worldView.x).toBe(320);
  });

  it('a restart begins a new run in the copy; leaving for another scene is an error that says what to do', () => {
    const { scene, run } = boot();
    scene.scene.restart({ seed: 2 });
    run(3);
    expect(scene.foxes).toHaveLength(4);
    scene.scene.start('Title');
    expect(() => run(1)).toThrow('sceneGame "Level" copy 0: the scene "Level" stopped (this.scene.start of another scene, or this.scene.stop()), and a headless copy runs only "Level": its agents left the run. '
      + 'Begin the next round with this.scene.restart(data) (the copy adds the new agents), and go to other scenes (a title, a game-over screen) only in the page: if (this.game.renderer) this.scene.start(\'Title\')');
  });

  it('given the title scene (the page\'s first), the error says to give the scene that adds the agents', () => {
    const title = sceneGame({ scene: TitleScene, copies: 1, physics: PLATFORMER_PHYSICS });
    expect(() => title.behaviors).toThrow('sceneGame "Title": the scene added no behavior in create(); call this.ppo.addBehavior({ name, observationSize, actionSpec }) and add its agents. '
      + 'A title or menu scene that starts the game\'s scene? Give sceneGame the scene whose create() adds the agents: a copy boots only that scene, with create(data) from sceneGame\'s data(index, seed)');
  });
});
