import Phaser from 'phaser';
import type { PPOPlugin } from '../../../sdk/phaser/plugin.js';
import { Pilot, PILOT_ACTIONS, PILOT_OBSERVATIONS } from './pilot.js';
import { WORLD_H, WORLD_W } from './physics.js';

export interface ArenaData {
  /** 'train' learns live; 'play' flies the brain (or fast mode's weights); 'human' is the keyboard. */
  mode?: 'train' | 'play' | 'human';
}

export const PILOT_CONFIG = { numSteps: 128, learningRate: 1e-3, entCoef: 0.01 };
const MAX_HP = 3;

export class ArenaScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  player!: Phaser.Physics.Arcade.Sprite;
  bats!: Phaser.Physics.Arcade.Group;
  bullets!: Phaser.Physics.Arcade.Group;
  gem!: Phaser.Physics.Arcade.Image;
  pilot!: Pilot;
  private over = false;
  /** Timer callbacks this run (for the curious). */
  shots = 0;
  spawned = 0;

  constructor() { super('Arena'); }

  preload(): void {
    this.load.image('ship', 'assets/ship.png');
    this.load.image('bat', 'assets/bat.png');
    this.load.image('bullet', 'assets/bullet.png');
    this.load.image('gem', 'assets/gem.png');
    this.load.image('floor', 'assets/floor.png');
  }

  create(data: ArenaData = {}): void {
    this.over = false;
    this.shots = 0;
    this.spawned = 0;
    this.registry.set('score', 0);
    this.registry.set('hp', MAX_HP);
    this.data.set('kills', 0);

    this.add.tileSprite(0, 0, WORLD_W, WORLD_H, 'floor').setOrigin(0);
    this.physics.world.setBounds(0, 0, WORLD_W, WORLD_H);
    this.player = this.physics.add.sprite(WORLD_W / 2, WORLD_H / 2, 'ship');
    this.player.setCollideWorldBounds(true).setCircle(10);
    this.cameras.main.setBounds(0, 0, WORLD_W, WORLD_H);
    this.cameras.main.startFollow(this.player, true, 0.1, 0.1);

    this.bats = this.physics.add.group({ defaultKey: 'bat', maxSize: 40 });
    this.bullets = this.physics.add.group({ defaultKey: 'bullet', maxSize: 30 });
    this.gem = this.physics.add.image(0, 0, 'gem').setName('gem');
    this.placeGem();
    this.tweens.add({ targets: this.gem, scale: 1.3, duration: 300, yoyo: true, repeat: -1 });

    // The gun fires at the nearest bat every 350 ms; bats come after a second, then every 900 ms.
    this.time.addEvent({ delay: 600, loop: true, callback: this.fire, callbackScope: this });
    this.time.delayedCall(1000, () => this.time.addEvent({ delay: 500, loop: true, callback: this.spawnBat, callbackScope: this }));

    this.physics.add.overlap(this.bullets, this.bats, (b, e) => {
      this.kill(this.bullets, b as Phaser.Physics.Arcade.Sprite);
      this.kill(this.bats, e as Phaser.Physics.Arcade.Sprite);
      this.data.inc('kills');
      this.registry.inc('score', 1);
      this.events.emit('bat-killed');
    });
    this.physics.add.overlap(this.player, this.bats, (_p, e) => this.hit(e as Phaser.Physics.Arcade.Sprite));
    this.physics.add.overlap(this.player, this.gem, () => {
      this.registry.inc('score', 5);
      this.pilot.addReward(1);
      this.placeGem();
      this.pilot.gemMoved();
      this.events.emit('gem-taken');
    });

    const cursors = this.input.keyboard?.createCursorKeys();
    const mode = data.mode ?? (this.registry.get('mode') as ArenaData['mode']);
    const type = mode === 'human' ? 'heuristic' : mode === 'play' ? 'inference' : 'train';
    const behavior = this.ppo.addBehavior({ name: 'pilot', observationSize: PILOT_OBSERVATIONS, actionSpec: PILOT_ACTIONS, type, config: PILOT_CONFIG });
    this.pilot = new Pilot({ player: this.player, gem: this.gem, bats: this.bats, world: this.physics.world, cursors });
    behavior.addAgent(this.pilot);
    this.ppo.onFixedStep(() => this.pilot.judge());
    this.ppo.showOverlay('pilot', { x: this.scale.width - 224, y: 40 });

    if (!this.scene.isActive('Hud')) this.scene.launch('Hud');
  }

  override update(): void {
    // Bats chase the ship; bullets leave the world.
    for (const bat of this.bats.getChildren() as Phaser.Physics.Arcade.Sprite[]) {
      if (bat.active) this.physics.moveToObject(bat, this.player, 100);
    }
    for (const b of this.bullets.getChildren() as Phaser.Physics.Arcade.Sprite[]) {
      if (b.active && !this.physics.world.bounds.contains(b.x, b.y)) this.kill(this.bullets, b);
    }
  }

  private placeGem(): void {
    const x = Phaser.Math.Clamp(this.player.x + Phaser.Math.RND.between(-250, 250), 40, WORLD_W - 40);
    const y = Phaser.Math.Clamp(this.player.y + Phaser.Math.RND.between(-200, 200), 40, WORLD_H - 40);
    this.gem.setPosition(x, y);
  }

  private spawnBat(): void {
    const view = this.cameras.main.worldView;
    const side = Phaser.Math.RND.between(0, 3);
    const x = side === 0 ? view.x : side === 1 ? view.right : Phaser.Math.RND.between(view.x, view.right);
    const y = side === 2 ? view.y : side === 3 ? view.bottom : Phaser.Math.RND.between(view.y, view.bottom);
    const bat = this.bats.get(x, y) as Phaser.Physics.Arcade.Sprite | null;
    if (!bat) return;
    bat.setActive(true).setVisible(true).setName('bat').setAlpha(1);
    bat.enableBody(true, x, y, true, true);
    this.spawned++;
  }

  private fire(): void {
    const target = this.pilot.nearestBat();
    if (!target) return;
    const b = this.bullets.get(this.player.x, this.player.y) as Phaser.Physics.Arcade.Sprite | null;
    if (!b) return;
    b.setActive(true).setVisible(true);
    b.enableBody(true, this.player.x, this.player.y, true, true);
    this.physics.moveToObject(b, target, 400);
    this.shots++;
  }

  /** Back to the pool: hidden, inactive, its body off. */
  private kill(group: Phaser.Physics.Arcade.Group, s: Phaser.Physics.Arcade.Sprite): void {
    group.killAndHide(s);
    (s.body as Phaser.Physics.Arcade.Body).enable = false;
  }

  private hit(bat: Phaser.Physics.Arcade.Sprite): void {
    if (this.over) return;
    this.kill(this.bats, bat);
    this.hitPlayer();
  }

  /** A bat reached the ship: a hit point, a flash, and at 0 the game is over (the scene restarts). */
  hitPlayer(): void {
    this.registry.inc('hp', -1);
    this.pilot.addReward(-0.5);
    this.tweens.add({ targets: this.player, alpha: 0.2, duration: 80, yoyo: true, repeat: 2, onComplete: () => this.player.setAlpha(1) });
    this.events.emit('player-hit', this.registry.get('hp'));
    if (this.registry.get('hp') <= 0) {
      this.over = true;
      this.pilot.addReward(-1);
      this.pilot.endEpisode();
      const score = this.registry.get('score') as number;
      this.registry.set('best', Math.max(score, this.registry.get('best') ?? 0));
      this.events.emit('game-over', score);
      this.scene.restart();
    }
  }
}
