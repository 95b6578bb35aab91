/**
 * End to end with a grid observation: a sensor that declares its shape gives the behavior a grid
 * input, the network a conv encoder (the config's default two 3×3 layers), and PPO on the kernels
 * engine learns a small grid task with it. Judged on held-out episodes against a uniformly random
 * controller on the same game.
 */
import { describe, it, expect } from 'vitest';
import { KernelsEngine } from '../rl/kernels-engine.js';
import { PPOLearner } from '../rl/learner.js';
import { resolveConfig } from '../rl/config.js';
import { Rng } from '../core/rng.js';
import { ActionSpec, type ActionBuffers } from './action-spec.js';
import { Agent } from './agent.js';
import type { Sensor } from './sensor.js';
import { BehaviorRunner, type AgentEpisode, type BehaviorType, type PolicyWeights } from './runner.js';

const SIDE = 5;

/** The whole 5×5 room as a grid: channel 0 the agent's cell, channel 1 the goal's. */
class RoomSensor implements Sensor {
  readonly name = 'room';
  readonly size = SIDE * SIDE * 2;
  readonly shape = [SIDE, SIDE, 2] as const;
  constructor(private readonly room: Room) {}
  write(out: Float32Array, offset: number): void {
    out.fill(0, offset, offset + this.size);
    out[offset + (this.room.y * SIDE + this.room.x) * 2] = 1;
    out[offset + (this.room.gy * SIDE + this.room.gx) * 2 + 1] = 1;
  }
  reset(): void {}
}

/**
 * Walk to the goal in a 5×5 room (up, down, left, right): +1 on reaching it, −0.02 a decision,
 * cut after 16 decisions. Only the grid says where agent and goal are (no vector observations).
 */
class Room extends Agent {
  x = 0; y = 0; gx = 0; gy = 0;
  constructor(private readonly rng: Rng, private readonly pick?: () => number) {
    super({ maxSteps: 16 });
    this.addSensor(new RoomSensor(this));
  }
  override onEpisodeBegin(): void {
    this.x = this.rng.int(SIDE); this.y = this.rng.int(SIDE);
    do { this.gx = this.rng.int(SIDE); this.gy = this.rng.int(SIDE); } while (this.gx === this.x && this.gy === this.y);
  }
  override collectObservations(): void {}
  override onActionReceived(a: ActionBuffers): void {
    const d = a.discrete[0]!;
    if (d === 0) this.y = Math.max(0, this.y - 1);
    if (d === 1) this.y = Math.min(SIDE - 1, this.y + 1);
    if (d === 2) this.x = Math.max(0, this.x - 1);
    if (d === 3) this.x = Math.min(SIDE - 1, this.x + 1);
    this.addReward(-0.02);
    if (this.x === this.gx && this.y === this.gy) {
      this.addReward(1);
      this.endEpisode();
    }
  }
  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = this.pick!();
  }
}

const UPDATES = 40;
const config = resolveConfig({
  numEnvs: 8, numSteps: 64, numMinibatches: 4, updateEpochs: 4, learningRate: 1e-3, schedule: 'constant',
  hiddenSizes: [64], totalSteps: 8 * 64 * UPDATES, seed: 5,
});
const actionSpec = ActionSpec.discrete(4);

function evaluate(type: BehaviorType, weights: PolicyWeights | null, episodes: number): number {
  const done: AgentEpisode[] = [];
  const runner = new BehaviorRunner({ name: 'room', observationSize: 0, actionSpec, type, config, onEpisodeEnd: (e) => done.push(e) }, weights ? () => weights : undefined);
  const pick = new Rng(77);
  const agents = Array.from({ length: 8 }, (_, i) => new Room(new Rng(1000 + i), () => pick.int(4)));
  agents.forEach((a) => runner.addAgent(a));
  while (done.length < episodes) runner.tick();
  return done.slice(0, episodes).reduce((s, e) => s + e.return, 0) / episodes;
}

describe('a grid input through a conv encoder', () => {
  it(`learns to walk to the goal in ${8 * 64 * UPDATES} transitions: held-out return well above a random controller`, () => {
    let learner!: PPOLearner;
    const runner: BehaviorRunner = new BehaviorRunner({
      name: 'room', observationSize: 0, actionSpec, type: 'train', config,
      onRollout: (rollout) => {
        learner.train(rollout);
        runner.setParams(learner.params, learner.version);
      },
    }, (spec) => {
      expect(spec.observationInputs).toEqual([{ name: 'room', kind: 'grid', shape: [5, 5, 2] }]);
      expect(spec.layout.hasConv).toBe(true);
      // 5×5×2 → 3×3×16 → 1×1×32: the MLP sees the 32 conv features.
      expect(spec.layout.mlpInputSize).toBe(32);
      learner = new PPOLearner({ observationSize: spec.observationSize, observationInputs: spec.observationInputs, actionSpace: spec.actionSpace, config, engine: new KernelsEngine(spec.layout) });
      return { params: learner.params, version: learner.version };
    });
    const agents = Array.from({ length: 8 }, (_, i) => new Room(new Rng(i)));
    agents.forEach((a) => runner.addAgent(a));
    while (learner.updates < UPDATES) runner.tick();

    const random = evaluate('heuristic', null, 400);
    const trained = evaluate('inference', { params: learner.params, version: learner.version }, 400);
    console.log(`room (conv): random controller ${random.toFixed(3)}, trained policy ${trained.toFixed(3)} (mean return over 400 held-out episodes)`);
    expect(trained).toBeGreaterThan(0.8);
    expect(trained).toBeGreaterThan(random + 0.3);
  }, 120_000);
});
