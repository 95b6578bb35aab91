/** The title screen: a key or a click starts the level, as real games begin. The page's first scene, never a headless copy's. */
import Phaser from 'phaser';

export class TitleScene extends Phaser.Scene {
  constructor() { super('Title'); }
  create(): void {
    this.add.text(160, 100, 'SLIME HOP', { fontSize: '24px' }).setOrigin(0.5);
    const go = () => this.scene.start('Level', { seed: 1, mode: 'train' });
    this.input.keyboard?.once('keydown-SPACE', go);
    this.input.once('pointerdown', go);
  }
}
