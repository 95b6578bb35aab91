import Phaser from 'phaser';
import { Agent, ActionSpec, RayCastSensor, arcadeBody, arcadeRayTargets, type ActionBuffers, type ObservationWriter } from '../../../sdk/index.js';

export const PILOT_OBSERVATIONS = 11;
/** Stay, then 8 directions. */
export const PILOT_ACTIONS = ActionSpec.discrete(9);
export const SPEED = 180;
const DIRS: readonly (readonly [number, number])[] = [[0, 0], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1]];

export interface PilotView {
  player: Phaser.Physics.Arcade.Sprite;
  gem: Phaser.Physics.Arcade.Image;
  bats: Phaser.Physics.Arcade.Group;
  world: Phaser.Physics.Arcade.World;
  cursors?: Phaser.Types.Input.Keyboard.CursorKeys;
}

/** The ship's autopilot: fetch gems, keep away from bats (the gun fires by itself). */
export class Pilot extends Agent {
  gems = 0;
  hits = 0;
  private lastDistance = 0;
  constructor(private readonly view: PilotView) {
    super({ maxSteps: 1800, decisionPeriod: 4 });
    this.addSensor(new RayCastSensor('eyes', { from: arcadeBody(view.player.body as Phaser.Physics.Arcade.Body), bodies: arcadeRayTargets(view.world),
      rays: 8, arc: 2 * Math.PI, maxLength: 240, tags: ['bat', 'gem'] }));
  }
  get scene(): Phaser.Scene { return this.view.player.scene; }
  private get body(): Phaser.Physics.Arcade.Body { return this.view.player.body as Phaser.Physics.Arcade.Body; }
  override onEpisodeBegin(): void {
    this.lastDistance = this.distance();
  }
  distance(): number { return Phaser.Math.Distance.Between(this.view.player.x, this.view.player.y, this.view.gem.x, this.view.gem.y); }
  /** The nearest active bat, or null. */
  nearestBat(): Phaser.Physics.Arcade.Sprite | null {
    let best: Phaser.Physics.Arcade.Sprite | null = null;
    let bestD = Infinity;
    for (const b of this.view.bats.getChildren() as Phaser.Physics.Arcade.Sprite[]) {
      if (!b.active) continue;
      const d = Phaser.Math.Distance.Squared(b.x, b.y, this.view.player.x, this.view.player.y);
      if (d < bestD) { bestD = d; best = b; }
    }
    return best;
  }
  override collectObservations(obs: ObservationWriter): void {
    const p = this.view.player;
    obs.add((this.view.gem.x - p.x) / 400);
    obs.add((this.view.gem.y - p.y) / 300);
    obs.add(this.body.velocity.x / SPEED);
    obs.add(this.body.velocity.y / SPEED);
    const bat = this.nearestBat();
    obs.add(bat ? 1 : 0);
    obs.add(bat ? (bat.x - p.x) / 400 : 0);
    obs.add(bat ? (bat.y - p.y) / 300 : 0);
    obs.add(p.x / 1600);
    obs.add(p.y / 1200);
    obs.add(this.body.blocked.left || this.body.blocked.right ? 1 : 0);
    obs.add(this.body.blocked.up || this.body.blocked.down ? 1 : 0);
  }
  override onActionReceived(actions: ActionBuffers): void {
    const [x, y] = DIRS[actions.discrete[0] ?? 0]!;
    const k = x !== 0 && y !== 0 ? Math.SQRT1_2 : 1;
    this.body.setVelocity(x * SPEED * k, y * SPEED * k);
  }
  /** The keyboard, when a human flies. */
  override heuristic(out: ActionBuffers): void {
    const c = this.view.cursors;
    const x = c ? (c.left.isDown ? -1 : c.right.isDown ? 1 : 0) : 0;
    const y = c ? (c.up.isDown ? -1 : c.down.isDown ? 1 : 0) : 0;
    out.discrete[0] = Math.max(0, DIRS.findIndex(([dx, dy]) => dx === x && dy === y));
  }
  /** After each Arcade step: progress toward the gem; the scene adds +1 a gem and −0.5 a hit. */
  judge(): void {
    const d = this.distance();
    this.addReward((this.lastDistance - d) / 400);
    this.lastDistance = d;
  }
  gemMoved(): void { this.lastDistance = this.distance(); }
}
