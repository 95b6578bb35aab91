/**
 * A Phaser game holding the gallery's three game scenes and a small probe scene, for
 * e2e/scene-restart.spec.ts: restart a scene many times and count listeners; make an agent hook
 * or the fixed step throw; leave Matter's autoUpdate on. The query picks what happens:
 * `scene` (balance | lander | chase | probe, default probe), `fault` (reward: the fixed step calls
 * addReward(NaN) at tick 30; observe: collectObservations throws at tick 30), `autoUpdate=1`
 * (the probe's Matter world also steps on its own), `type` (the probe behavior's type, default heuristic).
 */
import Phaser from 'phaser';
import { PPOPlugin } from '../../sdk/phaser/plugin.js';
import type { BehaviorType } from '../../sdk/adapter/runner.js';
import { ActionSpec } from '../../sdk/adapter/action-spec.js';
import { Agent } from '../../sdk/adapter/agent.js';
import type { ActionBuffers } from '../../sdk/adapter/action-spec.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import { BalanceScene } from '../../games/balance/scene.js';
import { LanderScene } from '../../games/lander/scene.js';
import { ChaseScene } from '../../games/chase/scene.js';

const params = new URLSearchParams(location.search);
const fault = params.get('fault');

/** A dot on a line of 10 cells: +1 for reaching the right end, episodes cut after 40 decisions. */
class ProbeAgent extends Agent {
  cell = 0;
  ticks = 0;

  constructor() {
    super({ name: 'probe-0', maxSteps: 40 });
  }

  override onEpisodeBegin(): void {
    this.cell = 5;
  }

  override collectObservations(obs: ObservationWriter): void {
    if (fault === 'observe' && this.ticks >= 30) throw new Error('probe: collectObservations failed on purpose');
    obs.add(this.cell / 10);
  }

  override onActionReceived(actions: ActionBuffers): void {
    this.cell = Math.max(0, Math.min(10, this.cell + ((actions.discrete[0] ?? 0) === 1 ? 1 : -1)));
  }

  override heuristic(out: ActionBuffers): void {
    out.discrete[0] = 1;
  }

  judge(): void {
    this.ticks++;
    if (fault === 'reward' && this.ticks === 30) this.addReward(NaN);
    if (this.cell === 10) {
      this.addReward(1);
      this.endEpisode();
    }
  }
}

class ProbeScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  readonly agent = new ProbeAgent();

  constructor() {
    // The plugin's settings from the scene config, beside Matter's (see PPOPluginSettings).
    super({ key: 'probe', physics: { matter: { autoUpdate: params.get('autoUpdate') === '1', gravity: { x: 0, y: 0 } }, ppo: { speed: 2 } } as Phaser.Types.Core.PhysicsConfig });
  }

  create(): void {
    const type = (params.get('type') ?? 'heuristic') as BehaviorType;
    const behavior = this.ppo.addBehavior({ name: 'probe', observationSize: 1, actionSpec: ActionSpec.discrete(2), type, config: { numSteps: 32, seed: 3 } });
    behavior.addAgent(this.agent);
    this.matter.add.circle(100, 100, 10);
    this.ppo.onFixedStep((ms) => {
      this.matter.world.step(ms);
      this.agent.judge();
    });
  }

  /** Set by the page's `failUpdate()`. */
  failUpdate = false;

  override update(): void {
    // Outside the plugin: Phaser's own loop throws, which only Playwright's pageerror sees.
    if (this.failUpdate) throw new Error('probe: the scene update failed on purpose');
  }
}

const game = new Phaser.Game({
  type: Phaser.CANVAS, width: 400, height: 300, parent: 'game', banner: false,
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { maxStepsPerFrame: 8 } }] },
});
const scenes = { balance: BalanceScene, lander: LanderScene, chase: ChaseScene, probe: ProbeScene };
/** Resolves once the game has booted and its scenes exist. */
const booted = new Promise<void>((resolve) => game.events.once(Phaser.Core.Events.READY, () => {
  for (const [key, scene] of Object.entries(scenes)) game.scene.add(key, scene, false);
  resolve();
}));

/** Listeners on a scene's event emitter and on its plugin's, by event name. */
function listeners(key: string): { scene: Record<string, number>; ppo: Record<string, number>; sceneTotal: number } {
  const scene = game.scene.getScene(key) as Phaser.Scene & { ppo: PPOPlugin };
  const count = (e: Phaser.Events.EventEmitter) => Object.fromEntries(e.eventNames().map((n) => [String(n), e.listenerCount(n)]));
  const sceneCounts = count(scene.sys.events);
  return { scene: sceneCounts, ppo: count(scene.ppo.events as unknown as Phaser.Events.EventEmitter), sceneTotal: Object.values(sceneCounts).reduce((a, b) => a + b, 0) };
}

/** Starts (or restarts) `key` and resolves once its `create` ran and a few frames updated it. */
async function start(key: string): Promise<void> {
  await booted;
  return new Promise((resolve) => {
    const ready = () => {
      let frames = 0;
      const scene = game.scene.getScene(key)!;
      const tick = () => {
        if (++frames < 3) return;
        scene.sys.events.off(Phaser.Scenes.Events.POST_UPDATE, tick);
        resolve();
      };
      scene.sys.events.on(Phaser.Scenes.Events.POST_UPDATE, tick);
    };
    // The gallery's scenes call onReady at the end of create; the probe is ready when CREATE fires.
    const data = key === 'probe' ? {} : { behavior: { type: 'heuristic' as const }, onReady: ready };
    if (key === 'probe') game.scene.getScene(key)!.sys.events.once(Phaser.Scenes.Events.CREATE, ready);
    game.scene.start(key, data);
  });
}

const page = {
  /** Restarts `key` `times` times (after a first start) and returns the listener counts after each start. */
  async restarts(key: string, times: number) {
    const counts = [];
    for (let i = 0; i <= times; i++) {
      await start(key);
      counts.push(listeners(key));
    }
    return counts;
  },
  /** Starts `key` once. */
  start,
  /** The probe plugin's settings as the scene runs with them. */
  settings: () => {
    const p = (game.scene.getScene('probe') as Phaser.Scene & { ppo: PPOPlugin }).ppo;
    return { stepMs: p.stepMs, speed: p.speed, maxStepsPerFrame: p.maxStepsPerFrame };
  },
  probeTicks: () => (game.scene.getScene('probe') as ProbeScene).agent.ticks,
  /** From the next frame on, the probe scene's own update() throws. */
  failUpdate: () => {
    (game.scene.getScene('probe') as ProbeScene).failUpdate = true;
  },
};
(globalThis as unknown as Record<string, unknown>).__pluginPage = page;
if (params.has('scene')) void start(params.get('scene')!);
