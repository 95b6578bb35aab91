/** The bridge's session: remote behaviors driven through the one collector, as a Python client sees them. */
import { describe, it, expect } from 'vitest';
import { BehaviorRunner } from '../adapter/runner.js';
import { resolveConfig } from '../rl/config.js';
import { Collector } from '../runtime/collector.js';
import { balanceGame } from '../../games/balance/headless.js';
import { BridgeRequestError, BridgeSession } from './session.js';
import { lineGame } from './test-game.js';

describe('BridgeSession', () => {
  it('reset gives every behavior\'s first observations; env_info gives spaces and agents', () => {
    const s = new BridgeSession(lineGame(), 2, 1);
    const first = s.reset();
    expect(Object.keys(first.behaviors).sort()).toEqual(['steerer', 'walker']);
    expect(first.behaviors.walker!.obs).toEqual([[0], [0], [0], [0]]);
    expect(first.behaviors.walker!.agent_names).toEqual(['w0a', 'w0b', 'w1a', 'w1b']);
    expect(first.behaviors.walker!.reward).toEqual([0, 0, 0, 0]);
    expect(first.ticks).toBe(0);
    const info = s.info();
    expect(info.behaviors.map((b) => [b.name, b.agents, b.observation_space.shape[0], b.action_size])).toEqual([['walker', 4, 1, 1], ['steerer', 2, 2, 2]]);
    expect(info.behaviors[0]!.action_space).toEqual({ kind: 'discrete', n: 3 });
    expect(info.behaviors[1]!.action_space).toEqual({ kind: 'box', size: 2, low: [-1, -1], high: [1, 1] });
  });

  it('steps one tick per decision; a behavior deciding every 3rd tick is asked every 3rd step', () => {
    const s = new BridgeSession(lineGame(), 2, 1);
    s.reset();
    const asked: string[][] = [];
    let reply = s.step({ walker: [2, 2, 1, 0], steerer: [[0.5, -0.5], [2, -3]] });
    asked.push(Object.keys(reply.behaviors).sort());
    for (let i = 0; i < 4; i++) {
      expect(reply.ticks).toBe(1);
      const actions: Record<string, unknown> = { walker: [[2], [2], [1], [0]] };
      if (reply.behaviors.steerer) actions.steerer = [[0, 0], [0, 0]];
      reply = s.step(actions);
      asked.push(Object.keys(reply.behaviors).sort());
    }
    expect(asked).toEqual([['walker'], ['walker'], ['steerer', 'walker'], ['walker'], ['walker']]);
  });

  it('continuous actions reach the game clipped to the spec; rewards and positions follow the actions', () => {
    const game = lineGame();
    const s = new BridgeSession(game, 2, 1);
    s.reset();
    const r = s.step({ walker: [2, 2, 1, 0], steerer: [[0.5, -0.5], [2, -3]] });
    expect(game.steerers.map((x) => x.last)).toEqual([[0.5, -0.5], [1, -1]]);
    expect(r.behaviors.walker!.obs).toEqual([[1], [1], [0], [-1]]);
    expect(r.behaviors.walker!.reward).toEqual([1, 1, 0, -1]);
  });

  it('a terminated episode reports its last observation in final_obs and returns the next episode\'s first', () => {
    const s = new BridgeSession(lineGame(), 1, 1);
    s.reset();
    let r = s.step({ walker: [2, 1], steerer: [[0, 0]] });
    r = s.step({ walker: [2, 1] });
    r = s.step({ walker: [2, 1], ...(r.behaviors.steerer ? { steerer: [[0, 0]] } : {}) });
    const w = r.behaviors.walker!;
    // Walker a reached x = 3 (its goal): terminated; walker b stood still.
    expect(w.terminated).toEqual([true, false]);
    expect(w.truncated).toEqual([false, false]);
    expect(w.final_obs).toEqual({ 0: [3] });
    expect(w.obs).toEqual([[0], [0]]);
    expect(w.reward).toEqual([3, 0]);
    expect(w.episodes).toEqual([expect.objectContaining({ agent: 'w0a', return: 6, length: 3, ticks: 3, end: 'terminated' })]);
  });

  it('an episode cut at maxSteps is truncated, not terminated', () => {
    const s = new BridgeSession(lineGame(), 1, 1);
    let r = s.reset();
    for (let t = 0; t < 10; t++) r = s.step({ walker: [1, 1], ...(r.behaviors.steerer ? { steerer: [[0, 0]] } : {}) });
    expect(r.behaviors.walker!.truncated).toEqual([true, true]);
    expect(r.behaviors.walker!.terminated).toEqual([false, false]);
    expect(r.behaviors.walker!.final_obs).toEqual({ 0: [0], 1: [0] });
  });

  it('refuses bad steps with a clear error and moves nothing: the next good step is as if the bad ones never came', () => {
    const good = new BridgeSession(lineGame(), 2, 1);
    const s = new BridgeSession(lineGame(), 2, 1);
    good.reset();
    s.reset();
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ walker: [2, 2, 1] , steerer: [[0, 0], [0, 0]] }, /actions\["walker"\] has 3 rows; the behavior has 4 agents/],
      [{ walker: [2, 2, 1, 3], steerer: [[0, 0], [0, 0]] }, /agent 'w1b'.*discrete action 0 is 3; expected an integer in \[0, 2\]/],
      [{ walker: [2, 2, 1, 0.5], steerer: [[0, 0], [0, 0]] }, /discrete action 0 is 0.5/],
      [{ walker: [2, 2, 1, 0], steerer: [[0, null], [0, 0]] }, /actions\["steerer"\]\[0\]\[1\] must be a number, got null/],
      [{ walker: [2, 2, 1, 0] }, /no actions for "steerer", which awaits them/],
      [{ walker: [2, 2, 1, 0], steerer: [[0, 0], [0, 0]], hunter: [] }, /"hunter", which is no behavior of "line"/],
      [{ walker: 'left', steerer: [[0, 0], [0, 0]] }, /must be an array of 4 rows of 1 numbers, got string/],
      [{ walker: [[2, 2], 2, 1, 0], steerer: [[0, 0], [0, 0]] }, /actions\["walker"\]\[0\] must be a number or an array of 1 numbers, got 2 values/],
    ];
    for (const [actions, message] of bad) {
      expect(() => s.step(actions)).toThrow(BridgeRequestError);
      expect(() => s.step(actions)).toThrow(message);
    }
    const sequence = [{ walker: [2, 2, 1, 0], steerer: [[0.5, 0], [0, 0]] }, { walker: [0, 2, 2, 1] }, { walker: [1, 1, 1, 1] }, { walker: [1, 1, 1, 1], steerer: [[0, 0], [0, 1]] }];
    for (const actions of sequence) expect(s.step(actions)).toEqual(good.step(actions));
    // A step for a behavior that is not awaiting is refused too (steerer decides every 3rd tick).
    expect(() => s.step({ walker: [1, 1, 1, 1], steerer: [[0, 0], [0, 0]] })).toThrow(/"steerer", which is not awaiting actions now/);
  });

  it('plays balance exactly as the same actions given by a heuristic through the collector', () => {
    // Always push right: the heuristic with no human input does the same.
    const s = new BridgeSession(balanceGame, 1, 7);
    s.reset();
    const remote: number[] = [];
    for (let i = 0; remote.length < 3; i++) {
      const r = s.step({ balance: [1] });
      for (const e of r.behaviors.balance!.episodes) remote.push(e.ticks);
    }
    const local: number[] = [];
    const collector = new Collector(balanceGame, {
      copies: 1, seed: 7,
      runner: (b) => new BehaviorRunner({ name: b.name, observationSize: b.observationSize, actionSpec: b.actionSpec, type: 'heuristic', config: resolveConfig(b.config), onEpisodeEnd: (e) => local.push(e.ticks) }),
    });
    while (local.length < 3) expect(collector.tick()).toBe(true);
    expect(remote).toEqual(local);
    expect(remote.every((t) => t > 5 && t < 200)).toBe(true);
  });

  it('reset with a seed replays the same episodes; step before reset is refused', () => {
    const s = new BridgeSession(balanceGame, 2, 1);
    expect(() => s.step({ balance: [0, 0] })).toThrow(/step before reset/);
    const a = s.reset(5).behaviors.balance!.obs;
    s.step({ balance: [0, 1] });
    expect(s.reset(5).behaviors.balance!.obs).toEqual(a);
    expect(s.reset(6).behaviors.balance!.obs).not.toEqual(a);
    expect(() => s.reset(-1)).toThrow(/seed must be an integer from 0 to 4294967295/);
  });
});

describe('FrameReader', () => {
  it('cuts frames however the bytes arrive: byte by byte, several in one chunk, split headers', async () => {
    const { encodeFrame, FrameReader } = await import('./protocol.js');
    const frames = [encodeFrame({ type: 'reset' }), encodeFrame({ type: 'step', actions: { a: [[1, 2.5]] } }), encodeFrame({})];
    const bytes = Buffer.concat(frames);
    const want = frames.map((f) => f.subarray(4).toString());
    for (const size of [1, 3, 5, 7, bytes.length]) {
      const reader = new FrameReader(1024);
      const got: string[] = [];
      for (let i = 0; i < bytes.length; i += size) got.push(...reader.push(bytes.subarray(i, i + size)).map((b) => b.toString()));
      expect(got).toEqual(want);
      expect(reader.pending).toBe(0);
    }
    const small = new FrameReader(10);
    expect(() => small.push(Buffer.from([0, 0, 0, 11]))).toThrow(/a frame of 11 bytes is over the limit of 10/);
  });
});
