/**
 * sceneGame: a Phaser scene, unchanged, as headless copies in Node. RailScene (test-scene.ts) is
 * written as a game writes one: Matter through `this.matter`, agents through `this.ppo`.
 */
// First, as in a game's module: Phaser reads a page's globals as it loads.
import './phaser-shim.js';
import { describe, expect, it } from 'vitest';
import Phaser from 'phaser';
import { ActionSpec } from '../adapter/action-spec.js';
import { BehaviorRunner } from '../adapter/runner.js';
import { resolveConfig } from '../rl/config.js';
import { Collector } from '../runtime/collector.js';
import { evaluateGame } from '../runtime/evaluate.js';
import { FastTrainer } from '../runtime/fast-trainer.js';
import { nodeBackends } from '../runtime/backend.node.js';
import type { CopyContext } from '../runtime/game.js';
import type { Agent } from '../adapter/agent.js';
import { PPOPlugin } from '../phaser/plugin.js';
import { sceneGame } from './scene-game.js';
import { Curriculum } from '../runtime/curriculum.js';
import { RailScene, type RailAgent, type RailSceneData } from './test-scene.js';

/** The rail game; copy i of a run seeded `seed` plays balls seeded from `seed × 1000 + 10 i`. */
const rail = (data: RailSceneData = {}, copies = 2) => sceneGame({ scene: RailScene, copies, data: (i, seed) => ({ seed: seed * 1000 + 10 * i, ...data }), solvedAt: 1 });

/** A context that keeps the agents a copy adds, by behavior. */
function recorder(): { ctx: CopyContext; agents: Agent[] } {
  const agents: Agent[] = [];
  return {
    agents,
    ctx: {
      params: new Curriculum({}, [], 1),
      addAgent: (_b, a) => { agents.push(a); },
      removeAgent: (a) => {
        const i = agents.indexOf(a);
        if (i >= 0) agents.splice(i, 1);
        return i >= 0;
      },
    },
  };
}

const heuristicRunner = (b: { name: string; observationSize: number; actionSpec: ActionSpec; config: object }) =>
  new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config) });

describe('sceneGame: Phaser HEADLESS booted in Node by the shim', () => {
  it('reads the behaviors the scene adds, named after its key, without a page', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('object');
    const game = rail();
    expect(game.name).toBe('rail');
    expect(game.behaviors.map((b) => [b.name, b.observationSize, b.actionSpec])).toEqual([['rail', 2, ActionSpec.discrete(3)]]);
    // The scene's own config, with the game's solvedAt.
    expect(game.config).toMatchObject({ numSteps: 64, learningRate: 1e-3 });
    expect(game.solvedAt).toBe(1);
  });

  it('a copy is the scene: its Matter bodies move on the fixed step, and each tick is one Phaser frame', () => {
    const { ctx, agents } = recorder();
    const copy = rail({ lanes: 3 }).createCopy(0, 1, ctx);
    expect(agents).toHaveLength(3);
    const agent = agents[0] as RailAgent;
    const scene = (agent as unknown as { scene: RailScene }).scene;
    expect(scene).toBeInstanceOf(Phaser.Scene);
    expect(scene.game.renderer).toBeNull();
    scene.matter.body.setVelocity(agent.ball, { x: 3, y: 0 });
    const x0 = agent.ball.position.x;
    for (let i = 0; i < 10; i++) copy.step();
    // 10 fixed steps of 3 px less air friction: between 25 and 30 px, and no frame skipped or doubled.
    expect(agent.ball.position.x - x0).toBeGreaterThan(25);
    expect(agent.ball.position.x - x0).toBeLessThan(30);
    expect(scene.frames).toBe(10);
  });

  it('same seed, same episodes; another seed, other episodes (heuristic agents, 2 copies)', () => {
    const firstReturns = (seed: number) => {
      const returns: number[] = [];
      const collector = new Collector(rail(), {
        copies: 2, seed,
        runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config), onEpisodeEnd: (e) => returns.push(e.return) }),
      });
      for (let t = 0; t < 2000 && returns.length < 12; t++) collector.tick();
      return returns;
    };
    const a = firstReturns(3);
    expect(a).toHaveLength(12);
    expect(firstReturns(3)).toEqual(a);
    expect(firstReturns(4)).not.toEqual(a);
  });

  it('trains the unchanged scene in Node: greedy evaluation after 24,576 transitions beats the untrained policy by far', async () => {
    const game = rail({}, 2);
    const trainer = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
    const history: { step: number; episodes: number }[] = [];
    await trainer.run((u) => history.push({ step: u.step, episodes: u.episodes }), { maxSteps: 24_576 });
    expect(history.at(-1)!.step).toBe(24_576);
    expect(history.at(-1)!.episodes).toBeGreaterThanOrEqual(100);
    // The same 40 rounds (seed 7), most likely actions: trained vs the weights it started from.
    const trained = evaluateGame(game, trainer.brain(), { episodes: 40, seed: 7 });
    const fresh = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
    await fresh.start();
    const untrained = evaluateGame(game, fresh.brain(), { episodes: 40, seed: 7, maxEpisodeTicks: 1000 });
    // A ball that rolls to its flag scores ≈ 1.6; one that never arrives ≈ -1.
    expect(trained.returnMean).toBeGreaterThanOrEqual(1.0);
    expect(untrained.returnMean).toBeLessThan(0.5);
  }, 120_000);
});

describe("sceneGame beside a page's own game", () => {
  it("its copies get the headless this.ppo even when a game already installed PPOPlugin (Phaser caches scene plugins by key)", () => {
    const page = new Phaser.Game({
      type: Phaser.HEADLESS, banner: false, audio: { noAudio: true }, fps: { forceSetTimeOut: true }, scene: [],
      plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
    });
    page.loop.sleep();
    const { ctx, agents } = recorder();
    rail({ lanes: 2 }).createCopy(0, 1, ctx);
    expect(agents).toHaveLength(2);
  });
});

describe('sceneGame: what a headless copy cannot do, said plainly', () => {
  it('a scene that adds no agent', () => {
    expect(() => rail({ noAgents: true }).behaviors).toThrow(/added no agent to behavior "rail" in create\(\)/);
  });

  it('a scene that adds no behavior', () => {
    class Empty extends Phaser.Scene {
      constructor() { super('empty'); }
      create(): void {}
    }
    expect(() => sceneGame({ scene: Empty, copies: 1 }).behaviors).toThrow(/sceneGame "empty".*added no behavior in create\(\); call this\.ppo\.addBehavior/);
  });

  it('a scene that uses the renderer', () => {
    expect(() => rail({ useRenderer: true }).behaviors).toThrow(/threw while it was created headless: .*no renderer \(this\.game\.renderer is null\)/);
  });

  it("a scene whose Matter world also steps on its own", () => {
    const { ctx } = recorder();
    expect(() => rail({ autoUpdate: true }).createCopy(0, 1, ctx)).toThrow(/Matter's world steps on its own \(autoUpdate is true\).*twice per tick.*autoUpdate: false/);
  });

  it('a copy count that is not a positive integer', () => {
    expect(() => sceneGame({ scene: RailScene, copies: 0 })).toThrow(/copies must be a positive integer, got 0/);
  });

  it('a scene that restarts itself keeps its agent count in the collector (the old run\'s agents leave)', () => {
    const collector = new Collector(rail({ lanes: 2 }, 1), { copies: 1, seed: 1, runner: heuristicRunner });
    expect(collector.agentCount).toBe(2);
    const scene = (collector.members.get('rail')![0] as unknown as { scene: RailScene }).scene;
    scene.scene.restart({ lanes: 3 });
    // The restart runs on the copy's next frame.
    collector.tick();
    expect(collector.agentCount).toBe(3);
    for (let i = 0; i < 50; i++) collector.tick();
    expect(collector.agentCount).toBe(3);
  });
});
