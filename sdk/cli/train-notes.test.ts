/**
 * What `train` says about a game module it did not write: a bad field in the game's own config is
 * the game's (not a --config flag the user never typed), and a resumed run does not claim that no
 * episode ever ended because its fresh copies have not finished one yet.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

function train(...args: string[]) {
  const r = spawnSync(tsx, ['sdk/cli/train.ts', ...args], { encoding: 'utf8', env: { ...process.env, npm_package_name: 'phaser-ppo' } });
  return { status: r.status, stderr: r.stderr };
}

/** A one-agent game module whose episodes last `episodeSteps` decisions, with `config` as its behavior's. */
function gameModule(config: object, episodeSteps: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'train-notes-'));
  const module = join(dir, 'walker.mts');
  const sdk = (p: string) => JSON.stringify(join(process.cwd(), 'sdk', p));
  writeFileSync(module, `
    import { Agent } from ${sdk('adapter/agent.ts')};
    import { ActionSpec } from ${sdk('adapter/action-spec.ts')};
    import { oneAgentGame } from ${sdk('runtime/game.ts')};
    class Walker extends Agent {
      constructor() { super({ maxSteps: ${episodeSteps} }); }
      collectObservations(obs) { obs.add(0); }
      onActionReceived() { this.addReward(1); }
    }
    export default oneAgentGame({
      name: 'walker', observationSize: 1, actionSpec: ActionSpec.discrete(2), copies: 1, solvedAt: 1e9,
      config: ${JSON.stringify(config)},
      build: () => ({ agent: new Walker(), step: () => {} }),
    });`);
  return module;
}

describe('train on a game module: notes and errors that point at the right place', () => {
  it("a bad field in the game's own config names the game's behavior, not --config, and prints no usage", () => {
    // entropyCoef for entCoef: the kind of slip a scene's addBehavior({ config }) makes (a config
    // object in a const escapes TypeScript's excess-property check).
    const module = gameModule({ numSteps: 16, numMinibatches: 1, entropyCoef: 0.01 }, 24);
    const r = train(module, '--steps', '64', '--out', join(mkdtempSync(join(tmpdir(), 'train-notes-run-')), 'run'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PPOConfig.entropyCoef: unknown field; known fields are');
    expect(r.stderr).toContain('in the config of behavior "walker" of the game "walker": its addBehavior({ config }) or sceneGame\'s config');
    expect(r.stderr).not.toContain('--config:');
    expect(r.stderr).not.toContain('Usage:');
  }, 60_000);

  it('a field of a --config file is still that flag\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-notes-flag-'));
    const file = join(dir, 'ppo.json');
    writeFileSync(file, JSON.stringify({ entropyCoef: 0.01 }));
    const r = train(gameModule({ numSteps: 16, numMinibatches: 1 }, 24), '--config', file, '--steps', '64', '--out', join(dir, 'run'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--config: PPOConfig.entropyCoef: unknown field');
  }, 60_000);

  it('a resumed run whose first update ends no episode (its copies start fresh) does not warn that none ever ends', () => {
    // Rollouts of 16 decisions (one agent), episodes of 24: the resumed run's first update ends none, its second one.
    const module = gameModule({ numSteps: 16, numMinibatches: 1 }, 24);
    const out = join(mkdtempSync(join(tmpdir(), 'train-notes-resume-')), 'run');
    const first = train(module, '--steps', '64', '--out', out, '--quiet');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('no episode has ended');
    const resumed = train(module, '--resume', out, '--steps', '128', '--quiet');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${out} at step 64`);
    expect(resumed.stderr).not.toContain('no episode has ended');
  }, 60_000);

  it('a game whose episodes never end is still told so after a resume, counting this session\'s steps', () => {
    const module = gameModule({ numSteps: 16, numMinibatches: 1 }, 0);
    const out = join(mkdtempSync(join(tmpdir(), 'train-notes-endless-')), 'run');
    const first = train(module, '--steps', '64', '--out', out, '--quiet');
    expect(first.status, first.stderr).toBe(0);
    // Two updates of 16 decisions (one copy, one agent) after the checkpoint's 64: 32 steps of this session.
    const resumed = train(module, '--resume', out, '--steps', '192', '--quiet');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('no episode has ended in 32 steps');
  }, 60_000);

  it("--steps against one rollout of the game's agents, not of the default numEnvs", () => {
    // One copy, one agent, numSteps 16: a rollout is 16 transitions. It was checked against
    // numEnvs 4 (the default, which a game does not use): 16 refused as "less than one rollout of 64".
    const one = train(gameModule({ numSteps: 16, numMinibatches: 1 }, 24), '--steps', '16', '--out', join(mkdtempSync(join(tmpdir(), 'train-notes-one-')), 'run'), '--quiet');
    expect(one.status, one.stderr).toBe(0);
    expect(one.stderr).toContain('1 agents × 16 steps');
    // numSteps 128 and one agent: --steps 100 is less than a rollout (it used to pass the check and train 128).
    const short = train(gameModule({ numSteps: 128, numMinibatches: 1 }, 24), '--steps', '100', '--out', join(mkdtempSync(join(tmpdir(), 'train-notes-short-')), 'run'));
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('--steps: 100 steps is less than one rollout of 1 agents × numSteps 128 = 128 transitions, so training would run 128 steps: give --steps 128 or more');
  }, 60_000);
});
