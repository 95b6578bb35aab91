import { describe, it, expect } from 'vitest';
import { createActingPolicy, HeuristicPolicy, InferencePolicy, TrainPolicy, type ActingPolicyContext } from './acting-policy.js';
import { ActingWeights } from './acting-weights.js';
import { AgentBatch } from './agent-batch.js';
import { Agent } from './agent.js';
import { ActionSpec, type ActionBuffers } from './action-spec.js';
import type { ObservationWriter } from './observation-writer.js';
import { Rng } from '../core/rng.js';
import { ActionDistribution } from '../rl/distributions.js';
import { ActorCriticLayout } from '../rl/network.js';
import { ObservationNormalizer, RunningMeanStd } from '../rl/normalizer.js';
import type { BehaviorSpec } from './behavior-spec.js';

class Npc extends Agent {
  override collectObservations(obs: ObservationWriter): void { obs.add(0); }
  override onActionReceived(_a: ActionBuffers): void {}
  override heuristic(out: ActionBuffers): void { out.continuous[0] = 5; out.discrete[0] = 1; }
}

function context(actionSpec: ActionSpec, o: Partial<ActingPolicyContext> = {}): { ctx: ActingPolicyContext; spec: BehaviorSpec } {
  const dist = new ActionDistribution(actionSpec.space);
  const layout = ActorCriticLayout.forDistribution(1, [4], dist);
  const spec: BehaviorSpec = { name: 'p', observationSize: 1, observationInputs: layout.inputs, actionSpec, actionSpace: actionSpec.space, layout };
  const weights = new ActingWeights('p', dist, [4]);
  return { ctx: { actionSpec, dist, weights, rng: new Rng(1), normalizeObs: false, ...o }, spec };
}

function batchOf(actionSpec: ActionSpec, n: number): AgentBatch {
  const b = new AgentBatch({ name: 'p', observationSize: 1, actionSpec });
  for (let i = 0; i < n; i++) b.join(new Npc({ name: `n${i}` }));
  b.reserve(n);
  return b;
}

describe('acting policies', () => {
  it('are picked once from the behavior type', () => {
    const { ctx } = context(ActionSpec.discrete(2));
    expect(createActingPolicy('train', ctx)).toBeInstanceOf(TrainPolicy);
    expect(createActingPolicy('inference', ctx)).toBeInstanceOf(InferencePolicy);
    expect(createActingPolicy('heuristic', ctx)).toBeInstanceOf(HeuristicPolicy);
  });

  it('network policies wait for weights; train samples (different draws per seed), inference takes the mode (the same every time)', () => {
    const spec = ActionSpec.continuous(1, -10, 10);
    const actsOf = (type: 'train' | 'inference', seed: number) => {
      const { ctx, spec: s } = context(spec, { rng: new Rng(seed) });
      const policy = createActingPolicy(type, ctx);
      expect(policy.ready).toBe(false);
      ctx.weights.set(s.layout.initialize(new Rng(2), 0), 0, s);
      expect(policy.ready).toBe(true);
      const b = batchOf(spec, 3);
      policy.reserve(3);
      ctx.weights.reserve(3);
      policy.act(b, new Float32Array(3), null);
      return b.slots.map((x) => x.actions.continuous[0]);
    };
    expect(actsOf('train', 1)).not.toEqual(actsOf('train', 2));
    const mode = actsOf('inference', 1);
    expect(actsOf('inference', 2)).toEqual(mode);
    expect(new Set(mode).size).toBe(1); // the same observation: the same mode for every agent
  });

  it('train keeps each agent\'s raw sample, log-prob and value for the rollout, and clips what the game gets', () => {
    const spec = ActionSpec.continuous(1, -0.01, 0.01);
    const { ctx, spec: s } = context(spec);
    const policy = new TrainPolicy(ctx);
    ctx.weights.set(s.layout.initialize(new Rng(2), 1), 3, s);
    const b = batchOf(spec, 4);
    policy.reserve(4);
    ctx.weights.reserve(4);
    policy.act(b, Float32Array.of(0, 1, 2, 3), null);
    expect(Array.from(policy.actions).some((a) => Math.abs(a) > 0.01)).toBe(true);
    b.slots.forEach((x, i) => expect(x.actions.continuous[0]).toBeCloseTo(Math.min(0.01, Math.max(-0.01, policy.actions[i]!)), 6));
    expect(Array.from(policy.logProbs).every((lp) => Number.isFinite(lp) && lp !== 0)).toBe(true);
    expect(Array.from(policy.values).every((v) => Number.isFinite(v))).toBe(true);
  });

  it('inference refuses first weights without statistics when observations are normalized', () => {
    const { ctx } = context(ActionSpec.discrete(2), { normalizeObs: true });
    const policy = createActingPolicy('inference', ctx);
    const fresh = new ObservationNormalizer(1, 5);
    const w = { params: new Float32Array(0), version: 0 };
    expect(() => policy.checkWeights(w, fresh)).toThrow("behavior 'p': inference with config.normalizeObs needs observationStats with the first weights (e.g. the brain's)");
    expect(() => policy.checkWeights({ ...w, observationStats: new RunningMeanStd(1) }, fresh)).not.toThrow();
    expect(() => createActingPolicy('train', ctx).checkWeights(w, fresh)).not.toThrow();
  });

  it('heuristic needs each agent\'s heuristic(), is always ready, and clips its continuous actions', () => {
    const spec = ActionSpec.hybrid(1, 2);
    const policy = createActingPolicy('heuristic', context(spec).ctx);
    expect(policy.ready).toBe(true);
    class Plain extends Agent {
      override collectObservations(): void {}
      override onActionReceived(): void {}
    }
    expect(() => policy.checkAgent(new Plain(), 'who')).toThrow("who: the behavior type is 'heuristic' but the agent has no heuristic(out) method");
    const b = batchOf(spec, 2);
    policy.act(b, new Float32Array(2), null);
    expect(b.slots.map((x) => [x.actions.continuous[0], x.actions.discrete[0]])).toEqual([[1, 1], [1, 1]]);
  });
});

describe('ActingWeights', () => {
  it('checks the parameter count and version against the spec, naming both', () => {
    const { ctx, spec } = context(ActionSpec.discrete(2));
    expect(() => ctx.weights.check(new Float32Array(3), 0, spec)).toThrow(/^behavior 'p': weights have 3 parameters, but observationSize 1, Discrete\(2\) and hiddenSizes \[4\] need \d+$/);
    expect(() => ctx.weights.check(new Float32Array(spec.layout.size), -1, spec)).toThrow("behavior 'p': weights version must be a non-negative integer, got -1");
  });

  it('copies the weights in (the caller may reuse its array) and keeps them when the batch grows', () => {
    const { ctx, spec } = context(ActionSpec.discrete(2));
    const { weights } = ctx;
    const params = spec.layout.initialize(new Rng(5), 0);
    weights.set(params, 4, spec);
    const v = new Float32Array(1);
    weights.forward.values(Float32Array.of(0.5), 1, v);
    params.fill(0);
    weights.reserve(8);
    const w8 = new Float32Array(8);
    weights.forward.values(new Float32Array(8).fill(0.5), 8, w8);
    expect(w8[7]).toBe(v[0]);
    expect(weights.version).toBe(4);
  });
});
