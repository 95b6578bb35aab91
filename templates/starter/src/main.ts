/** The game: Phaser with Matter physics and the PPO scene plugin (available as `this.ppo`). */
import Phaser from 'phaser';
import { PPOPlugin } from 'phaser-ppo/phaser';
import { ReachScene } from './reach-scene.js';

new Phaser.Game({
  type: Phaser.AUTO,
  width: 800,
  height: 400,
  parent: 'game',
  backgroundColor: '#0d1117',
  // The plugin steps the world itself (a fixed step, several per frame while training).
  physics: { default: 'matter', matter: { gravity: { x: 0, y: 0 }, autoUpdate: false } },
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo' }] },
  scene: ReachScene,
});
