import { describe, it, expect, vi, afterEach } from 'vitest';
import { BehaviorRunner, type BehaviorRunnerOptions, type BehaviorSpec, type PolicyProvider } from './runner.js';
import { Agent } from './agent.js';
import { ActionSpec, type ActionBuffers, type ActionMask } from './action-spec.js';
import type { ObservationWriter } from './observation-writer.js';
import { StackingSensor, VectorSensor } from './sensor.js';
import { EnvError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { resolveConfig, type PPOConfig } from '../rl/config.js';
import { ActionDistribution } from '../rl/distributions.js';
import { RunningMeanStd } from '../rl/normalizer.js';
import { Policy } from '../rl/policy.js';
import type { Rollout } from '../rl/rollout.js';

afterEach(() => { vi.restoreAllMocks(); });

const config = (o: Partial<PPOConfig> = {}) => resolveConfig({ numEnvs: 2, numSteps: 4, numMinibatches: 1, hiddenSizes: [8], ...o });

/** Observes `observe()` (default `[stepCount, 1]`); records every action it receives. */
class Probe extends Agent {
  received: { c: number[]; d: number[] }[] = [];
  begins = 0;
  observe: () => number[] = () => [this.stepCount, 1];
  override onEpisodeBegin(): void { this.begins++; }
  override collectObservations(obs: ObservationWriter): void { obs.addArray(this.observe()); }
  override onActionReceived(a: ActionBuffers): void { this.received.push({ c: Array.from(a.continuous), d: Array.from(a.discrete) }); }
}

function setup(opts: Partial<BehaviorRunnerOptions> = {}, provider?: PolicyProvider | null) {
  const rollouts: Rollout[] = [];
  let params: Float32Array | null = null;
  let spec: BehaviorSpec | null = null;
  const defaultProvider: PolicyProvider = (s) => {
    spec = s;
    params = s.layout.initialize(new Rng(3), opts.config?.initLogStd ?? 0);
    return { params, version: 0 };
  };
  const runner = new BehaviorRunner({
    name: 'test', observationSize: 2, actionSpec: ActionSpec.discrete(3), type: 'train', config: config(),
    onRollout: (r) => rollouts.push(r), ...opts,
  }, provider === null ? undefined : provider ?? defaultProvider);
  return { runner, rollouts, params: () => params!, spec: () => spec! };
}

const ticks = (runner: BehaviorRunner, n: number, after?: (t: number) => void) => Array.from({ length: n }, (_, t) => { const d = runner.tick(); after?.(t); return d; });

describe('BehaviorRunner: decisions', () => {
  it('with decisionPeriod 3 runs the policy every 3 ticks and repeats the action in between', () => {
    const act = vi.spyOn(Policy.prototype, 'act');
    const { runner } = setup();
    const a = new Probe({ decisionPeriod: 3 });
    runner.addAgent(a);
    expect(ticks(runner, 9)).toEqual([true, false, false, true, false, false, true, false, false]);
    expect(act).toHaveBeenCalledTimes(3);
    expect(a.received).toHaveLength(9);
    for (const start of [0, 3, 6]) {
      expect(a.received[start + 1]).toEqual(a.received[start]);
      expect(a.received[start + 2]).toEqual(a.received[start]);
    }
    expect(runner.decisions).toBe(3);
  });

  it('requestDecision() and endEpisode() bring the next decision forward, for every agent (lockstep)', () => {
    const { runner } = setup();
    const a = new Probe({ decisionPeriod: 5 });
    const b = new Probe({ decisionPeriod: 5 });
    runner.addAgent(a);
    runner.addAgent(b);
    expect(ticks(runner, 3, (t) => { if (t === 0) a.requestDecision(); })).toEqual([true, true, false]);
    expect(ticks(runner, 2, (t) => { if (t === 0) b.endEpisode(); })).toEqual([false, true]);
    expect(a.stepCount).toBe(5);
    expect(b.stepCount).toBe(1);
  });

  it('an overridden shouldRequestDecision sets the cadence', () => {
    class Nervous extends Probe {
      override shouldRequestDecision(ctx: { stepCount: number; ticksSinceDecision: number }): boolean { return ctx.ticksSinceDecision >= (ctx.stepCount < 4 ? 1 : 4); }
    }
    const { runner } = setup();
    runner.addAgent(new Nervous());
    // Every tick while stepCount < 4 (ticks 0–3), then every 4 ticks.
    expect(ticks(runner, 9)).toEqual([true, true, true, true, false, false, false, true, false]);
  });

  it('waits for weights: no decisions until setParams when the provider has none yet', () => {
    const { runner } = setup({}, () => null);
    const a = new Probe();
    runner.addAgent(a);
    expect(runner.ready).toBe(false);
    expect(ticks(runner, 2)).toEqual([false, false]);
    expect(a.received).toHaveLength(0);
    runner.setParams(runner.spec!.layout.initialize(new Rng(1), 0), 4);
    expect(runner.tick()).toBe(true);
    expect(a.received).toHaveLength(1);
    expect(runner.policyVersion).toBe(4);
  });
});

describe('BehaviorRunner: rollouts', () => {
  it('marks a maxSteps cut as truncated with V(final obs), and endEpisode as terminated', () => {
    const { runner, rollouts, params, spec } = setup({ config: config({ numSteps: 6 }) });
    const A = new Probe({ name: 'A', maxSteps: 4 });
    const B = new Probe({ name: 'B' });
    runner.addAgent(A);
    runner.addAgent(B);
    ticks(runner, 7, (t) => { if (t === 2) B.endEpisode(); });
    expect(rollouts).toHaveLength(1);
    const r = rollouts[0]!;
    const E = 2;
    // B ended after its 3rd tick: row 2 (decision at tick 2) is terminal. A hit maxSteps after 4 ticks: row 3.
    expect(Array.from(r.terminated)).toEqual(Array.from({ length: 12 }, (_, i) => (i === 2 * E + 1 ? 1 : 0)));
    expect(Array.from(r.truncated)).toEqual(Array.from({ length: 12 }, (_, i) => (i === 3 * E + 0 ? 1 : 0)));
    const policy = new Policy(spec().layout, new ActionDistribution(spec().actionSpace), params(), 1);
    const v = new Float32Array(1);
    policy.values(Float32Array.of(4, 1), 1, v); // A's last observation: stepCount 4
    expect(r.finalValues[3 * E]).toBeCloseTo(v[0]!, 6);
    expect(Array.from(r.finalValues).filter((x) => x !== 0)).toHaveLength(1);
    // After the cut, A observes its new episode from stepCount 0.
    expect(Array.from(r.observations.subarray((3 * E) * 2, (3 * E) * 2 + 2))).toEqual([3, 1]);
    expect(Array.from(r.observations.subarray((4 * E) * 2, (4 * E) * 2 + 2))).toEqual([0, 1]);
    expect(runner.drainEpisodes()).toEqual([
      { agent: 'B', return: 0, length: 3, ticks: 3, end: 'terminated', team: 0, result: null },
      { agent: 'A', return: 0, length: 4, ticks: 4, end: 'truncated', team: 0, result: null },
    ]);
    expect([A.begins, B.begins]).toEqual([2, 2]);
    expect(runner.drainEpisodes()).toEqual([]);
  });

  it("with GAIL's own value head (gail.gamma) records that head's V(s), V(final obs) and V(s_N) beside the extrinsic ones", () => {
    const { runner, rollouts, params, spec } = setup({ config: config({ numSteps: 6, gail: { strength: 0.1 } }) });
    const A = new Probe({ name: 'A', maxSteps: 4 });
    const B = new Probe({ name: 'B' });
    B.observe = () => [2 * B.stepCount, -1];
    runner.addAgent(A);
    runner.addAgent(B);
    // A third agent joins mid-rollout: the batch (3 rows) is wider than the rollout's 2 columns.
    ticks(runner, 13, (t) => { if (t === 1) runner.addAgent(new Probe({ name: 'C' })); });
    expect(rollouts).toHaveLength(2);
    const [r1, r2] = rollouts as [Rollout, Rollout];
    expect(spec().layout.valueHeads).toBe(2);
    const policy = new Policy(spec().layout, new ActionDistribution(spec().actionSpace), params(), 12);
    const heads = (obs: Float32Array, n: number) => {
      const v = new Float32Array(n);
      const g = new Float32Array(n);
      policy.values(obs, n, v, g);
      return { v, g };
    };
    const sv = r1.signalValues!;
    expect(sv.count).toBe(1);
    const all = heads(r1.observations, 12);
    for (let i = 0; i < 12; i++) {
      expect(r1.values[i]).toBeCloseTo(all.v[i]!, 6);
      expect(sv.values[i], `signal value ${i}`).toBeCloseTo(all.g[i]!, 6);
    }
    // A hit maxSteps at row 3: its final observation (stepCount 4) bootstraps both heads.
    const final = heads(Float32Array.of(4, 1), 1);
    expect(r1.finalValues[3 * 2]).toBeCloseTo(final.v[0]!, 6);
    expect(sv.finalValues[3 * 2]).toBeCloseTo(final.g[0]!, 6);
    expect(Array.from(sv.finalValues).filter((x) => x !== 0)).toHaveLength(1);
    // The same weights acted on the same observations: V(s_N) of r1 is r2's first row, for both heads.
    expect(Array.from(sv.lastValues)).toEqual(Array.from(r2.signalValues!.values.subarray(0, 2)));
    expect(Array.from(r1.lastValues)).toEqual(Array.from(r2.values.subarray(0, 2)));
    expect(sv.values.some((x, i) => Math.abs(x - r1.values[i]!) > 1e-3)).toBe(true);
  });

  it('hands off time-major rollouts of numSteps × agents, bootstrapped from the next observation, in fresh buffers', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 3 }) });
    const agents = [0, 1].map((e) => { const p = new Probe(); p.observe = () => [runner.decisions, e]; return p; });
    agents.forEach((a) => runner.addAgent(a));
    ticks(runner, 7);
    expect(rollouts).toHaveLength(2);
    const [r1, r2] = rollouts as [Rollout, Rollout];
    expect([r1.numSteps, r1.numEnvs, r1.observations.length, r1.actions.length, r1.values.length, r1.lastValues.length]).toEqual([3, 2, 12, 6, 6, 2]);
    expect(r1.masks).toBeNull();
    expect(r1.policyVersion).toBe(0);
    for (let t = 0; t < 3; t++) {
      for (let e = 0; e < 2; e++) expect(Array.from(r1.observations.subarray((t * 2 + e) * 2, (t * 2 + e) * 2 + 2))).toEqual([t, e]);
    }
    expect(Array.from(r2.observations.subarray(0, 2))).toEqual([3, 0]);
    // The same weights acted on the same observation: V(s_N) of r1 is r2's first values row.
    expect(Array.from(r1.lastValues)).toEqual(Array.from(r2.values.subarray(0, 2)));
    expect(r2.observations.buffer).not.toBe(r1.observations.buffer);
    expect(r2.actions.buffer).not.toBe(r1.actions.buffer);
    for (let i = 0; i < 6; i++) expect([0, 1, 2]).toContain(r1.actions[i]);
    expect(Array.from(r1.logProbs).every((lp) => lp < 0 && lp > -3)).toBe(true);
  });

  it('agents added mid-rollout act at once and are recorded from the next rollout; removing a recorded one drops the rollout', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 3 }) });
    const a = new Probe();
    const b = new Probe();
    runner.addAgent(a);
    runner.addAgent(b);
    ticks(runner, 2);
    const c = new Probe();
    runner.addAgent(c);
    runner.tick();
    expect(c.received).toHaveLength(1);
    runner.tick(); // r1 full: 2 columns; r2 starts with 3
    expect(rollouts.map((r) => r.numEnvs)).toEqual([2]);
    ticks(runner, 3);
    expect(rollouts.map((r) => r.numEnvs)).toEqual([2, 3]);
    runner.tick(); // r3 row 0
    expect(runner.removeAgent(a)).toBe(true);
    expect(runner.removeAgent(a)).toBe(false);
    expect(runner.droppedRollouts).toBe(1);
    ticks(runner, 4); // a fresh rollout from the next decision: 3 rows, handed off on the 4th
    expect(rollouts.map((r) => r.numEnvs)).toEqual([2, 3, 2]);
    expect(runner.agents).toEqual([b, c]);
  });

  it('replaceAgent: the new agent takes the row, the old one\'s episode closes with its reward and end, and the rollout is kept', () => {
    const episodes: { agent: string; return: number; end: string; ticks: number }[] = [];
    const { runner, rollouts } = setup({ onEpisodeEnd: (e) => episodes.push(e) });
    const a = new Probe({ name: 'a' });
    const b = new Probe({ name: 'b' });
    runner.addAgent(a);
    runner.addAgent(b);
    ticks(runner, 2);
    a.addReward(-1);
    a.endEpisode(); // game over, and the scene builds new agents for the seats
    const a2 = new Probe({ name: 'a2' });
    expect(runner.replaceAgent(a, a2)).toBe(true);
    expect(runner.replaceAgent(a, new Probe())).toBe(false); // a is gone
    expect(runner.agents).toEqual([a2, b]);
    // b was not ended: its episode is cut (truncated) when b2 takes its place.
    const b2 = new Probe({ name: 'b2' });
    expect(runner.replaceAgent(b, b2)).toBe(true);
    ticks(runner, 3); // the 5th decision hands the rollout of 4 rows off
    expect(episodes).toEqual([
      expect.objectContaining({ agent: 'a2', return: -1, end: 'terminated', ticks: 2 }),
      expect.objectContaining({ agent: 'b2', return: 0, end: 'truncated', ticks: 2 }),
    ]);
    expect(a2.begins).toBe(1);
    expect(a.received).toHaveLength(2);
    expect(runner.droppedRollouts).toBe(0);
    expect(rollouts).toHaveLength(1);
    const r = rollouts[0]!;
    // Row 1 (the second decision) closed the old agents' transitions: a's terminal −1, b's truncation.
    expect(Array.from(r.rewards.slice(2, 4))).toEqual([-1, 0]);
    expect(Array.from(r.terminated.slice(2, 4))).toEqual([1, 0]);
    expect(Array.from(r.truncated.slice(2, 4))).toEqual([0, 1]);
  });

  it('sums rewards over the ticks an action is repeated; setReward replaces that sum', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 2 }) });
    const a = new Probe({ decisionPeriod: 3 });
    runner.addAgent(a);
    ticks(runner, 7, (t) => { if (t === 5) a.setReward(10); else a.addReward(1); });
    expect(Array.from(rollouts[0]!.rewards)).toEqual([3, 10]);
    expect(a.cumulativeReward).toBe(14); // 3 + 10 + 1 from tick 6
  });

  it('scales rewards per agent when normalizeReward is set, keeping episode returns raw', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 4, normalizeReward: true, rewardClip: 0.5 }) });
    const a = new Probe({ maxSteps: 2 });
    runner.addAgent(a);
    ticks(runner, 5, () => a.addReward(100));
    const r = rollouts[0]!;
    expect(Array.from(r.rewards).every((x) => x > 0 && x <= 0.5)).toBe(true);
    expect(runner.drainEpisodes().map((e) => e.return)).toEqual([200, 200]);
  });

  it('action masks reach the policy and the rollout; the game never gets a masked choice', () => {
    const act = vi.spyOn(Policy.prototype, 'act');
    const { runner, rollouts } = setup({ actionSpec: ActionSpec.discrete(3, 2) });
    class Masked extends Probe {
      override writeActionMask(mask: ActionMask): void { mask.setActionEnabled(0, 0, false); mask.setActionEnabled(0, 2, false); }
    }
    const m = new Masked();
    const free = new Probe();
    runner.addAgent(m);
    runner.addAgent(free);
    ticks(runner, 5);
    const masks = act.mock.calls[0]![3]!;
    expect(Array.from(masks.subarray(0, 10))).toEqual([0, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(m.received.every((x) => x.d[0] === 1)).toBe(true);
    const r = rollouts[0]!;
    for (let t = 0; t < 4; t++) {
      expect(Array.from(r.masks!.subarray(t * 10, t * 10 + 5))).toEqual([0, 1, 0, 1, 1]);
      expect(r.actions[t * 4]).toBe(1);
    }
  });

  it('rejects a mask that leaves a branch empty, naming the agent', () => {
    const { runner } = setup();
    class Greedy extends Probe {
      override writeActionMask(mask: ActionMask): void { for (let j = 0; j < 3; j++) mask.setActionEnabled(0, j, false); }
    }
    runner.addAgent(new Greedy({ name: 'greedy' }));
    expect(() => runner.tick()).toThrow("behavior 'test', agent 'greedy': writeActionMask disabled every choice of branch 0; at least one must stay enabled");
  });

  it('clips continuous actions for the game while the rollout keeps the raw sample', () => {
    const { runner, rollouts } = setup({ actionSpec: ActionSpec.continuous(1, -0.1, 0.1), config: config({ numSteps: 16, initLogStd: 1 }) });
    const a = new Probe();
    runner.addAgent(a);
    ticks(runner, 17);
    const raw = Array.from(rollouts[0]!.actions);
    expect(raw.some((x) => Math.abs(x) > 0.1)).toBe(true);
    raw.forEach((x, t) => expect(a.received[t]!.c[0]).toBeCloseTo(Math.min(0.1, Math.max(-0.1, x)), 6));
  });

  it('hybrid actions: clipped reals and integer choices for the game, [reals, choices] rows in the rollout', () => {
    const { runner, rollouts } = setup({ actionSpec: ActionSpec.hybrid(1, 2), config: config({ numSteps: 8, initLogStd: 1 }) });
    const a = new Probe();
    runner.addAgent(a);
    ticks(runner, 9);
    const r = rollouts[0]!;
    expect(r.actions).toHaveLength(16);
    for (let t = 0; t < 8; t++) {
      expect(a.received[t]!.c[0]).toBeCloseTo(Math.min(1, Math.max(-1, r.actions[2 * t]!)), 6);
      expect(a.received[t]!.d[0]).toBe(r.actions[2 * t + 1]);
      expect([0, 1]).toContain(a.received[t]!.d[0]);
    }
  });

  it('records the oldest weights version that acted in a rollout; weights set in onRollout act for the next one', () => {
    let runner!: BehaviorRunner;
    const versions: number[] = [];
    ({ runner } = setup({
      config: config({ numSteps: 2 }),
      onRollout: (r) => { versions.push(r.policyVersion); runner.setParams(runner.spec!.layout.initialize(new Rng(9), 0), 7); },
    }));
    runner.addAgent(new Probe());
    runner.tick();
    runner.setParams(runner.spec!.layout.initialize(new Rng(8), 0), 5);
    ticks(runner, 4);
    expect(versions).toEqual([0, 7]);
    expect(() => runner.setParams(new Float32Array(3), 8)).toThrow(/weights have 3 parameters, but observationSize 2, Discrete\(3\) and hiddenSizes \[8\] need \d+/);
  });

  it('normalizes observations with statistics it owns: updated while training', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 3, normalizeObs: true }) });
    const a = new Probe();
    a.observe = () => [100 + a.stepCount, -50];
    runner.addAgent(a);
    ticks(runner, 4);
    const stats = runner.observationStats!;
    expect(stats.count).toBeCloseTo(4, 3);
    expect(stats.mean[0]).toBeCloseTo(101.5, 1);
    const obs = rollouts[0]!.observations;
    expect(Math.abs(obs[2]!)).toBeLessThan(5); // normalized, not 101
  });
});

describe('BehaviorRunner: inference and heuristic', () => {
  it('inference acts with the mode by default (or samples), never fills rollouts, and keeps statistics frozen', () => {
    const act = vi.spyOn(Policy.prototype, 'act');
    const stats = new RunningMeanStd(2);
    stats.update(Float32Array.of(0, 1, 2, 3), 2);
    const count = stats.count;
    const provider: PolicyProvider = (s) => ({ params: s.layout.initialize(new Rng(1), 0), version: 3, observationStats: stats });
    const { runner, rollouts } = setup({ type: 'inference', config: config({ normalizeObs: true, numSteps: 2 }) }, provider);
    runner.addAgent(new Probe());
    ticks(runner, 6);
    expect(rollouts).toHaveLength(0);
    expect(act.mock.calls.every((c) => c[2] === null)).toBe(true);
    expect(runner.observationStats!.count).toBe(count);
    const sampled = setup({ type: 'inference', inferenceAction: 'sample', config: config({ normalizeObs: true }) }, provider).runner;
    sampled.addAgent(new Probe());
    act.mockClear();
    sampled.tick();
    expect(act.mock.calls[0]![2]).not.toBeNull();
  });

  it('inference with normalizeObs refuses weights without statistics', () => {
    const { runner } = setup({ type: 'inference', config: config({ normalizeObs: true }) });
    expect(() => runner.addAgent(new Probe())).toThrow("behavior 'test': inference with config.normalizeObs needs observationStats with the first weights (e.g. the brain's)");
  });

  it('heuristic mode calls each agent\'s heuristic on decisions, repeats it, and never runs the policy or fills rollouts', () => {
    const act = vi.spyOn(Policy.prototype, 'act');
    class Scripted extends Probe {
      calls = 0;
      override heuristic(out: ActionBuffers): void { out.discrete[0] = this.calls++ % 3; }
    }
    const { runner, rollouts } = setup({ type: 'heuristic' }, null);
    const a = new Scripted({ decisionPeriod: 2 });
    runner.addAgent(a);
    ticks(runner, 6);
    expect(act).not.toHaveBeenCalled();
    expect(rollouts).toHaveLength(0);
    expect(a.received.map((x) => x.d[0])).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('rejects heuristic actions outside the spec or the mask, naming the agent and index; clips continuous ones', () => {
    const run = (spec: ActionSpec, write: (out: ActionBuffers) => void, mask?: (m: ActionMask) => void) => {
      class H extends Probe {
        override heuristic(out: ActionBuffers): void { write(out); }
      }
      if (mask) (H.prototype as Agent).writeActionMask = mask;
      const { runner } = setup({ type: 'heuristic', actionSpec: spec }, null);
      const h = new H({ name: 'keys' });
      runner.addAgent(h);
      runner.tick();
      return h;
    };
    expect(() => run(ActionSpec.discrete(3), (o) => { o.discrete[0] = 5; })).toThrow("behavior 'test', agent 'keys': heuristic wrote discrete[0] = 5, out of range [0, 3) for Discrete(3)");
    expect(() => run(ActionSpec.discrete(3, 2), (o) => { o.discrete[1] = -1; })).toThrow(/heuristic wrote discrete\[1\] = -1, out of range \[0, 2\)/);
    expect(() => run(ActionSpec.hybrid(2, 2), (o) => { o.continuous[1] = NaN; })).toThrow("behavior 'test', agent 'keys': heuristic wrote continuous[1] = NaN; expected a finite number in [-1, 1]");
    expect(() => run(ActionSpec.discrete(3), (o) => { o.discrete[0] = 1; }, (m) => m.setActionEnabled(0, 1, false))).toThrow(/heuristic chose discrete\[0\] = 1, which writeActionMask disabled/);
    expect(run(ActionSpec.continuous(1), (o) => { o.continuous[0] = 3; }).received[0]!.c).toEqual([1]);
  });

  it('refuses a heuristic behavior for an agent without heuristic()', () => {
    const { runner } = setup({ type: 'heuristic' }, null);
    expect(() => runner.addAgent(new Probe({ name: 'p' }))).toThrow("behavior 'test', agent 'p': the behavior type is 'heuristic' but the agent has no heuristic(out) method");
  });
});

describe('BehaviorRunner: observations and sensors', () => {
  it('appends sensors after collectObservations, advancing a stacking sensor once per decision and resetting it per episode', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 4 }) });
    const clock = new VectorSensor('clock', 1);
    const a = new Probe({ decisionPeriod: 2 });
    a.observe = () => [7, 8];
    a.addSensor(new StackingSensor(clock, 2));
    runner.addAgent(a);
    expect(runner.spec!.observationSize).toBe(4);
    let t = 0;
    ticks(runner, 9, () => { t++; clock.set([t]); if (t === 4) a.endEpisode(); });
    // Decisions at ticks 0, 2, 4 (forced by endEpisode after tick 3, i.e. t = 4), 6 and 8. The
    // episode that begins at tick 4 starts from zeros: the stack and its inner VectorSensor reset.
    const rows = Array.from({ length: 4 }, (_, i) => Array.from(rollouts[0]!.observations.subarray(i * 4, i * 4 + 4)));
    expect(rows).toEqual([[7, 8, 0, 0], [7, 8, 2, 0], [7, 8, 0, 0], [7, 8, 6, 0]]);
    expect(Array.from(rollouts[0]!.terminated)).toEqual([0, 1, 0, 0]);
  });

  it('lets an agent end its episode from collectObservations', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 2 }) });
    const a = new Probe();
    let fell = false;
    a.observe = () => { if (runner.ticks === 1 && !fell) { fell = true; a.endEpisode(); } return [a.stepCount, 0]; };
    runner.addAgent(a);
    ticks(runner, 3);
    expect(Array.from(rollouts[0]!.terminated)).toEqual([1, 0]);
    expect(runner.drainEpisodes()).toEqual([{ agent: a.name, return: 0, length: 1, ticks: 1, end: 'terminated', team: 0, result: null }]);
  });

  it('names behavior, agent and index for a NaN or infinite observation, and the sensor when it came from one', () => {
    const { runner } = setup();
    const a = new Probe({ name: 'bad' });
    a.observe = () => [0, NaN];
    runner.addAgent(a);
    expect(() => runner.tick()).toThrow(EnvError);
    expect(() => setupAndTick((p) => { p.observe = () => [0, NaN]; })).toThrow("behavior 'test', agent 'bad': collectObservations value 1 is NaN; observations must be finite numbers");
    const broken = { name: 'goal', size: 2, write: (o: Float32Array, at: number) => { o[at] = 0; o[at + 1] = Infinity; }, reset: () => {} };
    expect(() => setupAndTick((p) => { p.addSensor(broken); })).toThrow("behavior 'test', agent 'bad': sensor 'goal' value 1 (observation index 3) is Infinity; observations must be finite numbers");
  });

  it('names the agent and the expected size for a wrong observation count', () => {
    expect(() => setupAndTick((p) => { p.observe = () => [1, 2, 3]; })).toThrow("behavior 'test', agent 'bad': collectObservations wrote 3 values, expected 2 (the behavior's observationSize)");
    const { runner } = setup();
    runner.addAgent(new Probe());
    const odd = new Probe({ name: 'odd' }).addSensor(new VectorSensor('extra', 3));
    expect(() => runner.addAgent(odd)).toThrow("behavior 'test', agent 'odd': observation has 5 values (collectObservations 2 + sensors extra(3)), but the behavior expects 2");
  });

  it('an agent belongs to one behavior at a time', () => {
    const r1 = setup().runner;
    const r2 = setup().runner;
    const a = new Probe({ name: 'solo' });
    r1.addAgent(a);
    expect(() => r1.addAgent(a)).toThrow("behavior 'test', agent 'solo': already added");
    expect(() => r2.addAgent(a)).toThrow(/already belongs to another behavior/);
    r1.removeAgent(a);
    r2.addAgent(a);
  });

  it('defers adds and removals made from agent hooks to the end of the tick', () => {
    const { runner } = setup();
    const spawned = new Probe();
    const a = new Probe();
    a.observe = () => { if (runner.decisions === 1) { runner.addAgent(spawned); runner.removeAgent(a); } return [0, 0]; };
    runner.addAgent(a);
    ticks(runner, 3);
    expect(runner.agents).toEqual([spawned]);
    expect(spawned.received.length).toBeGreaterThan(0);
  });
});

function setupAndTick(configure: (p: Probe) => void): void {
  const { runner } = setup();
  const p = new Probe({ name: 'bad' });
  configure(p);
  runner.addAgent(p);
  runner.tick();
}

describe('BehaviorRunner: weights versions per rollout row', () => {
  it('a synchronous learner in onRollout: every row acted with the weights of the learner\'s version at train time (lag 0)', () => {
    let runner!: BehaviorRunner;
    const learner = { version: 0, trained: [] as { learnerVersion: number; policyVersion: number; versions: number[] }[] };
    ({ runner } = setup({
      config: config({ numSteps: 3 }),
      onRollout: (r) => {
        learner.trained.push({ learnerVersion: learner.version, policyVersion: r.policyVersion, versions: Array.from(r.versions!) });
        learner.version++;
        runner.setParams(runner.spec!.layout.initialize(new Rng(learner.version), 0), learner.version);
      },
    }));
    runner.addAgent(new Probe({ decisionPeriod: 2 }));
    runner.addAgent(new Probe({ decisionPeriod: 3 }));
    ticks(runner, 40, (t) => { if (t === 11) runner.addAgent(new Probe()); });
    expect(learner.trained.length).toBeGreaterThanOrEqual(5);
    for (const [k, r] of learner.trained.entries()) {
      expect(r).toEqual({ learnerVersion: k, policyVersion: k, versions: [k, k, k] });
    }
  });

  it('weights swapped mid-rollout: each row records the version that acted (its values are that critic\'s), policyVersion the oldest', () => {
    const { runner, rollouts } = setup({ config: config({ numSteps: 4 }) });
    const a = new Probe();
    a.observe = () => [runner.decisions, 1];
    runner.addAgent(a);
    const layout = () => runner.spec!.layout;
    const byVersion = new Map<number, Float32Array>();
    ticks(runner, 9, (t) => {
      // New weights after decisions 1 and 2 (rows 1 and 2 of the first rollout act with them) and after 5.
      if (t === 0 || t === 1 || t === 4) {
        const v = runner.policyVersion + 1;
        byVersion.set(v, layout().initialize(new Rng(20 + v), 0));
        runner.setParams(byVersion.get(v)!, v);
      }
    });
    byVersion.set(0, layout().initialize(new Rng(3), 0));
    expect(rollouts.map((r) => [r.policyVersion, Array.from(r.versions!)])).toEqual([[0, [0, 1, 2, 2]], [2, [2, 3, 3, 3]]]);
    const v = new Float32Array(1);
    for (const r of rollouts) {
      for (let t = 0; t < 4; t++) {
        const params = byVersion.get(r.versions![t]!)!;
        new Policy(layout(), new ActionDistribution(runner.spec!.actionSpace), params, 1).values(r.observations.subarray(t * 2, t * 2 + 2), 1, v);
        expect(r.values[t]).toBeCloseTo(v[0]!, 6);
      }
    }
  });
});

describe('BehaviorRunner: reward scaling per agent', () => {
  it('keeps each agent\'s discounted return through joins, leaves and episode ends (a reference computation)', () => {
    const gamma = 0.9;
    const clip = 10;
    let runner!: BehaviorRunner;
    const handed: { start: number; rewards: Float32Array; numEnvs: number }[] = [];
    ({ runner } = setup({
      config: config({ numSteps: 3, normalizeReward: true, gamma, rewardClip: clip }),
      onRollout: (r) => handed.push({ start: runner.decisions - 3, rewards: r.rewards, numEnvs: r.numEnvs }),
    }));
    /** A Probe paid `r` per tick. */
    class Paid extends Probe {
      constructor(readonly r: number) { super(); }
    }
    const agents = [1, 3, -2].map((r) => new Paid(r));
    agents.forEach((a) => runner.addAgent(a));
    // The reference: one discounted return per agent, the statistics merged agent by agent in batch order.
    const stats = new RunningMeanStd(1);
    const ret = new Map<Paid, number>();
    const expected: Map<Paid, number>[] = [];
    const columnsAt: Paid[][] = [];
    let acted: Paid[] = [];
    let ending = new Set<Paid>();
    for (let t = 0; t < 30; t++) {
      for (const a of acted) {
        ret.set(a, (ret.get(a) ?? 0) * gamma + a.r);
        stats.update(Float64Array.of(ret.get(a)!), 1);
      }
      const scaled = new Map<Paid, number>();
      for (const a of acted) {
        scaled.set(a, Math.max(-clip, Math.min(clip, a.r / Math.sqrt(stats.var[0]! + 1e-8))));
        if (ending.has(a)) ret.set(a, 0);
      }
      expected.push(scaled);
      runner.tick();
      acted = runner.agents as Paid[];
      columnsAt.push([...acted]);
      ending = new Set();
      for (const a of acted) a.addReward(a.r);
      if (t % 7 === 3) { acted[1]!.endEpisode(); ending.add(acted[1]!); }
      if (t === 8) runner.removeAgent(agents[0]!); // recorded: that rollout is dropped, the others' returns go on
      if (t === 13) runner.addAgent(new Paid(5));
      if (t === 20) runner.removeAgent(agents[1]!);
      acted = runner.agents.filter((a) => acted.includes(a as Paid)) as Paid[];
    }
    expect(handed.length).toBeGreaterThanOrEqual(5);
    expect(runner.droppedRollouts).toBe(2);
    for (const h of handed) {
      for (let row = 0; row < 3; row++) {
        for (let c = 0; c < h.numEnvs; c++) {
          const agent = columnsAt[h.start]![c]!;
          expect(h.rewards[row * h.numEnvs + c]).toBeCloseTo(expected[h.start + row + 1]!.get(agent)!, 5);
        }
      }
    }
  });
});
