import Phaser from 'phaser';
import { Agent, ActionSpec, Rng, type ActionBuffers, type ObservationWriter } from '../../../sdk/index.js';

export const FOX_OBSERVATIONS = 7;
/** Branch 0: left, stay, right. Branch 1: jump or not. */
export const FOX_ACTIONS = ActionSpec.discrete(3, 2);
export const FOX_MAX_STEPS = 600;
const RUN = 110;
const JUMP = 330;

/** An NPC fox that learns to fetch gems across the platforms. */
export class Fox extends Agent {
  gemTaken = false;
  bumped = false;
  private last = 0;
  constructor(readonly sprite: Phaser.Physics.Arcade.Sprite, readonly gem: Phaser.Physics.Arcade.Image,
    private readonly spawns: readonly { x: number; y: number }[], private readonly gemSpots: readonly { x: number; y: number }[], private readonly rng: Rng) {
    super({ maxSteps: FOX_MAX_STEPS, decisionPeriod: 4 });
  }
  private get body(): Phaser.Physics.Arcade.Body { return this.sprite.body as Phaser.Physics.Arcade.Body; }
  override onEpisodeBegin(): void {
    const s = this.spawns[this.rng.int(this.spawns.length)]!;
    this.sprite.setPosition(s.x, s.y);
    this.body.reset(s.x, s.y);
    this.placeGem();
  }
  placeGem(): void {
    let spot;
    do spot = this.gemSpots[this.rng.int(this.gemSpots.length)]!;
    while (Math.abs(spot.x - this.sprite.x) < 48 && Math.abs(spot.y - this.sprite.y) < 48);
    this.gem.enableBody(true, spot.x, spot.y, true, true);
    this.gemTaken = false;
    this.last = this.distance();
  }
  distance(): number { return Math.abs(this.gem.x - this.sprite.x) + Math.abs(this.gem.y - this.sprite.y); }
  override collectObservations(obs: ObservationWriter): void {
    obs.add((this.gem.x - this.sprite.x) / 320);
    obs.add((this.gem.y - this.sprite.y) / 240);
    obs.add(this.body.velocity.x / RUN);
    obs.add(this.body.velocity.y / JUMP);
    obs.add(this.body.blocked.down ? 1 : 0);
    obs.add(this.body.blocked.left ? 1 : 0);
    obs.add(this.body.blocked.right ? 1 : 0);
  }
  override onActionReceived(actions: ActionBuffers): void {
    const move = (actions.discrete[0] ?? 1) - 1;
    this.body.setVelocityX(move * RUN);
    if (move !== 0) this.sprite.setFlipX(move < 0);
    if ((actions.discrete[1] ?? 0) === 1 && this.body.blocked.down) this.body.setVelocityY(-JUMP);
  }
  override heuristic(out: ActionBuffers): void {
    const dx = this.gem.x - this.sprite.x;
    out.discrete[0] = Math.abs(dx) < 4 ? 1 : dx < 0 ? 0 : 2;
    out.discrete[1] = this.gem.y < this.sprite.y - 20 || this.body.blocked.left || this.body.blocked.right ? 1 : 0;
  }
  /** After each Arcade step: progress toward the gem, +1 for it (a new gem appears), −0.02 a tick touching a slime. */
  judge(): void {
    const d = this.distance();
    this.addReward((this.last - d) / 320);
    this.last = d;
    if (this.bumped) { this.addReward(-0.02); this.bumped = false; }
    if (this.gemTaken) { this.addReward(1); this.placeGem(); }
  }
}
