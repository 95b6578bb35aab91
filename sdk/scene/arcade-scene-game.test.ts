/**
 * sceneGame with Arcade Physics: CatchScene (test-arcade-scene.ts) never steps its world; the
 * headless copies step it once per tick, between the agents' actions and the scene's fixed steps.
 */
import './phaser-shim.js';
import type Phaser from 'phaser';
import { describe, expect, it } from 'vitest';
import type { ActionSpec } from '../adapter/action-spec.js';
import { BehaviorRunner } from '../adapter/runner.js';
import { resolveConfig } from '../rl/config.js';
import { Collector } from '../runtime/collector.js';
import { Curriculum } from '../runtime/curriculum.js';
import { evaluateGame } from '../runtime/evaluate.js';
import { FastTrainer } from '../runtime/fast-trainer.js';
import { nodeBackends } from '../runtime/backend.node.js';
import type { CopyContext } from '../runtime/game.js';
import { sceneGame } from './scene-game.js';
import { CATCH, CatchScene, type CatchAgent, type CatchSceneData } from './test-arcade-scene.js';

const ARCADE = { default: 'arcade', arcade: { fps: 60 } } as const;

/** The catch game; copy i of a run seeded `seed` plays agents seeded from `seed × 1000 + 10 i`. */
const catchGame = (data: CatchSceneData = {}, copies = 2, physics: object = ARCADE) =>
  sceneGame({ scene: CatchScene, copies, physics, data: (i, seed) => ({ seed: seed * 1000 + 10 * i, ...data }), solvedAt: 1 });

/** A context that keeps the agents a copy adds. */
function recorder(): { ctx: CopyContext; agents: CatchAgent[] } {
  const agents: CatchAgent[] = [];
  return { agents, ctx: { params: new Curriculum({}, [], 1), addAgent: (_b, a) => { agents.push(a as CatchAgent); }, removeAgent: () => false } };
}

describe('sceneGame: an Arcade scene stepped on the fixed step', () => {
  it("one Arcade step per tick, before the scene's onFixedStep callbacks see the world", () => {
    const { ctx, agents } = recorder();
    const copy = catchGame({ agents: 1 }).createCopy(0, 1, ctx);
    const square = agents[0]!.square;
    const scene = square.scene as CatchScene;
    square.body.reset(100, 100);
    square.body.setVelocity(60, 0);
    const seen: number[] = [];
    scene.ppo.onFixedStep(() => seen.push(square.body.center.x));
    for (let i = 0; i < 6; i++) copy.step();
    // 60 px/s at 60 steps/s: 1 px per tick, already moved when the fixed step reads it.
    expect(seen.map((x) => Math.round((x - 100) * 1000) / 1000)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([scene.frames, scene.fixedSteps, scene.worldSteps]).toEqual([6, 6, 6]);
  });

  it('a catch (an Arcade overlap in the step) is judged in the same tick', () => {
    const { ctx, agents } = recorder();
    const copy = catchGame({ agents: 1 }).createCopy(0, 1, ctx);
    const agent = agents[0]!;
    agent.square.body.reset(100, 100);
    // The ball's left edge is 100 + 8 + 30 px away from the square's centre: 30 px of gap, at 600 px/s 3 ticks.
    agent.ball.body.reset(100 + CATCH.size / 2 + 30 + CATCH.radius, 100);
    agent.square.body.setVelocity(600, 0);
    const caughtAt: boolean[] = [];
    (agent.square.scene as CatchScene).ppo.onFixedStep(() => caughtAt.push(agent.caught));
    for (let i = 0; i < 4; i++) copy.step();
    expect(caughtAt).toEqual([false, false, true, true]);
  });

  it('a scene that restarts itself still gets exactly one Arcade step per tick (Phaser hooks the world to the loop again on each start)', () => {
    const runner = (b: { name: string; observationSize: number; actionSpec: ActionSpec; config: object }) =>
      new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config) });
    const collector = new Collector(catchGame({ agents: 2 }, 1), { copies: 1, seed: 1, runner });
    const scene = (collector.members.get('catch')![0] as CatchAgent).square.scene as CatchScene;
    for (let i = 0; i < 5; i++) collector.tick();
    scene.scene.restart({ agents: 3 });
    // The restart runs on the copy's next frame.
    collector.tick();
    expect(collector.agentCount).toBe(3);
    for (let i = 0; i < 20; i++) collector.tick();
    expect(scene.fixedSteps).toBeGreaterThanOrEqual(20);
    expect(scene.worldSteps).toBe(scene.fixedSteps);
  });

  it("leaves a world the game steps itself alone (Phaser's customUpdate)", () => {
    const { ctx, agents } = recorder();
    const copy = catchGame({ agents: 1 }, 1, { default: 'arcade', arcade: { fps: 60, customUpdate: true } }).createCopy(0, 1, ctx);
    const square = agents[0]!.square;
    square.body.reset(100, 100);
    square.body.setVelocity(60, 0);
    for (let i = 0; i < 5; i++) copy.step();
    expect(square.body.center.x).toBe(100);
    // The game's own step moves it: one step of 1 / fps.
    square.scene.physics.world.singleStep();
    expect(square.body.center.x).toBeCloseTo(101, 6);
  });

  it("refuses a world whose fps disagrees with the fixed step, naming both and the fix", () => {
    const { ctx } = recorder();
    expect(() => catchGame({ fps: 30 }).createCopy(0, 1, ctx)).toThrow(
      /sceneGame "arcade-catch" copy 0: the Arcade world steps 33\.333 ms \(physics\.arcade\.fps 30\) but the plugin's fixed step is 16\.667 ms \(stepMs\).*another speed than the page plays it\. Set physics: \{ default: 'arcade', arcade: \{ fps: 60 \} \} in sceneGame's options/,
    );
    expect(() => catchGame({}, 1, { default: 'arcade', arcade: { fps: 50 } }).createCopy(0, 1, ctx)).toThrow(/steps 20 ms \(physics\.arcade\.fps 50\)/);
  });

  it("steps the game's own stepMs: plugin { stepMs: 20 } with an Arcade world at fps 50 runs headless at 20 ms a tick, as the page does", () => {
    const { ctx, agents } = recorder();
    const game = sceneGame({ scene: CatchScene, copies: 1, physics: { default: 'arcade', arcade: { fps: 50 } }, plugin: { stepMs: 20 }, data: () => ({ agents: 1 }) });
    const copy = game.createCopy(0, 1, ctx);
    const square = agents[0]!.square;
    const scene = square.scene as CatchScene;
    square.body.reset(100, 100);
    square.body.setVelocity(50, 0);
    const ms: number[] = [];
    scene.ppo.onFixedStep((stepMs) => ms.push(stepMs));
    for (let i = 0; i < 5; i++) copy.step();
    // 50 px/s at 50 steps/s: 1 px per tick; the scene's fixed step is told 20 ms, as the page tells it.
    expect(Math.round((square.body.center.x - 100) * 1000) / 1000).toBe(5);
    expect(ms).toEqual([20, 20, 20, 20, 20]);
    expect(scene.ppo.stepMs).toBe(20);
    // The page's own clock: five 20 ms frames.
    expect(scene.time.now).toBeCloseTo(100, 6);
  });

  it("reads stepMs from the scene's own config (physics.ppo) over sceneGame's plugin settings, as PPOPlugin does", () => {
    class FiftyHertzCatch extends CatchScene {
      constructor() {
        super({ key: 'catch-50hz', physics: { ppo: { stepMs: 20 }, arcade: { fps: 50 } } as Phaser.Types.Core.PhysicsConfig });
      }
    }
    const { ctx, agents } = recorder();
    const copy = sceneGame({ scene: FiftyHertzCatch, copies: 1, physics: ARCADE, plugin: { stepMs: 1000 / 30 }, data: () => ({ agents: 1 }) }).createCopy(0, 1, ctx);
    const scene = agents[0]!.square.scene as CatchScene;
    copy.step();
    expect(scene.ppo.stepMs).toBe(20);
    expect(scene.physics.world.fps).toBe(50);
  });

  it("still refuses when the game's own stepMs and fps disagree, and refuses bad plugin settings naming sceneGame's option", () => {
    const { ctx } = recorder();
    expect(() => catchGame({}, 1, { default: 'arcade', arcade: { fps: 60 } }).createCopy(0, 1, ctx)).not.toThrow();
    expect(() => sceneGame({ scene: CatchScene, copies: 1, physics: ARCADE, plugin: { stepMs: 20 } }).createCopy(0, 1, ctx)).toThrow(
      /the Arcade world steps 16\.667 ms \(physics\.arcade\.fps 60\) but the plugin's fixed step is 20 ms \(stepMs\).*fps: 50.*or the plugin's stepMs to 16\.667 \(sceneGame's plugin: \{ stepMs \}/,
    );
    expect(() => sceneGame({ scene: CatchScene, copies: 1, plugin: { stepMs: 0 } })).toThrow(/sceneGame "arcade-catch": plugin: stepMs must be a finite number above 0, got 0/);
    expect(() => sceneGame({ scene: CatchScene, copies: 1, plugin: { stepMS: 20 } as object })).toThrow(/sceneGame "arcade-catch": plugin: unknown field "stepMS"/);
  });

  it('same seed, same curve (2 updates); another seed, another', async () => {
    const curve = async (seed: number) => {
      const trainer = new FastTrainer(catchGame(), nodeBackends, { seed, backend: 'kernels' });
      const points: number[][] = [];
      await trainer.run((u) => points.push([u.step, u.episodes, u.returnMean, u.policyLoss, u.valueLoss]), { maxSteps: 2048 });
      return points;
    };
    const a = await curve(5);
    expect(a).toHaveLength(2);
    expect(await curve(5)).toEqual(a);
    expect(await curve(6)).not.toEqual(a);
  }, 60_000);

  it('trains the unchanged Arcade scene in Node: greedy evaluation after 32,768 transitions far above random', async () => {
    const game = catchGame();
    const trainer = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
    let last = { step: 0, episodes: 0 };
    await trainer.run((u) => { last = { step: u.step, episodes: u.episodes }; }, { maxSteps: 32_768 });
    expect(last.step).toBe(32_768);
    expect(last.episodes).toBeGreaterThanOrEqual(150);
    const trained = evaluateGame(game, trainer.brain(), { episodes: 40, seed: 7 });
    // Random play: the untrained policy's near-uniform sampled actions, on the same 40 rounds.
    const fresh = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
    await fresh.start();
    const random = evaluateGame(game, fresh.brain(), { episodes: 40, seed: 7, action: 'sample', maxEpisodeTicks: 1000 });
    // A square that catches its ball scores ≈ 1.3; one that wanders until the step limit ≈ -1.
    expect(trained.returnMean).toBeGreaterThanOrEqual(1.0);
    expect(random.returnMean).toBeLessThan(0);
  }, 120_000);
});
