/** The arena as the CLI trains it: `train test-fixtures/foreign-arena/src/headless.ts`. */
import { sceneGame } from '../../../sdk/scene.js';
import { ArenaScene } from './arena-scene.js';
import { HudScene } from './hud-scene.js';
import { ARENA_PHYSICS } from './physics.js';

export default sceneGame({
  scene: ArenaScene,
  // The HUD the arena launches in parallel runs in the copies too.
  scenes: [HudScene],
  copies: 2,
  physics: ARENA_PHYSICS,
  data: () => ({ mode: 'train' }),
  solvedAt: 5,
});
