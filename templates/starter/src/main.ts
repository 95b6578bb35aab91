/** The game: Phaser with Matter physics and the PPO scene plugin (available as `this.ppo`). */
import Phaser from 'phaser';
import { PPOPlugin } from 'phaser-ppo/phaser';
import { REACH_PHYSICS, ReachScene } from './reach-scene.js';

new Phaser.Game({
  type: Phaser.AUTO,
  width: 800,
  height: 400,
  parent: 'game',
  backgroundColor: '#0d1117',
  // The plugin steps the world itself (a fixed step, several per frame while training).
  physics: REACH_PHYSICS,
  // speed 4: four fixed steps per 1/60 s, so the NPCs learn 4× faster than real time (at most
  // maxStepsPerFrame = 4 steps per rendered frame: below 60 fps that cap slows training down).
  plugins: { scene: [{ key: 'PPOPlugin', plugin: PPOPlugin, mapping: 'ppo', data: { speed: 4 } }] },
  scene: ReachScene,
});
