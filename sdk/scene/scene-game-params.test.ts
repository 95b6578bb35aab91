/**
 * sceneGame: environment parameters reach the scene (its `behavior.params` reads the run's
 * curriculum in a headless copy, as in the page). Scenes that load files: ./headless-loader.test.ts.
 */
import './phaser-shim.js';
import { describe, expect, it } from 'vitest';
import Phaser from 'phaser';
import { Agent } from '../adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import type { Behavior } from '../phaser/behavior.js';
import type { PPOPlugin } from '../phaser/plugin.js';
import { Curriculum } from '../runtime/curriculum.js';
import { FastTrainer } from '../runtime/fast-trainer.js';
import { nodeBackends } from '../runtime/backend.node.js';
import type { CopyContext } from '../runtime/game.js';
import { sceneGame } from './scene-game.js';

/** One decision per episode, reward 1: reads `level` from its behavior's parameters as each episode begins. */
class LevelAgent extends Agent {
  readonly levels: number[] = [];
  constructor(private readonly behavior: Behavior, readonly scene?: Phaser.Scene) {
    super({ maxSteps: 0 });
  }
  override onEpisodeBegin(): void {
    this.levels.push(this.behavior.params.get('level'));
  }
  override collectObservations(obs: ObservationWriter): void {
    obs.add(this.levels[this.levels.length - 1] ?? 0);
  }
  override onActionReceived(_a: ActionBuffers): void {
    this.addReward(1);
    this.endEpisode();
  }
}

const LEVELS = { level: { curriculum: [{ name: 'easy', value: 1, completionCriteria: { threshold: 0.5, minLessonLength: 4 } }, { name: 'hard', value: 2 }] } };

class LevelScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  agents: LevelAgent[] = [];
  constructor() {
    super('levels');
  }
  create(): void {
    const behavior = this.ppo.addBehavior({
      name: 'levels', observationSize: 1, actionSpec: ActionSpec.discrete(2), config: { numSteps: 16, numMinibatches: 1 },
      environmentParameters: LEVELS,
    });
    this.agents = [new LevelAgent(behavior), new LevelAgent(behavior)];
    for (const a of this.agents) behavior.addAgent(a);
  }
}

function recorder(params = new Curriculum({ level: 5 }, ['levels'], 1)): { ctx: CopyContext; agents: Agent[] } {
  const agents: Agent[] = [];
  return { agents, ctx: { params, addAgent: (_b, a) => { agents.push(a); }, removeAgent: () => false } };
}

describe('sceneGame: environment parameters', () => {
  it("the game's parameters are the ones the scene's behaviors declare, merged under sceneGame's own", () => {
    expect(sceneGame({ scene: LevelScene, copies: 1 }).environmentParameters).toEqual(LEVELS);
    expect(sceneGame({ scene: LevelScene, copies: 1, environmentParameters: { level: 7, wind: 0.5 } }).environmentParameters).toEqual({ level: 7, wind: 0.5 });
  });

  it("a copy's behavior.params is the run's (ctx.params), not the scene's declared default", () => {
    const { ctx, agents } = recorder();
    const copy = sceneGame({ scene: LevelScene, copies: 1 }).createCopy(0, 1, ctx);
    copy.step();
    const scene = (agents[0] as LevelAgent);
    // The agents read nothing yet (episodes begin at their first decision); the parameters are the run's.
    expect(((scene as unknown as { behavior: Behavior }).behavior).params).toBe(ctx.params);
    expect(((scene as unknown as { behavior: Behavior }).behavior).params.get('level')).toBe(5);
  });

  it("a headless run's curriculum moves the scene's lesson: agents read the next lesson's value once the first is passed", async () => {
    const game = sceneGame({ scene: LevelScene, copies: 2 });
    const trainer = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels' });
    await trainer.start();
    const lessons: number[] = [];
    for (let i = 0; i < 4; i++) lessons.push(trainer.runUpdate().lessons!.level!);
    trainer.dispose();
    // Every episode returns 1 ≥ 0.5: the lesson ends at the first check after 4 episodes.
    expect(lessons).toEqual([1, 1, 1, 1]);
    const agents = trainer.collector.members.get('levels') as LevelAgent[];
    const levels = agents.flatMap((a) => a.levels);
    expect(levels.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(levels.at(-1)).toBe(2);
  }, 60_000);

  it("a run's environmentParameters replace the scene's, parameter by parameter", async () => {
    const trainer = new FastTrainer(sceneGame({ scene: LevelScene, copies: 1 }), nodeBackends, { seed: 1, backend: 'kernels', environmentParameters: { level: 9 } });
    await trainer.start();
    trainer.runUpdate();
    trainer.dispose();
    const agents = trainer.collector.members.get('levels') as LevelAgent[];
    expect(new Set(agents.flatMap((a) => a.levels))).toEqual(new Set([9]));
  }, 60_000);
});
