/**
 * PPOPlugin (the page's plugin) across `this.scene.restart()` on game over: a behavior the
 * restarted scene declares again as before keeps its learner, weights, version, episode counts
 * and rollout (the game-over episode closes terminated inside it); one declared differently, or
 * not at all, is disposed; a stopped scene and the game's destroy release everything. The game is
 * Phaser.HEADLESS in Node (the shim stands in for the page), stepped frame by frame by hand, with
 * an in-process learner; every budget is frames (fixed steps).
 */
import '../scene/phaser-shim.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import Phaser from 'phaser';
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import { Agent } from '../adapter/agent.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import { useNodeBackend } from '../rl/backend.node.js';
import type { Rollout } from '../rl/rollout.js';
import { nodeBackends } from '../runtime/backend.node.js';
import { inProcessLearner, type LearnerClient } from '../runtime/learner-client.js';
import { LearnerHost } from '../runtime/learner-host.js';
import type { Behavior } from './behavior.js';
import type { WarningEvent } from './events.js';
import { PPOPlugin } from './plugin.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/** Sees the last action it took; earns 1 for action 1. */
class Probe extends Agent {
  last = 0;
  override collectObservations(obs: ObservationWriter): void { obs.add(this.last); }
  override onActionReceived(a: ActionBuffers): void { this.last = a.discrete[0]!; }
}

/** What the learners of a test saw: started, disposed, the rollouts they trained on. */
interface Learners { started: number; disposed: number; rollouts: Rollout[] }

function countingLearner(seen: Learners): () => LearnerClient {
  return () => {
    seen.started++;
    const inner = inProcessLearner(new LearnerHost(nodeBackends));
    return {
      ...inner,
      train: (r) => { seen.rollouts.push(r); return inner.train(r); },
      dispose: () => { seen.disposed++; inner.dispose(); },
    };
  };
}

/** What the scene is told on each start (its `data`). */
interface RunData {
  /** Fixed steps until game over (then `endEpisode()` and `this.scene.restart(next)`). */
  gameOverAt: number;
  /** The learning rate this run declares. */
  learningRate?: number;
  /** The data of the restart at game over; `stop`: the scene stops instead. */
  next?: RunData | 'stop';
  /** Declare no behavior this run. */
  none?: boolean;
}

/** A scene as a game writes one: builds its agent in create(), game over restarts the scene. */
class ArenaLike extends Phaser.Scene {
  declare ppo: PPOPlugin;
  /** Per run: the behavior create() got, its policy version then, and the version at game over. */
  readonly runs: { behavior: Behavior | null; versionAtStart: number; versionAtGameOver: number }[] = [];
  readonly warnings: WarningEvent[] = [];
  learners: Learners = { started: 0, disposed: 0, rollouts: [] };
  constructor() { super('arena-like'); }
  create(data: RunData): void {
    this.ppo.events.on('warning', (w) => this.warnings.push(w));
    if (data.none) {
      this.runs.push({ behavior: null, versionAtStart: NaN, versionAtGameOver: NaN });
      return;
    }
    const behavior = this.ppo.addBehavior({
      name: 'probe', observationSize: 1, actionSpec: ActionSpec.discrete(2), backend: 'kernels',
      config: { numSteps: 16, numMinibatches: 2, updateEpochs: 2, learningRate: data.learningRate ?? 1e-3, seed: 3 },
      learner: countingLearner(this.learners),
    });
    const agent = new Probe();
    behavior.addAgent(agent);
    const run = { behavior, versionAtStart: behavior.runner.policyVersion, versionAtGameOver: NaN };
    this.runs.push(run);
    let ticks = 0;
    this.ppo.onFixedStep(() => {
      agent.addReward(agent.last === 1 ? 1 : 0);
      if (++ticks !== data.gameOverAt) return;
      run.versionAtGameOver = behavior.runner.policyVersion;
      agent.endEpisode();
      if (data.next === 'stop') this.scene.stop();
      else if (data.next) this.scene.restart(data.next);
    });
  }
}

const games: Phaser.Game[] = [];
afterEach(() => {
  for (const g of games.splice(0)) destroy(g);
});

/** Destroys `game` now, as sceneGame destroys its copies (sdk/scene/scene-game.ts: destroyCopy). */
function destroy(game: Phaser.Game): void {
  // Phaser 4's TextureManager.destroy calls stamp.destroy(), and the stamp only exists with a renderer.
  const textures = game.textures as unknown as { stamp?: { destroy(): void } };
  if (!textures.stamp) textures.stamp = { destroy() {} };
  game.destroy(false, false);
  // Phaser destroys on its next step.
  game.headlessStep(game.loop.time + 20, 20);
}

/** A page-like game with PPOPlugin (20 ms steps at speed 1: one fixed step per 20 ms frame) running `ArenaLike` with `data`. */
function page(data: RunData): ArenaLike {
  const game = new Phaser.Game({
    type: Phaser.HEADLESS, banner: false, audio: { noAudio: true }, fps: { forceSetTimeOut: true }, scene: [],
    plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { stepMs: 20, speed: 1 } }] },
  });
  game.loop.sleep();
  games.push(game);
  return game.scene.add('arena-like', ArenaLike, true, data) as ArenaLike;
}

/** Runs `count` frames, letting the in-process learner answer between them. */
async function frames(scene: ArenaLike, count: number): Promise<void> {
  const game = scene.game;
  for (let i = 0; i < count; i++) {
    game.headlessStep(game.loop.time + 20, 20);
    await new Promise((r) => setImmediate(r));
  }
}

/** Game over every `every` fixed steps, `times` times, with the same declaration; the last run plays on. */
function restarts(every: number, times: number): RunData {
  let data: RunData = { gameOverAt: 1_000_000 };
  for (let i = 0; i < times; i++) data = { gameOverAt: every, next: data };
  return data;
}

describe('PPOPlugin: live training survives this.scene.restart()', () => {
  it('a behavior declared again as before keeps its learner, version, episode counts and rollout across six game overs', async () => {
    const scene = page(restarts(24, 6));
    // Seven runs of 24 fixed steps (one decision each), and a few frames for each restart.
    await frames(scene, 7 * 24 + 10);
    const { runs, learners } = scene;
    expect(runs).toHaveLength(7);
    // One behavior and one learner for every run.
    const first = runs[0]!.behavior!;
    for (const r of runs) expect(r.behavior).toBe(first);
    expect(learners.started).toBe(1);
    expect(learners.disposed).toBe(0);
    // The version goes on growing across game overs (the old code started each run at 0).
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.versionAtStart).toBeGreaterThanOrEqual(runs[i - 1]!.versionAtGameOver);
    expect(runs[6]!.versionAtStart).toBeGreaterThanOrEqual(5);
    expect(first.runner.policyVersion).toBe(learners.rollouts.length);
    // Every game over is an episode, ended terminated inside the rollouts that went on past it.
    expect(first.episodeCount).toBe(6);
    const terminated = learners.rollouts.reduce((s, r) => s + r.terminated.reduce((a, x) => a + x, 0), 0);
    const truncated = learners.rollouts.reduce((s, r) => s + r.truncated.reduce((a, x) => a + x, 0), 0);
    // One decision per fixed step, 16 per rollout, none lost at a restart: the game overs close at rows 23, 47, ..., 143.
    expect(first.runner.decisions).toBe(7 * 24 + 10);
    expect(learners.rollouts.length).toBe(Math.floor((7 * 24 + 10) / 16));
    expect(terminated).toBe(6);
    expect(truncated).toBe(0);
    expect(first.latest?.droppedRollouts).toBe(0);
    expect(scene.warnings).toEqual([]);
    // The game's destroy releases the learner.
    destroy(scene.game);
    games.length = 0;
    expect(learners.disposed).toBe(1);
  }, 60_000);

  it('declared differently, the old behavior is disposed with a warning naming what differs, and a new one starts', async () => {
    const scene = page({ gameOverAt: 40, next: { gameOverAt: 1000, learningRate: 3e-4 } });
    await frames(scene, 50);
    const { runs, learners } = scene;
    expect(runs).toHaveLength(2);
    expect(runs[1]!.behavior).not.toBe(runs[0]!.behavior);
    expect(runs[1]!.versionAtStart).toBe(0);
    expect(learners.started).toBe(2);
    expect(learners.disposed).toBe(1);
    expect(scene.warnings.map((w) => w.code)).toEqual(['behavior-redeclared']);
    expect(scene.warnings[0]!.message).toContain('behavior "probe" differently (config.learningRate: 0.001 → 0.0003)');
  }, 60_000);

  it('not declared again, or the scene stopped, the behavior and its learner are released; a run that fails to carry starts afresh', async () => {
    const gone = page({ gameOverAt: 20, next: { gameOverAt: 1000, none: true } });
    await frames(gone, 30);
    expect(gone.runs).toHaveLength(2);
    expect(gone.learners).toMatchObject({ started: 1, disposed: 1 });
    expect(() => gone.ppo.behavior('probe')).toThrow('no behavior named "probe"');

    const stopped = page({ gameOverAt: 20, next: 'stop' });
    await frames(stopped, 30);
    expect(stopped.runs).toHaveLength(1);
    expect(stopped.learners).toMatchObject({ started: 1, disposed: 1 });

    // A behavior whose training stopped (a failure, or stopTraining()) is not carried over.
    const halted = page({ gameOverAt: 20, next: { gameOverAt: 1000 } });
    await frames(halted, 10);
    halted.runs[0]!.behavior!.stopTraining();
    await frames(halted, 20);
    expect(halted.runs).toHaveLength(2);
    expect(halted.runs[1]!.behavior).not.toBe(halted.runs[0]!.behavior);
    expect(halted.learners.started).toBe(2);
  }, 60_000);

  it('disposeBehaviors() before a restart begins the next run afresh (a page starting a new run)', async () => {
    const scene = page({ gameOverAt: 1000 });
    await frames(scene, 20);
    scene.ppo.disposeBehaviors();
    scene.scene.restart({ gameOverAt: 1000 });
    await frames(scene, 5);
    expect(scene.runs).toHaveLength(2);
    expect(scene.runs[1]!.behavior).not.toBe(scene.runs[0]!.behavior);
    expect(scene.learners).toMatchObject({ started: 2, disposed: 1 });
    expect(scene.warnings).toEqual([]);
  }, 60_000);
});
