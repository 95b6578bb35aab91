/**
 * A new user's top-down Arcade arena (test-fixtures/foreign-arena: pooled bats and bullets in
 * Groups, a gun and a spawner on `this.time` timers, tweens for a pickup bob and a hit flash, the
 * score in the registry, a HUD scene launched in parallel, `this.scene.restart()` on game over) in
 * headless copies: timers and tweens move with the copy's ticks, as physics does.
 */
import './phaser-shim.js';
import { describe, expect, it, vi } from 'vitest';
import { BehaviorRunner, type AgentEpisode } from '../adapter/runner.js';
import { Rng } from '../core/rng.js';
import { resolveConfig } from '../rl/config.js';
import { Collector } from '../runtime/collector.js';
import { Curriculum } from '../runtime/curriculum.js';
import type { CopyContext } from '../runtime/game.js';
import { sceneGame } from './scene-game.js';
import { ArenaScene } from '../../test-fixtures/foreign-arena/src/arena-scene.js';
import { HudScene } from '../../test-fixtures/foreign-arena/src/hud-scene.js';
import { ARENA_PHYSICS } from '../../test-fixtures/foreign-arena/src/physics.js';
import type { Pilot } from '../../test-fixtures/foreign-arena/src/pilot.js';

/** The files from the fixture's public/ (the CLI finds them by itself). */
const arena = sceneGame({ scene: ArenaScene, scenes: [HudScene], copies: 1, physics: ARENA_PHYSICS, assets: { root: 'test-fixtures/foreign-arena/public' } });

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

  it('each copy is its own Phaser.Game: the registry and the scene\'s data are per copy (a guard)', () => {
    const a = boot();
    const b = boot();
    a.run(1);
    b.run(1);
    a.scene().registry.set('score', 99);
    a.scene().data.set('kills', 7);
    expect(b.scene().registry.get('score')).toBe(0);
    expect(b.scene().data.get('kills')).toBe(0);
  });

  it('the spawner, a loop timer started by a delayed call, fires by ticks: none in the first 1.5 s, then one every 500 ms', () => {
    const { scene, run } = boot();
    run(85);
    expect(scene().spawned).toBe(0);
    run(75); // 2.67 s: bats at 1.5, 2 and 2.5 s
    expect(scene().spawned).toBe(3);
  });

  it('game over restarts the scene inside a tick: the episode ends terminated and counted, the new pilot takes its column, no rollout is dropped', () => {
    const ends: AgentEpisode[] = [];
    let rollouts = 0;
    const collector = new Collector(arena, {
      copies: 1, seed: 1,
      runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'train',
        config: resolveConfig({ ...b.config, numSteps: 16 }), onEpisodeEnd: (e) => ends.push(e), onRollout: () => { rollouts++; } },
      (spec) => ({ params: spec.layout.initialize(new Rng(1), 0), version: 0 })),
    });
    const scene = () => (collector.members.get('pilot')![0] as Pilot).scene as ArenaScene;
    for (let t = 0; t < 10; t++) collector.tick();
    // The last hit point, and a bat on the ship: the overlap in this tick's Arcade step ends the
    // game, and the restart runs in the same tick's Phaser frame (before any decision).
    const first = scene();
    first.registry.set('hp', 1);
    const bat = first.bats.get(first.player.x, first.player.y) as Phaser.Physics.Arcade.Sprite;
    bat.setActive(true).setVisible(true).setName('bat');
    bat.enableBody(true, first.player.x, first.player.y, true, true);
    collector.tick();
    expect(scene()).toBe(first); // restarted: the same scene object, a new run
    expect(collector.agentCount).toBe(1);
    // Two rollouts of 16 decisions (4 ticks each) and a bit.
    for (let t = 0; t < 16 * 4 * 2 + 8; t++) collector.tick();
    expect(ends).toHaveLength(1);
    expect(ends[0]!.end).toBe('terminated');
    expect(ends[0]!.ticks).toBe(11);
    expect(ends[0]!.return).toBeLessThan(-1.4); // −0.5 for the hit and −1 for the game over, beside the gem progress
    expect(collector.runner('pilot').droppedRollouts).toBe(0);
    expect(rollouts).toBe(2);
  });

  it('the HUD the arena launches in parallel: skipped in a copy with one warning that names the fix, or run there when given in scenes', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const game = sceneGame({ scene: ArenaScene, copies: 1, physics: ARENA_PHYSICS, assets: { root: 'test-fixtures/foreign-arena/public' } });
      const { scene, run } = boot(game);
      run(2);
      scene().scene.restart();
      run(2);
      boot(game).run(2); // another copy of the same game
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        'sceneGame "Arena": the scene started "Hud" (this.scene.launch or start), which its headless copies do not hold, so "Hud" does not run there (a copy boots only "Arena"). '
        + 'To run it in the copies too (a HUD, a scene with game rules), give sceneGame its class: sceneGame({ scene, scenes: [...] }); to keep it out of them, start it only in the page: if (this.game.renderer) this.scene.launch(\'Hud\')',
      ]);
      warn.mockClear();
      const withHud = boot(sceneGame({ scene: ArenaScene, scenes: [HudScene], copies: 1, physics: ARENA_PHYSICS, assets: { root: 'test-fixtures/foreign-arena/public' } }));
      withHud.run(2);
      const hud = withHud.scene().scene.get('Hud') as HudScene;
      expect(withHud.scene().scene.isActive('Hud')).toBe(true);
      withHud.scene().registry.set('hp', 2);
      expect(hud.text.text).toContain('hp 2');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('same seed, same episodes; another seed, others (a guard: timers, tweens, which size the gem\'s body, and pools all move by ticks)', () => {
    const episodes = (seed: number) => {
      const ends: string[] = [];
      const collector = new Collector(arena, {
        copies: 1, seed,
        runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'train',
          config: resolveConfig({ ...b.config, numSteps: 64 }), onEpisodeEnd: (e) => ends.push(`${e.end} ${e.ticks} ${e.return.toFixed(4)}`), onRollout: () => {} },
        (spec) => ({ params: spec.layout.initialize(new Rng(1), 0), version: 0 })),
      });
      for (let t = 0; t < 6000 && ends.length < 2; t++) collector.tick();
      return ends;
    };
    const a = episodes(3);
    expect(a).toHaveLength(2);
    expect(episodes(3)).toEqual(a);
    expect(episodes(4)).not.toEqual(a);
  });
});
