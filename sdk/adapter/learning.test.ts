/**
 * End to end: a BehaviorRunner in train mode feeding an in-process PPOLearner learns a trivial
 * game, which it can only do if the rollouts it builds are right (rows, columns, rewards over
 * repeated actions, episode ends, bootstrapping). Judged on held-out episodes against a
 * uniformly random controller on the same game.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { useNodeBackend } from '../rl/backend.node.js';
import { TfjsEngine } from '../rl/tfjs-engine.js';
import { PPOLearner } from '../rl/learner.js';
import { resolveConfig } from '../rl/config.js';
import { Rng } from '../core/rng.js';
import { ActionSpec, type ActionBuffers } from './action-spec.js';
import { Agent } from './agent.js';
import type { ObservationWriter } from './observation-writer.js';
import { BehaviorRunner, type AgentEpisode, type BehaviorType, type PolicyWeights } from './runner.js';

beforeAll(async () => { await useNodeBackend('wasm'); });

/**
 * Reach the target on a line: position and target in [-1, 1]; move −0.1, 0 or +0.1 per tick;
 * −0.01 per tick, +1 and the episode ends within 0.05 of the target; cut after 60 ticks.
 * A straight walk scores about 0.9; wandering scores far less.
 */
class Reacher extends Agent {
  x = 0;
  target = 0;
  constructor(private readonly rng: Rng, private readonly pick?: () => number) {
    super({ maxSteps: 60, decisionPeriod: 2 });
  }
  override onEpisodeBegin(): void {
    this.x = this.rng.uniform(-1, 1);
    this.target = this.rng.uniform(-1, 1);
  }
  override collectObservations(obs: ObservationWriter): void {
    obs.add(this.x);
    obs.add(this.target - this.x);
  }
  override onActionReceived(a: ActionBuffers): void {
    this.x = Math.min(1, Math.max(-1, this.x + 0.1 * (a.discrete[0]! - 1)));
  }
  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = this.pick!();
  }
  /** The game's rules, after the physics step. */
  judge(): void {
    this.addReward(-0.01);
    if (Math.abs(this.x - this.target) < 0.05) {
      this.addReward(1);
      this.endEpisode();
    }
  }
}

const config = resolveConfig({
  numEnvs: 4, numSteps: 64, numMinibatches: 4, updateEpochs: 4, learningRate: 1e-3, annealLr: false,
  hiddenSizes: [32, 32], totalSteps: 64 * 4 * 40, seed: 3,
});
const actionSpec = ActionSpec.discrete(3);

/** Plays `episodes` episodes with 4 agents and returns their mean return. */
function evaluate(type: BehaviorType, weights: PolicyWeights | null, episodes: number): number {
  const done: AgentEpisode[] = [];
  const runner = new BehaviorRunner({ name: 'reach', observationSize: 2, actionSpec, type, config, onEpisodeEnd: (e) => done.push(e) }, weights ? () => weights : undefined);
  const pick = new Rng(77);
  const agents = Array.from({ length: 4 }, (_, i) => new Reacher(new Rng(1000 + i), () => pick.int(3)));
  agents.forEach((a) => runner.addAgent(a));
  while (done.length < episodes) {
    runner.tick();
    for (const a of agents) a.judge();
  }
  return done.slice(0, episodes).reduce((s, e) => s + e.return, 0) / episodes;
}

describe('BehaviorRunner + PPOLearner', () => {
  it('learns to reach the target: held-out return well above a random controller', () => {
    let learner!: PPOLearner;
    const runner: BehaviorRunner = new BehaviorRunner({
      name: 'reach', observationSize: 2, actionSpec, type: 'train', config,
      onRollout: (rollout) => {
        learner.train(rollout);
        runner.setParams(learner.params, learner.version);
      },
    }, (spec) => {
      learner = new PPOLearner({ observationSize: spec.observationSize, actionSpace: spec.actionSpace, config, engine: new TfjsEngine(spec.layout) });
      return { params: learner.params, version: learner.version };
    });
    const agents = Array.from({ length: 4 }, (_, i) => new Reacher(new Rng(i)));
    agents.forEach((a) => runner.addAgent(a));
    while (learner.updates < 40) {
      runner.tick();
      for (const a of agents) a.judge();
    }
    learner.engine.dispose();

    const random = evaluate('heuristic', null, 200);
    const trained = evaluate('inference', { params: learner.params, version: learner.version }, 200);
    console.log(`reach: random controller ${random.toFixed(3)}, trained policy ${trained.toFixed(3)} (mean return over 200 held-out episodes)`);
    expect(trained).toBeGreaterThan(0.8);
    expect(trained).toBeGreaterThan(random + 0.3);
  }, 60_000);

  it('a hybrid action spec trains through the learner: rollouts accepted, weights stay finite, the policy moves', () => {
    const hybridConfig = resolveConfig({ numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [8], seed: 4 });
    class Steer extends Agent {
      v = 0;
      override collectObservations(obs: ObservationWriter): void { obs.add(this.v); }
      override onActionReceived(a: ActionBuffers): void {
        this.v = a.continuous[0]!;
        this.addReward(-Math.abs(this.v - 0.5) + (a.discrete[0] === 1 ? 0.1 : 0));
      }
    }
    let learner!: PPOLearner;
    const versions: number[] = [];
    const runner: BehaviorRunner = new BehaviorRunner({
      name: 'steer', observationSize: 1, actionSpec: ActionSpec.hybrid(1, 2), type: 'train', config: hybridConfig,
      onRollout: (r) => { versions.push(r.policyVersion); learner.train(r); runner.setParams(learner.params, learner.version); },
    }, (spec) => {
      learner = new PPOLearner({ observationSize: spec.observationSize, actionSpace: spec.actionSpace, config: hybridConfig, engine: new TfjsEngine(spec.layout) });
      return { params: learner.params, version: learner.version };
    });
    runner.addAgent(new Steer());
    runner.addAgent(new Steer());
    const before = Float32Array.from(learner.params);
    while (learner.updates < 3) runner.tick();
    learner.engine.dispose();
    expect(versions).toEqual([0, 1, 2]);
    expect(learner.params.every(Number.isFinite)).toBe(true);
    expect(learner.params.some((p, i) => p !== before[i])).toBe(true);
  });
});
