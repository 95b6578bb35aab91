import Phaser from 'phaser';

/** Score and hit points, drawn over the arena (runs in parallel: `scene.launch('Hud')`). */
export class HudScene extends Phaser.Scene {
  text!: Phaser.GameObjects.Text;
  constructor() { super('Hud'); }
  create(): void {
    this.text = this.add.text(8, 8, '', { fontSize: '16px', color: '#fff' });
    this.show();
    this.registry.events.on('changedata', this.show, this);
    const arena = this.scene.get('Arena');
    arena.events.on('game-over', this.gameOver, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.registry.events.off('changedata', this.show, this);
      arena.events.off('game-over', this.gameOver, this);
    });
  }
  private show(): void {
    this.text.setText(`score ${this.registry.get('score') ?? 0}   hp ${this.registry.get('hp') ?? 0}   best ${this.registry.get('best') ?? 0}`);
  }
  private gameOver(score: number): void {
    const t = this.add.text(400, 300, `GAME OVER  ${score}`, { fontSize: '32px', color: '#f66' }).setOrigin(0.5);
    this.time.delayedCall(1000, () => t.destroy());
  }
}
