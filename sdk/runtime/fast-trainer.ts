/**
 * Fast mode: N headless copies of a game's simulation, stepped as fast as the CPU allows, with
 * the same agents and BehaviorRunner as live mode and the learner in the same thread. Runs in a
 * worker in the browser (the visible scene plays the latest weights meanwhile) or in Node.
 */
import type { ActionSpec } from '../adapter/action-spec.js';
import type { Agent } from '../adapter/agent.js';
import { BehaviorRunner } from '../adapter/runner.js';
import { resolveConfig, type PPOConfig } from '../rl/config.js';
import type { UpdateStats } from '../rl/learner.js';
import type { Rollout } from '../rl/rollout.js';
import { EpisodeWindow } from './episode-window.js';
import type { BackendChoice, LearnerHost } from './learner-host.js';

/** One headless copy of a game: its agent, and a function that advances its world one fixed step. */
export interface HeadlessCopy {
  agent: Agent;
  /** Steps physics and applies the game's rules (rewards, episode ends). */
  step: () => void;
}

export interface FastTrainerOptions {
  /** Builds copy `index`. */
  createCopy: (index: number) => HeadlessCopy;
  copies: number;
  name: string;
  observationSize: number;
  actionSpec: ActionSpec;
  config?: Partial<PPOConfig>;
  backend?: BackendChoice;
}

export interface FastUpdate extends UpdateStats {
  update: number;
  /** Transitions trained on so far. */
  step: number;
  time: number;
  episodes: number;
  returnMean: number;
  returnMin: number;
  returnMax: number;
  episodeLength: number;
  sps: number;
  backend: string;
  backendReason: string;
  policyVersion: number;
  /** The new weights (a copy; transferable). */
  params: Float32Array;
  /** Observation normalizer statistics, when normalizing. */
  observationStats: { mean: number[]; var: number[]; count: number } | null;
}

export class FastTrainer {
  private runner: BehaviorRunner | null = null;
  private copies: HeadlessCopy[] = [];
  private pending: Rollout | null = null;
  private stopped = false;

  constructor(private readonly options: FastTrainerOptions, private readonly host: LearnerHost) {}

  /**
   * Trains until `stop()` is called, `maxSteps` transitions are used, or `targetReturn` is
   * reached, calling `onUpdate` after every learner update. Yields to the event loop between
   * updates so messages (stop) get through.
   */
  async run(onUpdate: (u: FastUpdate) => void, limits: { maxSteps?: number; targetReturn?: number } = {}): Promise<void> {
    const o = this.options;
    this.stopped = false;
    this.copies = Array.from({ length: o.copies }, (_, i) => o.createCopy(i));
    const first = this.copies[0]!;
    // The behavior's observation size is the writer's count plus the sensors: ask a runner.
    const probe = new BehaviorRunner({ name: o.name, observationSize: o.observationSize, actionSpec: o.actionSpec, type: 'train', config: resolveConfig({ ...o.config, numEnvs: o.copies }) }, () => null);
    probe.addAgent(first.agent);
    const spec = probe.spec!;
    probe.removeAgent(first.agent);

    const init = await this.host.init({ observationSize: spec.observationSize, actionSpace: spec.actionSpace, config: { ...o.config, numEnvs: o.copies }, backend: o.backend ?? 'auto' });
    const config = this.host.getConfig();
    const runner = new BehaviorRunner({
      name: o.name, observationSize: o.observationSize, actionSpec: o.actionSpec, type: 'train', config,
      onRollout: (r) => { this.pending = r; },
      onEpisodeEnd: (e) => episodes.push(e.return, e.ticks),
    }, () => ({ params: init.params, version: init.version }));
    this.runner = runner;
    const episodes = new EpisodeWindow();
    for (const c of this.copies) runner.addAgent(c.agent);

    const started = performance.now();
    let steps = 0;
    let update = 0;
    while (!this.stopped) {
      runner.tick();
      for (const c of this.copies) c.step();
      const rollout = this.pending;
      if (!rollout) continue;
      this.pending = null;
      const reply = this.host.train(rollout);
      runner.setParams(reply.params, reply.version);
      steps += rollout.numSteps * rollout.numEnvs;
      update++;
      const time = (performance.now() - started) / 1000;
      const summary = episodes.summary();
      onUpdate({
        ...reply.stats, ...summary, update, step: steps, time, episodes: episodes.count, sps: steps / time,
        backend: init.backend, backendReason: init.reason, policyVersion: reply.version, params: reply.params,
        observationStats: runner.observationStats?.toJSON() ?? null,
      });
      if (limits.maxSteps !== undefined && steps >= limits.maxSteps) break;
      if (limits.targetReturn !== undefined && summary.returnMean >= limits.targetReturn) break;
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  /** Ends `run` after the current update. */
  stop(): void {
    this.stopped = true;
  }
}
