/**
 * Self-play in live mode: a scene's Behavior trained with `config.selfPlay` splits its agents by
 * team as the headless trainer does (one SelfPlay, one TeamRoster), and its snapshots, swaps,
 * team changes and ELO happen on the same steps as in the headless run of the same settings.
 */
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type Phaser from 'phaser';
import { Behavior, type LiveMetrics } from './behavior.js';
import { inProcessLearner } from '../runtime/learner-client.js';
import { LearnerHost } from '../runtime/learner-host.js';
import { nodeBackends } from '../runtime/backend.node.js';
import { FastTrainer } from '../runtime/fast-trainer.js';
import { opponentsOf } from '../runtime/team-split.js';
import { sumoGame, SumoMatch } from '../../games/sumo/headless.js';
import { SUMO_ACTIONS, SUMO_OBSERVATIONS } from '../../games/sumo/agent.js';
import type { Brain } from '../io/brain.js';
import type { BehaviorError } from './events.js';

/** As games/sumo/sumo.test.ts: 4 rings, 4 learning wrestlers × 32 decisions = 128 transitions per update. */
const SMALL = { numSteps: 32, numMinibatches: 2, selfPlay: { saveSteps: 512, swapSteps: 256, teamChange: 1024, window: 3 } };
const SEED = 3;

function liveSumo(brain?: Brain) {
  const events = new EventEmitter();
  const metrics: LiveMetrics[] = [];
  const errors: BehaviorError[] = [];
  events.on('metrics', (m: LiveMetrics) => metrics.push(m));
  events.on('error', (e: BehaviorError) => errors.push(e));
  const behavior = new Behavior({
    name: 'sumo', observationSize: SUMO_OBSERVATIONS, actionSpec: SUMO_ACTIONS, backend: 'kernels',
    config: { ...sumoGame.behaviors[0]!.config, ...SMALL, seed: SEED },
    learner: () => inProcessLearner(new LearnerHost(nodeBackends)),
    ...(brain ? { brain } : {}),
  }, events as unknown as Phaser.Events.EventEmitter);
  const matches = Array.from({ length: 4 }, (_, i) => new SumoMatch(100 + i, [`live-${i}a`, `live-${i}b`]));
  for (const m of matches) for (const a of m.agents) behavior.addAgent(a);
  return { behavior, matches, metrics, errors };
}

/** A frame loop: weights in, one fixed step, the world; the learner's replies land between frames. */
async function frames(l: ReturnType<typeof liveSumo>, until: () => boolean, maxTicks: number): Promise<void> {
  for (let k = 0; k < maxTicks && !until(); k++) {
    l.behavior.applyPendingWeights();
    l.behavior.tick();
    for (const m of l.matches) m.step();
    await new Promise((r) => setImmediate(r));
  }
}

describe('Behavior (live mode) with self-play', () => {
  it('splits by team and saves, swaps, changes team and rates on the same steps as the headless trainer', async () => {
    // The headless run of the same settings: what the schedule must be.
    const headless = new FastTrainer(sumoGame, nodeBackends, { copies: 4, seed: SEED, backend: 'kernels', config: SMALL });
    await headless.start();
    const want: { step: number; team: number; opponent: number; pool: number[]; elo: boolean }[] = [];
    for (let i = 0; i < 20; i++) {
      const u = headless.runUpdate();
      const sp = headless.selfPlay()!;
      want.push({ step: u.step, team: sp.learningTeam, opponent: sp.opponent, pool: sp.pool.map((s) => s.version), elo: typeof u.elo === 'number' });
    }
    headless.dispose();

    const l = liveSumo();
    const { behavior } = l;
    await frames(l, () => behavior.selfPlay !== null, 1);
    const sp = behavior.selfPlay!;
    expect(sp.learningTeam).toBe(0);
    expect(behavior.runner.agents.map((a) => a.team)).toEqual([0, 0, 0, 0]);
    expect(behavior.opponents!.agents.map((a) => a.team)).toEqual([1, 1, 1, 1]);
    expect(behavior.opponents!.name).toBe(opponentsOf('sumo'));
    expect(behavior.opponents!.type).toBe('inference');
    const seen: typeof want = [];
    for (let i = 0; i < 20; i++) {
      await frames(l, () => l.metrics.length > i, 2000);
      expect(l.metrics.length).toBe(i + 1);
      const m = l.metrics[i]!;
      seen.push({ step: m.step, team: sp.learningTeam, opponent: sp.opponent, pool: sp.pool.map((s) => s.version), elo: typeof m.elo === 'number' });
      expect(m.learningTeam).toBe(sp.learningTeam);
      // The agents sit with the runner of their side from the team change on.
      expect(behavior.runner.agents.every((a) => a.team === sp.learningTeam)).toBe(true);
      expect(behavior.opponents!.agents.every((a) => a.team !== sp.learningTeam)).toBe(true);
      expect(behavior.opponents!.agents.length).toBe(4);
    }
    expect(l.errors).toEqual([]);
    // Same steps (no rollout dropped), same team changes (team 1 learns from step 1024 to 2048),
    // same pool (snapshots of the same update versions) and the same opponent draws.
    expect(seen).toEqual(want);
    expect(seen.map((s) => s.team)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(sp.pool.map((s) => s.version)).toEqual([12, 16, 20]);
    // The opponents act with the drawn weights.
    await frames(l, () => false, 1);
    expect(behavior.opponents!.policyVersion).toBe(sp.opponentWeights.version);
    // Games were scored, and the ELO moved off its start.
    expect(sp.games).toBeGreaterThan(0);
    expect(l.metrics.some((m) => m.elo !== sp.settings.initialElo)).toBe(true);

    // The pool is in the live brain (a checkpoint); a behavior given it continues the same state.
    const brain = await behavior.brain();
    expect(brain.training!.selfPlay).toEqual(sp.toJSON());
    behavior.dispose();
    const resumed = liveSumo(brain);
    await frames(resumed, () => resumed.behavior.selfPlay !== null, 1);
    expect(resumed.behavior.selfPlay!.toJSON()).toEqual(sp.toJSON());
    expect(resumed.behavior.runner.agents.map((a) => a.team)).toEqual([0, 0, 0, 0]);
    expect(resumed.behavior.opponents!.policyVersion).toBe(sp.opponentWeights.version);
    resumed.behavior.dispose();
  }, 120_000);

  it('stops with a message naming the teams when every agent is on one team; inference and selfPlay: null train as before', async () => {
    const events = new EventEmitter();
    const errors: BehaviorError[] = [];
    events.on('error', (e: BehaviorError) => errors.push(e));
    const options = {
      name: 'sumo', observationSize: SUMO_OBSERVATIONS, actionSpec: SUMO_ACTIONS, backend: 'kernels' as const,
      config: { ...sumoGame.behaviors[0]!.config, ...SMALL }, learner: () => inProcessLearner(new LearnerHost(nodeBackends)),
    };
    const b = new Behavior(options, events as unknown as Phaser.Events.EventEmitter);
    const m = new SumoMatch(1);
    b.addAgent(m.agents[0]);
    b.tick();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/behavior "sumo" trains with self-play \(config.selfPlay\), but all its agents are on team 0; give the agents of each side their own team/)]);
    expect(b.runner.decisions).toBe(0);
    b.dispose();
    const plain = new Behavior({ ...options, config: { ...options.config, selfPlay: null } }, events as unknown as Phaser.Events.EventEmitter);
    for (const a of new SumoMatch(2).agents) plain.addAgent(a);
    expect(plain.opponents).toBeNull();
    expect(plain.runner.agents.length).toBe(2);
    plain.dispose();
    const inference = new Behavior({ ...options, type: 'inference' }, events as unknown as Phaser.Events.EventEmitter);
    expect(inference.opponents).toBeNull();
    inference.dispose();
  });
});
