/**
 * A game's headless copies (sceneGame: fast mode, the CLI) draw nothing: without a renderer the
 * drawing only cost training time (chase: a third of it, bench/games.ts). Each scene's `update`
 * returns early headless, and RayDebug draws only where something is shown.
 */
import '../sdk/scene/phaser-shim.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Phaser from 'phaser';
import { BehaviorRunner } from '../sdk/adapter/runner.js';
import { RayCastSensor } from '../sdk/adapter/ray-cast-sensor.js';
import { RayDebug } from '../sdk/phaser/ray-debug.js';
import { resolveConfig } from '../sdk/rl/config.js';
import { Collector } from '../sdk/runtime/collector.js';
import { sceneGame, type SceneClass } from '../sdk/scene/scene-game.js';
import { BalanceScene } from './balance/scene.js';
import { ChaseScene } from './chase/scene.js';
import { LanderScene } from './lander/scene.js';

const SCENES: [string, SceneClass, object][] = [
  ['balance', BalanceScene, { lanes: 1 }],
  ['lander', LanderScene, { crafts: 1, pilot: 'autopilot' }],
  ['chase', ChaseScene, {}],
];

/** Graphics calls every drawing starts with (a redraw clears, then sets a style). */
const DRAWING = ['clear', 'fillStyle', 'lineStyle'] as const;

describe('headless copies draw nothing', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(SCENES)('%s: 60 ticks with its agents acting make no Graphics call', (_name, scene, extra) => {
    const game = sceneGame({ scene, copies: 1, physics: {}, data: () => ({ behavior: {}, ...extra }) });
    const collector = new Collector(game, {
      copies: 1, seed: 1,
      runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config) }),
    });
    // Counted from the first tick: create() may draw what never changes.
    const spies = DRAWING.map((m) => vi.spyOn(Phaser.GameObjects.Graphics.prototype, m));
    for (let i = 0; i < 60; i++) collector.tick();
    expect(collector.agentCount).toBeGreaterThan(0);
    for (const [k, spy] of spies.entries()) expect(spy, `Graphics.${DRAWING[k]}`).not.toHaveBeenCalled();
  });
});

describe('RayDebug', () => {
  /** A scene as RayDebug reads it, with or without a renderer; counts the rays' draw calls. */
  function scene(renderer: object | null) {
    const calls = { clear: 0, lineBetween: 0 };
    const g = {
      setDepth: () => g,
      clear: () => { calls.clear++; return g; },
      lineStyle: () => g,
      fillStyle: () => g,
      fillCircle: () => g,
      lineBetween: () => { calls.lineBetween++; return g; },
    };
    return { calls, scene: { game: { renderer }, add: { graphics: () => g } } as unknown as Phaser.Scene };
  }
  const sensor = new RayCastSensor('eyes', { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: () => [], rays: 4, arc: Math.PI, maxLength: 10, tags: [] });

  it('draws every ray where a renderer shows them, nothing headless (no renderer)', () => {
    const shown = scene({});
    new RayDebug(shown.scene, [sensor]).draw();
    expect(shown.calls).toEqual({ clear: 1, lineBetween: 4 });
    const headless = scene(null);
    new RayDebug(headless.scene, [sensor]).draw();
    expect(headless.calls).toEqual({ clear: 0, lineBetween: 0 });
  });
});
