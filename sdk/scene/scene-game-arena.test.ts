/**
 * A new user's top-down Arcade arena (test-fixtures/foreign-arena: pooled bats and bullets in
 * Groups, a gun and a spawner on `this.time` timers, tweens for a pickup bob and a hit flash, the
 * score in the registry, a HUD scene launched in parallel, `this.scene.restart()` on game over) in
 * headless copies: timers and tweens move with the copy's ticks, as physics does.
 */
import './phaser-shim.js';
import { describe, expect, it } from 'vitest';
import { Curriculum } from '../runtime/curriculum.js';
import type { CopyContext } from '../runtime/game.js';
import { sceneGame } from './scene-game.js';
import { ArenaScene } from '../../test-fixtures/foreign-arena/src/arena-scene.js';
import { ARENA_PHYSICS } from '../../test-fixtures/foreign-arena/src/physics.js';
import type { Pilot } from '../../test-fixtures/foreign-arena/src/pilot.js';

/** The files from the fixture's public/ (the CLI finds them by itself). */
const arena = sceneGame({ scene: ArenaScene, copies: 1, physics: ARENA_PHYSICS, assets: { root: 'test-fixtures/foreign-arena/public' } });

function boot(game = arena, seed = 1) {
  const pilots: Pilot[] = [];
  let removed = 0;
  const ctx: CopyContext = { params: new Curriculum({}, [], 1), addAgent: (_b, a) => { pilots.push(a as Pilot); }, removeAgent: () => { removed++; return true; } };
  const copy = game.createCopy(0, seed, ctx);
  const scene = () => pilots.at(-1)!.scene as ArenaScene;
  return { copy, scene, pilots, removed: () => removed, run: (ticks: number) => { for (let i = 0; i < ticks; i++) copy.step(); } };
}

describe('sceneGame: a top-down Arcade arena with timers, tweens and pools', () => {
  it('tweens move with the ticks (60 a second), not with wall time: the gem\'s 300 ms bob peaks 18 ticks after it starts and is back 18 later', () => {
    const { scene, run } = boot();
    // It starts on the first tick after create(): 1 + 0.3 × (ticks − 1) / 18 on the way up.
    run(10);
    expect(scene().gem.scale).toBeCloseTo(1 + 0.3 * 9 / 18, 5);
    run(9);
    expect(scene().gem.scale).toBeCloseTo(1.3, 5);
    run(18);
    expect(scene().gem.scale).toBeCloseTo(1, 5);
    // The hit flash (3 × 80 ms there and back) is over after 480 ms of ticks: the ship is opaque again.
    scene().hitPlayer();
    run(3);
    expect(scene().player.alpha).toBeLessThan(1);
    run(28);
    expect(scene().player.alpha).toBe(1);
  });

  it('the spawner, a loop timer started by a delayed call, fires by ticks: none in the first 1.5 s, then one every 500 ms', () => {
    const { scene, run } = boot();
    run(85);
    expect(scene().spawned).toBe(0);
    run(75); // 2.67 s: bats at 1.5, 2 and 2.5 s
    expect(scene().spawned).toBe(3);
  });
});
