/**
 * A game from outside the repository, trained as its developer would (test-fixtures/foreign-coins:
 * a Phaser scene without physics whose scene key, `CoinsScene`, is not its behavior's name,
 * `collector`): `train` on the module learns past what a random walk reaches, `--resume` with the
 * module continues the run, a `--steps` that is not a whole number of rollouts stops at the last
 * whole one, and the closing hints are commands that work as printed.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrain } from '../io/brain.node.js';
import { readMetricsLog } from './metrics-log.js';
import { runCli } from './run-cli.js';

const GAME = 'test-fixtures/foreign-coins/headless.ts';
/** One rollout: 2 copies × 4 collectors × 64 decisions. */
const ROLLOUT = 512;
/** A random walk's mean return is −0.12 (2,000 episodes); 4 coins an episode is the game's `solvedAt`. */
const LEARNED = 4;


describe('a foreign scene game (coins: no physics, behavior "collector" in scene "CoinsScene")', () => {
  it('learns past random on a fixed seed, stops at whole rollouts, resumes with its module, and eval plays it', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'coins-')), 'run');
    // 20,000 is 39 rollouts and 32 transitions: the run stops at 39 × 512 = 19,968 (it used to
    // collect a 40th rollout and train it at learning rate 0).
    const first = runCli('train', GAME, '--steps', '20000', '--seed', '1', '--out', out, '--quiet');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('training stops at 19,968');
    const trained = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(trained).toHaveLength(39);
    const last = trained.at(-1)!;
    expect(last.step).toBe(39 * ROLLOUT);
    expect(last.learningRate).toBeGreaterThan(0);
    expect(last.episodes).toBeGreaterThanOrEqual(100);
    expect(last.returnMean).toBeGreaterThanOrEqual(LEARNED);
    expect(loadBrain(out).env).toBe('collector');
    // Which weights file the brain names alternates between saves: the closing lines name it.
    const weights = readdirSync(out).filter((f) => f.endsWith('.bin'));
    expect(weights).toHaveLength(1);
    expect(first.stderr).toContain(`brain:   ${join(out, 'brain.json')} + ${weights[0]} (ship both)`);
    // The hints name the module the user typed: the brain's "collector" is no game the CLI can find.
    expect(first.stderr).toContain(`play it: npm run eval -- ${GAME} --brain ${join(out, 'brain.json')}`);
    expect(first.stderr).toContain(`train on: npm run train -- ${GAME} --resume ${out} --steps 40_000`);

    // Resumed with the module, as the hint says: it continues the run (it was refused: "a brain
    // trained on "collector", not "CoinsScene"").
    const resumed = runCli('train', GAME, '--resume', out, '--steps', '30000', '--quiet');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${out} at step 19,968 (update 39)`);
    const continued = readMetricsLog(join(out, 'metrics.jsonl'));
    // 30,000 is 58 whole rollouts (29,696): 19 more updates, on the same log.
    expect(continued.map((m) => m.step)).toEqual(Array.from({ length: 58 }, (_, i) => (i + 1) * ROLLOUT));
    expect(continued.at(-1)!.learningRate).toBeGreaterThan(0);
    expect(loadBrain(out).steps).toBe(58 * ROLLOUT);

    const played = runCli('eval', GAME, '--brain', join(out, 'brain.json'), '--episodes', '8', '--json');
    expect(played.status, played.stderr).toBe(0);
    const greedy = JSON.parse(played.stdout) as { returnMean: number; actions: string };
    expect(greedy.returnMean).toBeGreaterThanOrEqual(LEARNED);
    expect(greedy.actions).toBe('mode');

    // --sample: actions drawn from the policy, seeded (the same seed plays the same episodes).
    const sampled = [1, 2].map(() => runCli('eval', GAME, '--brain', join(out, 'brain.json'), '--episodes', '8', '--sample', '--json'));
    expect(sampled[0]!.status, sampled[0]!.stderr).toBe(0);
    const [s1, s2] = sampled.map((r) => JSON.parse(r.stdout) as { returnMean: number; returns: number[]; actions: string });
    expect(s1!.actions).toBe('sample');
    expect(s2!.returns).toEqual(s1!.returns);
    expect(s1!.returnMean).not.toBe(greedy.returnMean);
    const text = runCli('eval', GAME, '--brain', join(out, 'brain.json'), '--episodes', '2', '--sample', '--seed', '5');
    expect(text.stdout).toContain('sampled actions (seed 5)');
  }, 180_000);

  it('on actor workers (--workers 2) the run stops at the last whole rollout too, still learning', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'coins-workers-')), 'run');
    // 1,200 steps hold 2 rollouts of 512: 1,024 (it used to train a third at learning rate 0).
    const r = runCli('train', GAME, '--workers', '2', '--steps', '1200', '--out', out, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(metrics.map((m) => m.step)).toEqual([512, 1024]);
    expect(metrics.at(-1)!.learningRate).toBeGreaterThan(0);
  }, 120_000);

  it('a game whose agents never end an episode: the note says how an agent ends one, not an Env\'s "terminated or truncated"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'endless-game-'));
    const module = join(dir, 'endless.mts');
    const sdk = (p: string) => JSON.stringify(join(process.cwd(), 'sdk', p));
    writeFileSync(module, `
      import { Agent } from ${sdk('adapter/agent.ts')};
      import { ActionSpec } from ${sdk('adapter/action-spec.ts')};
      import { oneAgentGame } from ${sdk('runtime/game.ts')};
      class Wanderer extends Agent {
        collectObservations(obs) { obs.add(0); }
        onActionReceived() { this.addReward(0); }
      }
      export default oneAgentGame({
        name: 'endless', observationSize: 1, actionSpec: ActionSpec.discrete(2), copies: 2,
        config: { numSteps: 16, numMinibatches: 1 },
        build: () => ({ agent: new Wanderer(), step: () => {} }),
      });`);
    const r = runCli('train', module, '--steps', '128', '--out', join(dir, 'run'), '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('no episode has ended in 64 steps, so the mean return is unknown (NaN): does an agent ever end its episode? Call its endEpisode()');
    // 2 agents: each has taken 32 decisions, too few for an episode capped longer (the arena's 450) to end yet.
    expect(r.stderr).toContain('in the agent\'s constructor (32 decisions per agent so far: episodes longer than that have not had the time to end)');
    expect(r.stderr).not.toContain('terminated or truncated');
  }, 60_000);

  it('--resume without the module is refused with the command that works, not "Unknown environment"', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'coins-bare-')), 'run');
    expect(runCli('train', GAME, '--steps', '1024', '--out', out, '--quiet').status).toBe(0);
    const bare = runCli('train', '--resume', out, '--steps', '2048');
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain(`holds a brain of "collector", which is neither built in nor a bundled game: give the module it was trained from`);
    expect(bare.stderr).toContain(`before --resume, as in npm run train -- src/headless.ts --resume ${out}`);
    expect(bare.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  }, 120_000);
});
