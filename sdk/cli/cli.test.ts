/** The CLI as a user runs it: a real `train` process, then `eval` on the brain it wrote. */
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetricsLog } from './metrics-log.js';
import { loadBrain } from '../io/brain.node.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

describe('npm run train / npm run eval', () => {
  it('trains, writes metrics, a loadable brain and a learning curve, and eval plays the brain', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-'));
    execFileSync(tsx, ['sdk/cli/train.ts', 'cartpole', '--steps', '10240', '--seed', '3', '--out', out, '--quiet'], { stdio: 'pipe' });
    const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(metrics).toHaveLength(20);
    for (const key of ['step', 'time', 'episodes', 'returnMean', 'sps', 'engine', 'device', 'policyLoss', 'valueLoss', 'entropy', 'approxKl', 'clipFraction', 'explainedVariance', 'learningRate']) {
      expect(metrics[19], key).toHaveProperty(key);
    }
    expect(metrics[19]!.step).toBe(10240);
    expect(metrics[19]!.engine).toBe('kernels');
    expect([metrics[19]!.engine, metrics[19]!.device]).toEqual(['kernels', 'wasm-simd']);
    const brain = loadBrain(join(out, 'brain.json'));
    expect(brain.env).toBe('cartpole');
    expect(brain.steps).toBe(10240);
    expect(readFileSync(join(out, 'learning-curve.svg'), 'utf8')).toMatch(/^<svg/);

    const evalOut = execFileSync(tsx, ['sdk/cli/eval.ts', '--brain', join(out, 'brain.json'), '--episodes', '3', '--json'], { encoding: 'utf8' });
    const result = JSON.parse(evalOut.trim()) as { returnMean: number; episodes: number };
    expect(result.episodes).toBe(3);
    expect(result.returnMean).toBeGreaterThan(0);
  }, 120_000);

  it('trains a user environment module given with --env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'userenv-'));
    const module = join(dir, 'coin.ts');
    // A one-step bandit: action 1 pays 1, action 0 pays 0.
    writeFileSync(module, `
      import { Box, Discrete } from ${JSON.stringify(join(process.cwd(), 'sdk/core/spaces.ts'))};
      export default () => ({
        observationSpace: Box(-1, 1, 1), actionSpace: Discrete(2),
        reset: () => new Float32Array(1),
        step: (a: number) => ({ observation: new Float32Array(1), reward: a, terminated: true, truncated: false }),
      });`);
    const out = join(dir, 'run');
    // On the tfjs engine, so the CLI covers both engines.
    execFileSync(tsx, ['sdk/cli/train.ts', '--env', module, '--steps', '4096', '--engine', 'tfjs', '--out', out, '--quiet'], { stdio: 'pipe' });
    expect(existsSync(join(out, 'brain.json'))).toBe(true);
    const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(metrics[0]!.engine).toBe('tfjs');
    expect([metrics[0]!.engine, metrics[0]!.device]).toEqual(['tfjs', 'wasm']);
    expect(metrics[metrics.length - 1]!.returnMean).toBeGreaterThan(0.6);
  }, 120_000);

  it('trains a bundled game (games/balance/headless.ts) and plays its brain', () => {
    const out = mkdtempSync(join(tmpdir(), 'balance-'));
    execFileSync(tsx, ['sdk/cli/train.ts', 'balance', '--steps', '5120', '--out', out, '--quiet'], { stdio: 'pipe' });
    const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(metrics).toHaveLength(10);
    expect(metrics[9]!.engine).toBe('kernels');
    // Synchronous training: every update trains on rows its own weights acted (0, 1, 1, ... before).
    expect(metrics.map((m) => m.policyLag)).toEqual(Array(10).fill(0));
    expect(loadBrain(out).env).toBe('balance');
    const result = JSON.parse(execFileSync(tsx, ['sdk/cli/eval.ts', '--brain', out, '--episodes', '2', '--json'], { encoding: 'utf8' }).trim()) as { returnMean: number; episodes: number };
    expect(result.episodes).toBe(2);
    expect(result.returnMean).toBeGreaterThan(0);
  }, 120_000);

  it('exits 2 with a message naming the flag on bad input', () => {
    const r = spawnSync(tsx, ['sdk/cli/train.ts', 'cartpole', '--steps', 'lots'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--steps: expected a positive integer, got "lots"');
    const bad = spawnSync(tsx, ['sdk/cli/train.ts', 'nosuchenv'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown environment "nosuchenv"\. Known: cartpole, pendulum/);
  }, 60_000);

  it('says "solved" and stops at --target-return only once 100 episodes are behind the mean (not on the quick early successes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'early-'));
    const module = join(dir, 'early.mts');
    const sdk = (p: string) => JSON.stringify(join(process.cwd(), 'sdk', p));
    // One-decision episodes; each copy's first 8 pay 1 whatever the action, every later one 0.
    // The first update's window is all early successes (mean 1 ≥ the bar 0.5); the settled mean is 0.
    writeFileSync(module, `
      import { Agent } from ${sdk('adapter/agent.ts')};
      import { ActionSpec } from ${sdk('adapter/action-spec.ts')};
      import { oneAgentGame } from ${sdk('runtime/game.ts')};
      class Once extends Agent {
        done = 0;
        collectObservations(obs) { obs.add(0); }
        onActionReceived() { this.addReward(this.done < 8 ? 1 : 0); this.done++; this.endEpisode(); }
      }
      export default oneAgentGame({
        name: 'early', observationSize: 1, actionSpec: ActionSpec.discrete(2), solvedAt: 0.5, copies: 4,
        config: { numSteps: 8, numMinibatches: 1 },
        build: () => { const agent = new Once(); return { agent, step: () => {} }; },
      });`);
    const out = join(dir, 'run');
    const r = spawnSync(tsx, ['sdk/cli/train.ts', '--env', module, '--steps', '1024', '--target-return', '0.5', '--out', out], { encoding: 'utf8', env: { ...process.env, CI: '1', npm_package_name: 'my-game' } });
    expect(r.status, r.stderr).toBe(0);
    const metrics = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(metrics[0]!.returnMean).toBe(1);
    // It trained on past the early window (the old CLI stopped at the first update, "solved at step 32").
    expect(metrics.at(-1)!.step).toBe(1024);
    expect(r.stderr).not.toContain('solved');
    expect(r.stderr).toMatch(/^done/m);
    // In a game's own repository the closing hint is the bin, not this repository's npm script.
    // With the module typed: the brain names its behavior ("early"), which eval alone cannot find.
    expect(r.stderr).toContain(`play it: npx phaser-ppo eval ${module} --brain ${join(out, 'brain.json')}`);
  }, 60_000);
});
