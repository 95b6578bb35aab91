/**
 * The level of a small Arcade Physics platformer, written as a new user writes one (its page
 * version trained in live mode, fast mode and the CLI): a Tiled map whose `ground` layer collides
 * by a tile property, a keyboard player the camera follows, slimes in a Group that hop on a timer
 * and turn at walls in update(), gems with a tween, and four foxes (one brain) that learn to fetch
 * their gems. Nothing here knows about headless copies.
 */
import Phaser from 'phaser';
import { Rng } from '../../../sdk/index.js';
import type { PPOPlugin } from '../../../sdk/phaser/plugin.js';
import { Fox, FOX_ACTIONS, FOX_OBSERVATIONS } from './fox.js';

export interface LevelData {
  seed?: number;
  /** 'train' (live), or the foxes play the behavior's brain / a fast-mode trainer's weights. */
  mode?: 'train' | 'play';
}

export const FOX_CONFIG = { numSteps: 128, learningRate: 1e-3, entCoef: 0.01 };
const FOXES = 4;

export class LevelScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  player!: Phaser.Physics.Arcade.Sprite;
  private cursors?: Phaser.Types.Input.Keyboard.CursorKeys;
  slimes!: Phaser.Physics.Arcade.Group;
  foxes: Fox[] = [];
  /** Slime hops this run (the timer's callback). */
  hops = 0;
  score = 0;
  private scoreText!: Phaser.GameObjects.Text;

  constructor() { super('Level'); }

  preload(): void {
    this.load.tilemapTiledJSON('level1', 'assets/level1.json');
    this.load.image('tiles', 'assets/tiles.png');
    this.load.spritesheet('hero', 'assets/hero.png', { frameWidth: 16, frameHeight: 16 });
    this.load.spritesheet('fox', 'assets/fox.png', { frameWidth: 16, frameHeight: 16 });
    this.load.image('gem', 'assets/gem.png');
    this.load.image('slime', 'assets/slime.png');
  }

  create(data: LevelData = {}): void {
    const rng = new Rng(data.seed ?? 1);
    this.foxes = [];
    this.score = 0;
    this.hops = 0;
    const map = this.make.tilemap({ key: 'level1' });
    const tiles = map.addTilesetImage('tiles', 'tiles')!;
    map.createLayer('sky', tiles);
    const ground = map.createLayer('ground', tiles)!;
    ground.setCollisionByProperty({ collides: true });
    this.physics.world.setBounds(0, 0, map.widthInPixels, map.heightInPixels);

    const spawns = map.getObjectLayer('spawns')!.objects;
    const at = (name: string) => spawns.filter((o) => o.name === name).map((o) => ({ x: o.x!, y: o.y! }));

    if (!this.anims.exists('fox-run')) this.anims.create({ key: 'fox-run', frames: this.anims.generateFrameNumbers('fox', { start: 1, end: 2 }), frameRate: 8, repeat: -1 });

    const start = at('player')[0]!;
    this.player = this.physics.add.sprite(start.x, start.y, 'hero', 0);
    this.player.setCollideWorldBounds(true);
    this.physics.add.collider(this.player, ground);
    this.cursors = this.input.keyboard?.createCursorKeys();
    this.cameras.main.setBounds(0, 0, map.widthInPixels, map.heightInPixels);
    this.cameras.main.startFollow(this.player, true);

    this.slimes = this.physics.add.group();
    for (const s of at('slime')) (this.slimes.create(s.x, s.y, 'slime') as Phaser.Physics.Arcade.Sprite).setVelocityX(40).setCollideWorldBounds(true);
    this.physics.add.collider(this.slimes, ground);
    // Slimes hop every 1.5 s.
    this.time.addEvent({ delay: 1500, loop: true, callback: () => {
      for (const s of this.slimes.getChildren() as Phaser.Physics.Arcade.Sprite[]) {
        if ((s.body as Phaser.Physics.Arcade.Body).blocked.down) { s.setVelocityY(-160); this.hops++; }
      }
    } });
    this.physics.add.overlap(this.player, this.slimes, () => this.player.setPosition(start.x, start.y));

    const gems = this.physics.add.group({ allowGravity: false, immovable: true });
    const foxSprites = this.physics.add.group();
    const behavior = this.ppo.addBehavior({ name: 'fox', observationSize: FOX_OBSERVATIONS, actionSpec: FOX_ACTIONS, type: data.mode === 'play' ? 'inference' : 'train', config: FOX_CONFIG });
    for (let i = 0; i < FOXES; i++) {
      const sprite = foxSprites.create(0, 0, 'fox', 0) as Phaser.Physics.Arcade.Sprite;
      sprite.setCollideWorldBounds(true);
      sprite.play('fox-run');
      const gem = gems.create(0, 0, 'gem') as Phaser.Physics.Arcade.Image;
      this.tweens.add({ targets: gem, alpha: 0.5, duration: 400, yoyo: true, repeat: -1 });
      const fox = new Fox(sprite, gem, at('fox'), at('gem'), new Rng(rng.int(1e9) + i));
      this.physics.add.overlap(sprite, gem, () => { fox.gemTaken = true; gem.disableBody(true, true); });
      this.physics.add.overlap(sprite, this.slimes, () => { fox.bumped = true; });
      this.foxes.push(fox);
      behavior.addAgent(fox);
    }
    this.physics.add.collider(foxSprites, ground);
    // The player may take a fox's gem: that fox gets a new one.
    this.physics.add.overlap(this.player, gems, (_p, g) => { this.foxes.find((f) => f.gem === g)?.placeGem(); this.score++; });

    this.ppo.onFixedStep(() => { for (const f of this.foxes) f.judge(); });
    this.scoreText = this.add.text(4, 4, 'gems 0', { fontSize: '10px' }).setScrollFactor(0);
    this.ppo.showOverlay('fox', { x: this.scale.width - 114, y: 4, scale: 0.5 });
    this.input.keyboard?.on('keydown-ESC', () => this.scene.start('Title'));
  }

  override update(): void {
    // Slimes turn at walls: the game's own rules, every frame.
    for (const s of this.slimes.getChildren() as Phaser.Physics.Arcade.Sprite[]) {
      const b = s.body as Phaser.Physics.Arcade.Body;
      if (b.blocked.left) s.setVelocityX(40);
      else if (b.blocked.right) s.setVelocityX(-40);
    }
    const c = this.cursors;
    if (c) {
      this.player.setVelocityX(c.left.isDown ? -120 : c.right.isDown ? 120 : 0);
      if (c.up.isDown && (this.player.body as Phaser.Physics.Arcade.Body).blocked.down) this.player.setVelocityY(-330);
    }
    this.scoreText.setText(`gems ${this.score}`);
  }
}
