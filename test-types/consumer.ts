/**
 * The type test: a game's file that uses every entry point of the published package. The package
 * test (e2e/package.spec.ts) compiles it with `strict` inside a fresh install of the tarball, so it
 * sees only the shipped .d.ts, through the exports map. Nothing here runs.
 */
import {
  ActionSpec, Agent, Box, Discrete, DEFAULT_PPO_CONFIG, Rng, resolveConfig,
  type ActionBuffers, type Env, type ObservationWriter, type PPOConfig, type UpdateMetrics, type UpdateStats,
} from 'phaser-ppo';
import { Trainer, KernelsEngine } from 'phaser-ppo/rl';
import { PPOPlugin, loadBrainFromUrl, type Behavior, type BehaviorOptions, type LiveMetrics } from 'phaser-ppo/phaser';
import { loadBrain, saveBrain, useNodeBackend, type NodeBackend } from 'phaser-ppo/node';
import { phaserPpo, type PhaserPpoViteOptions } from 'phaser-ppo/vite';
import type { LearningGoal } from 'phaser-ppo/testing';
// @ts-expect-error: internal modules are not part of the package's API (the exports map hides them).
import { Adam } from 'phaser-ppo/dist/sdk/rl/adam.js';

class Guard extends Agent {
  constructor(private readonly rng: Rng) {
    super({ maxSteps: 200, decisionPeriod: 2 });
  }
  override collectObservations(obs: ObservationWriter): void {
    obs.add(this.rng.uniform(-1, 1));
  }
  override onActionReceived(actions: ActionBuffers): void {
    const choice: number | undefined = actions.discrete[0];
    if (choice === 2) this.addReward(1);
  }
}

const options: BehaviorOptions = { name: 'guard', observationSize: 1, actionSpec: ActionSpec.discrete(3), type: 'train', backend: 'auto' };
const config: Partial<PPOConfig> = { learningRate: 3e-4, numSteps: 64 };
const resolved = resolveConfig({ ...DEFAULT_PPO_CONFIG, ...config });
const batch: number = resolved.batchSize;

const env: Env = {
  observationSpace: Box(-1, 1, 1),
  actionSpace: Discrete(2),
  reset: () => new Float32Array(1),
  step: () => ({ observation: new Float32Array(1), reward: 0, terminated: false, truncated: false }),
};
const trainer = new Trainer({ env: () => env, envName: 'toy', config, engine: (layout) => new KernelsEngine(layout) });
trainer.run({ onUpdate: (m: UpdateMetrics) => m.returnMean + (m.device === 'wasm-simd' ? 0 : 1) });
const lagOf = (s: UpdateStats): number => s.policyLagMean;

async function onMetrics(plugin: PPOPlugin, behavior: Behavior): Promise<void> {
  plugin.events.on('metrics', (m: LiveMetrics) => m.returnMean + m.policyVersion);
  behavior.addAgent(new Guard(new Rng(1)));
  const brain = await loadBrainFromUrl('/brains/guard.json');
  plugin.addBehavior({ ...options, name: 'guard-shipped', type: 'inference', brain });
}

async function nodeSide(backend: NodeBackend): Promise<string> {
  const used = await useNodeBackend(backend);
  saveBrain('runs/x', loadBrain('runs/x/brain.json'));
  return used;
}

const viteOptions: PhaserPpoViteOptions = { crossOriginIsolation: false };
const goal: LearningGoal = { behavior: 'guard', atLeast: 1, maxSteps: 10_000 };

export { options, batch, onMetrics, nodeSide, phaserPpo, viteOptions, goal, Adam, lagOf };
