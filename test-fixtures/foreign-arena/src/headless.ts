import { sceneGame } from '../../../sdk/scene.js';
import { ArenaScene } from './arena-scene.js';
import { ARENA_PHYSICS } from './physics.js';

export default sceneGame({
  scene: ArenaScene,
  copies: 2,
  physics: ARENA_PHYSICS,
  data: () => ({ mode: 'train' }),
  solvedAt: 5,
});
