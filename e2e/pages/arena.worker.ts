/** Fast mode for the arena page: copies of its scene (and the HUD it launches), which load the files the page serves. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { HudScene } from '../../test-fixtures/foreign-arena/src/hud-scene.js';
import { ARENA_PHYSICS } from '../../test-fixtures/foreign-arena/src/physics.js';
import { ServedArenaScene } from './arena-scene.js';

exposeFastTrainer(sceneGame({ scene: ServedArenaScene, scenes: [HudScene], copies: 2, physics: ARENA_PHYSICS, data: () => ({ mode: 'train' }) }));
